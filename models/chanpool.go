package models

import (
	"context"
	"fmt"
	"sync"
)

// ChanPool is the textbook worker pool: per batch, Workers goroutines
// range over one channel of task indices, and the caller sends each index
// once, then closes the channel and waits. The channel holds Workers
// indices, so the sender runs at most that far ahead. Unlike Pool, whose
// workers live across batches and claim indices with an atomic counter, it
// pays a channel send and receive per task, and parks and wakes goroutines
// whenever the channel fills or empties: 410ns per task net of the
// harness on no-op tasks, where Pool pays 27ns (BenchmarkOverhead, the
// medians of six samples on a busy 2-core VM). The zero value runs GOMAXPROCS
// workers; Run rejects a Workers below zero or above the workers knob's
// Max (benchkey.Knobs).
type ChanPool struct {
	Workers int // worker goroutines; zero means runtime.GOMAXPROCS(0) when Run is called
}

func (ChanPool) Name() string { return "chanpool" }

func (c ChanPool) Run(ctx context.Context, job Job) (Batch, error) {
	o, err := Options{Workers: c.Workers}.withDefaults()
	if err != nil {
		return Batch{}, fmt.Errorf("chanpool: %w", err)
	}
	return runBatch(ctx, job, func(b *batch) {
		indices := make(chan int, o.Workers)
		var wg sync.WaitGroup
		for range min(o.Workers, job.N) {
			wg.Go(func() {
				for i := range indices {
					b.exec(i)
				}
			})
		}
	send:
		for i := range job.N {
			if !b.arrive(i) {
				break
			}
			select {
			case indices <- i:
			case <-b.ctx.Done():
				break send
			}
		}
		close(indices)
		wg.Wait()
	})
}
