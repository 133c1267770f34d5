// Package leakcheck ends a package's tests by checking that they left
// nothing behind: no goroutine, no child process, no temporary file.
//
// A test binary calls Main from TestMain in place of m.Run. Main points
// TMPDIR at a folder of its own for the length of the run, so that what the
// tests (and the processes they start) create there can be told apart from
// what other programs create at the same time.
package leakcheck

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"go.uber.org/goleak"

	"github.com/concbench/concbench/internal/procmem"
)

// Main runs the tests and exits. It fails a run that passed if, once the
// tests are done, a goroutine other than those running before Main remains,
// a child process of this one is alive, or anything is left in the
// temporary folder. Under GODEBUG=execwait=2, an exec.Cmd started and never
// waited for panics in the garbage collections Main runs.
func Main(m *testing.M) {
	removeStale(os.TempDir())
	tmp, err := os.MkdirTemp("", prefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "leakcheck:", err)
		os.Exit(1)
	}
	before := goleak.IgnoreCurrent() // goroutines started by package initialisation
	outer := os.Getenv("TMPDIR")
	os.Setenv("TMPDIR", tmp)
	code := m.Run()
	if fuzzWorker() {
		// The fuzzing coordinator interrupts a worker that takes more
		// than a second to exit; the checks belong to the coordinator.
		os.RemoveAll(tmp)
		os.Exit(code)
	}
	runtime.GC()
	runtime.GC()
	os.Setenv("TMPDIR", outer)
	if code == 0 {
		code = report(check(tmp, before))
	}
	os.RemoveAll(tmp)
	os.Exit(code)
}

// prefix starts the name of Main's folder; the process ID follows, so that
// a later run can tell the folder of a test binary that a signal ended
// (and that could not remove it) from a live one's.
const prefix = "leakcheck-"

// removeStale removes the folders in dir that Main made in processes no
// longer running.
func removeStale(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		digits, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(digits)
		if !ok || err != nil || pid <= 0 || !e.IsDir() || alive(pid) {
			continue
		}
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// alive reports whether process pid exists: signal 0 checks without
// sending anything, and EPERM means it exists under another user.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// fuzzWorker reports whether this test binary runs as a worker process of
// go test -fuzz.
func fuzzWorker() bool {
	f := flag.Lookup("test.fuzzworker")
	return f != nil && f.Value.String() == "true"
}

func report(problems []string) int {
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "leakcheck:", p)
	}
	if len(problems) > 0 {
		return 1
	}
	return 0
}

func check(tmp string, before goleak.Option) []string {
	// A test binary started by the tests and ended by a signal (a fuzzing
	// worker the coordinator interrupted) could not remove its folder.
	removeStale(tmp)
	var problems []string
	if err := goleak.Find(before); err != nil {
		problems = append(problems, err.Error())
	}
	if pids := Children(os.Getpid()); len(pids) > 0 {
		problems = append(problems, fmt.Sprintf("child processes left running: %v", pids))
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		names := make([]string, len(left))
		for i, e := range left {
			names[i] = e.Name()
		}
		problems = append(problems, fmt.Sprintf("temporary files left in %s: %s", tmp, strings.Join(names, ", ")))
	}
	return problems
}

// Children returns the process IDs of pid's living children, read from
// /proc; it returns none where there is no /proc.
func Children(pid int) []int { return procmem.Children(pid) }
