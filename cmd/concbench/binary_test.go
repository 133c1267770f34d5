package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/report"
)

// TestBinary builds the command and runs it as a user would: listing,
// measuring, a sweep that saves its file and chart (the binary is a plain
// build, unlike a race-checked test), bad input, and an interrupt.
func TestBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "concbench")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	concbench := func(args ...string) (stdout, stderr string, code int) {
		t.Helper()
		var o, e bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
		return o.String(), e.String(), cmd.ProcessState.ExitCode()
	}

	t.Run("list", func(t *testing.T) {
		out, _, code := concbench("list")
		if code != 0 || !strings.Contains(out, "\nregex-alt ") || !strings.Contains(out, "\npool ") {
			t.Errorf("exit %d, output:\n%s", code, out)
		}
	})
	t.Run("run", func(t *testing.T) {
		out, errs, code := concbench("run", "-workload", "xxh3", "-model", "pool", "-workers", "2", "-short", "-count", "1", "-time", "0")
		if code != 0 || !strings.Contains(out, "\npool (workers=2) ") || errs != "" {
			t.Errorf("exit %d, stdout:\n%s\nstderr: %s", code, out, errs)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		for _, args := range [][]string{
			{"run", "-workload", "regex-atl", "-model", "pool"},
			{"run", "-workload", "xxh3", "-model", "pool", "-workers", "0"},
			{"recommend", "-workload", "regex-alt", "-param", "size=huge"},
			{"sweep", "-workload", "xxh3", "-over", "cores"},
		} {
			out, errs, code := concbench(args...)
			lines := strings.Split(strings.TrimSpace(errs), "\n")
			if code != 2 || out != "" || len(lines) != 1 || !strings.HasPrefix(lines[0], "concbench: -") {
				t.Errorf("concbench %s: exit %d, stdout %q, stderr %q: want exit 2 and one line", strings.Join(args, " "), code, out, errs)
			}
		}
	})
	t.Run("sweep", func(t *testing.T) {
		dir := t.TempDir()
		out, errs, code := concbench("sweep", "-workload", "xxh3", "-over", "workers", "-values", "1,2", "-short", "-count", "2", "-time", "0", "-o", dir)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		checkSweepFiles(t, filesUnder(t, dir), out, report.OverWorkers, []string{"pool"})
	})
	t.Run("interrupt", func(t *testing.T) {
		dir := t.TempDir()
		cmd := exec.Command(bin, "sweep", "-workload", "http", "-over", "workers", "-values", "1,2", "-short",
			"-param", "latency=5ms", "-count", "30", "-time", "100ms", "-v", "-o", dir)
		var stdout bytes.Buffer
		cmd.Stdout = &stdout
		pipe, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		s := bufio.NewScanner(pipe)
		interrupted := false
		for s.Scan() {
			stderr.WriteString(s.Text() + "\n")
			if !interrupted && strings.HasPrefix(s.Text(), "BenchmarkSweep/") {
				// A temporary results file is in place by now.
				if len(filesUnder(t, dir)) != 1 {
					t.Errorf("files while sweeping: %v, want the temporary results file", filesUnder(t, dir))
				}
				cmd.Process.Signal(os.Interrupt)
				interrupted = true
			}
		}
		waited := make(chan error, 1)
		go func() { waited <- cmd.Wait() }()
		select {
		case <-waited:
		case <-time.After(time.Minute):
			cmd.Process.Kill()
			t.Fatal("still running a minute after the interrupt")
		}
		if code := cmd.ProcessState.ExitCode(); code != 130 || !interrupted {
			t.Errorf("exit %d (interrupted: %v), want 130; stderr:\n%s", code, interrupted, stderr.String())
		}
		if rowsIn(stdout.String(), sweepRows) != 1 || !strings.Contains(stderr.String(), "concbench: interrupted after measuring 1 combination") {
			t.Errorf("stdout:\n%s\nstderr:\n%s\nwant the one combination measured and a note of the interruption", stdout.String(), stderr.String())
		}
		if files := filesUnder(t, dir); len(files) != 0 {
			t.Errorf("left %v", files)
		}
	})
}
