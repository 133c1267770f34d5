// Package tail keeps the end of a child process's output, for the error
// that names why the child failed.
package tail

import "sync"

// Size is how much a Buffer keeps: the last 4 KiB, enough for a panic's
// message and the top of its stack.
const Size = 4 << 10

// A Buffer keeps the last Size bytes written to it. Writes may come from
// several goroutines at once (a child's stdout and stderr). The zero
// value is an empty buffer, ready to use; each write costs a copy of at
// most Size bytes.
type Buffer struct {
	mu sync.Mutex
	b  []byte
}

func (t *Buffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - Size; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

// String returns what the buffer holds.
func (t *Buffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
