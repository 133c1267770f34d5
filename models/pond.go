package models

import (
	"context"

	"github.com/alitto/pond/v2"
)

// Pond runs each task through a pool of github.com/alitto/pond/v2, one Go
// of a closure per task, with the library's defaults: an unbounded queue
// and at most W workers, started when tasks are queued and stopped when the
// queue runs empty. The batch runner around it is the one every model
// shares, so accounting and digests are the same as the pool's.
//
// A task costs a closure and a trip through the library's queue: 270 to
// 350ns on no-op tasks (BenchmarkOverhead, the medians of two runs on a
// 2-core VM).
//
// Use NewPond; the zero value is not usable: its Run returns an error.
type Pond struct {
	pool pond.Pool
}

// NewPond creates a pond pool of at most workers goroutines (at least one).
// Close stops it.
func NewPond(workers int) *Pond {
	return &Pond{pool: pond.NewPool(max(workers, 1))}
}

func (*Pond) Name() string { return "pond" }

func (p *Pond) Run(ctx context.Context, job Job) (Batch, error) {
	if p.pool == nil {
		return Batch{}, errZero("Pond", "NewPond")
	}
	if p.pool.Stopped() {
		return Batch{}, errClosed
	}
	return runBatch(ctx, job, func(b *batch) { b.submitEach(p.pool.Go) })
}

// Close stops the pool once its queued tasks have run, and waits for its
// workers to return.
func (p *Pond) Close() error {
	if p.pool == nil {
		return nil
	}
	p.pool.StopAndWait()
	return nil
}
