//go:build unix

package models

import (
	"syscall"
	"time"
)

// CPUTime returns the user+system CPU time used so far by this process and
// by its children that have been waited for.
func CPUTime() time.Duration {
	var self, children syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) != nil ||
		syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children) != nil {
		return 0
	}
	return tv(self.Utime) + tv(self.Stime) + tv(children.Utime) + tv(children.Stime)
}

func tv(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
