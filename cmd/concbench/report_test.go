package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Real results files, from the report package's test data.
var (
	quickResults = filepath.Join("..", "..", "report", "testdata", "amd-epyc-2c", "20261127-200447-quick.txt")
	smokeResults = filepath.Join("..", "..", "report", "testdata", "amd-epyc-2c", "20261127-201026-smoke.txt")
)

// resultsTree lays files out as results/<machine>/<name> in a temporary
// folder and returns its root.
func resultsTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for path, text := range files {
		full := filepath.Join(root, path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReportGarbageOnly(t *testing.T) {
	root := resultsTree(t, map[string]string{"m/bad.txt": "hello\nBenchmarkX/workload=a-2 1 fast ns/op\n"})
	file := filepath.Join(root, "m", "bad.txt")
	stdout, stderr, err := runCmd(t, "report", "-o", filepath.Join(root, "out"), file)
	if err == nil || !strings.Contains(err.Error(), "nothing to report") {
		t.Errorf("err = %v, want nothing to report", err)
	}
	for _, want := range []string{file + ":1: not a benchmark result", file + ":2: parsing measurement", file + ": incomplete, not charted: no valid benchmark results"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if stdout != "" {
		t.Errorf("stdout %q: nothing was written", stdout)
	}
}

func TestReportGarbageLineAmongResults(t *testing.T) {
	t.Parallel() // each draws a page: slow under the race detector
	lines := strings.SplitAfter(readFile(t, smokeResults), "\n")
	text := strings.Join(lines[:20], "") + "garbage here\n" + strings.Join(lines[20:], "")
	root := resultsTree(t, map[string]string{"m/run.txt": text})
	file := filepath.Join(root, "m", "run.txt")
	stdout, stderr, err := runCmd(t, "report", "-o", root, file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, file+":21: not a benchmark result") {
		t.Errorf("stderr does not name the line: %s", stderr)
	}
	if !strings.Contains(stdout, filepath.Join(root, "m", "README.md")) {
		t.Errorf("stdout %q does not name the page", stdout)
	}
}

func TestReportNoResults(t *testing.T) {
	empty := t.TempDir()
	_, _, err := runCmd(t, "report", "-o", empty)
	if err == nil || !strings.Contains(err.Error(), "no results files in "+empty+": run `make report`") {
		t.Errorf("err = %v, want it to say there are no results and how to make some", err)
	}
	_, _, err = runCmd(t, "report", "-o", empty, empty)
	if err == nil || !strings.Contains(err.Error(), "no results files (*.txt) in this folder") {
		t.Errorf("err = %v for an empty folder argument", err)
	}
	_, _, err = runCmd(t, "report", filepath.Join(empty, "none.txt"))
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v for a missing file", err)
	}
}

func TestReportRefusesInstrumented(t *testing.T) {
	text := strings.Replace(readFile(t, smokeResults), "instrumented: none", "instrumented: race", 1)
	root := resultsTree(t, map[string]string{"m/race.txt": text})
	_, _, err := runCmd(t, "report", "-o", root)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(root, "m", "race.txt")+":12: results from a bench binary built with race are refused") {
		t.Errorf("err = %v, want a refusal naming file:line", err)
	}
	if _, err := os.Stat(filepath.Join(root, "m", "README.md")); err == nil {
		t.Error("a page was written from refused results")
	}
}

func TestReportTree(t *testing.T) {
	t.Parallel() // each draws a page: slow under the race detector
	root := resultsTree(t, map[string]string{
		"amd-epyc-2c/" + filepath.Base(quickResults): readFile(t, quickResults),
		"amd-epyc-2c/" + filepath.Base(smokeResults): readFile(t, smokeResults),
		"other/partial.txt":                          strings.Join(strings.SplitAfter(readFile(t, smokeResults), "\n")[:30], ""),
	})
	stdout, stderr, err := runCmd(t, "report", "-o", root)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "amd-epyc-2c", "README.md") + "\n" + filepath.Join(root, "README.md") + "\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	if !strings.Contains(stderr, "partial.txt: incomplete, not charted: the output stops before the PASS line") {
		t.Errorf("stderr does not report the partial run: %s", stderr)
	}
	page := readFile(t, filepath.Join(root, "amd-epyc-2c", "README.md"))
	if !strings.Contains(page, "| profile | quick (3 samples per benchmark) |") {
		t.Error("the page does not show the quick run, the best of the machine's runs")
	}
	for _, chart := range []string{"decision", "throughput", "speedup", "gomaxprocs", "overhead"} {
		for _, ext := range []string{".svg", ".png"} {
			if _, err := os.Stat(filepath.Join(root, "amd-epyc-2c", chart+ext)); err != nil {
				t.Error(err)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(root, "other", "README.md")); err == nil {
		t.Error("a page was written for a machine without a complete run")
	}
	index := readFile(t, filepath.Join(root, "README.md"))
	if !strings.Contains(index, "[amd-epyc-2c](amd-epyc-2c/README.md)") || !strings.Contains(index, "other/partial.txt: the output stops") {
		t.Errorf("index:\n%s", index)
	}
}

// TestReportLeavesOtherMachines reports one machine into a tree that holds
// another's page: that page must stay as it was, and the index must list
// both.
func TestReportLeavesOtherMachines(t *testing.T) {
	t.Parallel() // each draws a page: slow under the race detector
	root := resultsTree(t, map[string]string{
		"theirs/" + filepath.Base(smokeResults): readFile(t, smokeResults),
		"theirs/README.md":                      "their page\n",
		"mine/" + filepath.Base(quickResults):   readFile(t, quickResults),
	})
	if _, _, err := runCmd(t, "report", "-o", root, filepath.Join(root, "mine")); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(root, "theirs", "README.md")); got != "their page\n" {
		t.Errorf("another machine's page was rewritten: %q", got)
	}
	index := readFile(t, filepath.Join(root, "README.md"))
	if !strings.Contains(index, "[mine](mine/README.md)") || !strings.Contains(index, "[theirs](theirs/README.md)") {
		t.Errorf("index does not list both machines:\n%s", index)
	}
}

