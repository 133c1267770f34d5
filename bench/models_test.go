package bench

import (
	"context"
	"testing"
	"time"
)

// BenchmarkModels runs the main matrix: every workload under every model.
// One op is one batch; MB/s counts input bytes, tasks/s completed tasks,
// and cpu-cores the CPU seconds the process spent per wall second.
func BenchmarkModels(b *testing.B) {
	for _, c := range Matrix(testing.Short()) {
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
	// One untimed batch grows the workload's free lists and the model's
	// goroutines to their steady state.
	if _, err := r.Run(ctx); err != nil {
		b.Fatal(err)
	}

	var wall, cpu time.Duration
	var bytes int64
	batches := 0
	for b.Loop() {
		batch, err := r.Run(ctx)
		if err != nil {
			b.Fatal(err)
		}
		wall += batch.Wall
		cpu += batch.CPU
		bytes = batch.Bytes
		batches++
	}
	b.SetBytes(bytes)
	b.ReportMetric(float64(batches*c.Tasks)/wall.Seconds(), "tasks/s")
	b.ReportMetric(cpu.Seconds()/wall.Seconds(), "cpu-cores")
}
