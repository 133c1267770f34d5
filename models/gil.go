package models

import (
	"context"
	"sync"
)

// GIL is the pool with an emulation of Python's global interpreter lock: a
// task holds one lock, shared by every batch of the model, for as long as it
// computes, and releases it while it waits on IO. A task says when it waits
// through the IOWaiter in its context (IOWaiterFrom); a task that never says
// so holds the lock from start to end.
//
// The lesson in numbers: on CPU-bound work, W workers run one task at a
// time, so GIL runs about as fast as Sequential (a little slower: the lock
// changes hands once per task); on IO-bound work the waits overlap and GIL
// runs about as fast as the pool. Each task costs one mutex acquisition, an
// allocation for its waiter and one for its context, plus a hand-off of the
// lock per IO wait: 250 to 330ns on no-op tasks (BenchmarkOverhead, the
// medians of two runs on a 2-core VM).
//
// Work that a task hands to other goroutines (an HTTP transport's, a
// server's) runs outside the lock, like C code that releases the GIL.
//
// Use NewGIL; the zero value is not usable: its Run returns an error.
type GIL struct {
	pool *Pool
	lock sync.Mutex // the interpreter lock
}

// NewGIL starts workers goroutines (at least one) that share one lock.
// Close stops them.
func NewGIL(workers int) *GIL {
	return &GIL{pool: NewPool(workers)}
}

func (*GIL) Name() string { return "gil" }

// Run runs the job's Task on the pool, each call under the lock. Like the
// pool, it calls Task, the composition of the job's Stages.
func (g *GIL) Run(ctx context.Context, job Job) (Batch, error) {
	if g.pool == nil {
		return Batch{}, errZero("GIL", "NewGIL")
	}
	task := job.Task
	if task != nil {
		job.Task = func(ctx context.Context, i int) (Result, error) {
			t := &gilTask{gil: &g.lock}
			g.lock.Lock()
			defer t.end()
			// The batch may have ended while this task waited for the lock.
			if err := ctx.Err(); err != nil {
				return Result{}, err
			}
			return task(WithIOWaiter(ctx, t), i)
		}
	}
	return g.pool.Run(ctx, job)
}

// Close stops the workers.
func (g *GIL) Close() error {
	if g.pool == nil {
		return nil
	}
	return g.pool.Close()
}

// A gilTask is one task's hold on the lock: it holds it except while at
// least one of its IO waits is in progress. Once the task has returned, IO
// waits reported by goroutines it left behind change nothing.
type gilTask struct {
	gil   *sync.Mutex
	mu    sync.Mutex // guards waits and done
	waits int
	done  bool
}

func (t *gilTask) BeginIO() {
	t.mu.Lock()
	if !t.done {
		t.waits++
		if t.waits == 1 {
			t.gil.Unlock()
		}
	}
	t.mu.Unlock()
}

func (t *gilTask) EndIO() {
	t.mu.Lock()
	if !t.done && t.waits > 0 {
		t.waits--
		if t.waits == 0 {
			t.gil.Lock()
		}
	}
	t.mu.Unlock()
}

// end releases the lock when the task returns, unless it returned (or
// panicked) in the middle of an IO wait, when the lock is not held.
func (t *gilTask) end() {
	t.mu.Lock()
	if t.waits == 0 {
		t.gil.Unlock()
	}
	t.done = true
	t.mu.Unlock()
}
