package bench

import "testing"

// BenchmarkModels runs the main matrix: every workload under every model.
// One op is one batch; MB/s counts input bytes, tasks/s completed tasks,
// and cpu-cores the CPU seconds the process spent per wall second. IO
// workloads also report floor-ratio and their tasks' p50-task-ns and
// p99-task-ns.
func BenchmarkModels(b *testing.B) { runGroup(b, "BenchmarkModels") }

// BenchmarkConcurrency runs the IO sweep: each IO workload at each
// concurrency under pool, semaphore and pinned (procs=1), and once under
// spawn, whose concurrency is the whole batch. floor-ratio shows how close
// each comes to ceil(tasks/workers) x latency.
func BenchmarkConcurrency(b *testing.B) { runGroup(b, "BenchmarkConcurrency") }
