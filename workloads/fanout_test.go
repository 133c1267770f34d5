package workloads

import (
	"context"
	"strings"
	"testing"
	"time"
)

func startFanout(t *testing.T, w *Fanout) *fanoutLab {
	t.Helper()
	return startLab(t, w.check, w.start)
}

func shortFanout(handler string, calls int) *Fanout {
	return &Fanout{Handler: handler, Calls: calls, Latency: time.Millisecond, DBLatency: time.Millisecond, Size: 1 << 10}
}

func TestFanoutListensOnLoopbackOnly(t *testing.T) {
	lab := startFanout(t, shortFanout("serial", 3))
	checkLoopback(t, lab.front)
	checkLoopback(t, lab.api)
}

// TestFanoutHandlersAgree checks that the concurrent handler answers with
// the same bytes as the serial one, its replies gathered in call order.
func TestFanoutHandlersAgree(t *testing.T) {
	for _, calls := range []int{1, 3, 7} {
		serial := startFanout(t, shortFanout("serial", calls))
		concurrent := startFanout(t, shortFanout("concurrent", calls))
		a, err := runTasks(context.Background(), serial.task, 12, 4)
		if err != nil {
			t.Fatal(err)
		}
		b, err := runTasks(context.Background(), concurrent.task, 12, 4)
		if err != nil {
			t.Fatal(err)
		}
		for i := range a {
			if a[i] != b[i] {
				t.Errorf("calls=%d task %d: serial %+v, concurrent %+v", calls, i, a[i], b[i])
			}
		}
		// Each call adds its reply: a file or API answer of Size bytes, or
		// a database row.
		if min := int64(calls/callKinds) * 1 << 10; a[0].Bytes < min {
			t.Errorf("calls=%d: %d bytes, want at least %d", calls, a[0].Bytes, min)
		}
	}
}

func TestFanoutFloor(t *testing.T) {
	const api, db = 8 * time.Millisecond, 2 * time.Millisecond
	for _, tc := range []struct {
		handler string
		calls   int
		want    time.Duration
	}{
		{"serial", 1, 0}, // a file read sets no floor
		{"serial", 2, db},
		{"serial", 3, db + api},
		{"serial", 6, 2 * (db + api)},
		{"concurrent", 1, 0},
		{"concurrent", 2, db},
		{"concurrent", 3, api},
		{"concurrent", 6, api},
	} {
		w := &Fanout{Handler: tc.handler, Calls: tc.calls, Latency: api, DBLatency: db}
		if got := w.floor(); got != tc.want {
			t.Errorf("%s calls=%d: floor %v, want %v", tc.handler, tc.calls, got, tc.want)
		}
	}
}

// TestFanoutReusesConnections checks both hops, the task's to the front end
// and the handler's to the API: after a warm-up batch that holds every API
// call of c requests in flight at once, batches at concurrency c open no
// connection.
func TestFanoutReusesConnections(t *testing.T) {
	const c, calls = 6, 6 // two API calls per request
	for _, tc := range []struct {
		handler string
		apiPeak int // API calls in flight when c requests are
	}{{"serial", c}, {"concurrent", 2 * c}} {
		w := shortFanout(tc.handler, calls)
		lab := startFanout(t, w)
		// Put the API behind a server that holds its first calls.
		api, err := listen()
		if err != nil {
			t.Fatal(err)
		}
		api.serve(holdFirst(tc.apiPeak, taskHandler(api.stop, w.Latency, 0, w.Size)))
		lab.apiClient.close()
		if err := lab.api.close(); err != nil {
			t.Fatal(err)
		}
		lab.api, lab.apiClient = api, newClient(api.url, time.Minute)

		if _, err := runTasks(context.Background(), lab.task, c, c); err != nil {
			t.Fatal(err)
		}
		front := lab.front.conns.Load()
		if front != c || api.conns.Load() != int64(tc.apiPeak) {
			t.Fatalf("%s: warm-up opened %d front-end and %d API connections, want %d and %d", tc.handler, front, api.conns.Load(), c, tc.apiPeak)
		}
		for range 3 {
			if _, err := runTasks(context.Background(), lab.task, 4*c, c); err != nil {
				t.Fatal(err)
			}
		}
		if n, m := lab.front.conns.Load()-front, api.conns.Load()-int64(tc.apiPeak); n != 0 || m != 0 {
			t.Errorf("%s: after warm-up, batches opened %d front-end and %d API connections, want none", tc.handler, n, m)
		}
	}
}

// TestFanoutBackendFailureIsTaskError removes a file the handler reads: the
// request fails with 502, and the task with it.
func TestFanoutBackendFailureIsTaskError(t *testing.T) {
	for _, handler := range []string{"serial", "concurrent"} {
		lab := startFanout(t, shortFanout(handler, 3))
		if err := lab.files.remove(partName(0)); err != nil {
			t.Fatal(err)
		}
		_, err := lab.task(context.Background(), 0)
		if err == nil || !strings.Contains(err.Error(), "GET /fanout/0: 502 Bad Gateway: reading part-0") {
			t.Errorf("%s: err = %v, want a 502 naming the file", handler, err)
		}
		if _, err := lab.task(context.Background(), 1); err != nil {
			t.Errorf("%s: task 1, which reads another file, failed: %v", handler, err)
		}
	}
}

func TestFanoutTimeoutIsTaskError(t *testing.T) {
	w := shortFanout("concurrent", 3)
	w.Latency, w.Timeout = 30*time.Second, 20*time.Millisecond
	lab := startFanout(t, w)
	_, err := lab.task(context.Background(), 2)
	if err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("err = %v, want a timeout", err)
	}
}

func TestFanoutCancelLeavesNothingRunning(t *testing.T) {
	for _, handler := range []string{"serial", "concurrent"} {
		w := shortFanout(handler, 3)
		w.DBLatency, w.Latency = 30*time.Second, 30*time.Second
		lab, err := w.start()
		if err != nil {
			t.Fatal(err)
		}
		checkCancel(t, lab.task, lab.close, func() bool { return lab.front.active.Load() == 16 })
	}
}
