package workloads

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/zeebo/xxh3"
	"golang.org/x/sync/errgroup"
)

// Fanout is a web service whose handler calls its backends. Each task is one
// request to a loopback front end whose handler makes Calls backend calls,
// cycling through three kinds: read a file, query a database (a stand-in
// that answers after DBLatency), and call a remote API (a second loopback
// server that answers after Latency). With Handler "serial" it makes them
// one after another; with "concurrent" all at once, then answers with their
// replies in call order. Both handlers send the same bytes, so what the
// second buys is time alone.
//
// Latency, the floor of one task, is the sum of the backend delays for the
// serial handler and the longest of them for the concurrent one; file reads
// add to it but set no floor. With Calls=1 (a file read only) it is zero.
type Fanout struct {
	Handler   string        // serial or concurrent
	Calls     int           // backend calls per request, 1 to 64; the zero value is rejected
	Latency   time.Duration // the remote API's delay before each answer; zero: none
	DBLatency time.Duration // the database's delay before each answer; zero: none
	Size      int           // bytes of each file the handler reads and of each API answer
	Timeout   time.Duration // per request, the client's and the handler's own; zero: none but the batch's
	Server    string        // process (also the zero value) or inproc: where the front end and its backends run
	Addr      string        // 127.0.0.1:PORT of a front end already running, to use instead; empty: start one
}

// maxCalls bounds Fanout.Calls.
const maxCalls = 64

// The kinds of backend call, in the order a handler cycles through them.
const (
	callFile = iota
	callDB
	callAPI
	callKinds
)

func (*Fanout) Kind() Kind { return IO }

func (w *Fanout) Params() []Param {
	return append([]Param{
		{"handler", "serial: backend calls one after another; concurrent: all at once", choiceValue{&w.Handler, []string{"serial", "concurrent"}}},
		{"calls", "backend calls per request: file read, database query, API call, and again", intValue{&w.Calls, 1, maxCalls}},
		delayParam("latency", "the remote API's delay before each answer", &w.Latency),
		delayParam("db-latency", "the database's delay before each answer", &w.DBLatency),
		ioSizeParam(&w.Size, "bytes of each file read and of each API answer"),
		delayParam("timeout", "limit on each request, the client's and the handler's; 0s for none", &w.Timeout),
	}, serverParams(&w.Server, &w.Addr)...)
}

// Shrink keeps the tests quick: 1ms backends and 1 KiB replies.
func (w *Fanout) Shrink() {
	w.Latency = time.Millisecond
	w.DBLatency = time.Millisecond
	w.Size = 1 << 10
}

func (w *Fanout) Prepare(context.Context) (*Prepared, error) {
	if err := w.check(); err != nil {
		return nil, err
	}
	r, err := reachServers("fanout", w, w.Server, w.Addr)
	if err != nil {
		return nil, err
	}
	lab := &fanoutLab{client: newClient(r.url, w.Timeout), bufs: newBuffers()}
	return r.prepared(lab.task, lab.client, w.floor()), nil
}

// serve starts the front end and its backends in this process.
func (w *Fanout) serve() (string, func() error, error) {
	if err := w.check(); err != nil {
		return "", nil, err
	}
	l, err := w.start()
	if err != nil {
		return "", nil, err
	}
	return l.front.url, l.close, nil
}

func (w *Fanout) check() error {
	if w.Handler != "serial" && w.Handler != "concurrent" {
		return fmt.Errorf("handler=%q: want serial or concurrent", w.Handler)
	}
	if w.Calls < 1 || w.Calls > maxCalls {
		return fmt.Errorf("calls=%d: want 1 to %d", w.Calls, maxCalls)
	}
	if err := checkServer(w.Server, w.Addr); err != nil {
		return err
	}
	return checkIO(w.Size, namedDelay{"latency", w.Latency}, namedDelay{"db-latency", w.DBLatency}, namedDelay{"timeout", w.Timeout})
}

// floor returns the least time one request takes: the backend delays added
// up, or for the concurrent handler the longest of them.
func (w *Fanout) floor() time.Duration {
	var sum, longest time.Duration
	for j := range w.Calls {
		var d time.Duration
		switch j % callKinds {
		case callDB:
			d = w.DBLatency
		case callAPI:
			d = w.Latency
		}
		sum += d
		longest = max(longest, d)
	}
	if w.Handler == "concurrent" {
		return longest
	}
	return sum
}

// A fanoutLab is a prepared Fanout workload: the front end and its client,
// and the backends. A task needs only the client and bufs, so a lab that
// reaches servers elsewhere has only those.
type fanoutLab struct {
	front  *server
	client *client // the task's: to the front end

	api       *server
	apiClient *client // the handler's: to the remote API
	files     *fileStore
	dbLatency time.Duration

	concurrent bool
	calls      int
	bufs       *freeList[*bytes.Buffer]
}

