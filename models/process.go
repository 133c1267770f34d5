package models

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
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
// not part of any batch. The first batch of a Spec also has every worker
// prepare the workload, as Setup does in-process, and waits for those that
// got no task, so one untimed batch of any size leaves them all ready. A
// worker keeps one prepared Spec at a time. Workers get only the
// environment variables that tune the Go runtime (GOGC, GOMAXPROCS and the
// like) and TMPDIR; unless those say otherwise, each runs with the
// runtime's defaults, whatever GOMAXPROCS its parent has set.
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
// with it; those tasks run again if the batch goes on. Batch.CPU adds the
// CPU time the workers report to the parent's own.
//
// Faults are contained. A worker that dies (it exits, crashes or is killed)
// fails the task it was running with a *WorkerError carrying its exit status
// and the tail of its output; its other tasks go to the remaining workers if
// the batch goes on (Job.KeepGoing), and it is replaced by a new process
// before the next batch. When a batch's context ends the workers are told to
// cancel their tasks; a worker still busy a second later is killed.
//
// Batches run one at a time: a Run waits for the batch in flight.
//
// Costs, measured on a busy 2-core VM: starting two workers 6 to 9ms
// (BenchmarkStartup); about 2.5µs per task in batches of no-op tasks
// (BenchmarkOverhead), and about 60µs for a batch of a single task, a full
// round trip with nothing to share it (BenchmarkProcessRoundTrip). Waking
// the parent for a run's results cost about 0.1ms of CPU there.
type Process struct {
	exe     string
	replies chan reply    // from every worker's reader goroutine
	closing chan struct{} // closed by Close: readers stop delivering
	turn    chan struct{} // held by the batch in flight, and by Close
	readers sync.WaitGroup

	// Guarded by turn.
	workers []*worker // by number; a dead worker is replaced
	seq     uint64    // the last batch's sequence number
	closed  bool
}

const (
	// MaxProcessWorkers bounds Process's workers: far above what a machine
	// runs well, low enough that a typo does not start a million processes.
	MaxProcessWorkers = 1 << 10
	// startWait bounds how long a new worker may take to greet its parent.
	startWait = 20 * time.Second
	// cancelGrace is how long a worker may take to stop its task after the
	// batch's context ends, before it is killed.
	cancelGrace = time.Second
	// closeWait is how long Close waits for a worker to exit once its input
	// is closed, before killing it.
	closeWait = 5 * time.Second
	// runsAhead is how many runs of tasks a worker holds at once.
	runsAhead = 2
)

// workerEnvKeys lists the environment variables a worker inherits: those
// that change how the Go runtime behaves, so that workers run as their
// parent does, and where temporary files go. Nothing else is passed.
var workerEnvKeys = []string{"GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GODEBUG", "GOTRACEBACK", "GORACE", "GOCOVERDIR", "TMPDIR"}

