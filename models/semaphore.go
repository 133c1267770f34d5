package models

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/semaphore"
)

// Semaphore starts a goroutine per task but keeps at most Workers of them in
// flight, the counterpart of asyncio.Semaphore around a crawler's requests.
// Unlike the pool, its goroutines live for one task each. The zero value
// runs GOMAXPROCS tasks at once; Run rejects a Workers below zero or above
// the workers knob's Max (benchkey.Knobs).
//
// A task costs a goroutine, as with Spawn, and an Acquire and Release of
// the semaphore, which park the loop that starts goroutines whenever W are
// in flight: 1.7 to 2.1µs on no-op tasks (BenchmarkOverhead, the medians
// of two runs on a 2-core VM), the most of the in-process models.
type Semaphore struct {
	Workers int // goroutines in flight; zero means runtime.GOMAXPROCS(0) when Run is called
}

func (Semaphore) Name() string { return "semaphore" }

func (s Semaphore) Run(ctx context.Context, job Job) (Batch, error) {
	o, err := Options{Workers: s.Workers}.withDefaults()
	if err != nil {
		return Batch{}, fmt.Errorf("semaphore: %w", err)
	}
	return runBatch(ctx, job, func(b *batch) {
		sem := semaphore.NewWeighted(int64(o.Workers))
		var wg sync.WaitGroup
		for i := range job.N {
			if !b.arrive(i) || sem.Acquire(b.ctx, 1) != nil {
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
