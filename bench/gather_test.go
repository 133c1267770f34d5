package bench

import (
	"context"
	"testing"
	"time"

	"github.com/concbench/concbench/models"
)

// skewBase is how long a skewed task waits; every eighth waits ten times
// as long, so tasks finish out of index order. Shorter sleeps are not
// kept on every machine: some round a 100us sleep up to a millisecond.
const skewBase = time.Millisecond

// BenchmarkGather measures what gathering results through Job.OnResult
// costs on the pool, and what delivering them in index order adds. On
// no-op tasks, ns/task is the dispatch and gathering cost per task. On
// skewed tasks, delay-ns is the mean time from a task's end to the
// delivery of its result, and first-ns the time from the start of the
// batch to the first delivery: what a consumer of ordered results waits.
func BenchmarkGather(b *testing.B) {
	for _, g := range GatherCases() {
		b.Run(g.Name(), func(b *testing.B) { benchGather(b, g) })
	}
}

func benchGather(b *testing.B, g GatherCase) {
	ctx := context.Background()
	n := overheadTasks
	base := time.Now()
	var ends []time.Duration // since base, per task
	task := noop
	if g.Task == "skewed" {
		n = DefaultTasks
		ends = make([]time.Duration, n)
		task = func(ctx context.Context, i int) (models.Result, error) {
			wait := skewBase
			if i%8 == 0 {
				wait *= 10
			}
			time.Sleep(wait)
			ends[i] = time.Since(base)
			return noop(ctx, i)
		}
	}
	want, err := models.Sequential{}.Run(ctx, models.Job{N: n, Task: noop})
	if err != nil {
		b.Fatal(err)
	}

	var got models.Digest
	var delay, first, start time.Duration
	delivered := 0
	job := models.Job{N: n, Task: task}
	if g.Gather != "none" {
		job.Order = models.AsCompleted
		if g.Gather == models.InOrder.String() {
			job.Order = models.InOrder
		}
		job.OnResult = func(i int, r models.Result) {
			got.Add(i, r)
			if ends != nil {
				now := time.Since(base)
				if got.Count == 1 {
					first += now - start
				}
				delay += now - ends[i]
				delivered++
			}
		}
	}

	p := models.NewPool(g.Workers)
	defer p.Close()
	run := func() {
		got, start = models.Digest{}, time.Since(base)
		batch, err := p.Run(ctx, job)
		if err != nil {
			b.Fatal(err)
		}
		if batch.Digest != want.Digest || (job.OnResult != nil && got != want.Digest) {
			b.Fatalf("batch digest %v, gathered %v, want %v", batch.Digest, got, want.Digest)
		}
	}
	run() // warm-up: the pool's workers, the scheduler
	delay, first, delivered = 0, 0, 0
	batches := 0
	for b.Loop() {
		run()
		batches++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(batches*n), "ns/task")
	if delivered > 0 {
		b.ReportMetric(float64(delay.Nanoseconds())/float64(delivered), "delay-ns")
		b.ReportMetric(float64(first.Nanoseconds())/float64(batches), "first-ns")
	}
}
