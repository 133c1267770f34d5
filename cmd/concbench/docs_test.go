package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/concbench/concbench/bench"
)

// docFiles are the files whose pasted outputs TestDocsOutputs checks.
func docFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{filepath.Join("..", "..", "README.md")}, files...)
}

// A pasted is one "$ concbench ..." command of a Markdown code block and
// the output pasted under it.
type pasted struct {
	where string // file:line
	args  []string
	out   []string
}

// pastedOutputs finds every code block that starts with "$ concbench ".
func pastedOutputs(t *testing.T, file string) []pasted {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []pasted
	lines := strings.Split(string(b), "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "```") || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "$ concbench ") {
			continue
		}
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			if cmd, ok := strings.CutPrefix(lines[i], "$ concbench "); ok {
				out = append(out, pasted{where: filepath.Base(file) + ":" + strconv.Itoa(i+1), args: strings.Fields(cmd)})
				continue
			}
			p := &out[len(out)-1]
			p.out = append(p.out, lines[i])
		}
	}
	return out
}

// TestDocsOutputs runs every command pasted in the README and docs/ with
// this binary's code and compares what it prints: byte for byte for
// output without measurements ("..." in the paste stands for lines left
// out), and by structure for the measuring commands (run, sweep,
// recommend): the same first line, the same columns, the same rows and
// the same closing note, numbers aside. Those run at 4 tasks a batch and
// 1 ms a sample under GOMAXPROCS 2, the pasted machine's, so that they
// take seconds.
func TestDocsOutputs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	n := 0
	for _, file := range docFiles(t) {
		for _, p := range pastedOutputs(t, file) {
			n++
			t.Run(p.where, func(t *testing.T) { checkPasted(t, p) })
		}
	}
	if n < 5 {
		t.Errorf("found %d pasted outputs, want help, list, run, sweep and recommend at least", n)
	}
}

func checkPasted(t *testing.T, p pasted) {
	args := slices.Clone(p.args)
	measuring := slices.Contains([]string{"run", "sweep", "recommend"}, args[0]) && !slices.Contains(args, "-h")
	if measuring {
		args = append(args, "-tasks", "4", "-time", "1ms", "-q")
		if args[0] == "sweep" {
			args = append(args, "-o", t.TempDir())
		}
	}
	var stdout, stderr bytes.Buffer
	// A race-built binary measures and prints the sweep but saves no
	// results file, and says so: its table is still checked.
	raceSweep := raceEnabled && args[0] == "sweep"
	if err := run(context.Background(), &stdout, &stderr, args); err != nil && !raceSweep {
		t.Fatalf("concbench %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	got := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
	want := p.out
	for len(want) > 0 && want[len(want)-1] == "" {
		want = want[:len(want)-1]
	}
	if raceSweep { // no results file, so no lines naming it and its chart
		want = slices.DeleteFunc(slices.Clone(want), func(l string) bool {
			return strings.HasPrefix(l, "results:") || strings.HasPrefix(l, "chart:")
		})
	}
	switch {
	case args[0] == "version":
		checkKeys(t, want, got)
	case measuring:
		checkStructure(t, want, got)
	default:
		checkElided(t, want, got)
	}
}

// checkElided matches want against got line for line, a "..." line of
// want standing for any number of lines.
func checkElided(t *testing.T, want, got []string) {
	t.Helper()
	g := 0
	for i, w := range want {
		if w == "..." {
			if i+1 == len(want) {
				return
			}
			for g < len(got) && got[g] != want[i+1] {
				g++
			}
			continue
		}
		if g >= len(got) || got[g] != w {
			at := "nothing"
			if g < len(got) {
				at = strconv.Quote(got[g])
			}
			t.Errorf("pasted line %d %q: the binary prints %s there; paste its output again:\n%s", i+1, w, at, strings.Join(got, "\n"))
			return
		}
		g++
	}
	if g != len(got) {
		t.Errorf("the binary prints %d more lines than the paste:\n%s", len(got)-g, strings.Join(got[g:], "\n"))
	}
}

// checkKeys compares outputs of key: value lines (version) by their keys.
func checkKeys(t *testing.T, want, got []string) {
	t.Helper()
	key := func(l string) string { k, _, _ := strings.Cut(l, " "); return k }
	var wk, gk []string
	for _, l := range want {
		wk = append(wk, key(l))
	}
	for _, l := range got {
		gk = append(gk, key(l))
	}
	// go test stamps no VCS information, so a test binary has no commit
	// time to print.
	if !slices.Contains(gk, "commit-time:") {
		wk = slices.DeleteFunc(wk, func(k string) bool { return k == "commit-time:" })
	}
	if !slices.Equal(wk, gk) {
		t.Errorf("pasted lines start %q, the binary's %q", wk, gk)
	}
}

var number = regexp.MustCompile(`[0-9]+(\.[0-9]+)?`)

// columns splits a table line into its cells, which two spaces or more
// separate, with their numbers masked.
func columns(line string) []string {
	return regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(number.ReplaceAllString(line, "#")), -1)
}

// table returns the header and the sorted label cells (those left of
// BATCH) of the first table of out, and the line that follows it.
func table(out []string) (header []string, labels []string, note string) {
	start := slices.IndexFunc(out, func(l string) bool { return strings.Contains(l, "BATCH") })
	if start < 0 {
		return nil, nil, ""
	}
	header = columns(out[start])
	batch := slices.Index(header, "BATCH")
	i := start + 1
	for ; i < len(out) && out[i] != ""; i++ {
		labels = append(labels, strings.Join(columns(out[i])[:batch], " | "))
	}
	slices.Sort(labels)
	if i+1 < len(out) {
		note = number.ReplaceAllString(out[i+1], "#")
	}
	return header, labels, note
}

// checkStructure compares two outputs of a measuring command, numbers
// aside: first line, table columns and rows, the note under the table,
// and the result lines (results:, chart:) a sweep writes.
func checkStructure(t *testing.T, want, got []string) {
	t.Helper()
	if len(want) == 0 || len(got) == 0 || number.ReplaceAllString(want[0], "#") != number.ReplaceAllString(got[0], "#") {
		t.Errorf("first line: pasted %q, the binary prints %q", want[0], got[0])
	}
	wh, wl, wn := table(want)
	gh, gl, gn := table(got)
	if !slices.Equal(wh, gh) {
		t.Errorf("columns: pasted %q, the binary prints %q", wh, gh)
	}
	if !slices.Equal(wl, gl) {
		t.Errorf("rows: pasted %q, the binary prints %q", wl, gl)
	}
	if wn != gn {
		t.Errorf("note under the table: pasted %q, the binary prints %q", wn, gn)
	}
	prefixes := func(out []string) []string {
		var p []string
		for _, l := range out {
			for _, k := range []string{"results:", "chart:", "Measured in"} {
				if strings.HasPrefix(l, k) {
					p = append(p, k)
				}
			}
		}
		return p
	}
	if w, g := prefixes(want), prefixes(got); !slices.Equal(w, g) {
		t.Errorf("closing lines: pasted %q, the binary prints %q", w, g)
	}
}

// TestDocsGroups: docs/benchmarks.md names every benchmark group of
// bench.Suite.
func TestDocsGroups(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "benchmarks.md"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, b := range bench.Suite(false) {
		if seen[b.Group] {
			continue
		}
		seen[b.Group] = true
		if !bytes.Contains(doc, []byte("| `"+b.Group+"` |")) {
			t.Errorf("docs/benchmarks.md has no row for %s in its table of groups", b.Group)
		}
	}
}
