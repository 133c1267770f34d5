package workloads

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// A client fetches bodies from one server over HTTP/1.1 connections that
// it keeps for reuse (up to maxIdlePerHost idle ones). Its zero value is
// not usable: newClient makes one.
//
// A request runs on the calling goroutine from end to end, as Python's
// http.client does: building and writing the request, parsing the status
// line and headers, copying the body. net/http's Transport would do the
// reading and parsing on goroutines of its own, out of a task's reach. So
// under the gil model the lock covers all of that client CPU work, as
// CPython's GIL does, and is released only while the task waits on the
// network itself: the dial, and each read from the connection (WaitIO),
// which is where recv blocks. Writes go out on a loopback socket's buffer
// and do not block, so they keep the lock.
//
// net/http still writes the request (Request.Write) and parses the
// response (ReadResponse); only the connection handling is this file's.
type client struct {
	base    string // http://127.0.0.1:port
	timeout time.Duration
	dialer  net.Dialer

	mu     sync.Mutex
	idle   []*conn
	closed bool
}

func newClient(base string, timeout time.Duration) *client {
	return &client{base: base, timeout: timeout, dialer: net.Dialer{Timeout: 10 * time.Second}}
}

// A conn is one connection, held by one request at a time.
type conn struct {
	nc net.Conn
	br *bufio.Reader
	bw *bufio.Writer
	// ctx is the context of the request that holds the connection: its
	// IO hook hears of each read.
	ctx context.Context
}

// Read reads from the network, marked as an IO wait: bufio calls it only
// when its buffer is empty, so each call may block.
func (c *conn) Read(p []byte) (n int, err error) {
	WaitIO(c.ctx, func() error {
		n, err = c.nc.Read(p)
		return nil
	})
	return n, err
}

// get requests path and reads the whole body into buf. A status other than
// 200 OK, or no complete answer within the timeout, is an error.
func (c *client) get(ctx context.Context, path string, buf *bytes.Buffer) error {
	parent := ctx
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "concbench")
	for attempt := 0; ; attempt++ {
		cn, reused, err := c.conn(ctx)
		if err != nil {
			return c.failed(parent, ctx, path, err)
		}
		keep, err := c.roundTrip(ctx, cn, req, path, buf)
		if keep {
			c.put(cn)
		} else {
			cn.nc.Close()
		}
		// An idle connection the server has closed fails before any
		// answer: try once more on a new one, as net/http does for a GET.
		if err != nil && reused && attempt == 0 && ctx.Err() == nil && stale(err) {
			continue
		}
		if err != nil {
			return c.failed(parent, ctx, path, err)
		}
		return nil
	}
}

// stale reports whether err is what a write to, or read from, a
// connection the server has closed returns.
func stale(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "broken pipe")
}

// roundTrip sends req on cn and reads the answer's body into buf. It
// reports whether cn may serve another request.
func (c *client) roundTrip(ctx context.Context, cn *conn, req *http.Request, path string, buf *bytes.Buffer) (keep bool, err error) {
	cn.ctx = ctx
	defer func() { cn.ctx = context.Background() }()
	// The end of ctx stops a blocked read or write at once, and leaves
	// the connection unfit for another request.
	stop := context.AfterFunc(ctx, func() { cn.nc.SetDeadline(time.Unix(1, 0)) })
	defer func() {
		if !stop() {
			keep = false
		}
	}()
	if err := req.Write(cn.bw); err != nil {
		return false, err
	}
	if err := cn.bw.Flush(); err != nil {
		return false, err
	}
	resp, err := http.ReadResponse(cn.br, req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return false, fmt.Errorf("%s: %s", resp.Status, bytes.TrimSpace(msg))
	}
	buf.Reset()
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return false, err
	}
	return !resp.Close, nil
}

// conn returns an idle connection, or dials a new one: the dial is an IO
// wait.
func (c *client) conn(ctx context.Context) (cn *conn, reused bool, err error) {
	c.mu.Lock()
	if n := len(c.idle); n > 0 {
		cn = c.idle[n-1]
		c.idle = c.idle[:n-1]
	}
	c.mu.Unlock()
	if cn != nil {
		return cn, true, nil
	}
	var nc net.Conn
	err = WaitIO(ctx, func() error {
		var err error
		nc, err = c.dialer.DialContext(ctx, "tcp", strings.TrimPrefix(c.base, "http://"))
		return err
	})
	if err != nil {
		// The dialer times out at ctx's deadline on its own clock, which
		// may come a moment before ctx's timer: wait for it, so that the
		// caller sees ctx ended, as for every other wait.
		if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
			<-ctx.Done()
		}
		return nil, false, err
	}
	cn = &conn{nc: nc, ctx: context.Background()}
	cn.br, cn.bw = bufio.NewReaderSize(cn, 4<<10), bufio.NewWriterSize(nc, 4<<10)
	return cn, false, nil
}

// put keeps cn for the next request, unless the client is closed or holds
// enough idle connections.
func (c *client) put(cn *conn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || len(c.idle) >= maxIdlePerHost {
		cn.nc.Close()
		return
	}
	c.idle = append(c.idle, cn)
}

// failed words a request's error, naming the timeout when it is what ended
// the request. The error still wraps the context's, so a batch that was
// cancelled counts the task as cancelled rather than failed.
func (c *client) failed(parent, ctx context.Context, path string, err error) error {
	if parent.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		if !errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
		}
		return fmt.Errorf("GET %s: no complete answer within the %s timeout: %w", path, c.timeout, err)
	}
	if perr := parent.Err(); perr != nil && !errors.Is(err, perr) {
		err = fmt.Errorf("%w: %w", perr, err)
	}
	return fmt.Errorf("GET %s: %w", path, err)
}

// close closes the idle connections; those in use close when their
// request ends.
func (c *client) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for _, cn := range c.idle {
		cn.nc.Close()
	}
	c.idle = nil
}
