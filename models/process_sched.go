package models

import (
	"cmp"
	"context"
	"errors"
	"time"
)

const (
	// cancelGrace is how long a worker may take to stop its task after the
	// batch's context ends, before it is killed.
	cancelGrace = time.Second
	// runsAhead is how many runs of tasks a worker holds at once.
	runsAhead = 2
	// stallWait is how long a worker that holds tasks may go without
	// sending a result before the watchdog kills it and fails its task:
	// far longer than any task of the suite takes, short enough that a
	// stopped or deadlocked worker does not hang a run unseen.
	stallWait = 20 * time.Second
)

// A scheduler runs one batch on the workers. Its goroutine hands out runs
// and handles their ends and the workers' deaths; each worker's reader
// goroutine delivers that worker's results.
//
// Task indices go out in runs of consecutive indices, each run one frame
// on the worker's stdin: a free worker is sent about a 1/(2P) share of the
// tasks not yet handed out, so runs shrink as the batch drains and the
// workers finish together, and each worker holds at most two runs, so it
// never waits for a round trip between them. The first runs are dealt one
// per worker in turn, so a small batch spreads over all of them. Results
// come back as frames on the worker's descriptor 3, gathered into one write
// per run, so that the parent wakes once per run rather than once per task;
// a failed task's result goes out at once, so that the batch stops
// promptly. Before each task the worker writes its index to a small file
// shared with the parent (descriptor 4), so a worker that dies is blamed
// for the right task even though the results of its earlier tasks died
// with it; those tasks run again if the batch goes on. The CPU time the
// workers report is added to the parent's own.
type scheduler struct {
	p    *Process
	b    *batch
	seq  uint64
	spec Spec
	key  string
	todo []span    // task indices not yet handed out
	left int       // how many
	busy int       // runs held by live workers
	used []*worker // every worker that took part, for the CPU account
}

// A span is a range [lo, hi) of task indices.
type span struct{ lo, hi int }

func (s *scheduler) run() {
	s.todo, s.left = []span{{0, s.b.job.N}}, s.b.job.N
	for _, w := range s.p.workers {
		w.base, w.hung = w.cpu, false
		s.used = append(s.used, w)
	}
	// Deal the first runs round the workers, so that a batch of a few
	// tasks spreads over them rather than queueing on the first.
	for k := 1; k <= runsAhead; k++ {
		for _, w := range s.p.workers {
			s.fill(w, k)
		}
	}
	for _, w := range s.p.workers {
		s.ready(w)
	}
	done := s.b.ctx.Done()
	var grace *time.Timer
	var graceC <-chan time.Time
	watch := time.NewTicker(cmp.Or(s.p.stallWait, stallWait) / 4)
	defer watch.Stop()
	for {
		if s.busy == 0 {
			if s.b.ctx.Err() != nil || s.left == 0 {
				break
			}
			s.failLeft(errors.New("no worker is left to run it"))
			break
		}
		select {
		case r := <-s.p.replies:
			s.handle(r)
		case <-done:
			done = nil
			for _, w := range s.p.workers {
				if w.alive && s.held(w) > 0 {
					w.send(&message{Kind: kindCancel, Seq: s.seq})
					w.flush()
				}
			}
			grace = time.NewTimer(cancelGrace)
			graceC = grace.C
		case <-watch.C:
			s.watch()
		case <-graceC:
			graceC = nil
			for _, w := range s.p.workers {
				if w.alive && s.held(w) > 0 {
					w.hung = true
					w.stop()
				}
			}
		}
	}
	if grace != nil {
		grace.Stop()
	}
	// A worker that died has been waited for, so CPUTime already holds
	// all of its CPU time; take off what it had spent before the batch.
	for _, w := range s.used {
		if w.alive {
			s.b.remoteCPU += w.cpu - w.base
		} else {
			s.b.remoteCPU -= w.base
		}
	}
}

// watch kills each worker that holds tasks and has for stallWait neither
// started a task (its progress record) nor sent a result: a stopped
// process (SIGSTOP), a deadlock, a task that never returns. Its death then
// fails the task it was in, naming the stall. A worker sends a run's
// results together, so the progress record is what shows it working.
func (s *scheduler) watch() {
	now := time.Now()
	for _, w := range s.p.workers {
		if !w.alive || w.stalled != nil {
			continue
		}
		seq, i, ok := readProgress(w.progress)
		if mark := [2]uint64{seq, uint64(i)}; ok && mark != w.started {
			w.started, w.startedAt = mark, now
		}
		w.mu.Lock()
		held, last := len(w.runs), w.progressAt
		w.mu.Unlock()
		if w.startedAt.After(last) {
			last = w.startedAt
		}
		quiet := now.Sub(last)
		if held == 0 || quiet < cmp.Or(s.p.stallWait, stallWait) {
			continue
		}
		w.stalled = &StallError{Worker: w.id, PID: w.pid, Task: -1, Quiet: quiet.Round(time.Second / 10), State: procState(w.pid)}
		w.stop()
	}
}

