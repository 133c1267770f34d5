package models

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// the runner goroutine, which runs them in order and writes the results.
type server struct {
	build    Builder
	out      *bufio.Writer // used by the runner only, after the greeting
	frame    []byte        // the runner's encoding buffer
	progress io.WriterAt
	base     context.Context

	mu        sync.Mutex
	seq       uint64             // the batch the runner works for
	ctx       context.Context    // seq's context
	cancelSeq context.CancelFunc // cancels ctx
	cancelled uint64             // every batch up to this one is cancelled
}

// serve greets the parent on out, then serves the frames read from in until
// in ends, recording each task in progress before it starts. It returns
// once the runner has stopped, or after exitWait if a task does not return
// when cancelled.
func serve(build Builder, in io.Reader, out io.Writer, progress io.WriterAt) error {
	base, stop := context.WithCancel(context.Background())
	defer stop()
	s := &server{build: build, out: bufio.NewWriterSize(out, 64<<10), progress: progress, base: base}
	hello := message{Kind: kindHello, Version: protocolVersion, PID: os.Getpid(), CPU: CPUTime()}
	if err := s.write(&hello); err != nil {
		return err
	}
	if err := s.out.Flush(); err != nil {
		return err
	}

	queue := make(chan message, 64)
	ran := make(chan error, 1)
	go func() { ran <- s.run(queue) }()
	read := make(chan error, 1)
	go func() {
		defer close(queue)
		read <- s.read(in, queue)
	}()

	select {
	case err := <-ran:
		if err == nil {
			// The runner saw the queue close: reading is over.
			return <-read
		}
		// The runner stops early only when it cannot write results:
		// the parent is gone or broken, so there is no one to serve.
		return err
	case err := <-read:
		stop()
		select {
		case runErr := <-ran:
			return errors.Join(err, runErr)
		case <-time.After(exitWait):
			return errors.Join(err, fmt.Errorf("a task did not return within %v of the input ending; leaving it", exitWait))
		}
	}
}

// read hands the parent's frames to the runner until in ends. A cancel is
// applied at once, even while a task runs.
func (s *server) read(in io.Reader, queue chan<- message) error {
	fr := newFrameReader(in)
	for {
		var m message
		if err := fr.read(&m); err != nil {
			if err == io.EOF {
				return nil
			}
			return fmt.Errorf("reading from the parent: %w", err)
		}
		switch m.Kind {
		case kindCancel:
			s.cancel(m.Seq)
		case kindSpec, kindRun:
			queue <- m
		default:
			return fmt.Errorf("unexpected %s message from the parent", m.Kind)
		}
	}
}

func (s *server) cancel(seq uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancelled = max(s.cancelled, seq)
	if s.seq == seq && s.cancelSeq != nil {
		s.cancelSeq()
	}
}

// contextFor returns the context of batch seq's tasks, cancelled if a
// cancel for seq came before its tasks.
func (s *server) contextFor(seq uint64) context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil || seq != s.seq {
		if s.cancelSeq != nil {
			s.cancelSeq()
		}
		s.seq = seq
		s.ctx, s.cancelSeq = context.WithCancel(s.base)
		if seq <= s.cancelled {
			s.cancelSeq()
		}
	}
	return s.ctx
}

// run prepares specs and runs tasks in the order they came, until queue is
// closed. Once the worker is stopping it skips what is left.
func (s *server) run(queue <-chan message) (err error) {
	var task Task
	var release func() error
	prepErr := errors.New("no workload prepared: tasks came before any spec")
	defer func() {
		if release != nil {
			if rerr := release(); rerr != nil {
				err = errors.Join(err, fmt.Errorf("releasing the workload: %w", rerr))
			}
		}
	}()
	for m := range queue {
		if s.base.Err() != nil {
			continue
		}
		switch m.Kind {
		case kindSpec:
			if release != nil {
				if err := release(); err != nil {
					fmt.Fprintf(os.Stderr, "concbench worker %d: releasing the previous workload: %v\n", os.Getpid(), err)
				}
			}
			// Not under the batch's context: a prepared spec is kept for
			// later batches, so a cancel must not leave a failure cached.
			task, release, prepErr = s.prepare(s.base, m.Spec)
		case kindRun:
			if err := s.runTasks(s.contextFor(m.Seq), m, task, prepErr); err != nil {
				return err
			}
		}
	}
	return nil
}

// prepare builds spec's task, turning a panic in build into an error.
func (s *server) prepare(ctx context.Context, spec Spec) (task Task, release func() error, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("preparing workload %s: %w", spec.Workload, err)
		} else if task == nil {
			err = fmt.Errorf("preparing workload %s: no task built", spec.Workload)
		}
	}()
	defer recoverPanic(&err)
	return s.build(ctx, spec)
}

// runTasks runs tasks m.Lo..m.Hi-1 and reports each, then reports the run
// done. After a cancel it skips the tasks not yet started; the done message
// tells the parent which were never reported.
//
// Results wait in the buffer until the run is over, so that a run costs
// the parent one wake-up rather than one per task; a failure goes out at
// once, so that the parent can stop the batch. If the worker dies, the
// progress record names the task it was in.
func (s *server) runTasks(ctx context.Context, m message, task Task, prepErr error) error {
	for i := m.Lo; i < m.Hi && ctx.Err() == nil; i++ {
		if _, err := s.progress.WriteAt(appendProgress(nil, m.Seq, i), 0); err != nil {
			return fmt.Errorf("recording progress: %w", err)
		}
		r := message{Kind: kindResult, Index: i}
		t0 := time.Now()
		if prepErr != nil {
			r.Status, r.Text = statusError, truncateText(prepErr.Error())
		} else {
			res, err := callTask(ctx, task, i)
			r.Took = time.Since(t0)
			var pe *PanicError
			switch {
			case err == nil:
				r.Bytes, r.Digest = res.Bytes, res.Digest
			case errors.As(err, &pe):
				r.Status, r.Text, r.Stack = statusPanic, truncateText(fmt.Sprint(pe.Value)), truncateText(string(pe.Stack))
			case ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
				r.Status = statusCancelled
			default:
				r.Status, r.Text = statusError, truncateText(err.Error())
			}
		}
		if err := s.write(&r); err != nil {
			return err
		}
		if r.Status == statusError || r.Status == statusPanic {
			if err := s.out.Flush(); err != nil {
				return err
			}
		}
	}
	done := message{Kind: kindDone, Seq: m.Seq, Lo: m.Lo, Hi: m.Hi, CPU: CPUTime()}
	if err := s.write(&done); err != nil {
		return err
	}
	return s.out.Flush()
}

func (s *server) write(m *message) error {
	s.frame = appendFrame(s.frame[:0], m)
	_, err := s.out.Write(s.frame)
	return err
}
