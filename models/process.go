package models

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Process runs tasks in P worker processes, each a re-execution of the
// running binary (os.Executable, an argument and an environment marker, no
// shell): the counterpart of multiprocessing and ProcessPoolExecutor. A
// closure cannot cross a process boundary, so Process ignores Job.Task and
// ships Job.Spec; each worker rebuilds the task through the Builder its
// binary passed to ServeIfWorker.
//
// The workers start in NewProcess and live until Close; that start-up is
// not part of any batch. The first batch of a Spec has every worker prepare
// it, even a worker that gets no task, so one untimed batch of any size
// leaves them all ready. Batches run one at a time: a Run waits for the
// batch in flight. Batch.CPU includes the CPU time of the workers.
//
// Faults are contained. A worker that dies (it exits, crashes or is killed)
// fails the task it was running with a *WorkerError carrying its exit status
// and the tail of its output; its other tasks go to the remaining workers if
// the batch goes on (Job.KeepGoing), and it is replaced by a new process
// before the next batch. When a batch's context ends the workers are told to
// cancel their tasks; a worker still busy a second later is killed.
//
// Costs, measured on a busy 2-core VM: starting two workers 6 to 9ms
// (BenchmarkStartup); 2.2 to 3.8µs per task in batches of no-op tasks
// (BenchmarkOverhead, the medians of two runs), and about 60µs for a batch
// of a single task, a full round trip with nothing to share it
// (BenchmarkProcessRoundTrip). Waking the parent for a run's results cost
// about 0.1ms of CPU there.
//
// A worker that holds tasks and sends no result for 20 seconds (stopped,
// deadlocked, or in a task that never returns) is killed, and the task it
// was in fails with a *StallError naming it.
//
// Use NewProcess; the zero value is not usable: its Run returns an error.
type Process struct {
	exe     string
	replies chan reply    // from every worker's reader goroutine
	closing chan struct{} // closed by Close: readers stop delivering
	turn    chan struct{} // held by the batch in flight, and by Close
	readers sync.WaitGroup
	// stallWait is how long a worker may hold tasks without sending a
	// result; see watch.
	stallWait time.Duration

	// Guarded by turn.
	workers []*worker // by number; a dead worker is replaced
	seq     uint64    // the last batch's sequence number
	closed  bool
}

// MaxProcessWorkers bounds Process's workers: far above what a machine
// runs well, low enough that a typo does not start a million processes.
// ProcessWorkerLimit lowers it to what the machine's memory holds.
const MaxProcessWorkers = 1 << 10

// NewProcess starts workers worker processes, at least one and at most
// ProcessWorkerLimit, and waits until each has greeted it. It fails if the
// running binary does not serve as a worker (see ServeIfWorker). Close
// stops them.
func NewProcess(workers int) (*Process, error) {
	if limit := ProcessWorkerLimit(); workers > limit {
		return nil, fmt.Errorf("workers=%d: want 1 to %d processes, as the memory available here holds (see ProcessWorkerLimit)", workers, limit)
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this binary to start workers: %w", err)
	}
	return startProcess(exe, max(workers, 1))
}

// startProcess starts workers copies of exe as workers.
func startProcess(exe string, workers int) (*Process, error) {
	p := &Process{
		exe:     exe,
		replies: make(chan reply, 256),
		closing: make(chan struct{}),
		turn:    make(chan struct{}, 1),
		workers: make([]*worker, workers),

		stallWait: stallWait,
	}
	// Start them all before waiting for any, so their start-ups overlap.
	var err error
	for i := range p.workers {
		if p.workers[i], err = p.spawn(i); err != nil {
			break
		}
	}
	for _, w := range p.workers {
		if w != nil && err == nil {
			err = p.greet(w)
		}
	}
	if err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

func (*Process) Name() string { return "process" }

// Workers returns the number of worker processes.
func (p *Process) Workers() int { return len(p.workers) }

var errProcessClosed = errors.New("process model is closed")

func (p *Process) Run(ctx context.Context, job Job) (Batch, error) {
	if p.turn == nil {
		return Batch{}, errZero("Process", "NewProcess")
	}
	if err := checkSize(job.N); err != nil {
		return Batch{}, err
	}
	if job.Arrive != nil {
		return Batch{}, errors.New("process: open-loop jobs (Job.Arrive) are not supported: arrivals would have to cross the pipes")
	}
	key, err := specKey(job.Spec)
	if err != nil {
		return Batch{}, err
	}
	select {
	case p.turn <- struct{}{}:
	case <-ctx.Done():
		return Batch{Tasks: job.N, Cancelled: job.N}, fmt.Errorf("waiting for the batch in flight: %w", ctx.Err())
	}
	defer func() { <-p.turn }()
	if p.closed {
		return Batch{}, errProcessClosed
	}
	// Replace the workers lost since the last batch: start-up, not part
	// of this batch.
	for _, w := range p.workers {
		if err := p.revive(w); err != nil {
			return Batch{Tasks: job.N, Cancelled: job.N}, err
		}
	}
	p.seq++
	return runScheduled(ctx, job, func(b *batch) {
		s := &scheduler{p: p, b: b, seq: p.seq, spec: job.Spec, key: key}
		s.run()
	})
}

// Close stops the workers, once the batch in flight has finished: it closes
// their input, waits for them to exit, and kills any still running after 5
// seconds. No worker process is left when it returns. It reports workers
// that exited with an error, other than those a batch already reported.
func (p *Process) Close() error {
	if p.turn == nil {
		return nil
	}
	p.turn <- struct{}{}
	defer func() { <-p.turn }()
	if p.closed {
		return nil
	}
	p.closed = true
	close(p.closing)
	var live []*worker
	for _, w := range p.workers {
		if w != nil {
			w.in.Close()
			live = append(live, w)
		}
	}
	timer := time.AfterFunc(closeWait, func() {
		for _, w := range live {
			w.stop()
		}
	})
	for _, w := range live {
		<-w.exited
	}
	var errs []error
	if !timer.Stop() {
		errs = append(errs, fmt.Errorf("workers did not exit within %v of their input closing; killed", closeWait))
	}
	for _, w := range live {
		w.stop()
		if w.alive && w.waitErr != nil {
			errs = append(errs, w.failure(nil))
		}
	}
	p.readers.Wait()
	return errors.Join(errs...)
}

// pids returns the workers' process IDs, for tests.
func (p *Process) pids() []int {
	p.turn <- struct{}{}
	defer func() { <-p.turn }()
	var pids []int
	for _, w := range p.workers {
		pids = append(pids, w.pid)
	}
	return pids
}

// A WorkerError reports a worker process that died, or that broke the
// protocol and was killed.
type WorkerError struct {
	Worker int    // the worker's number in its model, from 0
	PID    int    // its process ID
	State  string // how it ended, as os.ProcessState says: "exit status 3", "signal: killed"
	Err    error  // the protocol violation seen, if any
	Output string // the tail of what it wrote to stdout and stderr
}

func (e *WorkerError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "worker %d (pid %d)", e.Worker, e.PID)
	if e.Err != nil {
		fmt.Fprintf(&b, " failed: %v; it ended", e.Err)
	} else {
		b.WriteString(" died")
	}
	if e.State != "" {
		fmt.Fprintf(&b, " with %s", e.State)
	}
	if out := strings.TrimSpace(e.Output); out != "" {
		fmt.Fprintf(&b, "; its last output:\n%s", out)
	}
	return b.String()
}

