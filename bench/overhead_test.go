package bench

import "testing"

// BenchmarkOverhead measures each model's dispatch cost per task on no-op
// tasks: ns/task is the batch time divided by its tasks, and net-ns/task
// the same less sequential's, paired batch by batch. For process it is
// the round trip of a task index to a worker process and of its result
// back, with indices sent in runs (see models.Process); for exec a
// process started per task.
func BenchmarkOverhead(b *testing.B) { runGroup(b, "BenchmarkOverhead") }

// BenchmarkStartup measures what building a model costs before its first
// batch: starting worker goroutines or processes, and stopping them.
func BenchmarkStartup(b *testing.B) { runGroup(b, "BenchmarkStartup") }
