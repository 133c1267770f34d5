package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/concbench/concbench/models"
)

// runWithin runs the command, failing the test if it takes longer than
// five minutes (a FIFO read blindly never ends; drawing pages under the
// race detector on a loaded machine takes a minute or more).
func runWithin(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, &stdout, &stderr, args) }()
	select {
	case err := <-done:
		return stdout.String(), stderr.String(), err
	case <-time.After(5 * time.Minute):
		t.Fatalf("concbench %s: still running after five minutes", strings.Join(args, " "))
	}
	return "", "", nil
}

// TestReportSkipsBadInputs puts beside a good machine folder the files that
// once sank or hung the report: a line over 64 KiB, a folder, a FIFO and
// a link to /dev/zero named like results, a link to a file elsewhere, and
// a large random file. The good page and the index are written; each bad
// file is named and skipped; the random file's skipped lines are capped.
func TestReportSkipsBadInputs(t *testing.T) {
	t.Parallel() // it draws a page: slow under the race detector
	lines := strings.SplitAfter(readFile(t, smokeResults), "\n")
	long := strings.Join(lines[:20], "") + "BenchmarkX " + strings.Repeat("y", 70<<10) + "\n" + strings.Join(lines[20:], "")
	root := resultsTree(t, map[string]string{
		// The one page to draw: a complete run with a line too long.
		"good/" + filepath.Base(smokeResults): long,
		"dir/x.txt/inner":                     "",
		"secret/target":                       "password: hunter2\nline two\n",
	})
	if err := syscall.Mkfifo(filepath.Join(root, "dir", "fifo.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"zero/x.txt": "/dev/zero", "planted/x.txt": filepath.Join(root, "secret", "target")} {
		os.MkdirAll(filepath.Join(root, filepath.Dir(link)), 0o755)
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	random := make([]byte, 512<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(r.UintN(256))
		if i%80 == 79 {
			random[i] = '\n'
		}
	}
	os.MkdirAll(filepath.Join(root, "random"), 0o755)
	if err := os.WriteFile(filepath.Join(root, "random", "noise.txt"), random, 0o644); err != nil {
		t.Fatal(err)
	}

	stdout, stderr, err := runWithin(t, "report", "-o", root)
	if err == nil || !strings.Contains(err.Error(), "the other pages are written, but; 4 files skipped") {
		t.Errorf("err = %v, want the skipped files counted", err)
	}
	for _, page := range []string{filepath.Join(root, "good", "README.md"), filepath.Join(root, "README.md")} {
		if !strings.Contains(stdout, page+"\n") {
			t.Errorf("stdout does not name %s:\n%s", page, stdout)
		}
	}
	for _, want := range []string{
		filepath.Join(root, "good", filepath.Base(smokeResults)) + ":21: a line of 71691 bytes, over the 32 KiB",
		filepath.Join(root, "dir", "x.txt") + ": not a regular file",
		filepath.Join(root, "dir", "fifo.txt") + ": not a regular file",
		filepath.Join(root, "zero", "x.txt") + ": a symbolic link",
		filepath.Join(root, "planted", "x.txt") + ": a symbolic link",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "left out of the index") {
		t.Errorf("the skipped files are reported twice:\n%s", stderr)
	}
	if strings.Contains(stderr, "hunter2") {
		t.Error("the planted link's target was printed")
	}
	noise := strings.Count(stderr, "skipped "+filepath.Join(root, "random", "noise.txt")+":")
	if noise > maxProblemLines || !strings.Contains(stderr, "more lines of "+filepath.Join(root, "random", "noise.txt")) {
		t.Errorf("%d messages for the random file's lines, want at most %d and a count of the rest", noise, maxProblemLines)
	}
}

// TestReportNeverClobbers reports into a folder whose README.md is not a
// concbench page (a repository's own): it refuses, naming the file, and
// leaves it as it was; a page it wrote itself it replaces. In a machine
// folder it replaces neither a README.md nor a chart it did not write.
func TestReportNeverClobbers(t *testing.T) {
	t.Parallel() // it draws pages: slow under the race detector
	root := resultsTree(t, map[string]string{
		"README.md":                        "# my project\n",
		"m/" + filepath.Base(smokeResults): readFile(t, smokeResults),
	})
	_, _, err := runWithin(t, "report", "-o", root)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(root, "README.md")+": not replaced") {
		t.Errorf("err = %v, want a refusal naming README.md", err)
	}
	if got := readFile(t, filepath.Join(root, "README.md")); got != "# my project\n" {
		t.Errorf("README.md became %q", got)
	}
	// Its own page, written just now, it replaces; and it writes the index.
	os.Remove(filepath.Join(root, "README.md"))
	if _, _, err := runWithin(t, "report", "-o", root); err != nil {
		t.Fatal(err)
	}

	// A machine folder whose README.md, then a chart, is someone else's.
	mine := resultsTree(t, map[string]string{
		"m/" + filepath.Base(smokeResults): readFile(t, smokeResults),
		"m/README.md":                      "notes\n",
	})
	_, _, err = runWithin(t, "report", "-o", mine)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(mine, "m", "README.md")+": not replaced") {
		t.Errorf("err = %v, want a refusal naming m/README.md", err)
	}
	if got := readFile(t, filepath.Join(mine, "m", "README.md")); got != "notes\n" {
		t.Errorf("m/README.md became %q", got)
	}
	os.Remove(filepath.Join(mine, "m", "README.md"))
	if err := os.WriteFile(filepath.Join(mine, "m", "decision.svg"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = runWithin(t, "report", "-o", mine)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(mine, "m", "decision.svg")+": not replaced") {
		t.Errorf("err = %v, want a refusal naming decision.svg", err)
	}
	if got := readFile(t, filepath.Join(mine, "m", "decision.svg")); got != "mine" {
		t.Errorf("decision.svg became %q", got)
	}
	if _, err := os.Stat(filepath.Join(mine, "m", "README.md")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a page was written beside a chart it refused to replace")
	}
}

// TestMachineNames: bench accepts only folder names of A-Z a-z 0-9 . _ -,
// and report reads folders whose names are glob patterns as plain names.
func TestMachineNames(t *testing.T) {
	for _, name := range []string{"/", "a/b", "..", ".hidden", "a\nb", "a[b", "a*", "a b", "a|b", ""} {
		_, _, err := runCmd(t, "bench", "-machine", name, "-bin", "/nonexistent")
		var u usageError
		if name == "" {
			continue // the default name
		}
		if !errors.As(err, &u) || !strings.Contains(err.Error(), "-machine") {
			t.Errorf("-machine %q: err = %v, want a usage error", name, err)
		}
	}
	_, _, err := runCmd(t, "bench", "-o", "", "-bin", "/nonexistent")
	if !errors.As(err, new(usageError)) {
		t.Errorf(`-o "": err = %v, want a usage error`, err)
	}
	for _, args := range [][]string{{"report", "-o", ""}, {"sweep", "-workload", "xxh3", "-over", "workers", "-o", ""}} {
		if _, _, err := runCmd(t, args...); !errors.As(err, new(usageError)) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}

	root := resultsTree(t, map[string]string{"a[b/x.txt": "hello\n", "a*/y.txt": "hello\n"})
	_, stderr, err := runWithin(t, "report", "-o", t.TempDir(), filepath.Join(root, "a[b"), filepath.Join(root, "a*"))
	if err == nil || strings.Contains(err.Error(), "syntax error in pattern") || !strings.Contains(stderr, filepath.Join(root, "a[b", "x.txt")+":1:") || strings.Count(stderr, "y.txt:1:") != 1 {
		t.Errorf("err = %v, stderr:\n%s\nwant each folder's own file read as named", err, stderr)
	}
}

// TestProcessWorkerCap: more process workers than this machine's memory
// holds, or than the model's hard cap, is a usage error naming the limit,
// from run, sweep and recommend alike; so is -workers for recommend when
// no model compared has workers.
func TestProcessWorkerCap(t *testing.T) {
	limit := models.ProcessWorkerLimit()
	want := fmt.Sprintf("model process runs at most %d workers on this machine", limit)
	for _, args := range [][]string{
		{"run", "-workload", "sha256", "-model", "process", "-workers", strconv.Itoa(limit + 1)},
		{"run", "-workload", "sha256", "-model", "process", "-workers", "1025"},
		{"sweep", "-workload", "sha256", "-model", "pool,process", "-over", "workers", "-values", "1," + strconv.Itoa(limit+1)},
		{"recommend", "-workload", "sha256", "-workers", strconv.Itoa(limit + 1)},
	} {
		_, _, err := runCmd(t, append(args, "-short", "-count", "1", "-time", "0")...)
		if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: err = %v, want a usage error saying %q", args, err, want)
		}
	}
	if limit > models.MaxProcessWorkers || limit < 1 {
		t.Errorf("ProcessWorkerLimit() = %d, want 1 to %d", limit, models.MaxProcessWorkers)
	}
	_, _, err := runCmd(t, "recommend", "-workload", "sha256", "-models", "sequential,spawn", "-workers", "4", "-short", "-count", "1", "-time", "0")
	if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "-workers 4: none of the models compared") {
		t.Errorf("recommend -workers without a model that has them: err = %v, want a usage error", err)
	}
}