func (e *WorkerError) Unwrap() error { return e.Err }

// A StallError fails the task of a worker that held tasks and sent no
// result for too long (a stopped or deadlocked process); the worker was
// killed. Its zero value names nothing.
type StallError struct {
	Worker int           // the worker's number in its model, from 0
	PID    int           // its process ID
	Task   int           // the task it was in, or -1 if not known
	Quiet  time.Duration // how long it had sent nothing
	State  string        // its process state then, from /proc: "stopped", "sleeping"…; "" where unknown
}

func (e *StallError) Error() string {
	s := fmt.Sprintf("worker %d (pid %d) made no progress for %v", e.Worker, e.PID, e.Quiet)
	if e.Task >= 0 {
		s += fmt.Sprintf(" in task %d", e.Task)
	}
	if e.State != "" {
		s += " (its process was " + e.State + ")"
	}
	return s + ", so it was killed"
}

// procState reads a process's state from /proc: "stopped" for a process
// that SIGSTOP stopped, for example; "" where there is no /proc.
func procState(pid int) string {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	i := strings.LastIndexByte(string(stat), ')')
	if i < 0 || i+2 >= len(stat) {
		return ""
	}
	switch c := stat[i+2]; c {
	case 'R':
		return "running"
	case 'S':
		return "sleeping"
	case 'D':
		return "waiting on a device"
	case 'T':
		return "stopped"
	case 't':
		return "stopped by a debugger"
	case 'Z':
		return "a zombie"
	default:
		return "in state " + string(c)
	}
}

// A Builder rebuilds the task that a Spec names, inside a worker process:
// it looks the workload up, sets its parameters and prepares it. It returns
// the task and a function that releases what preparing acquired (nil when
// there is nothing to release). ctx ends when the worker is told to stop.
type Builder func(ctx context.Context, s Spec) (Task, func() error, error)

// ServeIfWorker makes this process a worker of the process model if it was
// started as one, and otherwise returns at once. Every binary that runs the
// process model (a main package, or a test binary's TestMain) must call it
// first thing, before it parses flags or does any work: the model starts its
// workers by running the same binary again.
//
// A worker reads frames from stdin, writes frames to file descriptor 3 and
// records which task it is running in the file open as descriptor 4.
// It holds one prepared Spec at a time, built by build on first use and
// kept for later batches of the same Spec. It exits when stdin ends, which
// happens when the model is closed and also when the parent dies, so a
// worker never outlives its parent. A worker ignores interrupts (Ctrl-C
// signals its whole process group) and SIGTERM, leaving them to its
// parent. In a worker ServeIfWorker does not return.
func ServeIfWorker(build Builder) {
	if os.Getenv(workerEnv) == "" {
		return
	}
	os.Unsetenv(workerEnv) // not for processes that tasks may start
	// Ctrl-C reaches the whole process group. The parent decides what it
	// means; a worker leaves when its parent closes its input or exits.
	signal.Ignore(os.Interrupt, syscall.SIGTERM)
	err := serve(build, pollable(0, "stdin"), pollable(resultsFD, "results"), os.NewFile(progressFD, "progress"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "concbench worker %d: %v\n", os.Getpid(), err)
		os.Exit(1)
	}
	os.Exit(0)
}

// A server is the worker side of the protocol. A reader goroutine takes
// frames from the parent: cancels act at once, specs and runs queue up for
