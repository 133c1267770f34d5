package models

import (
	"context"
	"fmt"
	"runtime"
	"time"
)

// A Result is what one task reports: the bytes of input it processed and a
// digest of its output. Workloads define the same struct, so a caller
// converts between the two with models.Result(r). The zero Result is that
// of a task that processed nothing.
type Result struct {
	Bytes  int64
	Digest uint64
}

// A Task computes task i of a batch. It is called at most once per index per
// batch, possibly from many goroutines at once, and should return promptly
// once ctx is done.
type Task func(ctx context.Context, i int) (Result, error)

// A Spec names a workload and its parameters, for models that rebuild the
// task in another process instead of calling Task. The zero Spec names no
// workload, and the process model rejects a Job that carries it.
type Spec struct {
	Workload string
	Params   []string // key=value, in the workload's own syntax
}

// A Stage is one step of a staged task. It gets the output of the stage
// before it (nil for the first stage) and returns its own; the last stage
// returns the task's Result.
type Stage func(ctx context.Context, i int, in any) (any, error)

// A Job is one batch of work. The zero Job has no Task, and Run rejects
// it; a Job with a Task and N of zero is an empty batch.
type Job struct {
	N    int  // number of tasks; indices are 0..N-1
	Task Task // the task to run in-process
	Spec Spec // the same task, for models that run it elsewhere

	// Stages, when set, are the steps Task is made of: running them one
	// after another on the same index gives what Task gives. The pipeline
	// model runs each stage on workers of its own; every other model calls
	// Task. Nil means Task is one step.
	Stages []Stage

	// OnResult, when set, receives the result of every task that
	// succeeded, on one goroutine, so calls never overlap. Order says in
	// which order. Run returns after the last call has returned. The calls
	// cost a channel send per task, plus the wait that ordering adds.
	OnResult func(i int, r Result)
	Order    Order

	// TaskTimes records each task's latency in Batch.Latencies. It costs
	// two clock reads per task, so the overhead benchmarks leave it off.
	TaskTimes bool

	// KeepGoing runs every task even after one fails; the first failure is
	// still returned. Without it the first failure cancels the batch.
	KeepGoing bool
}

// An Order says in which order Job.OnResult receives results.
type Order uint8

const (
	// AsCompleted delivers each result as soon as its task has finished,
	// like concurrent.futures.as_completed. It is the zero value.
	AsCompleted Order = iota
	// InOrder delivers results in increasing index order, like
	// ThreadPoolExecutor.map: a result waits until every task with a lower
	// index has finished (succeeded, failed or been cancelled).
	InOrder
)

func (o Order) String() string {
	if o == InOrder {
		return "ordered"
	}
	return "completed"
}

// A Batch is the outcome of one Job. The zero Batch is that of an empty
// Job.
type Batch struct {
	Tasks     int // tasks submitted: Succeeded + Failed + Cancelled
	Succeeded int
	Failed    int
	Cancelled int // never started, or stopped by the batch's cancellation

	Bytes  int64  // sum of Result.Bytes over succeeded tasks
	Digest Digest // order-independent digest of succeeded tasks

	Wall time.Duration // wall-clock time of the whole batch
	CPU  time.Duration // user+system CPU time of the process (and children) during the batch

	// Latencies holds the latency of every task that ran, in index order,
	// when Job.TaskTimes is set.
	Latencies []time.Duration
}

// A Model runs batches of tasks under one concurrency model. Run returns the
// batch, fully accounted, even when it also returns an error. A Model may be
// used for many batches, one after another or at once.
type Model interface {
	Name() string
	Run(ctx context.Context, job Job) (Batch, error)
}

// Options configure a model. The zero value of each field means its
// default; a model ignores the fields it has no use for (see Entry.Knobs).
type Options struct {
	// Workers bounds concurrency: worker goroutines for pool and pinned,
	// goroutines in flight for semaphore, worker processes for process.
	// Zero means runtime.GOMAXPROCS(0) at the time the model is built, and
	// runtime.NumCPU() for process.
	Workers int
	// Procs is the GOMAXPROCS value pinned runs under. Zero means 1, the
	// single-threaded scheduler that mirrors an asyncio event loop.
	Procs int
	// Fetch is the number of workers on a pipeline's first stage (the
	// crawler's fetchers), and Parse the number on each later stage (its
	// parsers). Zero means runtime.GOMAXPROCS(0) for both.
	Fetch int
	Parse int
}

// Limits on Options, far above any useful value: they catch typos before a
// benchmark tries to start millions of goroutines.
const (
	MaxWorkers = 1 << 16
	MaxProcs   = 1 << 10
)

