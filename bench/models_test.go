package bench

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"
)

// BenchmarkModels runs the main matrix: every workload under every model.
// One op is one batch; MB/s counts input bytes, tasks/s completed tasks,
// and cpu-cores the CPU seconds the process spent per wall second. IO
// workloads also report floor-ratio and their tasks' p50-task-ns and
// p99-task-ns.
func BenchmarkModels(b *testing.B) {
	for _, c := range Matrix(testing.Short()) {
		b.Run(c.Name(), func(b *testing.B) { benchCase(b, c) })
	}
}

// BenchmarkConcurrency runs the IO sweep: each IO workload at each
// concurrency under pool, semaphore and pinned (procs=1), and once under
// spawn, whose concurrency is the whole batch. floor-ratio shows how close
// each comes to ceil(tasks/workers) x latency.
func BenchmarkConcurrency(b *testing.B) {
	for _, c := range Sweep(testing.Short()) {
		b.Run(c.Name(), func(b *testing.B) { benchCase(b, c) })
	}
}

func benchCase(b *testing.B, c Case) {
	ctx := context.Background()
	r, err := Setup(ctx, c)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	if err := r.WarmUp(ctx); err != nil {
		b.Fatal(err)
	}

	var wall, cpu time.Duration
	var bytes int64
	var latencies []time.Duration
	batches := 0
	for b.Loop() {
		batch, err := r.Run(ctx)
		if err != nil {
			b.Fatal(err)
		}
		wall += batch.Wall
		cpu += batch.CPU
		bytes = batch.Bytes
		latencies = append(latencies, batch.Latencies...)
		batches++
	}
	b.SetBytes(bytes)
	b.ReportMetric(float64(batches*c.Tasks)/wall.Seconds(), "tasks/s")
	b.ReportMetric(cpu.Seconds()/wall.Seconds(), "cpu-cores")
	if r.Floor > 0 {
		b.ReportMetric(wall.Seconds()/float64(batches)/r.Floor.Seconds(), "floor-ratio")
	}
	if len(latencies) > 0 {
		slices.Sort(latencies)
		b.ReportMetric(float64(percentile(latencies, 0.50)), "p50-task-ns")
		b.ReportMetric(float64(percentile(latencies, 0.99)), "p99-task-ns")
	}
}

// percentile returns the nearest-rank p-quantile of sorted durations: the
// smallest value that at least a fraction p of them do not exceed.
func percentile(sorted []time.Duration, p float64) time.Duration {
	k := int(math.Ceil(float64(len(sorted))*p)) - 1
	return sorted[max(0, min(k, len(sorted)-1))]
}
