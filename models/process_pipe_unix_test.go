//go:build unix

package models

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// A worker's pipes must be served by the poller: only such files accept
// deadlines, so a deadline that fires proves a read parks its goroutine
// rather than a thread.
func TestPollableParksReads(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// Hand the read end over as os/exec hands it to a child: Fd puts it
	// in blocking mode.
	fd, err := syscall.Dup(int(r.Fd()))
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	f := pollable(uintptr(fd), "pipe")
	defer f.Close()
	if err := f.SetReadDeadline(time.Now().Add(10 * time.Millisecond)); err != nil {
		t.Fatalf("SetReadDeadline on the pollable pipe: %v", err)
	}
	if _, err := f.Read(make([]byte, 1)); !os.IsTimeout(err) {
		t.Fatalf("read with nothing written returned %v, want a timeout", err)
	}
}
