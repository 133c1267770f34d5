package models

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/concbench/concbench/internal/tail"
)

const (
	// startWait bounds how long a new worker may take to greet its parent.
	startWait = 20 * time.Second
	// closeWait is how long Close waits for a worker to exit once its input
	// is closed, before killing it.
	closeWait = 5 * time.Second
)

// workerEnvKeys lists the environment variables a worker inherits: those
// that change how the Go runtime behaves, so that workers run as their
// parent does, and where temporary files go. Nothing else is passed:
// unless these say otherwise, a worker runs with the runtime's defaults,
// whatever GOMAXPROCS its parent has set.
var workerEnvKeys = []string{"GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GODEBUG", "GOTRACEBACK", "GORACE", "GOCOVERDIR", "TMPDIR"}

// A worker is one worker process, seen from the parent.
type worker struct {
	id       int
	pid      int
	cmd      *exec.Cmd
	stop     context.CancelFunc // kills the process, if it still runs
	in       *os.File           // its stdin: frames to it
	results  *os.File           // its descriptor 3: frames from it
	progress *os.File           // its descriptor 4: the task it last started
	output   *tail.Buffer       // its stdout and stderr
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
	// stalled says why it was killed for making no progress, or is nil.
	stalled *StallError
	// started is its progress record as the watchdog last read it, and
	// startedAt when the watchdog saw it change.
	started   [2]uint64
	startedAt time.Time

	// Shared with its reader goroutine, which records results.
	mu    sync.Mutex
	batch *batch // the batch its runs belong to
	seq   uint64 // and its sequence number
	runs  []run  // runs sent and not yet done, oldest first
	// progressAt is when it last sent a result or ended a run, or was
	// handed a run while it held none: what the watchdog measures from.
	progressAt time.Time
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
	output := &tail.Buffer{}
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
	w.progressAt = time.Now()
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
	w.progressAt = time.Now()
	return nil
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
