// Package procmem reads what a process and its children hold, from Linux's
// /proc: proportional set sizes, thread counts and child process IDs.
// Elsewhere there is no /proc, and its functions return errors (Children
// returns none).
package procmem

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Children returns the process IDs of pid's living children, read from
// /proc; it returns none where there is no /proc. It costs a read of
// every process's stat file: a millisecond or so on a quiet machine.
func Children(pid int) []int {
	dirs, _ := os.ReadDir("/proc")
	var pids []int
	for _, d := range dirs {
		child, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue
		}
		// After the command name, in parentheses: the state, then the
		// parent's pid. A zombie has exited, but was not waited for.
		i := bytes.LastIndexByte(stat, ')')
		fields := strings.Fields(string(stat[i+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			pids = append(pids, child)
		}
	}
	return pids
}

// Pss returns pid's proportional set size in bytes, from
// /proc/PID/smaps_rollup: its resident pages, each shared page counted as
// one over the number of processes that map it, so that the Pss of a
// parent and of children that run the same binary add up to the memory
// they hold together, where their RSS would count the shared text once
// per process.
func Pss(pid int) (int64, error) { return field(pid, "smaps_rollup", "Pss:", 1024) }

// Threads returns the number of threads of pid, from /proc/PID/status.
func Threads(pid int) (int64, error) { return field(pid, "status", "Threads:", 1) }

// field returns the number after name in /proc/PID/file, times unit.
func field(pid int, file, name string, unit int64) (int64, error) {
	path := "/proc/" + strconv.Itoa(pid) + "/" + file
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), name)
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(strings.Fields(rest + " 0")[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %s %q: %w", path, name, rest, err)
		}
		return n * unit, nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("%s: no %s line", path, name)
}

// A Usage is what a process and its living children hold at one moment.
type Usage struct {
	Pss      int64 // bytes, the process's and its children's
	Threads  int64 // OS threads of all of them
	Children int
}

// Of returns the Usage of pid and its children. A child that exits while
// it is read is left out.
func Of(pid int) (Usage, error) {
	var u Usage
	var err error
	if u.Pss, err = Pss(pid); err != nil {
		return u, err
	}
	if u.Threads, err = Threads(pid); err != nil {
		return u, err
	}
	for _, c := range Children(pid) {
		pss, err1 := Pss(c)
		th, err2 := Threads(c)
		if err1 == nil && err2 == nil {
			u.Pss += pss
			u.Threads += th
			u.Children++
		}
	}
	return u, nil
}
