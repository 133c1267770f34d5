package main

// The -bin path of concbench bench: a bench test binary built with
// go test -c ./bench, run as a child, its output copied into the results
// file. The in-process runner is the default; this one stays for a binary
// that someone else built, and for the fault tests' fake binaries.

import (
	"bufio"
	"context"
	"debug/buildinfo"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/internal/sysinfo"
	"github.com/concbench/concbench/internal/tail"
)

// runBinary runs p's benchmarks with bin, a bench test binary, in dir, and
// writes to w the configuration lines that the binary does not write,
// then its output. The commit is the one stamped into bin, if any.
func runBinary(ctx context.Context, w io.Writer, stderr io.Writer, p profile, bin, dir string, quiet bool) (int, error) {
	b := build{Go: "unknown"}
	if bi, err := buildinfo.ReadFile(bin); err == nil {
		b = buildOf(bi)
	}
	m := sysinfo.This()
	if _, err := fmt.Fprintf(w, "machine: %s\ncores: %d\ncommit: %s\nprofile: %s\ndate: %s\ngo: %s\n",
		m, m.Cores, b.Commit(), p.name, sysinfo.Now().Format(time.RFC3339), b.Go); err != nil {
		return 0, err
	}
	want := expected(p, bench.Suite)
	err := runAll(stderr, p, want, quiet, func(r benchRun, done func(string)) error {
		return r.exec(ctx, bin, dir, w, done)
	})
	return len(want), err
}

// resultLine matches a benchmark result line and captures its name without
// the GOMAXPROCS suffix.
var resultLine = regexp.MustCompile(`^(Benchmark\S*?)(-\d+)?\s+\d+\s`)

// maxLine is the longest output line of the bench binary that a run
// accepts; a real result line is well under 1 KiB.
const maxLine = 1 << 20

// exec runs the binary once, copying its output to w and calling done with
// each result's name.
func (r benchRun) exec(ctx context.Context, bin, dir string, w io.Writer, done func(name string)) error {
	args := []string{"-test.run=^$", "-test.bench=" + r.bench, "-test.count=" + strconv.Itoa(r.count), "-test.benchtime=" + r.benchtime}
	if r.skip != "" {
		args = append(args, "-test.skip="+r.skip)
	}
	if r.short {
		args = append(args, "-test.short")
	}
	// The binary's own context: a failed write stops it as an interrupt does.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	stopGently(cmd)
	var errTail tail.Buffer
	cmd.Stderr = &errTail
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	var bad error
	s := bufio.NewScanner(pipe)
	s.Buffer(nil, maxLine)
	for s.Scan() {
		line := s.Text()
		if _, err := fmt.Fprintln(w, line); err != nil && bad == nil {
			bad = err // the results file names itself in its errors
			cancel()
		}
		errTail.Write([]byte(line + "\n"))
		if v, ok := strings.CutPrefix(line, "instrumented: "); ok && v != "none" && bad == nil {
			bad = fmt.Errorf("the bench binary is built with %s: its numbers measure the instrumentation, so they are not saved", v)
			cmd.Cancel()
		}
		// The testing package only warns; every later benchmark would run
		// under the wrong GOMAXPROCS.
		if strings.Contains(line, " left GOMAXPROCS set to ") && bad == nil {
			bad = fmt.Errorf("a benchmark changed GOMAXPROCS and did not restore it, so the results after it are wrong: %s", line)
			cmd.Cancel()
		}
		if m := resultLine.FindStringSubmatch(line); m != nil {
			done(m[1])
		}
	}
	if err := s.Err(); err != nil && bad == nil {
		bad = fmt.Errorf("reading the output of %s: %w", filepath.Base(bin), err)
		cancel()
		io.Copy(io.Discard, pipe) // let the binary exit
	}
	err = cmd.Wait()
	switch {
	case bad != nil:
		return bad
	case ctx.Err() != nil:
		return fmt.Errorf("interrupted; nothing saved: %w", ctx.Err())
	case err != nil:
		return fmt.Errorf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, errTail.String())
	}
	return nil
}
