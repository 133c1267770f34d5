package models

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestArrive runs an open-loop job under every model but process: task i
// arrives i×200µs after the batch starts. Arrive is called once per index,
// no task starts before it has arrived, and the batch's digest is the
// closed-loop one.
func TestArrive(t *testing.T) {
	const n = 40
	gap := 200 * time.Microsecond
	want, err := Sequential{}.Run(context.Background(), Job{N: n, Task: square})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range All {
		if e.Name == "process" || e.Name == "exec" {
			continue // TestArriveProcesses
		}
		t.Run(e.Name, func(t *testing.T) {
			m, err := e.New(Options{Workers: 4, Fetch: 4, Parse: 2})
			if err != nil {
				t.Fatal(err)
			}
			if c, ok := m.(interface{ Close() error }); ok {
				defer c.Close()
			}
			var (
				calls   [n]atomic.Int32
				arrived [n]atomic.Int64 // ns after t0
				early   atomic.Int32
				t0      time.Time
			)
			check := func(i int) {
				if arrived[i].Load() == 0 || time.Since(t0) < time.Duration(arrived[i].Load()) {
					early.Add(1)
				}
			}
			job := Job{N: n, Task: func(ctx context.Context, i int) (Result, error) {
				check(i)
				return square(ctx, i)
			}, Arrive: func(ctx context.Context, i int) time.Time {
				calls[i].Add(1)
				at := time.Duration(i+1) * gap
				select {
				case <-time.After(time.Until(t0.Add(at))):
				case <-ctx.Done():
				}
				arrived[i].Store(int64(time.Since(t0)))
				return time.Time{}
			}, Stages: []Stage{
				func(ctx context.Context, i int, _ any) (any, error) { check(i); return nil, nil },
				func(ctx context.Context, i int, _ any) (any, error) { return square(ctx, i) },
			}}
			// The staged path checks arrival at its first stage.
			if e.Name != "pipeline" {
				job.Stages = nil
			}
			t0 = time.Now()
			b, err := m.Run(context.Background(), job)
			took := time.Since(t0)
			if err != nil {
				t.Fatal(err)
			}
			if b.Digest != want.Digest || b.Succeeded != n {
				t.Errorf("%d succeeded, digest %v; want %d and %v", b.Succeeded, b.Digest, n, want.Digest)
			}
			for i := range calls {
				if c := calls[i].Load(); c != 1 {
					t.Errorf("Arrive called %d times for task %d, want once", c, i)
				}
			}
			if k := early.Load(); k > 0 {
				t.Errorf("%d tasks started before they arrived", k)
			}
			if took < n*gap {
				t.Errorf("batch took %v, less than the last arrival at %v", took, n*gap)
			}
		})
	}
}

// TestArriveCancel: cancelling the batch's context while a task waits to
// arrive stops the batch, and the tasks that never arrived count as
// cancelled.
func TestArriveCancel(t *testing.T) {
	for _, name := range []string{"spawn", "pool", "semaphore"} {
		t.Run(name, func(t *testing.T) {
			e, _ := Lookup(name)
			m, err := e.New(Options{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			if c, ok := m.(interface{ Close() error }); ok {
				defer c.Close()
			}
			ctx, cancel := context.WithCancel(context.Background())
			var once sync.Once
			b, err := m.Run(ctx, Job{N: 10, Task: square, Arrive: func(ctx context.Context, i int) time.Time {
				if i == 3 {
					once.Do(cancel)
					<-ctx.Done()
				}
				return time.Time{}
			}})
			if err == nil || b.Succeeded > 3 || b.Tasks != b.Succeeded+b.Cancelled {
				t.Errorf("got %+v, %v; want at most 3 succeeded, the rest cancelled, and an error", b, err)
			}
		})
	}
}

// TestArriveProcesses: the process model says it cannot run an open-loop
// job rather than ignoring its arrivals; exec starts each task's process
// once it has arrived, so a batch lasts past the last arrival and every
// task arrived once.
func TestArriveProcesses(t *testing.T) {
	p := &Process{turn: make(chan struct{}, 1)}
	_, err := p.Run(context.Background(), Job{N: 1, Task: square, Spec: Spec{Workload: "x"}, Arrive: func(context.Context, int) time.Time { return time.Time{} }})
	if err == nil || !strings.Contains(err.Error(), "Job.Arrive") {
		t.Errorf("process: got %v, want an error naming Job.Arrive", err)
	}

	const n = 6
	gap := 20 * time.Millisecond
	e, err := NewExec(2)
	if err != nil {
		t.Fatal(err)
	}
	var calls [n]atomic.Int32
	t0 := time.Now()
	b, err := e.Run(context.Background(), Job{N: n, Spec: spec("square"), Arrive: func(ctx context.Context, i int) time.Time {
		calls[i].Add(1)
		time.Sleep(time.Until(t0.Add(time.Duration(i+1) * gap)))
		return time.Time{}
	}})
	took := time.Since(t0)
	want, _ := Sequential{}.Run(context.Background(), Job{N: n, Task: square})
	if err != nil || b.Digest != want.Digest {
		t.Fatalf("exec: %v, digest %v; want %v", err, b.Digest, want.Digest)
	}
	for i := range calls {
		if c := calls[i].Load(); c != 1 {
			t.Errorf("exec: Arrive called %d times for task %d, want once", c, i)
		}
	}
	if took < n*gap {
		t.Errorf("exec: batch took %v, less than the last arrival at %v", took, n*gap)
	}
}

// TestArriveSojourn: every task arrived at the batch's start, and one
// worker serves them 1ms each. The pool's worker asks for task i only
// once it is free, long after the arrival that Arrive reports, and task
// i's sojourn counts from that arrival: the wait in the queue is in it.
func TestArriveSojourn(t *testing.T) {
	const n = 10
	p := NewPool(1)
	defer p.Close()
	var t0 time.Time
	job := Job{N: n, TaskTimes: true, Task: func(ctx context.Context, i int) (Result, error) {
		time.Sleep(time.Millisecond)
		return square(ctx, i)
	}, Arrive: func(context.Context, int) time.Time { return t0 }}
	t0 = time.Now()
	b, err := p.Run(context.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Sojourns) != n {
		t.Fatalf("%d sojourns, want %d", len(b.Sojourns), n)
	}
	for i, s := range b.Sojourns {
		if s < time.Duration(i+1)*time.Millisecond || s < b.Latencies[i] {
			t.Errorf("task %d: sojourn %v, service %v; want at least %v, the queue ahead of it and its own", i, s, b.Latencies[i], time.Duration(i+1)*time.Millisecond)
		}
	}
}
