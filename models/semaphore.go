package models

import (
	"context"
	"sync"

	"golang.org/x/sync/semaphore"
)

// Semaphore starts a goroutine per task but keeps at most Workers of them in
// flight, the counterpart of asyncio.Semaphore around a crawler's requests.
// Unlike the pool, its goroutines live for one task each.
type Semaphore struct {
	Workers int // goroutines in flight; must be positive
}

func (Semaphore) Name() string { return "semaphore" }

func (s Semaphore) Run(ctx context.Context, job Job) (Batch, error) {
	return runBatch(ctx, job, func(b *batch) {
		sem := semaphore.NewWeighted(int64(s.Workers))
		var wg sync.WaitGroup
		for i := range job.N {
			if sem.Acquire(b.ctx, 1) != nil {
				break
			}
			wg.Go(func() {
				defer sem.Release(1)
				b.exec(i)
			})
		}
		wg.Wait()
	})
}
