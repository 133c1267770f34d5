// Package tail keeps the end of a child process's output, for the error
// that names why the child failed.
package tail

import "sync"

// Size is how much a Buffer keeps: the last 4 KiB, enough for a panic's
// message and the top of its stack.
const Size = 4 << 10

// A Buffer keeps the last Size bytes written to it. Writes may come from
// several goroutines at once (a child's stdout and stderr). The zero
// value is an empty buffer, ready to use; writes cost one copy of Size
// bytes per Size bytes written.
type Buffer struct {
	mu sync.Mutex
	b  []byte
}

func (t *Buffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(p) >= Size {
		t.b = append(t.b[:0], p[len(p)-Size:]...)
		return len(p), nil
	}
	t.b = append(t.b, p...)
	// Trim only past twice Size, so that a stream of small writes copies
	// Size bytes once per Size bytes written, not on every write.
	if len(t.b) > 2*Size {
		t.b = append(t.b[:0], t.b[len(t.b)-Size:]...)
	}
	return len(p), nil
}

// String returns what the buffer holds: the last Size bytes written.
func (t *Buffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.b
	if len(b) > Size {
		b = b[len(b)-Size:]
	}
	return string(b)
}
