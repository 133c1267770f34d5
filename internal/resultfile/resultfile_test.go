package resultfile

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
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