// held returns how many runs w holds.
func (s *scheduler) held(w *worker) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.runs)
}

// fill hands w runs of tasks until it holds n of them.
func (s *scheduler) fill(w *worker, n int) {
	for w.alive && s.held(w) < n && s.left > 0 && s.b.ctx.Err() == nil {
		lo, hi := s.take()
		s.hand(w, lo, hi)
	}
	w.flush()
}

// hand sends w the run [lo, hi), and the batch's spec first if w has not
// prepared it.
func (s *scheduler) hand(w *worker, lo, hi int) {
	if w.spec != s.key {
		w.send(&message{Kind: kindSpec, Seq: s.seq, Spec: s.spec})
		w.spec = s.key
	}
	w.send(&message{Kind: kindRun, Seq: s.seq, Lo: lo, Hi: hi})
	w.mu.Lock()
	w.batch, w.seq = s.b, s.seq
	if len(w.runs) == 0 {
		w.progressAt = time.Now() // it starts work now
	}
	w.runs = append(w.runs, run{lo: lo, hi: hi, next: lo})
	w.mu.Unlock()
	s.busy++
}

// ready has w prepare the batch's spec if it has not, even when no task is
// left for it: a batch of fewer runs than workers, such as a warm-up, must
// still leave every worker ready, or the next batch would time one of them
// building the workload. An empty run makes the batch wait until w is done.
func (s *scheduler) ready(w *worker) {
	if w.alive && w.spec != s.key && s.b.ctx.Err() == nil {
		s.hand(w, 0, 0)
		w.flush()
	}
}

// take removes the next run from todo: a 1/(2P) share of the tasks left,
// P the live workers, and at least one task.
func (s *scheduler) take() (lo, hi int) {
	live := 0
	for _, w := range s.p.workers {
		if w.alive {
			live++
		}
	}
	size := max(1, s.left/(2*max(live, 1)))
	sp := &s.todo[0]
	lo, hi = sp.lo, min(sp.lo+size, sp.hi)
	sp.lo = hi
	if sp.lo == sp.hi {
		s.todo = s.todo[1:]
	}
	s.left -= hi - lo
	return lo, hi
}

// giveBack returns tasks [lo, hi) to todo.
func (s *scheduler) giveBack(lo, hi int) {
	if lo < hi {
		s.todo = append(s.todo, span{lo, hi})
		s.left += hi - lo
	}
}

// failLeft fails the tasks not handed out, while the batch goes on.
func (s *scheduler) failLeft(err error) {
	for _, sp := range s.todo {
		for i := sp.lo; i < sp.hi && s.b.ctx.Err() == nil; i++ {
			s.b.deliver(i, Result{}, err, 0)
		}
	}
	s.todo, s.left = nil, 0
}

func (s *scheduler) handle(r reply) {
	w := r.w
	if s.p.workers[w.id] != w || !w.alive {
		return // from a worker already buried
	}
	if r.dead != nil {
		s.bury(w, r)
		return
	}
	// The end of a run, which its reader has checked and retired.
	s.busy--
	w.cpu = r.m.CPU
	s.fill(w, runsAhead)
}

// bury accounts for a worker that has exited. The task it was in fails (or
// counts as cancelled, if it was killed for not stopping after a cancel):
// the task its progress record names, or else the next it had to report.
// Its other tasks, including those whose results it had not yet sent, go
// back to todo; if the batch goes on, a new worker takes its place.
func (s *scheduler) bury(w *worker, r reply) {
	w.alive = false
	w.in.Close()
	w.mu.Lock() // its reader has finished: this only orders the memory
	runs := w.runs
	w.runs = nil
	w.mu.Unlock()
	if len(runs) == 0 {
		return
	}
	s.busy -= len(runs)
	culprit := -1 // the first task it had not reported, unless progress says
	for _, run := range runs {
		if run.next < run.hi && culprit < 0 {
			culprit = run.next
		}
		if r.startedOK && r.seq == s.seq && run.next <= r.started && r.started < run.hi {
			culprit = r.started
		}
	}
	for _, run := range runs {
		if run.next <= culprit && culprit < run.hi {
			s.giveBack(run.next, culprit)
			s.giveBack(culprit+1, run.hi)
		} else {
			s.giveBack(run.next, run.hi)
		}
	}
	if culprit >= 0 {
		var err error = r.dead
		switch {
		case w.hung:
			err = context.Canceled
		case w.stalled != nil:
			w.stalled.Task = culprit
			err = w.stalled
		}
		s.b.deliver(culprit, Result{}, err, 0)
	}
	if s.b.ctx.Err() != nil || s.left == 0 {
		return
	}
	if err := s.p.revive(w); err != nil {
		s.failLeft(err)
		return
	}
	nw := s.p.workers[w.id]
	nw.base = 0 // its start-up happened in this batch
	s.used = append(s.used, nw)
	s.fill(nw, runsAhead)
	s.ready(nw)
}

// A run is a range of task indices sent to one worker.
type run struct {
	lo, hi int
	next   int // the next index whose result is due
}
