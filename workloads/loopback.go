package workloads

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The IO workloads share what is in this file: a loopback HTTP server, a
// client that keeps its connections, the bytes a task's body or file holds,
// and the timer that stands for a remote side's time to answer.
//
// A task waits on IO in exactly these places, each marked with WaitIO (a
// model whose tasks hold a lock while they compute must release it while
// they wait): the client's dial and its reads from a connection
// (httpclient.go), and the file workload's round trip through the file
// system. What a task does around them (building a request, parsing the
// answer's headers, copying and hashing the body, building names) is
// computation. The servers wait too, in
// pause (a simulated remote side) and in the fanout handler's backend calls,
// but on goroutines of their own, never a task's.

const (
	// maxIOSize bounds the bytes of one response or file; bodies are
	// windows of the generated corpus, eight of them.
	maxIOSize = 16 << 20
	// maxDelay bounds latencies and timeouts: far above any useful value,
	// it catches a typo before a batch waits for hours.
	maxDelay = time.Minute
	// maxIdlePerHost is how many idle connections a client keeps to one
	// server: more than any concurrency the benchmarks use, so that once
	// one batch has opened its connections, later batches open none.
	maxIdlePerHost = 1024
)

func ioSizeParam(p *int, doc string) Param {
	return Param{"size", doc, sizeValue{p, maxIOSize}}
}

func delayParam(name, doc string, p *time.Duration) Param {
	return Param{name, doc, durationValue{p, maxDelay}}
}

// A namedDelay is a duration field and its parameter's name.
type namedDelay struct {
	name string
	d    time.Duration
}

// checkIO rejects, for workloads configured through their struct fields,
// what the parameters' Set methods would have rejected.
func checkIO(size int, delays ...namedDelay) error {
	if size < 1 || size > maxIOSize {
		return fmt.Errorf("size=%d: want 1 to %s", size, FormatSize(maxIOSize))
	}
	for _, nd := range delays {
		if nd.d < 0 || nd.d > maxDelay {
			return fmt.Errorf("%s=%s: want 0 to %s", nd.name, formatDuration(nd.d), formatDuration(maxDelay))
		}
	}
	return nil
}

// appendBody appends the content of task i's body or file to dst: a line
// naming the task, then the start of a corpus window, size bytes in all.
// It depends only on size and i, so every model, process and server run
// computes the same bytes and the same digests.
func appendBody(dst []byte, window func(int) []byte, size, i int) []byte {
	start := len(dst)
	dst = append(dst, "task "...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, '\n')
	if len(dst)-start >= size {
		return dst[:start+size]
	}
	return append(dst, window(i)[:size-(len(dst)-start)]...)
}

// jitterOf returns task i's extra delay, in [0, jitter): fixed by i, so
// every run waits the same.
func jitterOf(i int, jitter time.Duration) time.Duration {
	if jitter <= 0 {
		return 0
	}
	z := uint64(i) + 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return time.Duration((z ^ z>>31) % uint64(jitter))
}

var errStopped = errors.New("server stopped")

// pause waits d, the simulated time a remote side takes to answer, unless
// ctx ends or stop is closed first.
func pause(ctx context.Context, stop <-chan struct{}, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-stop:
		return errStopped
	}
}

// newBuffers returns a free list of byte buffers.
func newBuffers() *freeList[*bytes.Buffer] {
	return newFreeList(func() (*bytes.Buffer, error) { return new(bytes.Buffer), nil })
}

// A server is an HTTP/1.1 server on a loopback port. It counts the
// connections it accepts, so that tests can check that clients reuse them,
// and its close waits for the handlers in flight.
type server struct {
	url    string        // http://127.0.0.1:port
	stop   chan struct{} // closed by close, so that waiting handlers return
	conns  atomic.Int64  // connections accepted so far
	active atomic.Int64  // handlers running now

	srv    *http.Server
	ln     net.Listener
	served chan error // Serve's result

	mu       sync.Mutex // guards closed against handlers.Add during Wait
	closed   bool
	handlers sync.WaitGroup

	closeOnce sync.Once
	closeErr  error
}

// listen opens a server's port on 127.0.0.1 and never on another address:
// the benchmarks make no traffic beyond loopback. Call serve to start it.
func listen() (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening on loopback: %w", err)
	}
	return &server{url: "http://" + ln.Addr().String(), stop: make(chan struct{}), ln: ln, served: make(chan error, 1)}, nil
}

// serve answers requests with h until close.
func (s *server) serve(h http.Handler) {
	s.srv = &http.Server{
		Handler:           s.track(h),
		ReadHeaderTimeout: maxDelay,
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				s.conns.Add(1)
			}
		},
	}
	go func() { s.served <- s.srv.Serve(s.ln) }()
}

// track counts the handlers in flight, and turns requests away once the
// server is closing.
func (s *server) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			http.Error(w, errStopped.Error(), http.StatusServiceUnavailable)
			return
		}
		s.handlers.Add(1)
		s.mu.Unlock()
		s.active.Add(1)
		defer s.handlers.Done()
		defer s.active.Add(-1)
		h.ServeHTTP(w, r)
	})
}

// close stops the server: waiting handlers return at once, connections are
// closed, and close returns once every handler has. Calls after the first
// return its error.
func (s *server) close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		err := s.srv.Close()
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.handlers.Wait()
		if serr := <-s.served; !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
		s.closeErr = err
	})
	return s.closeErr
}

// taskHandler answers GET /task/{i} after waiting d plus task i's jitter,
// with task i's body of size bytes.
func taskHandler(stop <-chan struct{}, d, jitter time.Duration, size int) http.Handler {
	window := inputs(size)
	bufs := newFreeList(func() (*[]byte, error) { b := make([]byte, 0, size); return &b, nil })
	mux := http.NewServeMux()
	mux.HandleFunc("GET /task/{i}", func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(r.PathValue("i"))
		if err != nil || i < 0 {
			http.Error(w, fmt.Sprintf("task %q: want an index, 0 or more", r.PathValue("i")), http.StatusBadRequest)
			return
		}
		if err := pause(r.Context(), stop, d+jitterOf(i, jitter)); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		b, _ := bufs.get()
		defer bufs.put(b)
		*b = appendBody((*b)[:0], window, size, i)
		w.Header().Set("Content-Length", strconv.Itoa(len(*b)))
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(*b)
	})
	return mux
}