// fanoutFiles is how many files the handler reads from, in turn.
const fanoutFiles = windows

func (w *Fanout) start() (l *fanoutLab, err error) {
	l = &fanoutLab{dbLatency: w.DBLatency, concurrent: w.Handler == "concurrent", calls: w.Calls, bufs: newBuffers()}
	defer func() {
		if err != nil {
			err = errors.Join(err, l.close())
		}
	}()
	if l.api, err = listen(); err != nil {
		return l, err
	}
	l.api.serve(taskHandler(l.api.stop, w.Latency, 0, w.Size))
	l.apiClient = newClient(l.api.url, w.Timeout)
	if l.files, err = openStore("", "concbench-fanout-"); err != nil {
		return l, err
	}
	window := inputs(w.Size)
	for k := range fanoutFiles {
		if err := l.files.write(partName(k), appendBody(nil, window, w.Size, k), false, false); err != nil {
			return l, err
		}
	}
	if l.front, err = listen(); err != nil {
		return l, err
	}
	l.front.serve(l.handler())
	l.client = newClient(l.front.url, w.Timeout)
	return l, nil
}

func partName(k int) string { return "part-" + strconv.Itoa(k) }

func (l *fanoutLab) task(ctx context.Context, i int) (Result, error) {
	buf, _ := l.bufs.get()
	defer l.bufs.put(buf)
	if err := l.client.get(ctx, "/fanout/"+strconv.Itoa(i), buf); err != nil {
		return Result{}, err
	}
	return Result{Bytes: int64(buf.Len()), Digest: xxh3.Hash(buf.Bytes())}, nil
}

// handler serves GET /fanout/{i}: the backend calls' replies, in call order.
// A failed backend call fails the request with 502 Bad Gateway.
func (l *fanoutLab) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /fanout/{i}", func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(r.PathValue("i"))
		if err != nil || i < 0 {
			http.Error(w, fmt.Sprintf("request %q: want an index, 0 or more", r.PathValue("i")), http.StatusBadRequest)
			return
		}
		parts := make([]*bytes.Buffer, l.calls)
		for j := range parts {
			parts[j], _ = l.bufs.get()
			defer l.bufs.put(parts[j])
		}
		if err := l.gather(r.Context(), i, parts); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		n := 0
		for _, p := range parts {
			n += p.Len()
		}
		w.Header().Set("Content-Length", strconv.Itoa(n))
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		for _, p := range parts {
			w.Write(p.Bytes())
		}
	})
	return mux
}

// gather makes request i's backend calls, one after another or all at
// once, call j's reply going to parts[j]. The first failure ends the others.
func (l *fanoutLab) gather(ctx context.Context, i int, parts []*bytes.Buffer) error {
	if !l.concurrent {
		for j, p := range parts {
			if err := l.call(ctx, i, j, p); err != nil {
				return err
			}
		}
		return nil
	}
	g, ctx := errgroup.WithContext(ctx)
	for j, p := range parts {
		g.Go(func() error { return l.call(ctx, i, j, p) })
	}
	return g.Wait()
}

// call makes request i's backend call j, its reply going to buf.
func (l *fanoutLab) call(ctx context.Context, i, j int, buf *bytes.Buffer) error {
	key := i*l.calls + j
	switch j % callKinds {
	case callFile:
		name := partName(key % fanoutFiles)
		if err := l.files.read(name, buf); err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		return nil
	case callDB:
		return l.query(ctx, key, buf)
	default:
		return l.apiClient.get(ctx, "/task/"+strconv.Itoa(key), buf)
	}
}

// query stands in for a database: it answers after dbLatency, as a round
// trip to a database server would, with a row computed from key.
func (l *fanoutLab) query(ctx context.Context, key int, buf *bytes.Buffer) error {
	if err := pause(ctx, l.front.stop, l.dbLatency); err != nil {
		return fmt.Errorf("database query %d: %w", key, err)
	}
	buf.Reset()
	row := strconv.AppendInt(buf.AvailableBuffer(), int64(key), 10)
	row = append(row, " | "...)
	row = strconv.AppendUint(row, xxh3.HashString(strconv.Itoa(key)), 16)
	row = append(row, '\n')
	buf.Write(row)
	return nil
}

// close stops the front end first, so that no handler is left calling a
// backend, then the backends.
func (l *fanoutLab) close() error {
	var errs []error
	if l.client != nil {
		l.client.close()
	}
	if l.front != nil {
		errs = append(errs, l.front.close())
	}
	if l.apiClient != nil {
		l.apiClient.close()
	}
	if l.api != nil {
		errs = append(errs, l.api.close())
	}
	if l.files != nil {
		errs = append(errs, l.files.close())
	}
	return errors.Join(errs...)
}