// NewProcess starts workers worker processes, at least one, and waits until
// each has greeted it. It fails if the running binary does not serve as a
// worker (see ServeIfWorker). Close stops them.
func NewProcess(workers int) (*Process, error) {
	if workers > MaxProcessWorkers {
		return nil, fmt.Errorf("workers=%d: want 1 to %d processes", workers, MaxProcessWorkers)
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
	if err := checkSize(job.N); err != nil {
		return Batch{}, err
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

// A scheduler runs one batch on the workers. Its goroutine hands out runs
// and handles their ends and the workers' deaths; each worker's reader
// goroutine delivers that worker's results.
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

// record delivers the result of w's task, on w's reader goroutine: results
// go straight into the batch, and only the end of a run needs the
// scheduler. The result must be for the next task of w's oldest run.
func (w *worker) record(m *message) error {
	w.mu.Lock()
	if len(w.runs) == 0 || m.Index != w.runs[0].next {
		next := -1
		if len(w.runs) > 0 {
			next = w.runs[0].next
		}
		w.mu.Unlock()
		return fmt.Errorf("it sent a result for task %d, where the next task it held was %d", m.Index, next)
	}
	w.runs[0].next++
	b := w.batch
	w.mu.Unlock()
	res, err := m.outcome()
	b.deliver(m.Index, res, err, m.Took)
	return nil
}

// finish retires w's oldest run, which m says is over. The tasks of the run
// that w did not report were skipped after a cancel: they stay not run, and
// count as cancelled.
func (w *worker) finish(m *message) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.runs) == 0 || m.Seq != w.seq || m.Lo != w.runs[0].lo || m.Hi != w.runs[0].hi {
		held := "no tasks"
		if len(w.runs) > 0 {
			held = fmt.Sprintf("batch %d tasks [%d, %d)", w.seq, w.runs[0].lo, w.runs[0].hi)
		}
		return fmt.Errorf("it sent batch %d tasks [%d, %d) done, where it held %s", m.Seq, m.Lo, m.Hi, held)
	}
	w.runs = w.runs[1:]
	return nil
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
		if w.hung {
			err = context.Canceled
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

// outcome turns a result message back into a task's result or error.
func (m *message) outcome() (Result, error) {
	switch m.Status {
	case statusOK:
		return Result{Bytes: m.Bytes, Digest: m.Digest}, nil
	case statusPanic:
		return Result{}, &PanicError{Value: m.Text, Stack: []byte(m.Stack)}
	case statusCancelled:
		return Result{}, context.Canceled
	}
	return Result{}, errors.New(m.Text)
}

// specKey checks that spec fits a frame and returns a string that is equal
// exactly for equal specs: its encoding, where every string carries its
// length.
func specKey(spec Spec) (string, error) {
	if spec.Workload == "" {
		return "", errors.New("job has no spec: the process model runs Job.Spec in its workers")
	}
	frame := appendFrame(nil, &message{Kind: kindSpec, Spec: spec})
	if len(frame) > maxFrame {
		return "", fmt.Errorf("spec of workload %s is %d bytes encoded: want at most %d", spec.Workload, len(frame), maxFrame)
	}
	return string(frame), nil
}

// revive replaces w by a new worker if w has died.
func (p *Process) revive(w *worker) error {
	select {
	case <-w.exited:
		w.alive = false
	default:
	}
	if w.alive {
		return nil
	}
	w.in.Close()
	nw, err := p.spawn(w.id)
	if err == nil {
		err = p.greet(nw)
	}
	if err != nil {
		return fmt.Errorf("replacing worker %d: %w", w.id, err)
	}
	p.workers[w.id] = nw
	return nil
}

// Close stops the workers, once the batch in flight has finished: it closes
// their input, waits for them to exit, and kills any still running after 5
// seconds. No worker process is left when it returns. It reports workers
// that exited with an error, other than those a batch already reported.
func (p *Process) Close() error {
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

// A worker is one worker process, seen from the parent.
type worker struct {
	id       int
	pid      int
	cmd      *exec.Cmd
	stop     context.CancelFunc // kills the process, if it still runs
	in       *os.File           // its stdin: frames to it
	results  *os.File           // its descriptor 3: frames from it
	progress *os.File           // its descriptor 4: the task it last started
	output   *tail              // its stdout and stderr
	sendb    []byte             // frames not yet written to in
	greeting chan message       // its first message, once read
	greetErr error              // why there was none; set before greeting closes

	exited  chan struct{} // closed once Wait has returned
	drained chan struct{} // closed once results has been read to its end
	waitErr error         // what Wait returned; set before exited closes

	// Owned by whoever holds the model's turn.
	alive bool          // false once its death has been seen
	spec  string        // the key of the Spec it holds
	cpu   time.Duration // its CPU time, as it last reported
	base  time.Duration // cpu when the batch began
	hung  bool          // killed for not stopping after a cancel

	// Shared with its reader goroutine, which records results.
	mu    sync.Mutex
	batch *batch // the batch its runs belong to
	seq   uint64 // and its sequence number
	runs  []run  // runs sent and not yet done, oldest first
}

// A run is a range of task indices sent to one worker.
type run struct {
	lo, hi int
	next   int // the next index whose result is due
}

// A reply is a message from a worker, or the news that it has exited.
type reply struct {
	w    *worker
	m    message
	dead *WorkerError // set once the worker has exited

	// With dead: the last task the worker started, from its progress
	// record, if it left one.
	seq       uint64
	started   int
	startedOK bool
}

// spawn starts worker number id, with goroutines that read its frames and
// wait for its exit. It does not wait for the greeting.
func (p *Process) spawn(id int) (*worker, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	progress, err := os.CreateTemp("", "concbench-progress-")
	if err != nil {
		inR.Close()
		inW.Close()
		outR.Close()
		outW.Close()
		return nil, fmt.Errorf("worker %d: %w", id, err)
	}
	os.Remove(progress.Name()) // it lives while the two processes hold it open
	ctx, stop := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, p.exe, workerArg)
	cmd.Env = workerEnviron()
	cmd.Stdin = inR
	cmd.ExtraFiles = []*os.File{outW, progress} // descriptors resultsFD and progressFD
	output := &tail{}
	cmd.Stdout, cmd.Stderr = output, output
	cmd.Cancel = func() error { return cmd.Process.Kill() }
	cmd.WaitDelay = time.Second // for output pipes held open by the worker's own children
	err = cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		progress.Close()
		stop()
		return nil, fmt.Errorf("starting worker %d: %w", id, err)
	}
	w := &worker{
		id: id, pid: cmd.Process.Pid, cmd: cmd, stop: stop, in: inW, results: outR, progress: progress, output: output,
		greeting: make(chan message, 1), exited: make(chan struct{}), drained: make(chan struct{}), alive: true,
	}
	p.readers.Add(2)
	go func() {
		defer p.readers.Done()
		w.waitErr = cmd.Wait()
		close(w.exited)
		// A descendant that inherited descriptor 3 could hold it open
		// after the worker has gone; do not wait for it.
		select {
		case <-w.drained:
		case <-time.After(exitWait):
			w.results.Close()
		}
	}()
	go p.read(w, newFrameReader(outR))
	return w, nil
}

// greet waits for w's greeting. On failure w is stopped.
func (p *Process) greet(w *worker) error {
	timer := time.NewTimer(startWait)
	defer timer.Stop()
	var err error
	select {
	case hello, ok := <-w.greeting:
		switch {
		case !ok:
			err = w.greetErr
		case hello.Version != protocolVersion:
			err = fmt.Errorf("it speaks protocol version %d, want %d: a different build", hello.Version, protocolVersion)
		default:
			w.cpu = hello.CPU
			return nil
		}
	case <-timer.C:
		err = fmt.Errorf("no greeting within %v", startWait)
	}
	w.stop()
	<-w.exited
	return w.failure(fmt.Errorf("starting: %w (does the binary call models.ServeIfWorker first thing?)", err))
}

// read passes w's greeting to greet and its later messages to the batch in
// flight, until w's results end; then it makes sure w exits and reports its
// exit.
func (p *Process) read(w *worker, fr *frameReader) {
	defer p.readers.Done()
	var m message
	err := fr.read(&m)
	if err == nil && m.Kind != kindHello {
		err = fmt.Errorf("a %s message came before its greeting", m.Kind)
	}
	greeted := err == nil
	if greeted {
		w.greeting <- m
	} else {
		w.greetErr = err
		if err == io.EOF {
			w.greetErr = errors.New("its output ended before its greeting")
		}
	}
	close(w.greeting)
	for err == nil {
		var m message
		if err = fr.read(&m); err != nil {
			break
		}
		switch m.Kind {
		case kindResult:
			err = w.record(&m)
		case kindDone:
			if err = w.finish(&m); err == nil {
				select {
				case p.replies <- reply{w: w, m: m}:
				case <-p.closing:
				}
			}
		default:
			err = fmt.Errorf("it sent an unexpected %s message", m.Kind)
		}
	}
	w.results.Close()
	close(w.drained)
	if err == io.EOF || errors.Is(err, os.ErrClosed) {
		err = nil // the worker exited, or went and left its descriptor behind
	}
	if err != nil {
		w.stop() // it broke the protocol: it cannot be trusted with more
	}
	// Its results have ended, so it is on its way out; make sure of it.
	timer := time.AfterFunc(exitWait, w.stop)
	<-w.exited
	timer.Stop()
	r := reply{w: w, dead: w.failure(err)}
	r.seq, r.started, r.startedOK = readProgress(w.progress)
	w.progress.Close()
	if !greeted {
		return
	}
	select {
	case p.replies <- r:
	case <-p.closing:
	}
}

// failure describes w's end; w must have exited.
func (w *worker) failure(err error) *WorkerError {
	e := &WorkerError{Worker: w.id, PID: w.pid, Err: err, Output: w.output.String()}
	if st := w.cmd.ProcessState; st != nil {
		e.State = st.String()
	} else if w.waitErr != nil {
		e.State = w.waitErr.Error()
	}
	return e
}

// send queues m for w; flush writes the queue. A failed write is not an
// error here: a worker that cannot be written to has exited, and its
// reader reports that.
func (w *worker) send(m *message) { w.sendb = appendFrame(w.sendb, m) }

func (w *worker) flush() {
	if len(w.sendb) > 0 {
		w.in.Write(w.sendb)
		w.sendb = w.sendb[:0]
	}
}

func workerEnviron() []string {
	env := []string{workerEnv + "=1"}
	for _, k := range workerEnvKeys {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
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

// tailSize is how much of a worker's output a WorkerError keeps.
const tailSize = 4 << 10

// A tail keeps the last tailSize bytes written to it.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(p) >= tailSize {
		t.buf = append(t.buf[:0], p[len(p)-tailSize:]...)
		return len(p), nil
	}
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*tailSize {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailSize:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.buf
	if len(b) > tailSize {
		b = b[len(b)-tailSize:]
	}
	return string(b)
}
