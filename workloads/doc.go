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
// The CPU workloads compress, hash or search their inputs. The IO workloads
// wait: http fetches a body from a loopback server that answers after a set
// latency; fanout-serial and fanout-concurrent send a request whose handler
// reads a file, queries a stand-in database and calls a second server; file
// writes, syncs, reads back and removes a file. Their servers start in
// Prepare, listen on 127.0.0.1 only and stop in Close, so start-up stays out
// of batch timings; their digests cover the bytes that came back, which
// depend only on the task's index. Prepared.Latency gives the least time one
// of their tasks takes, the floor against which a batch is judged.
//
// The workloads are listed in one table, All. Each lives in a file of its
// own; those of one family share helpers (compress.go and corpus.go for the
// CPU workloads, loopback.go for the IO ones).
package workloads