func (o Options) withDefaults() (Options, error) {
	if o.Workers < 0 || o.Workers > MaxWorkers {
		return o, fmt.Errorf("workers=%d: want 1 to %d (0 means GOMAXPROCS)", o.Workers, MaxWorkers)
	}
	if o.Procs < 0 || o.Procs > MaxProcs {
		return o, fmt.Errorf("procs=%d: want 1 to %d (0 means 1)", o.Procs, MaxProcs)
	}
	if o.Fetch < 0 || o.Fetch > MaxWorkers {
		return o, fmt.Errorf("fetch=%d: want 1 to %d (0 means GOMAXPROCS)", o.Fetch, MaxWorkers)
	}
	if o.Parse < 0 || o.Parse > MaxWorkers {
		return o, fmt.Errorf("parse=%d: want 1 to %d (0 means GOMAXPROCS)", o.Parse, MaxWorkers)
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Fetch == 0 {
		o.Fetch = runtime.GOMAXPROCS(0)
	}
	if o.Parse == 0 {
		o.Parse = runtime.GOMAXPROCS(0)
	}
	if o.Procs == 0 {
		o.Procs = 1
	}
	return o, nil
}

// An Entry describes one model in the table All.
type Entry struct {
	Name string
	Doc  string
	// Knobs lists the Options fields the model uses, by the lower-case
	// names that benchmark names and command flags give them.
	Knobs []string
	// MaxWorkers returns the most workers the model runs on this
	// machine; nil means MaxWorkers, the limit of every Options field.
	MaxWorkers func() int
	// New builds the model. Models that hold resources (worker goroutines
	// or processes) start them here and implement io.Closer; the cost of
	// New is start-up, kept out of batch timings.
	New func(Options) (Model, error)
}

// All lists the models, in the order reports show them.
var All = []Entry{
	{
		Name: "sequential",
		Doc:  "one task after another on the calling goroutine",
		New:  func(Options) (Model, error) { return Sequential{}, nil },
	},
	{
		Name: "spawn",
		Doc:  "one goroutine per task, all started at once",
		New:  func(Options) (Model, error) { return Spawn{}, nil },
	},
	{
		Name:  "pool",
		Doc:   "W long-lived worker goroutines fed task indices over a channel",
		Knobs: []string{"workers"},
		New: func(o Options) (Model, error) {
			o, err := o.withDefaults()
			if err != nil {
				return nil, err
			}
			return NewPool(o.Workers), nil
		},
	},
	{
		Name:  "semaphore",
		Doc:   "one goroutine per task, at most W in flight (golang.org/x/sync/semaphore)",
		Knobs: []string{"workers"},
		New: func(o Options) (Model, error) {
			o, err := o.withDefaults()
			if err != nil {
				return nil, err
			}
			return Semaphore{Workers: o.Workers}, nil
		},
	},
	{
		Name:  "pinned",
		Doc:   "the pool run with GOMAXPROCS=P, restored afterwards",
		Knobs: []string{"workers", "procs"},
		New: func(o Options) (Model, error) {
			o, err := o.withDefaults()
			if err != nil {
				return nil, err
			}
			return NewPinned(o.Procs, o.Workers), nil
		},
	},
	{
		Name:  "gil",
		Doc:   "the pool with one global lock that tasks hold while computing and release while waiting on IO (Python's GIL)",
		Knobs: []string{"workers"},
		New: func(o Options) (Model, error) {
			o, err := o.withDefaults()
			if err != nil {
				return nil, err
			}
			return NewGIL(o.Workers), nil
		},
	},
	{
		Name:  "pipeline",
		Doc:   "a producer, F workers on a job's first stage and P on each later one, joined by channels",
		Knobs: []string{"fetch", "parse"},
		New: func(o Options) (Model, error) {
			o, err := o.withDefaults()
			if err != nil {
				return nil, err
			}
			return Pipeline{Fetch: o.Fetch, Parse: o.Parse}, nil
		},
	},
	{
		Name:  "ants",
		Doc:   "a pool of W workers from github.com/panjf2000/ants/v2, one Submit per task",
		Knobs: []string{"workers"},
		New: func(o Options) (Model, error) {
			o, err := o.withDefaults()
			if err != nil {
				return nil, err
			}
			return NewAnts(o.Workers)
		},
	},
	{
		Name:  "pond",
		Doc:   "a pool of at most W workers from github.com/alitto/pond/v2, one Go per task",
		Knobs: []string{"workers"},
		New: func(o Options) (Model, error) {
			o, err := o.withDefaults()
			if err != nil {
				return nil, err
			}
			return NewPond(o.Workers), nil
		},
	},
	{
		Name:       "process",
		Doc:        "P worker processes (re-executions of this binary) fed task indices over pipes",
		Knobs:      []string{"workers"},
		MaxWorkers: ProcessWorkerLimit,
		New: func(o Options) (Model, error) {
			if limit := ProcessWorkerLimit(); o.Workers < 0 || o.Workers > limit {
				return nil, fmt.Errorf("workers=%d: want 1 to %d processes here (0 means the number of CPUs)", o.Workers, limit)
			}
			if o.Workers == 0 {
				o.Workers = runtime.NumCPU()
			}
			p, err := NewProcess(o.Workers)
			if err != nil {
				return nil, err
			}
			return p, nil
		},
	},
}

// Lookup returns the entry named name.
func Lookup(name string) (Entry, error) {
	for _, e := range All {
		if e.Name == name {
			return e, nil
		}
	}
	return Entry{}, fmt.Errorf("unknown model %q (have %s)", name, Names())
}

// Names returns the models' names, comma-separated, in table order.
func Names() string {
	s := ""
	for i, e := range All {
		if i > 0 {
			s += ", "
		}
		s += e.Name
	}
	return s
}
