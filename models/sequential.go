package models

import "context"

// Sequential runs one task after another on the calling goroutine. It is the
// baseline every other model's digest and speedup is measured against.
type Sequential struct{}

func (Sequential) Name() string { return "sequential" }

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
