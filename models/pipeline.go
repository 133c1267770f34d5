package models

import (
	"context"
	"fmt"
	"sync"
)

// Pipeline is the tutorial's producer-consumer crawler: a producer sends
// task indices into a channel, Fetch workers run a job's first stage on
// them and pass each output over a channel to Parse workers, which run the
// next stage, and so on; every stage after the first has Parse workers of
// its own. A job without Stages is a one-stage pipeline: a producer and
// Fetch workers running Task.
//
// Each channel holds as many items as the workers that read it, so a slow
// stage holds back the ones before it instead of piling up their outputs.
// The workers live for one batch: starting them costs about a microsecond
// each (BenchmarkStartup does not see it; BenchmarkOverhead does), and each
// stage hand-off costs a channel send and an allocation for the value
// passed on. A one-stage task costs 440 to 510ns on no-op tasks
// (BenchmarkOverhead, the medians of two runs on a 2-core VM).
//
// The zero value runs GOMAXPROCS workers on every stage; Run rejects a
// Fetch or Parse below zero or above its knob's Max (benchkey.Knobs).
type Pipeline struct {
	Fetch int // workers on the first stage; zero means runtime.GOMAXPROCS(0) when Run is called
	Parse int // workers on each later stage; zero means runtime.GOMAXPROCS(0) when Run is called
}

func (Pipeline) Name() string { return "pipeline" }

// A staged item is task i on its way to the next stage with v, the output
// of the one before.
type staged struct {
	i int
	v any
}

func (p Pipeline) Run(ctx context.Context, job Job) (Batch, error) {
	o, err := Options{Fetch: p.Fetch, Parse: p.Parse}.withDefaults()
	if err != nil {
		return Batch{}, fmt.Errorf("pipeline: %w", err)
	}
	p.Fetch, p.Parse = o.Fetch, o.Parse
	return runBatch(ctx, job, func(b *batch) {
		indices := make(chan int, p.Fetch)
		go func() {
			defer close(indices)
			for i := range job.N {
				if !b.arrive(i) {
					return
				}
				select {
				case indices <- i:
				case <-b.ctx.Done():
					return
				}
			}
		}()
		switch len(job.Stages) {
		case 0:
			workers(p.Fetch, func() {
				for i := range indices {
					b.exec(i)
				}
			})
			return
		case 1:
			workers(p.Fetch, func() {
				for i := range indices {
					b.stage(i, 0, nil)
				}
			})
			return
		}

		// feeds[k] carries stage k-1's outputs to stage k. Every worker
		// drains its input to the end, even once the batch is cancelled
		// (stage then returns at once), so that each channel is closed and
		// every goroutine returns.
		last := len(job.Stages) - 1
		feeds := make([]chan staged, last+1)
		for k := 1; k <= last; k++ {
			feeds[k] = make(chan staged, p.Parse)
		}
		go func() {
			workers(p.Fetch, func() {
				for i := range indices {
					if v, ok := b.stage(i, 0, nil); ok {
						send(b, feeds[1], staged{i, v})
					}
				}
			})
			close(feeds[1])
		}()
		for k := 1; k < last; k++ {
			go func() {
				workers(p.Parse, func() {
					for it := range feeds[k] {
						if v, ok := b.stage(it.i, k, it.v); ok {
							send(b, feeds[k+1], staged{it.i, v})
						}
					}
				})
				close(feeds[k+1])
			}()
		}
		// The last stage's workers run here, so Run returns once they do.
		workers(p.Parse, func() {
			for it := range feeds[last] {
				b.stage(it.i, last, it.v)
			}
		})
	})
}

// workers runs n copies of loop and returns when all have returned.
func workers(n int, loop func()) {
	var wg sync.WaitGroup
	for range n {
		wg.Go(loop)
	}
	wg.Wait()
}

// send sends it to ch, or drops it once the batch has ended: its task is
// then counted as cancelled.
func send(b *batch, ch chan<- staged, it staged) {
	select {
	case ch <- it:
	case <-b.ctx.Done():
	}
}
