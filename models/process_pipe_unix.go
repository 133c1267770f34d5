//go:build unix

package models

import (
	"os"
	"syscall"
)

// pollable returns the pipe open as descriptor fd, switched to non-blocking
// mode so that the runtime's poller serves it. os/exec hands a child its
// pipes in blocking mode, and a goroutine waiting in a blocking read holds a
// thread in the kernel: each time a frame wakes it, the runtime's monitor
// takes its P back and resets to polling every 20µs, preempting the task
// that runs on the other core. With two workers on two cores that cost
// about a tenth of their throughput.
func pollable(fd uintptr, name string) *os.File {
	// On failure the file stays blocking: slower, never wrong.
	syscall.SetNonblock(int(fd), true)
	return os.NewFile(fd, name)
}
