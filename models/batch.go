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
	next atomic.Int64   // the next index to claim, for schedulers whose workers claim them

	// finished carries the index of each task that has finished, to the
	// goroutine that calls Job.OnResult; nil without OnResult. Its buffer
	// holds every index, so a task never waits for the consumer.
	finished chan int

	// remoteCPU is CPU time spent on the batch by processes that
	// CPUTime does not see (workers not yet waited for), as their
	// scheduler reports it.
	remoteCPU time.Duration

	start time.Time // when the batch began, for sojourn times
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
	// arrived is set once Job.Arrive has returned for the task.
	arrived bool
	// arrivedAt is when the task arrived, since the batch's start (zero
	// without Job.Arrive), and sojourn the time from then to its end.
	arrivedAt, sojourn time.Duration
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
	for k, s := range job.Stages {
		if s == nil {
			return Batch{}, fmt.Errorf("job's stage %d of %d is nil", k+1, len(job.Stages))
		}
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
// b.exec (or b.stage) for each index or, for tasks run elsewhere, b.deliver
// with each result; schedule returns only once no task is running.
func runScheduled(ctx context.Context, job Job, schedule func(b *batch)) (Batch, error) {
	b := &batch{job: job, slots: make([]slot, job.N)}
	b.first.Store(-1)
	b.ctx, b.cancel = context.WithCancel(ctx)
	defer b.cancel()

	var server0 time.Duration
	if job.ServerCPU != nil {
		server0 = job.ServerCPU()
	}
	cpu0, t0 := CPUTime(), time.Now()
	b.start = t0
	var gathered chan error
	if job.OnResult != nil && job.N > 0 {
		b.finished = make(chan int, job.N)
		gathered = make(chan error, 1)
		go func() { gathered <- b.gather() }()
	}
	if job.N > 0 {
		schedule(b)
	}
	var gatherErr error
	if gathered != nil {
		close(b.finished)
		gatherErr = <-gathered
	}
	out := b.account()
	out.Wall, out.CPU = time.Since(t0), CPUTime()-cpu0+b.remoteCPU
	if job.ServerCPU != nil {
		out.ServerCPU = job.ServerCPU() - server0
	}
	return out, errors.Join(b.err(ctx, out), gatherErr)
}

// submitEach hands task after task to submit, a third-party pool's way of
// running a function, until the batch ends, and waits for those it handed
// out. submit fails only once the pool is closed; the tasks not handed out
// then count as never run.
func (b *batch) submitEach(submit func(func()) error) {
	for i := range b.job.N {
		if !b.arrive(i) {
			break
		}
		b.done.Add(1)
		if submit(func() { b.exec(i); b.done.Done() }) != nil {
			b.done.Done()
			break
		}
	}
	b.done.Wait()
}

// claim returns the next unclaimed index, or len(b.slots) and more once
// every index has been claimed. Each index is returned once.
func (b *batch) claim() int { return int(b.next.Add(1) - 1) }

// arrive waits for task i's arrival (Job.Arrive), unless the scheduler
// already did, and reports whether the batch is still on. A scheduler
// that hands the task to another goroutine calls it first, so that the
// goroutine starts only once its task has arrived.
func (b *batch) arrive(i int) bool {
	if b.job.Arrive != nil && !b.slots[i].arrived && b.ctx.Err() == nil {
		at := b.job.Arrive(b.ctx, i)
		b.slots[i].arrived = true
		if b.job.TaskTimes {
			if at.IsZero() {
				at = time.Now()
			}
			// A pool's worker may take a task long after it arrived:
			// its sojourn counts from the arrival, not from the taking.
			b.slots[i].arrivedAt = max(0, at.Sub(b.start))
		}
	}
	return b.ctx.Err() == nil
}

// exec runs task i unless the batch has ended, once it has arrived.
func (b *batch) exec(i int) {
	if !b.arrive(i) {
		return
	}
	t0 := b.clock()
	res, err := b.call(i)
	b.finish(i, t0, res, err)
}

// stage runs stage k of task i on in, the output of stage k-1 (nil for the
// first), unless the batch has ended. It returns the stage's output and true
// when the task goes on to stage k+1. After the last stage, a failure, or the
// end of the batch, the task is finished and stage returns false. A task's
// latency is the sum of its stages' times, not counting the waits between
// them.
func (b *batch) stage(i, k int, in any) (any, bool) {
	if !b.arrive(i) {
		return nil, false
	}
	t0 := b.clock()
	out, err := b.callStage(i, k, in)
	if err == nil && k < len(b.job.Stages)-1 {
		if b.job.TaskTimes {
			b.slots[i].took += time.Since(t0)
		}
		return out, true
	}
	var res Result
	if err == nil {
		var ok bool
		if res, ok = out.(Result); !ok {
			err = fmt.Errorf("last stage returned %T, want a models.Result", out)
		}
	}
	b.finish(i, t0, res, err)
	return nil, false
}

// clock returns the time now if the job records task times.
func (b *batch) clock() time.Time {
	if b.job.TaskTimes {
		return time.Now()
	}
	return time.Time{}
}

// finish records the outcome of task i, whose last step started at t0.
func (b *batch) finish(i int, t0 time.Time, res Result, err error) {
	var took time.Duration
	if b.job.TaskTimes {
		took = time.Since(t0)
	}
	b.deliver(i, res, err, took)
}

// deliver records task i's outcome, however it was computed; took is the
// latency of its last step. Each index is delivered at most once, by one
// goroutine.
func (b *batch) deliver(i int, res Result, err error, took time.Duration) {
	s := &b.slots[i]
	s.took += took
	if b.job.TaskTimes {
		// Read after took was measured, so never below it.
		s.sojourn = time.Since(b.start) - s.arrivedAt
	}
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
	if b.finished != nil {
		b.finished <- i
	}
}

func (b *batch) call(i int) (Result, error) { return callTask(b.ctx, b.job.Task, i) }

func (b *batch) callStage(i, k int, in any) (out any, err error) {
	defer recoverPanic(&err)
	return b.job.Stages[k](b.ctx, i, in)
}

// callTask runs task i, turning a panic into a *PanicError, for every model
// and for the process model's workers alike.
func callTask(ctx context.Context, task Task, i int) (res Result, err error) {
	defer recoverPanic(&err)
	return task(ctx, i)
}

// recoverPanic, deferred by a function with a named error result, turns a
// panic in that function into a *PanicError with the stack where it
// happened. It must be the deferred call itself, or recover sees nothing.
func recoverPanic(err *error) {
	if v := recover(); v != nil {
		*err = &PanicError{Value: v, Stack: debug.Stack()}
	}
}

// gather calls Job.OnResult for each task that succeeded, in the job's
// Order, until finished is closed. A task's slot is final once its index
// has arrived, and every slot is final once the channel is closed. It
// returns a panic of OnResult as an error and stops delivering; the tasks
// go on, since finished never blocks a sender.
func (b *batch) gather() (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("OnResult: %w", err)
		}
	}()
	defer recoverPanic(&err)
	deliver := func(i int) {
		if s := &b.slots[i]; s.state == succeeded {
			b.job.OnResult(i, s.res)
		}
	}
	if b.job.Order != InOrder {
		for i := range b.finished {
			deliver(i)
		}
		return nil
	}
	arrived := make([]bool, len(b.slots))
	next := 0
	for i := range b.finished {
		arrived[i] = true
		for ; next < len(arrived) && arrived[next]; next++ {
			deliver(next)
		}
	}
	// The rest never ran: cancelled, so there is nothing to deliver, but a
	// result after one of them still is.
	for ; next < len(arrived); next++ {
		deliver(next)
	}
	return nil
}

func (b *batch) account() Batch {
	out := Batch{Tasks: len(b.slots)}
	if b.job.TaskTimes {
		out.Latencies = make([]time.Duration, 0, len(b.slots))
		out.Sojourns = make([]time.Duration, 0, len(b.slots))
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
			out.Sojourns = append(out.Sojourns, s.sojourn)
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
