package models

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// exclusive counts how many tasks are inside a section at once and keeps
// the peak.
type exclusive struct {
	in, peak atomic.Int32
}

func (e *exclusive) enter() {
	n := e.in.Add(1)
	for {
		p := e.peak.Load()
		if n <= p || e.peak.CompareAndSwap(p, n) {
			break
		}
	}
	runtime.Gosched() // give another task the chance to enter too
}

func (e *exclusive) leave() { e.in.Add(-1) }

// TestGILSerialisesCompute runs tasks that never wait on IO: however many
// workers, only one computes at a time.
func TestGILSerialisesCompute(t *testing.T) {
	g := NewGIL(4)
	defer g.Close()
	var compute exclusive
	task := func(ctx context.Context, i int) (Result, error) {
		compute.enter()
		defer compute.leave()
		return square(ctx, i)
	}
	if _, err := g.Run(context.Background(), Job{N: 200, Task: task}); err != nil {
		t.Fatal(err)
	}
	if p := compute.peak.Load(); p != 1 {
		t.Errorf("%d tasks computed at once under the GIL, want 1", p)
	}
}

// TestGILReleasesDuringIO has every task wait on IO until all four workers
// are waiting at once, which can only happen if each released the lock;
// their computing, before and after the wait, stays one at a time.
func TestGILReleasesDuringIO(t *testing.T) {
	const workers = 4
	g := NewGIL(workers)
	defer g.Close()
	var compute exclusive
	var waiting atomic.Int32
	all := make(chan struct{})
	task := func(ctx context.Context, i int) (Result, error) {
		w := IOWaiterFrom(ctx)
		if w == nil {
			return Result{}, errors.New("no IOWaiter in the task's context")
		}
		compute.enter()
		compute.leave()
		w.BeginIO()
		if waiting.Add(1) == workers {
			close(all)
		}
		select {
		case <-all:
		case <-time.After(10 * time.Second):
			w.EndIO()
			return Result{}, errors.New("the other tasks never began their IO waits: the lock was not released")
		}
		w.EndIO()
		compute.enter()
		compute.leave()
		return square(ctx, i)
	}
	if _, err := g.Run(context.Background(), Job{N: workers, Task: task}); err != nil {
		t.Fatal(err)
	}
	if p := compute.peak.Load(); p != 1 {
		t.Errorf("%d tasks computed at once, want 1", p)
	}
}

// TestGILOverlappingWaits has a task wait on several things at once from
// goroutines of its own, nested and overlapping: the lock is released once
// and taken back once, and a goroutine that outlives its task changes
// nothing.
func TestGILOverlappingWaits(t *testing.T) {
	g := NewGIL(2)
	defer g.Close()
	var compute exclusive
	late := make(chan IOWaiter, 1)
	task := func(ctx context.Context, i int) (Result, error) {
		w := IOWaiterFrom(ctx)
		compute.enter()
		compute.leave()
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() {
				w.BeginIO()
				w.BeginIO()
				w.EndIO()
				w.EndIO()
			})
		}
		wg.Wait()
		w.EndIO() // unbalanced: ignored
		compute.enter()
		compute.leave()
		if i == 0 {
			late <- w
		}
		return square(ctx, i)
	}
	want, _ := Sequential{}.Run(context.Background(), Job{N: 50, Task: square})
	b, err := g.Run(context.Background(), Job{N: 50, Task: task})
	if err != nil || b.Digest != want.Digest {
		t.Fatalf("err %v, digest %v want %v", err, b.Digest, want.Digest)
	}
	w := <-late
	w.BeginIO() // after its task returned: must neither unlock nor block
	w.EndIO()
	if p := compute.peak.Load(); p != 1 {
		t.Errorf("%d tasks computed at once, want 1", p)
	}
	// The lock is free: another batch runs.
	if _, err := g.Run(context.Background(), Job{N: 10, Task: square}); err != nil {
		t.Fatal(err)
	}
}

// TestGILPanicDuringIO: a task that panics while waiting on IO (so not
// holding the lock) must not unlock it again, which would be a fatal error.
func TestGILPanicDuringIO(t *testing.T) {
	g := NewGIL(2)
	defer g.Close()
	task := func(ctx context.Context, i int) (Result, error) {
		if i == 3 {
			IOWaiterFrom(ctx).BeginIO()
			panic("in the middle of a read")
		}
		return square(ctx, i)
	}
	_, err := g.Run(context.Background(), Job{N: 10, Task: task, KeepGoing: true})
	var pe *PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want the panic", err)
	}
	if _, err := g.Run(context.Background(), Job{N: 10, Task: square}); err != nil {
		t.Fatal(err)
	}
}

// TestNoIOWaiterOutsideGIL: the other models pass no waiter, so a task's IO
// hook costs it one context lookup.
func TestNoIOWaiterOutsideGIL(t *testing.T) {
	each(t, Options{Workers: 2}, func(t *testing.T, m Model) {
		var found atomic.Bool
		task := func(ctx context.Context, i int) (Result, error) {
			if IOWaiterFrom(ctx) != nil {
				found.Store(true)
			}
			return square(ctx, i)
		}
		if _, err := m.Run(context.Background(), Job{N: 4, Task: task}); err != nil {
			t.Fatal(err)
		}
		if found.Load() != (m.Name() == "gil") {
			t.Errorf("IOWaiter in the context: %v", found.Load())
		}
	})
}
