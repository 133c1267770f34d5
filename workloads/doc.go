// Package workloads holds the work that concbench measures: real
// computations whose inputs are generated from a fixed seed, so every run,
// on every machine and in every process, computes the same thing.
//
// A Workload is configured through its parameters (plain struct fields, also
// reachable by name through Params, so a command line or a worker process
// can set them), then prepared once: Prepare generates the inputs and returns
// a Task. Task i is a pure function of i and the parameters; it returns the
// bytes it processed and a digest of its output, so a scheduler that skipped,
// repeated or corrupted a task is caught by comparing digests.
//
// The workloads are listed in one table, All. Each lives in a file of its
// own; those of one family share helpers (compress.go, corpus.go).
package workloads
