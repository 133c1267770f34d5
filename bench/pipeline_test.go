package bench

import "testing"

// BenchmarkPipeline runs the crawl workload under the pipeline model at
// several numbers of fetch and parse workers (PipelineSweep), with the
// metrics of BenchmarkModels.
func BenchmarkPipeline(b *testing.B) { runGroup(b, "BenchmarkPipeline") }
