package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/internal/leakcheck"
)

// asCmd returns this test binary started as the concbench command, with
// its own process group (so that its descendants can be found after it
// exits) and its own TMPDIR.
func asCmd(t *testing.T, tmp string, env []string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), append([]string{asCommandEnv + "=1", "TMPDIR=" + tmp}, env...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

// groupGone waits a little for every process of group pgid to exit, and
// reports whether they did.
func groupGone(pgid int) bool {
	for range 50 {
		if err := syscall.Kill(-pgid, 0); errors.Is(err, syscall.ESRCH) {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// TestFullDiskSavesNothing runs bench, sweep and report with a file size
// limit that a full disk would set: each fails, names the file it could
// not write, and leaves no file (complete, short or temporary) behind.
func TestFullDiskSavesNothing(t *testing.T) {
	fake, plain := fakeBench(t), plainBuild(t)
	for _, tc := range []struct {
		name  string
		limit int
		args  func(dir string) []string
		where func(dir string) string // the folder the file was going to
	}{
		// A race-instrumented binary runs no matrix and saves no sweep; a
		// plain build does.
		{"bench", 8 << 10, func(dir string) []string {
			return []string{"bench", "-profile", "smoke", "-o", filepath.Join(dir, "out"), "-machine", "m", "-q"}
		}, func(dir string) string { return filepath.Join(dir, "out", "m") }},
		{"bench binary", 8 << 10, func(dir string) []string {
			return []string{"bench", "-profile", "smoke", "-bin", fake, "-dir", dir, "-o", filepath.Join(dir, "out"), "-machine", "m", "-q"}
		}, func(dir string) string { return filepath.Join(dir, "out", "m") }},
		{"sweep", 600, func(dir string) []string {
			return []string{"sweep", "-workload", "xxh3", "-over", "workers", "-values", "1,2", "-short", "-count", "2", "-time", "0", "-q", "-o", filepath.Join(dir, "out")}
		}, func(dir string) string { return filepath.Join(dir, "out") }},
		{"report", 2 << 10, func(dir string) []string {
			return []string{"report", "-o", filepath.Join(dir, "out"), quickResults}
		}, func(dir string) string { return filepath.Join(dir, "out", "amd-epyc-2c") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			env := []string{fileSizeEnv + "=" + strconv.Itoa(tc.limit), "FAKEBENCH_NAMES=" + strings.Join(bench.Names(true), ",")}
			if tc.name == "sweep" || tc.name == "bench" {
				env = append(env, execEnv+"="+plain)
			}
			cmd := asCmd(t, t.TempDir(), env, tc.args(dir)...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if err == nil || cmd.ProcessState.ExitCode() != 1 {
				t.Fatalf("exit %v, want 1; stderr:\n%s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), "writing "+tc.where(dir)) || !strings.Contains(stderr.String(), "file too large") {
				t.Errorf("stderr does not name the file in %s and the error:\n%s", tc.where(dir), stderr.String())
			}
			var left []string
			filepath.WalkDir(filepath.Join(dir, "out"), func(path string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					left = append(left, path)
				}
				return nil
			})
			if len(left) > 0 {
				t.Errorf("files left after the failed write: %v", left)
			}
			if strings.Contains(stdout.String(), filepath.Join(dir, "out")) {
				t.Errorf("stdout names a file as written:\n%s", stdout.String())
			}
		})
	}
}

// TestSignalsStopEverything sends SIGINT and SIGTERM at several points of
// a run: while bench runs the matrix, while a bench test binary runs,
// while run measures the process model and the file workload, and while
// sweep measures. The command exits 130 or 143
// soon after, and leaves no process, no temporary file and no results
// file behind.
func TestSignalsStopEverything(t *testing.T) {
	fake, plain := fakeBench(t), plainBuild(t)
	slow := []string{"-short", "-param", "latency=5ms", "-count", "30", "-time", "100ms", "-v"}
	points := []struct {
		name string
		args func(out string) []string
		env  []string
		dir  string
		// ready reports, from a line of stderr or (line "") from the
		// process tree, that the point has come.
		ready func(line string, pid int) bool
	}{
		// A race-instrumented binary runs no matrix; a plain build does.
		{"bench", func(out string) []string {
			return []string{"bench", "-profile", "smoke", "-q", "-o", out, "-machine", "m"}
		}, []string{execEnv + "=" + plain}, "", func(line string, pid int) bool {
			// The process model's workers are up: the matrix is running.
			return line == "" && len(leakcheck.Children(pid)) > 0
		}},
		{"process workers", func(out string) []string {
			return []string{"run", "-workload", "sha256", "-model", "process", "-workers", "2", "-short", "-count", "30", "-time", "100ms", "-v"}
		}, nil, "", func(line string, pid int) bool {
			return strings.HasPrefix(line, "Benchmark") && len(leakcheck.Children(pid)) > 0
		}},
		{"bench binary", func(out string) []string {
			return []string{"bench", "-profile", "smoke", "-q", "-bin", fake, "-dir", out, "-o", out, "-machine", "m"}
		}, []string{"FAKEBENCH_MODE=hang", "FAKEBENCH_NAMES=" + strings.Join(bench.Names(true), ",")}, "", func(line string, pid int) bool {
			return line == "" && hasChild(pid, "fakebench")
		}},
		{"run file", func(out string) []string {
			return []string{"run", "-workload", "file", "-model", "pool", "-short", "-count", "30", "-time", "100ms", "-v"}
		}, nil, "", func(line string, pid int) bool { return strings.HasPrefix(line, "Benchmark") }},
		{"sweep", func(out string) []string {
			return append([]string{"sweep", "-workload", "http", "-over", "workers", "-values", "1,2", "-o", out}, slow...)
		}, nil, "", func(line string, pid int) bool { return strings.HasPrefix(line, "BenchmarkSweep/") }},
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		for _, p := range points {
			t.Run(sig.String()+"/"+p.name, func(t *testing.T) {
				tmp, out := t.TempDir(), t.TempDir()
				cmd := asCmd(t, tmp, p.env, p.args(out)...)
				cmd.Dir = p.dir
				pipe, err := cmd.StderrPipe()
				if err != nil {
					t.Fatal(err)
				}
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				pid := cmd.Process.Pid
				lines := make(chan string)
				var stderr strings.Builder
				go func() {
					s := bufio.NewScanner(pipe)
					for s.Scan() {
						lines <- s.Text()
					}
					close(lines)
				}()
				sent := false
				tick := time.NewTicker(20 * time.Millisecond)
				defer tick.Stop()
				deadline := time.After(2 * time.Minute)
			wait:
				for {
					var line string
					select {
					case l, ok := <-lines:
						if !ok {
							break wait
						}
						stderr.WriteString(l + "\n")
						if l == "" {
							continue
						}
						line = l
					case <-tick.C:
					case <-deadline:
						syscall.Kill(-pid, syscall.SIGKILL)
						t.Fatalf("still running; stderr:\n%s", stderr.String())
					}
					if !sent && p.ready(line, pid) {
						cmd.Process.Signal(sig)
						sent = true
					}
				}
				cmd.Wait()
				if !sent {
					t.Fatalf("finished before the signal; stderr:\n%s", stderr.String())
				}
				if code := cmd.ProcessState.ExitCode(); code != 128+int(sig) {
					t.Errorf("exit %d, want %d; stderr:\n%s", code, 128+int(sig), stderr.String())
				}
				if !groupGone(pid) {
					syscall.Kill(-pid, syscall.SIGKILL)
					t.Errorf("processes of the run still alive after it exited")
				}
				for _, d := range []string{tmp, out} {
					if files := filesUnder(t, d); len(files) != 0 {
						t.Errorf("left %v", files)
					}
				}
			})
		}
	}
}

// plainBuild builds the command without instrumentation.
func plainBuild(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "concbench")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// hasChild reports whether process pid has a child whose command name is
// name.
func hasChild(pid int, name string) bool {
	for _, c := range leakcheck.Children(pid) {
		comm, _ := os.ReadFile("/proc/" + strconv.Itoa(c) + "/comm")
		if strings.TrimSpace(string(comm)) == name {
			return true
		}
	}
	return false
}

// TestStaleTemporaryFilesRemoved kills a bench run, which leaves its
// temporary results file, and checks that the next run removes it, and
// leaves alone a temporary file whose writer is still running.
func TestStaleTemporaryFilesRemoved(t *testing.T) {
	fake := fakeBench(t)
	out := t.TempDir()
	env := []string{"FAKEBENCH_MODE=hang", "FAKEBENCH_NAMES=" + strings.Join(bench.Names(true), ",")}
	args := []string{"bench", "-profile", "smoke", "-q", "-bin", fake, "-dir", out, "-o", out, "-machine", "m"}
	cmd := asCmd(t, t.TempDir(), env, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); !hasChild(cmd.Process.Pid, "fakebench"); time.Sleep(20 * time.Millisecond) {
		if time.Since(start) > time.Minute {
			t.Fatal("the bench binary never started")
		}
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
	stale := filesUnder(t, out)
	if len(stale) != 1 || !strings.HasPrefix(filepath.Base(stale[0]), ".tmp-"+strconv.Itoa(cmd.Process.Pid)+"-") {
		t.Fatalf("after the kill: %v, want one temporary file named with the dead writer's pid", stale)
	}
	live := filepath.Join(out, "m", ".tmp-"+strconv.Itoa(os.Getpid())+"-x.txt-1")
	if err := os.WriteFile(live, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	next := asCmd(t, t.TempDir(), []string{"FAKEBENCH_NAMES=" + strings.Join(bench.Names(true), ",")}, args...)
	if b, err := next.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if _, err := os.Stat(stale[0]); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the dead run's %s survived the next run", stale[0])
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("a live writer's file was removed: %v", err)
	}
}
