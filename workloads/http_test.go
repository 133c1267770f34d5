package workloads

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zeebo/xxh3"
	"go.uber.org/goleak"
)

// startLab checks a workload's parameters and starts its servers with
// start, closing them when the test ends.
func startLab[L interface{ close() error }](t *testing.T, check func() error, start func() (L, error)) L {
	t.Helper()
	if err := check(); err != nil {
		t.Fatal(err)
	}
	lab, err := start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := lab.close(); err != nil {
			t.Error(err)
		}
	})
	return lab
}

func startHTTP(t *testing.T, w *HTTP) *httpLab {
	t.Helper()
	return startLab(t, w.check, w.start)
}

func checkLoopback(t *testing.T, s *server) {
	t.Helper()
	u, err := url.Parse(s.url)
	if err != nil {
		t.Fatal(err)
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Errorf("server listens on %s, want 127.0.0.1 only", u.Host)
	}
	if addr := s.ln.Addr().(*net.TCPAddr); !addr.IP.IsLoopback() {
		t.Errorf("listener bound to %v, not a loopback address", addr)
	}
}

func TestHTTPListensOnLoopbackOnly(t *testing.T) {
	checkLoopback(t, startHTTP(t, &HTTP{Size: 1 << 10}).server)
}

// TestHTTPDigestIsTheBody checks that a task's result is the body the
// server was meant to send, so a digest covers what came over the wire.
func TestHTTPDigestIsTheBody(t *testing.T) {
	const size = 3000
	lab := startHTTP(t, &HTTP{Size: size, Jitter: time.Millisecond})
	window := inputs(size)
	for i := range 10 {
		r, err := lab.task(context.Background(), i)
		if err != nil {
			t.Fatal(err)
		}
		body := appendBody(nil, window, size, i)
		if r.Bytes != size || r.Digest != xxh3.Hash(body) {
			t.Errorf("task %d: %+v, want %d bytes hashing to %x", i, r, size, xxh3.Hash(body))
		}
		if !bytes.HasPrefix(body, []byte("task ")) {
			t.Errorf("task %d's body starts %q", i, body[:10])
		}
	}
}

// holdFirst wraps h so that its first n requests wait for one another: all
// n are in flight at once, each on a connection of its own. A warm-up batch
// through it opens exactly n connections.
func holdFirst(n int, h http.Handler) http.Handler {
	var arrived atomic.Int64
	all := make(chan struct{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if k := arrived.Add(1); k <= int64(n) {
			if k == int64(n) {
				close(all)
			}
			select {
			case <-all:
			case <-r.Context().Done():
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// TestHTTPReusesConnections runs a warm-up batch that holds c requests in
// flight at once, then batches at concurrency c that must open no
// connection: the client keeps c idle ones.
func TestHTTPReusesConnections(t *testing.T) {
	const c, size = 16, 1 << 10
	s, err := listen()
	if err != nil {
		t.Fatal(err)
	}
	s.serve(holdFirst(c, taskHandler(s.stop, time.Millisecond, 0, size)))
	lab := &httpLab{server: s, client: newClient(s.url, time.Minute), bufs: newBuffers()}
	defer lab.close()
	if _, err := runTasks(context.Background(), lab.task, c, c); err != nil {
		t.Fatal(err)
	}
	if n := s.conns.Load(); n != c {
		t.Fatalf("the warm-up batch opened %d connections, want %d", n, c)
	}
	for range 3 {
		if _, err := runTasks(context.Background(), lab.task, 4*c, c); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.conns.Load() - c; n != 0 {
		t.Errorf("after warm-up, batches at the same concurrency opened %d new connections, want 0", n)
	}
}

func TestHTTPErrorStatusIsTaskError(t *testing.T) {
	s, err := listen()
	if err != nil {
		t.Fatal(err)
	}
	s.serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "the backend is down", http.StatusInternalServerError)
	}))
	defer s.close()
	c := newClient(s.url, time.Second)
	defer c.close()
	err = c.get(context.Background(), "/task/1", new(bytes.Buffer))
	if err == nil || !strings.Contains(err.Error(), "GET /task/1: 500 Internal Server Error: the backend is down") {
		t.Errorf("err = %v, want the status and message", err)
	}
}

func TestHTTPTimeoutIsTaskError(t *testing.T) {
	p, err := (&HTTP{Latency: 30 * time.Second, Size: 1 << 10, Timeout: 20 * time.Millisecond}).Prepare(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	_, err = p.Task(context.Background(), 3)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "GET /task/3: no complete answer within the 20ms timeout") {
		t.Errorf("err = %v, want a timeout naming the request", err)
	}
}

// TestHTTPCancelLeavesNothingRunning cancels tasks waiting on a slow server:
// they return the context's error, and Close leaves no goroutine behind.
func TestHTTPCancelLeavesNothingRunning(t *testing.T) {
	w := &HTTP{Latency: 30 * time.Second, Size: 1 << 10}
	lab, err := w.start()
	if err != nil {
		t.Fatal(err)
	}
	checkCancel(t, lab.task, lab.close, func() bool { return lab.server.active.Load() == 16 })
}

// checkCancel runs 16 tasks at once, cancels them once underway reports
// true, and checks that they stop with the context's error and that close
// leaves no goroutine behind.
func checkCancel(t *testing.T, task Task, close func() error, underway func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := runTasks(ctx, task, 16, 16)
		done <- err
	}()
	waitFor(t, "the tasks to get under way", underway)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("tasks did not return within 10s of cancellation")
	}
	if err := close(); err != nil {
		t.Error(err)
	}
	goleak.VerifyNone(t)
}

// waitFor polls cond until it holds, failing the test after 10s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

func TestJitter(t *testing.T) {
	const j = 5 * time.Millisecond
	seen := map[time.Duration]bool{}
	for i := range 100 {
		d := jitterOf(i, j)
		if d < 0 || d >= j {
			t.Fatalf("jitterOf(%d, %v) = %v, want [0, %v)", i, j, d, j)
		}
		if d != jitterOf(i, j) {
			t.Fatalf("jitterOf(%d) varies", i)
		}
		seen[d] = true
	}
	if len(seen) < 50 {
		t.Errorf("100 tasks got only %d distinct delays", len(seen))
	}
	if d := jitterOf(7, 0); d != 0 {
		t.Errorf("jitterOf(7, 0) = %v", d)
	}
}
