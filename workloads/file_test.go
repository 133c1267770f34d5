package workloads

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestFileRejectsEscapingNames tries names that lead out of the run's
// directory: each is an error, and nothing outside is created, read or
// removed.
func TestFileRejectsEscapingNames(t *testing.T) {
	parent, outside := t.TempDir(), t.TempDir()
	s, err := openStore(parent, "run-")
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	secret := filepath.Join(outside, "secret")
	if err := os.WriteFile(secret, []byte("not yours"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(s.dir, "out")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join("..", "..", filepath.Base(outside), "secret"), filepath.Join(s.dir, "up")); err != nil {
		t.Fatal(err)
	}
	data := []byte("written")
	for _, name := range []string{
		"../escaped",                         // up out of the directory
		filepath.Join(outside, "absolute"),   // an absolute path
		"out/through-link",                   // through a link to a directory outside
		"sub/../../escaped-too",              // up, after a detour
		filepath.Join(s.dir, "absolute-own"), // absolute, even to the directory itself
	} {
		if err := s.write(name, data, false, false); err == nil {
			t.Errorf("write(%q): no error", name)
		}
	}
	escapes := []string{"out/secret", "../" + filepath.Base(s.dir) + "/../../" + filepath.Base(outside) + "/secret", secret}
	for _, name := range append(escapes, "up") { // up: a link that points out
		if err := s.read(name, new(bytes.Buffer)); err == nil {
			t.Errorf("read(%q): no error", name)
		}
	}
	for _, name := range escapes {
		if err := s.remove(name); err == nil {
			t.Errorf("remove(%q): no error", name)
		}
	}
	for _, dir := range []string{parent, outside, filepath.Dir(parent)} {
		for _, name := range []string{"escaped", "escaped-too", "absolute", "through-link", "absolute-own"} {
			if _, err := os.Lstat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s exists: a write escaped", filepath.Join(dir, name))
			}
		}
	}
	if got, err := os.ReadFile(secret); err != nil || string(got) != "not yours" {
		t.Errorf("the file outside reads %q, %v", got, err)
	}
}

// runDir returns the one directory a File run made in parent.
func runDir(t *testing.T, parent string) string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(parent, "concbench-file-*"))
	if err != nil || len(dirs) != 1 {
		t.Fatalf("run directories in %s: %v, %v; want one", parent, dirs, err)
	}
	return dirs[0]
}

func checkEmpty(t *testing.T, dir, when string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("%s, %s holds %s", when, dir, e.Name())
	}
}

// TestFileLeavesNothing runs batches, with and without fsync: each task
// removes its file, and Close removes the run's directory.
func TestFileLeavesNothing(t *testing.T) {
	for _, fsync := range []bool{false, true} {
		parent := t.TempDir()
		p, err := (&File{Size: 4 << 10, Fsync: fsync, Dir: parent}).Prepare(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if p.Latency <= 0 {
			t.Errorf("fsync=%v: Latency %v, want the time of a task run alone", fsync, p.Latency)
		}
		dir := runDir(t, parent)
		checkEmpty(t, dir, "after Prepare")
		rs, err := runTasks(context.Background(), p.Task, 64, 8)
		if err != nil {
			t.Fatal(err)
		}
		if rs[0].Bytes != 4<<10 || rs[0].Digest == rs[1].Digest {
			t.Errorf("results %+v %+v", rs[0], rs[1])
		}
		checkEmpty(t, dir, "after a batch")
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		checkEmpty(t, parent, "after Close")
	}
}

// TestFileCancelLeavesNothing cancels a batch once some tasks have finished:
// the tasks in flight remove their files before they return.
func TestFileCancelLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	p, err := (&File{Size: 64 << 10, Fsync: true, Dir: parent}).Prepare(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dir := runDir(t, parent)
	ctx, cancel := context.WithCancel(context.Background())
	var finished atomic.Int64
	task := func(ctx context.Context, i int) (Result, error) {
		r, err := p.Task(ctx, i)
		if finished.Add(1) == 10 {
			cancel()
		}
		return r, err
	}
	_, err = runTasks(ctx, task, 10_000, 8)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := finished.Load(); n >= 10_000 {
		t.Errorf("all %d tasks ran: the batch was not cancelled", n)
	}
	checkEmpty(t, dir, "after a cancelled batch")
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	checkEmpty(t, parent, "after Close")
}

func TestFileBadDir(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	_, err := (&File{Size: 1024, Dir: missing}).Prepare(context.Background())
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Prepare in %s: err = %v, want one naming the missing directory", missing, err)
	}
}

// TestFileCalibrationHonoursContext: a cancelled Prepare fails and leaves
// nothing.
func TestFileCalibrationHonoursContext(t *testing.T) {
	parent := t.TempDir()
	ctx, cancel := context.WithDeadline(context.Background(), time.Now())
	defer cancel()
	if _, err := (&File{Size: 1024, Dir: parent}).Prepare(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's", err)
	}
	checkEmpty(t, parent, "after a failed Prepare")
}

// TestFileUncached: with uncached the workload computes the same results,
// and it refuses to drop pages that were never synced.
func TestFileUncached(t *testing.T) {
	if _, err := (&File{Size: 1 << 10, Uncached: true}).Prepare(context.Background()); err == nil || !strings.Contains(err.Error(), "uncached=true needs fsync=true") {
		t.Errorf("uncached without fsync: %v", err)
	}
	if !canDropCache {
		t.Skip("no posix_fadvise here")
	}
	var got [2][]Result
	for k, uncached := range []bool{false, true} {
		p, err := (&File{Size: 8 << 10, Fsync: true, Dir: t.TempDir(), Uncached: uncached}).Prepare(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got[k], err = runTasks(context.Background(), p.Task, 8, 2)
		if cerr := p.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(got[0], got[1]) {
		t.Errorf("uncached results differ from cached ones")
	}
}
