package bench

import (
	"context"
	"testing"

	"github.com/concbench/concbench/models"
)

// overheadTasks is the batch size of BenchmarkOverhead: large enough that
// per-batch costs (a goroutine for spawn, a semaphore) vanish per task.
const overheadTasks = 1000

// BenchmarkOverhead measures each model's dispatch cost per task on no-op
// tasks: ns/task is the batch time divided by its tasks. For process it is
// the round trip of a task index to a worker process and of its result
// back, with indices sent in runs (see models.Process).
func BenchmarkOverhead(b *testing.B) {
	job := models.Job{N: overheadTasks, Task: noop, Spec: NoopSpec}
	want, err := models.Sequential{}.Run(context.Background(), job)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range models.All {
		b.Run("model="+e.Name, func(b *testing.B) {
			m, err := e.New(defaultOptions())
			if err != nil {
				b.Fatal(err)
			}
			defer CloseModel(m)
			for b.Loop() {
				got, err := m.Run(context.Background(), job)
				if err != nil {
					b.Fatal(err)
				}
				if got.Digest != want.Digest {
					b.Fatalf("digest %v, want %v", got.Digest, want.Digest)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*overheadTasks), "ns/task")
		})
	}
}

// BenchmarkStartup measures what building a model costs before its first
// batch: starting worker goroutines or processes, and stopping them.
func BenchmarkStartup(b *testing.B) {
	for _, e := range models.All {
		b.Run("model="+e.Name, func(b *testing.B) {
			for b.Loop() {
				m, err := e.New(defaultOptions())
				if err != nil {
					b.Fatal(err)
				}
				if err := CloseModel(m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
