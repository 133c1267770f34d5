package workloads

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// stackHook records, for each IO wait, the function that called WaitIO.
type stackHook struct {
	mu      sync.Mutex
	callers []string
	open    int
}

func (h *stackHook) BeginIO() {
	pc := make([]uintptr, 1)
	runtime.Callers(3, pc) // BeginIO's caller is WaitIO; 3 skips Callers, BeginIO and WaitIO
	name := runtime.FuncForPC(pc[0]).Name()
	h.mu.Lock()
	h.callers = append(h.callers, name)
	h.open++
	h.mu.Unlock()
}

func (h *stackHook) EndIO() { h.mu.Lock(); h.open--; h.mu.Unlock() }

// TestClientWaitsOnlyOnTheNetwork: the client marks as IO waits the dial
// and the reads from its connection, nothing else, so a model that holds a
// lock outside the waits (gil) holds it while the client builds the
// request, parses the answer and copies the body, which all run on the
// task's own goroutine between those reads.
func TestClientWaitsOnlyOnTheNetwork(t *testing.T) {
	lab := startHTTP(t, &HTTP{Size: 64 << 10})
	h := &stackHook{}
	ctx := WithIOHook(context.Background(), h)
	for i := range 4 {
		if _, err := lab.task(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	dials, reads := 0, 0
	for _, c := range h.callers {
		switch {
		case strings.HasSuffix(c, "(*client).conn"):
			dials++
		case strings.HasSuffix(c, "(*conn).Read"):
			reads++
		default:
			t.Errorf("an IO wait marked by %s: want only the dial and the connection's reads", c)
		}
	}
	// 64 KiB bodies through a 4 KiB buffer: many reads, one connection.
	if dials != 1 || reads < 4*2 || h.open != 0 {
		t.Errorf("%d dials, %d reads, %d waits left open: want 1 dial, at least two reads a task, none open", dials, reads, h.open)
	}
	if n := lab.server.conns.Load(); n != 1 {
		t.Errorf("4 requests one after another opened %d connections, want 1", n)
	}
}

// TestClientRetriesAStaleConnection: an idle connection the server closed
// is replaced, once, without failing the request.
func TestClientRetriesAStaleConnection(t *testing.T) {
	lab := startHTTP(t, &HTTP{Size: 1 << 10})
	var buf bytes.Buffer
	if err := lab.client.get(context.Background(), "/task/1", &buf); err != nil {
		t.Fatal(err)
	}
	lab.client.mu.Lock()
	for _, cn := range lab.client.idle {
		cn.nc.Close() // as a server's idle timeout would
	}
	lab.client.mu.Unlock()
	if err := lab.client.get(context.Background(), "/task/2", &buf); err != nil {
		t.Errorf("request on a stale connection: %v", err)
	}
	if n := lab.server.conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2: the first and its replacement", n)
	}
}
