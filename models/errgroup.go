package models

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// ErrGroup runs a batch through a golang.org/x/sync/errgroup.Group with
// SetLimit(Workers): one Go per task, a goroutine per task with at most
// Workers in flight, the idiomatic bounded fan-out of Go code. Go blocks
// while Workers tasks run. The group's own error and cancellation go
// unused: the batch runner every model shares already fails and cancels
// the batch on the first error, so that accounting is the same as the
// other models'. The zero value runs GOMAXPROCS tasks at once; Run
// rejects a Workers below zero or above the workers knob's Max
// (benchkey.Knobs).
//
// A task costs a goroutine, as with Spawn, and a send and receive on the
// group's limiting channel, which park the loop that calls Go whenever W
// are in flight: 1.1µs per task net of the harness on no-op tasks
// (BenchmarkOverhead, the median of six samples on a busy 2-core VM).
type ErrGroup struct {
	Workers int // goroutines in flight; zero means runtime.GOMAXPROCS(0) when Run is called
}

func (ErrGroup) Name() string { return "errgroup" }

func (g ErrGroup) Run(ctx context.Context, job Job) (Batch, error) {
	o, err := Options{Workers: g.Workers}.withDefaults()
	if err != nil {
		return Batch{}, fmt.Errorf("errgroup: %w", err)
	}
	return runBatch(ctx, job, func(b *batch) {
		var eg errgroup.Group
		eg.SetLimit(o.Workers)
		for i := range job.N {
			if !b.arrive(i) {
				break
			}
			eg.Go(func() error {
				b.exec(i)
				return nil
			})
		}
		eg.Wait()
	})
}
