package bench

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/concbench/concbench/models"
)

// fastest returns the least wall time of three batches of job under m.
func fastest(t *testing.T, m models.Model, job models.Job, want models.Digest) time.Duration {
	t.Helper()
	var best time.Duration
	for k := range 3 {
		b, err := m.Run(context.Background(), job)
		if err != nil {
			t.Fatal(err)
		}
		if b.Digest != want {
			t.Fatalf("%s: digest %v, want %v", m.Name(), b.Digest, want)
		}
		if k == 0 || b.Wall < best {
			best = b.Wall
		}
	}
	return best
}

// TestGILWithoutIOMarks runs http under gil with the workload's IO marks
// removed (the task never hears of the model's waiter, so it holds the lock
// from start to end) and with them: without, eight workers gain nothing
// over sequential, as CPython threads gain nothing when no call releases
// the GIL; with, the waits overlap.
func TestGILWithoutIOMarks(t *testing.T) {
	c := Case{Workload: "http", Model: "gil", Tasks: 24, Options: models.Options{Workers: 8}, Params: []string{"latency=2ms", "size=1KiB"}}
	r, err := Setup(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.WarmUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	unmarked := r.Job
	unmarked.Task = func(ctx context.Context, i int) (models.Result, error) {
		res, err := r.prepared.Task(ctx, i) // not Adapt: no IO hook
		return models.Result(res), err
	}
	seq := fastest(t, models.Sequential{}, r.Job, r.Want)
	bare := fastest(t, r.Model, unmarked, r.Want)
	marked := fastest(t, r.Model, r.Job, r.Want)
	if bare < seq*9/10 {
		t.Errorf("gil without IO marks %v, sequential %v: want no gain", bare, seq)
	}
	if marked > seq/2 {
		t.Errorf("gil with IO marks %v, sequential %v: want the waits to overlap", marked, seq)
	}
}

// computeProbe stands between the gil model's waiter and the task: it
// counts the tasks outside an IO wait, which hold the lock, and keeps
// the peak.
type computeProbe struct {
	gil        models.IOWaiter
	in, peak   *atomic.Int32
	sawWaiters *atomic.Int32
}

func (p computeProbe) enter() {
	n := p.in.Add(1)
	for {
		old := p.peak.Load()
		if n <= old || p.peak.CompareAndSwap(old, n) {
			return
		}
	}
}

func (p computeProbe) BeginIO() { p.in.Add(-1); p.gil.BeginIO() }
func (p computeProbe) EndIO()   { p.gil.EndIO(); p.enter() }

// TestGILHeldDuringClientWork runs http tasks with large bodies, which
// the client spends CPU copying and the task hashing, under gil with four
// workers: outside the network waits, where all of the client's work runs,
// no two tasks are ever at once, so the lock covers that work.
// (TestClientWaitsOnlyOnTheNetwork, in workloads, checks that the waits are
// the dial and the reads alone.)
func TestGILHeldDuringClientWork(t *testing.T) {
	c := Case{Workload: "http", Model: "gil", Tasks: 32, Options: models.Options{Workers: 4}, Params: []string{"latency=1ms", "size=256KiB"}}
	r, err := Setup(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var in, peak, waiters atomic.Int32
	job := r.Job
	job.Task = func(ctx context.Context, i int) (models.Result, error) {
		p := computeProbe{gil: models.IOWaiterFrom(ctx), in: &in, peak: &peak, sawWaiters: &waiters}
		if p.gil == nil {
			return models.Result{}, errors.New("no IOWaiter in a gil task's context")
		}
		waiters.Add(1)
		p.enter()
		defer p.in.Add(-1)
		return r.Job.Task(models.WithIOWaiter(ctx, p), i)
	}
	b, err := r.Model.Run(context.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	if b.Digest != r.Want || waiters.Load() != int32(c.Tasks) {
		t.Fatalf("digest %v want %v; %d tasks saw the gil's waiter", b.Digest, r.Want, waiters.Load())
	}
	if p := peak.Load(); p != 1 {
		t.Errorf("%d tasks did client work at once under gil, want 1", p)
	}
}
