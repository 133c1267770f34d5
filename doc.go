// Package concbench says which concurrency model fits a function of your
// own, from numbers measured on this machine, with the rules and words
// that the concbench command uses for its built-in workloads.
//
// Describe the function as a bench.Work: a task that computes item i of a
// batch and returns a digest of its output, so that every model can be
// checked to do the same work. Recommend measures it under every model
// and says which to use, and why. In a _test.go file, bench.Compare runs
// the same models as sub-benchmarks that benchstat reads:
//
//	func BenchmarkEncode(b *testing.B) { bench.Compare(b, encodeWork) }
//
// The process model runs tasks in worker processes, which rebuild the task
// by its name: it needs the work registered with bench.ServeIfWorker first
// thing in main or TestMain. Without it, Recommend and Compare leave the
// process model out.
package concbench
