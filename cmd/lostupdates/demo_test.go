//go:build !race

package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestDemo runs the demonstration, data race included, which is why the
// race detector never builds this file. Whether updates are lost depends
// on the scheduler, so it checks only what must hold: every synchronised
// counter is exact, and the unsynchronised one never counts too many.
func TestDemo(t *testing.T) {
	var out, errw bytes.Buffer
	if err := run(&out, &errw, []string{"-workers", "4", "-n", "20000"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	found := map[string]bool{}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 3 {
			continue
		}
		switch f[0] {
		case "unsynchronised":
			found[f[0]] = true
			if f[2] != "exact" && f[2] != "lost" {
				t.Errorf("unsynchronised line %q", l)
			}
		case "mutex", "atomic", "channel", "sharded":
			found[f[0]] = true
			if f[1] != "80000" || f[2] != "exact" {
				t.Errorf("synchronised counter line %q: want 80000 exact", l)
			}
		}
	}
	if len(found) != 5 {
		t.Errorf("output lacks some counters:\n%s", out.String())
	}
}
