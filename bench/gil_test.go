package bench

import "testing"

// BenchmarkGIL runs the GIL lesson (GILSweep): a CPU workload and an
// IO-dominated one under sequential, pool and gil, with the metrics of
// BenchmarkModels.
func BenchmarkGIL(b *testing.B) { runGroup(b, "BenchmarkGIL") }