func TestReportUsage(t *testing.T) {
	_, _, err := runCmd(t, "report", "-nope")
	var u usageError
	if !errors.As(err, &u) {
		t.Errorf("err = %v, want a usage error", err)
	}
	stdout, _, err := runCmd(t, "report", "-h")
	if err != nil || !strings.Contains(stdout, "usage: concbench report") {
		t.Errorf("-h: err %v, stdout %q", err, stdout)
	}
}

// TestReportChoosesAmongFiles names two runs of one machine, and the same
// file twice: the page shows the quick run, says which newer file it
// passed over, and lists the smoke run once.
func TestReportChoosesAmongFiles(t *testing.T) {
	t.Parallel() // each draws a page: slow under the race detector
	root := resultsTree(t, map[string]string{
		"m/" + filepath.Base(quickResults): readFile(t, quickResults),
		"m/" + filepath.Base(smokeResults): readFile(t, smokeResults),
	})
	smoke := filepath.Join(root, "m", filepath.Base(smokeResults))
	_, stderr, err := runCmd(t, "report", "-o", root, smoke, filepath.Join(root, "m"), smoke)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "m shows 20261127-200447-quick.txt (quick profile), not the newest file 20261127-201026-smoke.txt (smoke profile)") {
		t.Errorf("stderr does not explain the choice: %s", stderr)
	}
	page := readFile(t, filepath.Join(root, "m", "README.md"))
	if n := strings.Count(page, "- 20261127-201026-smoke.txt"); n != 1 {
		t.Errorf("the page lists the smoke run %d times, want once", n)
	}
}

// TestReportRun is what make report does on a clone that holds a
// published run: the page of the run just made is written beside the
// published one, which stays as it is, and so does the index.
func TestReportRun(t *testing.T) {
	full := filepath.Join("..", "..", "report", "testdata", "amd-epyc-2c-io", "20261127-230128-full.txt")
	root := resultsTree(t, map[string]string{
		"m/20261127-230128-full.txt":  readFile(t, full),
		"m/20261127-200447-quick.txt": readFile(t, quickResults),
		"m/README.md":                 "published page\n",
		"README.md":                   "published index\n",
	})
	mine := filepath.Join(root, "m", "20261127-200447-quick.txt")
	stdout, stderr, err := runCmd(t, "report", "-o", root, "-run", mine)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	page := filepath.Join(root, "m", "runs", "20261127-200447-quick", "README.md")
	if strings.TrimSpace(stdout) != page {
		t.Errorf("stdout %q, want the run's page %s", stdout, page)
	}
	md := readFile(t, page)
	for _, want := range []string{"| date | 2026-11-27T20:04:47Z |", "| profile | quick", "## Your run vs the published run", "20261127-230128-full.txt"} {
		if !strings.Contains(md, want) {
			t.Errorf("the run's page lacks %q", want)
		}
	}
	if readFile(t, filepath.Join(root, "m", "README.md")) != "published page\n" || readFile(t, filepath.Join(root, "README.md")) != "published index\n" {
		t.Error("the published page or the index was rewritten")
	}
	if _, _, err := runCmd(t, "report", "-o", root, "-run", mine, mine); !errors.As(err, new(usageError)) {
		t.Errorf("-run with other arguments: err %v, want a usage error", err)
	}
}
