package models

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// A batch is one Job in flight. Models differ only in how they call exec for
// each index (or, for tasks run in other processes, deliver each result);
// timing, panics, failure and accounting live here, once.
type batch struct {
	job    Job
	ctx    context.Context
	cancel context.CancelFunc
	slots  []slot
	first  atomic.Int64 // index of the first task to fail, or -1

	done sync.WaitGroup // for schedulers that hand tasks to other goroutines

	// remoteCPU is CPU time spent on the batch by processes that
	// CPUTime does not see (workers not yet waited for), as their
	// scheduler reports it.
	remoteCPU time.Duration
}

type state uint8

const (
	notRun state = iota // counted as cancelled
	succeeded
	failed
	cancelled
)

// Each task writes only its own slot, so no lock is needed.
type slot struct {
	state state
	res   Result
	err   error
	took  time.Duration
}

// runBatch validates job, runs schedule (which must call b.exec for every
// index in [0, job.N) unless b.ctx ends first, and return only when every
// call has returned), and accounts for the batch.
func runBatch(ctx context.Context, job Job, schedule func(b *batch)) (Batch, error) {
	if err := checkSize(job.N); err != nil {
		return Batch{}, err
	}
	if job.Task == nil {
		return Batch{}, errors.New("job has no task")
	}
	return runScheduled(ctx, job, schedule)
}

func checkSize(n int) error {
	if n < 0 {
		return fmt.Errorf("job with %d tasks: want 0 or more", n)
	}
	return nil
}

// runScheduled times and accounts for a batch whose schedule either calls
// b.exec for each index or, for tasks run elsewhere, b.deliver with each
// result; schedule returns only once no task is running.
func runScheduled(ctx context.Context, job Job, schedule func(b *batch)) (Batch, error) {
	b := &batch{job: job, slots: make([]slot, job.N)}
	b.first.Store(-1)
	b.ctx, b.cancel = context.WithCancel(ctx)
	defer b.cancel()

	cpu0, t0 := CPUTime(), time.Now()
	if job.N > 0 {
		schedule(b)
	}
	out := b.account()
	out.Wall, out.CPU = time.Since(t0), CPUTime()-cpu0+b.remoteCPU
	return out, b.err(ctx, out)
}

// exec runs task i unless the batch has ended.
func (b *batch) exec(i int) {
	if b.ctx.Err() != nil {
		return
	}
	var t0 time.Time
	if b.job.TaskTimes {
		t0 = time.Now()
	}
	res, err := b.call(i)
	var took time.Duration
	if b.job.TaskTimes {
		took = time.Since(t0)
	}
	b.deliver(i, res, err, took)
}

// deliver records task i's outcome, however it was computed; took is its
// latency. Each index is delivered at most once, by one goroutine.
func (b *batch) deliver(i int, res Result, err error, took time.Duration) {
	s := &b.slots[i]
	s.took = took
	switch {
	case err == nil:
		s.state, s.res = succeeded, res
	case b.ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		s.state = cancelled
	default:
		s.state, s.err = failed, err
		if b.first.CompareAndSwap(-1, int64(i)) && !b.job.KeepGoing {
			b.cancel()
		}
	}
}

func (b *batch) call(i int) (res Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	return b.job.Task(b.ctx, i)
}

func (b *batch) account() Batch {
	out := Batch{Tasks: len(b.slots)}
	if b.job.TaskTimes {
		out.Latencies = make([]time.Duration, 0, len(b.slots))
	}
	for i := range b.slots {
		s := &b.slots[i]
		switch s.state {
		case succeeded:
			out.Succeeded++
			out.Bytes += s.res.Bytes
			out.Digest.Add(i, s.res)
		case failed:
			out.Failed++
		default:
			out.Cancelled++
		}
		if b.job.TaskTimes && (s.state == succeeded || s.state == failed) {
			out.Latencies = append(out.Latencies, s.took)
		}
	}
	return out
}

func (b *batch) err(parent context.Context, out Batch) error {
	if i := b.first.Load(); i >= 0 {
		return &TaskError{Index: int(i), Err: b.slots[i].err}
	}
	if out.Cancelled > 0 {
		if err := parent.Err(); err != nil {
			return fmt.Errorf("batch stopped after %d of %d tasks: %w", out.Succeeded, out.Tasks, err)
		}
		// Only a model that lost tasks gets here.
		return fmt.Errorf("batch lost %d of %d tasks", out.Cancelled, out.Tasks)
	}
	return nil
}
