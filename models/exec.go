package models

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"
)

// Exec starts one OS process per task, a re-execution of the running
// binary in the process model's worker mode (os.Executable, an argument
// and an environment marker, no shell), which runs that one task, reports
// it over the same framing as the process model's workers, and exits: the
// counterpart of multiprocessing.Process(target=…).start() per task, or of
// subprocess. At most W processes run at once. Like Process it ignores
// Job.Task and ships Job.Spec, so the binary must call ServeIfWorker.
//
// Each task pays for a process start, the Go runtime's start-up, the
// workload's preparation (a worker holds no state between tasks) and the
// exit and reaping of the process, all inside the batch: that is the cost
// this model exists to show, 3.8 to 8.6ms per no-op task on a busy 2-core
// VM (BenchmarkOverhead, six samples), where Process pays 3.4µs.
// Every child is waited for before Run returns, so Batch.CPU holds all of
// their CPU time.
//
// Faults are contained as in Process: a child that dies fails its task
// with a *WorkerError (Worker is the task's index), one that sends nothing
// for 20 seconds is killed and fails its task with a *StallError, and when
// the batch's context ends the running children are told to cancel and
// killed a second later if they have not.
//
// Use NewExec; the zero value is not usable: its Run returns an error.
type Exec struct {
	exe     string
	workers int
	// stallWait is how long a child may go without reporting its task.
	stallWait time.Duration
}

// NewExec returns an Exec that runs at most workers processes at once, at
// least one and at most ProcessWorkerLimit. It starts nothing: every
// process belongs to one task of a batch. It fails if the running binary
// cannot be found.
func NewExec(workers int) (*Exec, error) {
	if limit := ProcessWorkerLimit(); workers > limit {
		return nil, fmt.Errorf("workers=%d: want 1 to %d processes, as the memory available here holds (see ProcessWorkerLimit)", workers, limit)
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this binary to start processes: %w", err)
	}
	return &Exec{exe: exe, workers: max(workers, 1), stallWait: stallWait}, nil
}

func (*Exec) Name() string { return "exec" }

// Workers returns the most processes Exec runs at once.
func (e *Exec) Workers() int { return e.workers }

func (e *Exec) Run(ctx context.Context, job Job) (Batch, error) {
	if e.exe == "" {
		return Batch{}, errZero("Exec", "NewExec")
	}
	if err := checkSize(job.N); err != nil {
		return Batch{}, err
	}
	if _, err := specKey(job.Spec); err != nil {
		return Batch{}, err
	}
	return runScheduled(ctx, job, func(b *batch) {
		slots := make(chan struct{}, e.workers)
		var wg sync.WaitGroup
		for i := range job.N {
			if !b.arrive(i) {
				break
			}
			select {
			case slots <- struct{}{}:
			case <-b.ctx.Done():
			}
			if b.ctx.Err() != nil {
				break
			}
			wg.Go(func() {
				defer func() { <-slots }()
				e.one(b, i)
			})
		}
		wg.Wait()
	})
}

// one runs task i of b in a process of its own, and returns once that
// process has been reaped and the goroutines that served it have returned.
// The process model's worker machinery does the work: a Process value with
// one worker and no pool around it spawns the child, reads its greeting
// and its result, and reports its exit.
func (e *Exec) one(b *batch, i int) {
	p := &Process{exe: e.exe, replies: make(chan reply, 2), closing: make(chan struct{})}
	defer p.readers.Wait()
	w, err := p.spawn(i)
	if err == nil {
		err = p.greet(w)
	}
	if err != nil {
		if w != nil {
			w.in.Close()
		}
		b.deliver(i, Result{}, err, 0)
		return
	}
	defer w.stop()
	if b.ctx.Err() == nil {
		const seq = 1
		w.send(&message{Kind: kindSpec, Seq: seq, Spec: b.job.Spec})
		w.send(&message{Kind: kindRun, Seq: seq, Lo: i, Hi: i + 1})
		w.mu.Lock()
		w.batch, w.seq, w.progressAt = b, seq, time.Now()
		w.runs = []run{{lo: i, hi: i + 1, next: i}}
		w.mu.Unlock()
		w.flush()
	} else {
		w.in.Close() // cancelled while it started: it exits at once
	}

	done := b.ctx.Done()
	stall := time.NewTimer(e.stallWait)
	defer stall.Stop()
	var grace *time.Timer
	var graceC <-chan time.Time
	defer func() {
		if grace != nil {
			grace.Stop()
		}
	}()
	for {
		select {
		case r := <-p.replies:
			if r.dead == nil {
				// Its run is over: closing its input lets it exit.
				w.in.Close()
				stall.Stop()
				continue
			}
			e.bury(b, w, r.dead, i)
			return
		case <-done:
			done = nil
			w.send(&message{Kind: kindCancel, Seq: 1})
			w.flush()
			grace = time.NewTimer(cancelGrace)
			graceC = grace.C
		case <-graceC:
			w.hung = true
			w.stop()
		case <-stall.C:
			w.stalled = &StallError{Worker: i, PID: w.pid, Task: i, Quiet: e.stallWait, State: procState(w.pid)}
			w.stop()
		}
	}
}

// bury accounts for the exit of w, the process of task i: unless it
// reported the task, the task fails with its death (or counts as
// cancelled, if it was killed for not stopping after a cancel).
func (e *Exec) bury(b *batch, w *worker, dead *WorkerError, i int) {
	w.in.Close()
	w.mu.Lock() // its reader has finished: this only orders the memory
	reported := len(w.runs) == 0 || w.runs[0].next > i
	w.mu.Unlock()
	if reported {
		return
	}
	var err error = dead
	switch {
	case w.hung:
		err = context.Canceled
	case w.stalled != nil:
		err = w.stalled
	}
	b.deliver(i, Result{}, err, 0)
}
