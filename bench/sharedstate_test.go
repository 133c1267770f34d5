package bench

import "testing"

// BenchmarkSharedState measures the tutorial's Lock lesson: Workers
// goroutines share b.N updates of one counter or map, kept exact by a
// mutex, atomics, an owning goroutine or shards. One op is one update.
// After the timed part, the final counts must be exact or the benchmark
// fails.
func BenchmarkSharedState(b *testing.B) { runGroup(b, "BenchmarkSharedState") }
