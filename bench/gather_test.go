package bench

import "testing"

// BenchmarkGather measures what gathering results through Job.OnResult
// costs on the pool, and what delivering them in index order adds: on
// no-op tasks, ns/task; on skewed tasks, delay-ns and first-ns (see
// GatherCase.bench).
func BenchmarkGather(b *testing.B) { runGroup(b, "BenchmarkGather") }
