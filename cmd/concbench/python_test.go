package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concbench/concbench/bench"
)

// TestBenchAndReportWithoutPython hides python3 from PATH: bench and report
// must still pass, the results file must say why Python was skipped, and so
// must the page.
func TestBenchAndReportWithoutPython(t *testing.T) {
	bin := fakeBench(t)
	t.Setenv("FAKEBENCH_NAMES", strings.Join(bench.Names(true), ","))
	t.Setenv("PATH", t.TempDir()) // nothing on PATH: no python3, and no python anywhere else
	if _, err := exec.LookPath("python3"); err == nil {
		t.Fatal("python3 is still found")
	}
	dir := t.TempDir()
	stdout, stderr, err := runCmd(t, "bench", "-profile", "smoke", "-bin", bin, "-dir", dir, "-o", dir, "-machine", "m", "-q")
	if err != nil {
		t.Fatalf("bench without python3: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "python: skipped: python3 is not on PATH") {
		t.Errorf("bench's stderr does not say Python was skipped:\n%s", stderr)
	}
	text, err := os.ReadFile(strings.TrimSpace(stdout))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(text), "\npython: skipped: python3 is not on PATH\nPASS\n") {
		t.Errorf("results file does not end with the skip line and PASS:\n...%s", text[max(0, len(text)-300):])
	}
	out := t.TempDir()
	if _, stderr, err := runCmd(t, "report", "-o", out, filepath.Join(dir, "m")); err != nil {
		t.Fatalf("report without python3: %v\n%s", err, stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "m", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Python was not measured in this run: python3 is not on PATH.",
		"## Go vs Python\n\nNot drawn: Python was not measured: python3 is not on PATH.",
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestBenchRejectsMissingPython(t *testing.T) {
	bin := fakeBench(t)
	t.Setenv("FAKEBENCH_NAMES", strings.Join(bench.Names(true), ","))
	dir := t.TempDir()
	_, _, err := runCmd(t, "bench", "-profile", "smoke", "-bin", bin, "-dir", dir, "-o", dir, "-machine", "m", "-q", "-python", filepath.Join(dir, "no-such-python"))
	if err == nil || !strings.Contains(err.Error(), "no-such-python") {
		t.Errorf("bench -python with a missing interpreter: %v, want an error naming it", err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "m", "*")); len(files) != 0 {
		t.Errorf("a failed run left %v", files)
	}
}
