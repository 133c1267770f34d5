package models

import (
	"context"
	"fmt"

	"github.com/sourcegraph/conc/pool"
)

// Conc runs a batch through a github.com/sourcegraph/conc pool, built per
// batch with WithMaxGoroutines(Workers): one Go per task. The library
// starts a goroutine per Go until Workers run, then hands each further
// task to an idle one over an unbuffered channel, and Go blocks while all
// are busy; Wait stops them at the end of the batch. A panic never reaches
// the library: the batch runner every model shares recovers it and fails
// the batch, so that accounting is the same as the other models'. The
// zero value runs GOMAXPROCS tasks at once; Run rejects a Workers below
// zero or above the workers knob's Max (benchkey.Knobs).
//
// A task costs a closure and a hand-off through the library's channel,
// "around 300ns" by the library's own account: 630ns net of the harness
// on no-op tasks here (BenchmarkOverhead, the median of six samples on a
// busy 2-core VM).
type Conc struct {
	Workers int // goroutines at most; zero means runtime.GOMAXPROCS(0) when Run is called
}

func (Conc) Name() string { return "conc" }

func (c Conc) Run(ctx context.Context, job Job) (Batch, error) {
	o, err := Options{Workers: c.Workers}.withDefaults()
	if err != nil {
		return Batch{}, fmt.Errorf("conc: %w", err)
	}
	return runBatch(ctx, job, func(b *batch) {
		p := pool.New().WithMaxGoroutines(o.Workers)
		for i := range job.N {
			if !b.arrive(i) {
				break
			}
			p.Go(func() { b.exec(i) })
		}
		p.Wait()
	})
}
