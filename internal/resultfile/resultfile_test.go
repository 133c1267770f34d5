package resultfile

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	f, err := Create(dir, name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	path, err := f.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "run.txt", "first\n")
	b := write(t, dir, "run.txt", "second\n")
	if a == b {
		t.Fatalf("both runs written to %s", a)
	}
	for path, want := range map[string]string{a: "first\n", b: "second\n"} {
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", path, got, err, want)
		}
	}
	if filepath.Base(b) != "run.2.txt" {
		t.Errorf("second name %s, want run.2.txt", filepath.Base(b))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("%d entries in dir, want 2 (no temporary files left)", len(entries))
	}
}

func TestConcurrentRunsKeepEveryFile(t *testing.T) {
	dir := t.TempDir()
	const n = 20
	var wg sync.WaitGroup
	paths := make([]string, n)
	for i := range n {
		wg.Go(func() {
			f, err := Create(dir, "run.txt")
			if err != nil {
				t.Error(err)
				return
			}
			fmt.Fprintf(f, "run %d\n", i)
			if paths[i], err = f.Commit(); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, p := range paths {
		got, err := os.ReadFile(p)
		if err != nil || string(got) != fmt.Sprintf("run %d\n", i) {
			t.Errorf("run %d: %s holds %q, %v", i, p, got, err)
		}
		seen[p] = true
	}
	if len(seen) != n {
		names := make([]string, 0, len(seen))
		for p := range seen {
			names = append(names, p)
		}
		sort.Strings(names)
		t.Errorf("%d distinct files for %d runs: %v", len(seen), n, names)
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(dir, "run.txt")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("partial")
	f.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Abort left %d entries", len(entries))
	}
}

func TestBadName(t *testing.T) {
	for _, name := range []string{"", "../x.txt", "a/b.txt", ".hidden"} {
		if _, err := Create(t.TempDir(), name); err == nil {
			t.Errorf("Create(%q): no error", name)
		}
	}
}

// TestFailedWriteCommitsNothing: after a write fails, as on a full disk,
// Commit refuses, names the file, and leaves nothing in the directory.
func TestFailedWriteCommitsNothing(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(dir, "run.txt")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("machine: test\n")
	f.f.Close() // every later write fails
	if _, err := f.WriteString("BenchmarkX-2 1 1 ns/op\n"); err == nil {
		t.Fatal("a write to a closed file succeeded")
	}
	if _, err := f.WriteString("PASS\n"); err == nil {
		t.Fatal("a write after a failed one succeeded")
	}
	path, err := f.Commit()
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "run.txt")) {
		t.Errorf("Commit = %q, %v; want an error naming the file", path, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left %v", entries)
	}
}

// TestCreateRemovesStaleFiles: a dead writer's temporary file goes at the
// next Create; a live writer's, and one without a writer's pid, stay.
func TestCreateRemovesStaleFiles(t *testing.T) {
	dir := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip(err)
	}
	names := map[string]bool{ // name: whether it should survive
		fmt.Sprintf(".tmp-%d-run.txt-1", dead.Process.Pid): false,
		fmt.Sprintf(".tmp-%d-run.txt-2", os.Getpid()):      true,
		".tmp-run.txt-3": true,
	}
	for name := range names {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := Create(dir, "run.txt")
	if err != nil {
		t.Fatal(err)
	}
	f.Abort()
	for name, keep := range names {
		_, err := os.Stat(filepath.Join(dir, name))
		if got := err == nil; got != keep {
			t.Errorf("%s survived: %v, want %v", name, got, keep)
		}
	}
}
