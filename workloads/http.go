package workloads

import (
	"bytes"
	"context"
	"strconv"
	"time"

	"github.com/zeebo/xxh3"
)

// HTTP fetches one response per task from a loopback server that waits
// before it answers: the shape of a call to a remote API, with the wait set
// by a parameter rather than by a network. The server starts in Prepare, on
// 127.0.0.1 and a free port, in a server process of its own unless Server
// is inproc (see ServeIfServer), and stops in Close. The client keeps its
// connections, so after a warm-up batch a task costs a round trip on an
// open connection, never a new one.
//
// Task i's body is a line naming i and then part of the generated log, so
// its digest (XXH3 of the body) depends only on i and Size. The default,
// 2 KiB, goes out in one write: net/http's server buffers 4 KiB, and a
// body that overflows it with the headers costs a second write.
type HTTP struct {
	Latency time.Duration // the server's delay before each answer; zero: none
	Jitter  time.Duration // extra delay in [0, Jitter), fixed per task index; zero: none
	Size    int           // response body bytes
	Timeout time.Duration // per request, body included; zero: none but the batch's
	Server  string        // process (also the zero value) or inproc: where the server runs
	Addr    string        // 127.0.0.1:PORT of a server already running, to use instead; empty: start one
}

func (*HTTP) Kind() Kind { return IO }

func (w *HTTP) Params() []Param {
	return append([]Param{
		delayParam("latency", "the server's delay before each answer", &w.Latency),
		delayParam("jitter", "extra delay per task, up to this, fixed by the task's index", &w.Jitter),
		ioSizeParam(&w.Size, "response body bytes"),
		delayParam("timeout", "limit on each request, body included; 0s for none", &w.Timeout),
	}, serverParams(&w.Server, &w.Addr)...)
}

// Shrink keeps the tests quick: a 1ms server and 1 KiB bodies.
func (w *HTTP) Shrink() {
	w.Latency = time.Millisecond
	w.Size = 1 << 10
}

func (w *HTTP) Prepare(context.Context) (*Prepared, error) {
	if err := w.check(); err != nil {
		return nil, err
	}
	r, err := reachServers("http", w, w.Server, w.Addr)
	if err != nil {
		return nil, err
	}
	lab := &httpLab{client: newClient(r.url, w.Timeout), bufs: newBuffers()}
	return r.prepared(lab.task, lab.client, w.Latency), nil
}

func (w *HTTP) check() error {
	if err := checkServer(w.Server, w.Addr); err != nil {
		return err
	}
	return checkIO(w.Size, namedDelay{"latency", w.Latency}, namedDelay{"jitter", w.Jitter}, namedDelay{"timeout", w.Timeout})
}

// serve starts the server in this process.
func (w *HTTP) serve() (string, func() error, error) {
	if err := w.check(); err != nil {
		return "", nil, err
	}
	s, err := listen()
	if err != nil {
		return "", nil, err
	}
	s.serve(taskHandler(s.stop, w.Latency, w.Jitter, w.Size))
	return s.url, s.close, nil
}

// An httpLab is a prepared HTTP workload: its client, and its server when
// it runs in this process (start, for the tests that count its
// connections).
type httpLab struct {
	server *server // nil unless start made it
	client *client
	bufs   *freeList[*bytes.Buffer]
}

func (w *HTTP) start() (*httpLab, error) {
	s, err := listen()
	if err != nil {
		return nil, err
	}
	s.serve(taskHandler(s.stop, w.Latency, w.Jitter, w.Size))
	return &httpLab{server: s, client: newClient(s.url, w.Timeout), bufs: newBuffers()}, nil
}

func (l *httpLab) task(ctx context.Context, i int) (Result, error) {
	buf, _ := l.bufs.get()
	defer l.bufs.put(buf)
	if err := l.client.get(ctx, "/task/"+strconv.Itoa(i), buf); err != nil {
		return Result{}, err
	}
	return Result{Bytes: int64(buf.Len()), Digest: xxh3.Hash(buf.Bytes())}, nil
}

func (l *httpLab) close() error {
	l.client.close()
	if l.server == nil {
		return nil
	}
	return l.server.close()
}
