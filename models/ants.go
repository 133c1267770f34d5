package models

import (
	"context"
	"time"

	"github.com/panjf2000/ants/v2"
)

// Ants runs each task through a pool of github.com/panjf2000/ants/v2, one
// Submit of a closure per task, with the library's defaults: Submit blocks
// while all W workers are busy, and workers idle for a second are stopped
// and restarted on demand. The batch runner around it is the one every
// model shares, so accounting and digests are the same as the pool's.
//
// A task costs a closure, a Submit and a hand-off to a worker through the
// library's locked queue of idle workers: 1.2 to 1.7µs on no-op tasks
// (BenchmarkOverhead, the medians of two runs on a 2-core VM).
//
// Use NewAnts; the zero value is not usable: its Run returns an error.
type Ants struct {
	pool *ants.Pool
}

// NewAnts starts an ants pool of workers goroutines (at least one). Close
// releases it.
func NewAnts(workers int) (*Ants, error) {
	p, err := ants.NewPool(max(workers, 1))
	if err != nil {
		return nil, err
	}
	return &Ants{pool: p}, nil
}

func (*Ants) Name() string { return "ants" }

func (a *Ants) Run(ctx context.Context, job Job) (Batch, error) {
	if a.pool == nil {
		return Batch{}, errZero("Ants", "NewAnts")
	}
	if a.pool.IsClosed() {
		return Batch{}, errClosed
	}
	return runBatch(ctx, job, func(b *batch) { b.submitEach(a.pool.Submit) })
}

// Close releases the pool and waits for its goroutines to return.
func (a *Ants) Close() error {
	if a.pool == nil || a.pool.IsClosed() {
		return nil
	}
	return a.pool.ReleaseTimeout(time.Minute)
}
