package workloads

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kind says what bounds a workload's speed.
type Kind int

const (
	CPU Kind = iota // bounded by computation
	IO              // bounded by waiting: network, disk, timers
)

func (k Kind) String() string {
	if k == IO {
		return "io"
	}
	return "cpu"
}

// A Result is what one task reports: the bytes of input it processed and a
// digest of its output. It has the same fields as models.Result.
type Result struct {
	Bytes  int64
	Digest uint64
}

// A Task computes task i. It is safe to call from many goroutines at once.
type Task func(ctx context.Context, i int) (Result, error)

// A Workload is one kind of work with its parameters. The zero value of
// every workload type in All is not usable: Prepare rejects it with an
// error that names the field. Lookup returns one with default parameters.
type Workload interface {
	Kind() Kind
	// Params lists the parameters, bound to the workload's fields.
	Params() []Param
	// Shrink sets small inputs that still take every code path, for tests
	// and for the -short benchmarks.
	Shrink()
	// Prepare generates the inputs and returns the task. Close releases
	// what Prepare acquired.
	Prepare(ctx context.Context) (*Prepared, error)
}

// A Prepared workload is ready to run tasks.
type Prepared struct {
	Task Task
	// Stages, when set, are the steps Task is made of (see Compose), for
	// models that run each step on workers of its own. Nil means Task is
	// one step.
	Stages []Stage
	Close  func() error // nil when there is nothing to release

	// Latency is the least time one task takes however many run at once:
	// the wait an IO workload builds in (a server's delay), or, where the
	// device sets it, the fastest of a few tasks run alone in Prepare.
	// N tasks at concurrency C cannot finish in less than
	// ceil(N/C) x Latency. Zero means no such floor: CPU workloads.
	Latency time.Duration

	// ServerCPU, when set, returns the CPU time used so far by the
	// servers the tasks talk to, which run in a process of their own
	// (the server parameter): the client's CPU time leaves it out.
	ServerCPU func() time.Duration
	// Remote lists parameters, key=value, with which the same workload
	// prepared in another process reaches these servers rather than
	// starting its own: how the process model's workers share one.
	Remote []string
}

// An Entry names a workload in the table All.
type Entry struct {
	Name string
	Doc  string
	New  func() Workload // a fresh workload with default parameters
}

// All lists the workloads, in the order reports show them.
var All = []Entry{
	{"zstd-fastest", "zstd compression, fastest level (klauspost/compress)", func() Workload { return &Zstd{Size: 1 << 20, Level: "fastest"} }},
	{"zstd", "zstd compression, default level (klauspost/compress)", func() Workload { return &Zstd{Size: 1 << 20, Level: "default"} }},
	{"s2", "S2 (Snappy-compatible) block compression (klauspost/compress)", func() Workload { return &S2{Size: 1 << 20} }},
	{"gzip", "gzip compression, default level (klauspost/compress)", func() Workload { return &Gzip{Size: 1 << 20} }},
	{"stdgzip", "gzip compression, default level (standard library, the baseline codec)", func() Workload { return &StdGzip{Size: 1 << 20} }},
	{"sha256", "SHA-256 of each input (crypto/sha256)", func() Workload { return &SHA256{Size: 1 << 20} }},
	{"xxh3", "XXH3 64-bit hash of each input (zeebo/xxh3), a fast non-cryptographic hash", func() Workload { return &XXH3{Size: 1 << 20} }},
	{"regex-prefix", "regexp with a literal prefix over web-server logs (Go's fast path)", func() Workload { return &Regex{Size: 64 << 10, Pattern: "prefix"} }},
	{"regex-alt", "regexp alternation over web-server logs (no literal prefix: the slow path)", func() Workload { return &Regex{Size: 64 << 10, Pattern: "alt"} }},
	{"http", "HTTP GET from a loopback server that waits 10ms before each answer (net/http)", func() Workload {
		return &HTTP{Latency: 10 * time.Millisecond, Size: 2 << 10, Timeout: 5 * time.Second}
	}},
	{"fanout-serial", "HTTP request whose handler reads a file, queries a 2ms database and calls an 8ms API, one after another", func() Workload {
		return &Fanout{Handler: "serial", Calls: 3, Latency: 8 * time.Millisecond, DBLatency: 2 * time.Millisecond, Size: 1 << 10, Timeout: 5 * time.Second}
	}},
	{"fanout-concurrent", "the same request, with the handler making its backend calls all at once", func() Workload {
		return &Fanout{Handler: "concurrent", Calls: 3, Latency: 8 * time.Millisecond, DBLatency: 2 * time.Millisecond, Size: 1 << 10, Timeout: 5 * time.Second}
	}},
	{"file", "write, fsync, read back and remove a 64KiB file per task, in a directory opened with os.Root", func() Workload {
		return &File{Size: 64 << 10, Fsync: true}
	}},
	{"crawl", "fetch a generated page over loopback HTTP, then extract its links and words with regexp (two stages)", func() Workload { return &Crawl{Size: 8 << 10, Latency: 5 * time.Millisecond} }},
}

// Lookup returns a fresh workload with default parameters.
func Lookup(name string) (Workload, error) {
	if i := slices.IndexFunc(All, func(e Entry) bool { return e.Name == name }); i >= 0 {
		return All[i].New(), nil
	}
	return nil, fmt.Errorf("unknown workload %q (have %s)", name, strings.Join(Names(), ", "))
}

// Names returns the workloads' names in table order.
func Names() []string {
	names := make([]string, len(All))
	for i, e := range All {
		names[i] = e.Name
	}
	return names
}
