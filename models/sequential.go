package models

import (
	"context"

	"github.com/concbench/concbench/benchkey"
)

// Sequential runs one task after another on the calling goroutine. It is the
// baseline every other model's digest and speedup is measured against. Its
// zero value is its only value.
//
// Its cost per task is what every model pays to call a task and account
// for it: 66 to 92ns on no-op tasks (BenchmarkOverhead, the medians of two
// runs on a 2-core VM).
type Sequential struct{}

func (Sequential) Name() string { return benchkey.Sequential }

func (Sequential) Run(ctx context.Context, job Job) (Batch, error) {
	return runBatch(ctx, job, func(b *batch) {
		for i := range job.N {
			if b.ctx.Err() != nil {
				return
			}
			b.exec(i)
		}
	})
}
