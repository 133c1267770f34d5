package sysinfo

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// DescendantsCPU returns the CPU time used so far by the live processes
// descended from this one: worker processes and servers that run in a
// process of their own, whose CPU getrusage counts only once they are
// waited for. Until then a machine-wide reading would blame their CPU on
// a neighbour. It returns 0 where /proc lacks the children lists
// (CONFIG_PROC_CHILDREN) and off Linux. It costs two small file reads a
// thread and process, tens of microseconds for a handful.
func DescendantsCPU() time.Duration {
	var total time.Duration
	seen := map[int]bool{}
	queue := children(os.Getpid())
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		if seen[pid] {
			continue
		}
		seen[pid] = true
		if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil {
			total += parseProcCPU(string(b))
		}
		queue = append(queue, children(pid)...)
	}
	return total
}

// children lists the pids of pid's children, over all its threads.
func children(pid int) []int {
	dir := "/proc/" + strconv.Itoa(pid) + "/task"
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []int
	for _, t := range tasks {
		b, err := os.ReadFile(dir + "/" + t.Name() + "/children")
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// parseProcCPU reads utime and stime, in clock ticks, from a
// /proc/<pid>/stat line; the command name in parentheses may hold spaces,
// so the fields are counted from its closing parenthesis. A line it
// cannot read gives 0.
func parseProcCPU(stat string) time.Duration {
	i := strings.LastIndex(stat, ") ")
	if i < 0 {
		return 0
	}
	f := strings.Fields(stat[i+2:])
	// rest starts at field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0
	}
	var d time.Duration
	for _, s := range f[11:13] {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0
		}
		d += time.Duration(n) * clockTick
	}
	return d
}

// RunDelay returns the time this process's threads have spent runnable
// but waiting for a CPU, summed over its live threads
// (/proc/self/task/*/schedstat, its second field), and whether the
// kernel reports it. Load from elsewhere lengthens it: a task that
// computes, slowed by a neighbour, waits for the CPU instead of using
// it, so CPU time plus this delay is what it asked for. A thread that
// exits between two readings takes its delay with it. It costs a file
// read per thread, tens of microseconds.
func RunDelay() (time.Duration, bool) {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return 0, false
	}
	var total time.Duration
	ok := false
	for _, t := range tasks {
		b, err := os.ReadFile("/proc/self/task/" + t.Name() + "/schedstat")
		if err != nil {
			continue
		}
		if d, good := parseSchedstat(string(b)); good {
			total += d
			ok = true
		}
	}
	return total, ok
}

// parseSchedstat reads the run delay, in nanoseconds, from a schedstat
// line: "run_ns wait_ns timeslices".
func parseSchedstat(line string) (time.Duration, bool) {
	f := strings.Fields(line)
	if len(f) < 2 {
		return 0, false
	}
	n, err := strconv.ParseUint(f[1], 10, 64)
	return time.Duration(n), err == nil
}
