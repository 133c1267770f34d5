package models

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/concbench/concbench/benchkey"
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

	// TaskTimes records each task's service time in Batch.Latencies and
	// its sojourn time in Batch.Sojourns. It costs three clock reads per
	// task, so the overhead benchmarks leave it off.
	TaskTimes bool

	// Arrive, when set, makes the batch open-loop: requests arrive over
	// time rather than all at once. Arrive(ctx, i) returns when task i
	// has arrived, or once ctx is done, with the time it arrived (zero
	// for now), which is in the past when the model asks late; sojourn
	// times count from it. The model hands task i out only after Arrive
	// has returned: models that start a goroutine (or a
	// process) per task call it in their submitting loop, so none exists
	// before its task arrives, and the pipeline and chanpool in their
	// producer; pooled workers (pool, pinned, gil) call it after claiming
	// the index, so an index waits in order behind busy workers.
	// It is called once per index, in increasing order by one loop, or
	// from several workers at once for different indices. The process
	// model rejects it. Nil, the zero value, means every task arrived
	// when the batch began; set, it costs one call per task.
	Arrive func(ctx context.Context, i int) time.Time

	// ServerCPU, when set, returns the CPU time used so far by servers
	// that the tasks talk to in processes of their own, which the batch's
	// CPU leaves out. Run calls it before and after the batch, outside
	// its Wall, and puts the difference in Batch.ServerCPU.
	ServerCPU func() time.Duration

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

	// ServerCPU is the CPU time the job's servers used during the batch
	// (Job.ServerCPU); zero without them.
	ServerCPU time.Duration

	// Latencies holds the service time of every task that ran, in index
	// order, when Job.TaskTimes is set: from the moment a worker started
	// it (its last stage, for a staged task) to its end.
	Latencies []time.Duration
	// Sojourns holds, for the same tasks in the same order, the time
	// from the batch's start (or, with Job.Arrive, from the task's
	// arrival) to the task's end as the batch saw it: the
	// service time plus the wait for a worker (and, under process, the
	// trip of its result back). A task's sojourn is never below its
	// service time.
	Sojourns []time.Duration
}

// A Model runs batches of tasks under one concurrency model. Run returns the
// batch, fully accounted, even when it also returns an error. A Model may be
// used for many batches, one after another or at once.
type Model interface {
	Name() string
	Run(ctx context.Context, job Job) (Batch, error)
}

// Options configure a model. The zero value of each field means its
// default; a model ignores the fields it has no use for. Each field is a
// knob of benchkey.Knobs, which says what it does, its default, its limits
// and which models take it.
type Options struct {
	Workers int
	Procs   int
	Fetch   int
	Parse   int
}

// knob returns the field of o that holds k.
func (o *Options) knob(k benchkey.Knob) *int {
	return reflect.ValueOf(o).Elem().FieldByName(k.Name).Addr().Interface().(*int)
}

// Get returns the knob whose key is key (a benchkey knob key), 0 when
// there is no such knob.
func (o Options) Get(key string) int {
	k, ok := benchkey.Lookup(key)
	if !ok {
		return 0
	}
	return *o.knob(k)
}

// Set sets the knob whose key is key; it reports false, changing nothing,
// when there is no such knob.
func (o *Options) Set(key string, v int) bool {
	k, ok := benchkey.Lookup(key)
	if ok {
		*o.knob(k) = v
	}
	return ok
}

// SetFlag sets every knob that the setting flag sets (benchkey.Knob.Flag):
// the workers flag sets a pipeline's fetchers too.
func (o *Options) SetFlag(flag string, v int) {
	for _, k := range benchkey.Knobs {
		if k.Flag == flag {
			*o.knob(k) = v
		}
	}
}

// withDefaults checks every knob against its limits and replaces each
// zero by the knob's default.
func (o Options) withDefaults() (Options, error) {
	for _, k := range benchkey.Knobs {
		v := o.knob(k)
		if *v < 0 || *v > k.Max {
			return o, fmt.Errorf("%s=%d: want 1 to %d (0 means %s)", k.Key, *v, k.Max, k.DefaultDoc)
		}
		if *v == 0 {
			*v = k.Default()
		}
	}
	return o, nil
}

// defaulted wraps a model's constructor so that it gets checked options
// with every default filled in.
func defaulted(build func(Options) (Model, error)) func(Options) (Model, error) {
	return func(o Options) (Model, error) {
		o, err := o.withDefaults()
		if err != nil {
			return nil, err
		}
		return build(o)
	}
}

// An Entry describes one model in the table All. The knobs it takes are
// those of benchkey.Knobs that name it.
type Entry struct {
	Name string
	Doc  string
	// MaxWorkers returns the most workers the model runs on this
	// machine; nil means the workers knob's Max (benchkey.Knobs).
	MaxWorkers func() int
	// Remote says the model runs Job.Spec in processes of its own rather
	// than calling Job.Task, so it can run only work that the binary's
	// worker mode can rebuild (see ServeIfWorker).
	Remote bool
	// New builds the model. Models that hold resources (worker goroutines
	// or processes) start them here and implement io.Closer; the cost of
	// New is start-up, kept out of batch timings.
	New func(Options) (Model, error)
}

// Knobs returns the knobs the model takes, in table order.
func (e Entry) Knobs() []benchkey.Knob {
	var ks []benchkey.Knob
	for _, k := range benchkey.Knobs {
		if k.Takes(e.Name) {
			ks = append(ks, k)
		}
	}
	return ks
}

// Takes reports whether the model takes the knob whose key is key.
func (e Entry) Takes(key string) bool {
	k, ok := benchkey.Lookup(key)
	return ok && k.Takes(e.Name)
}

// Values returns o's values of the knobs the model takes, as its
// benchmark names carry them; a knob left at zero stays zero.
func (e Entry) Values(o Options) benchkey.Values {
	var v benchkey.Values
	for _, k := range e.Knobs() {
		v.Set(k.Key, *o.knob(k))
	}
	return v
}

// Concurrency returns how many of a batch of tasks the model has under
// way at once under o, with zeros read as their defaults (see
// benchkey.ConcurrencyOf).
func (e Entry) Concurrency(o Options, tasks int) benchkey.Concurrency {
	if d, err := o.withDefaults(); err == nil {
		o = d
	}
	return benchkey.ConcurrencyOf(e.Name, e.Values(o), tasks)
}

// All lists the models, in the order reports show them.
var All = []Entry{
	{
		Name: benchkey.Sequential,
		Doc:  "one task after another on the calling goroutine",
		New:  func(Options) (Model, error) { return Sequential{}, nil },
	},
	{
		Name: "spawn",
		Doc:  "one goroutine per task, all started at once",
		New:  func(Options) (Model, error) { return Spawn{}, nil },
	},
	{
		Name: "pool",
		Doc:  "W long-lived worker goroutines; a batch is offered to them over a channel, and each claims its next task index with an atomic counter",
		New:  defaulted(func(o Options) (Model, error) { return NewPool(o.Workers), nil }),
	},
	{
		Name: "semaphore",
		Doc:  "one goroutine per task, at most W in flight (golang.org/x/sync/semaphore)",
		New:  defaulted(func(o Options) (Model, error) { return Semaphore{Workers: o.Workers}, nil }),
	},
	{
		Name: "errgroup",
		Doc:  "one goroutine per task, at most W in flight (golang.org/x/sync/errgroup with SetLimit)",
		New:  defaulted(func(o Options) (Model, error) { return ErrGroup{Workers: o.Workers}, nil }),
	},
	{
		Name: "chanpool",
		Doc:  "the textbook worker pool: W goroutines per batch ranging over a channel, one send per task",
		New:  defaulted(func(o Options) (Model, error) { return ChanPool{Workers: o.Workers}, nil }),
	},
	{
		Name: "conc",
		Doc:  "a pool of at most W goroutines per batch from github.com/sourcegraph/conc, one Go per task",
		New:  defaulted(func(o Options) (Model, error) { return Conc{Workers: o.Workers}, nil }),
	},
	{
		Name: "pinned",
		Doc:  "the pool run with GOMAXPROCS=P, restored afterwards",
		New:  defaulted(func(o Options) (Model, error) { return NewPinned(o.Procs, o.Workers), nil }),
	},
	{
		Name: "gil",
		Doc:  "the pool with one global lock that tasks hold while computing and release while waiting on IO (Python's GIL)",
		New:  defaulted(func(o Options) (Model, error) { return NewGIL(o.Workers), nil }),
	},
	{
		Name: "pipeline",
		Doc:  "a producer, F workers on a job's first stage and P on each later one, joined by channels",
		New:  defaulted(func(o Options) (Model, error) { return Pipeline{Fetch: o.Fetch, Parse: o.Parse}, nil }),
	},
	{
		Name: "ants",
		Doc:  "a pool of W workers from github.com/panjf2000/ants/v2, one Submit per task",
		New:  defaulted(func(o Options) (Model, error) { return NewAnts(o.Workers) }),
	},
	{
		Name: "pond",
		Doc:  "a pool of at most W workers from github.com/alitto/pond/v2, one Go per task",
		New:  defaulted(func(o Options) (Model, error) { return NewPond(o.Workers), nil }),
	},
	{
		Name:       "process",
		Doc:        "P worker processes (re-executions of this binary) fed task indices over pipes",
		MaxWorkers: ProcessWorkerLimit,
		Remote:     true,
		New: processes(func(w int) (Model, error) {
			p, err := NewProcess(w)
			if err != nil {
				return nil, err // not a nil *Process in a non-nil Model
			}
			return p, nil
		}),
	},
	{
		Name:       "exec",
		Doc:        "one OS process per task (a re-execution of this binary that runs it and exits), at most W at once",
		MaxWorkers: ProcessWorkerLimit,
		Remote:     true,
		New: processes(func(w int) (Model, error) {
			e, err := NewExec(w)
			if err != nil {
				return nil, err
			}
			return e, nil
		}),
	},
}

// processes wraps the constructor of a model whose workers are
// processes: zero workers means one per CPU, and the limit is what the
// memory here holds rather than the knob's.
func processes(build func(workers int) (Model, error)) func(Options) (Model, error) {
	return func(o Options) (Model, error) {
		if limit := ProcessWorkerLimit(); o.Workers < 0 || o.Workers > limit {
			return nil, fmt.Errorf("workers=%d: want 1 to %d processes here (0 means the number of CPUs)", o.Workers, limit)
		}
		if o.Workers == 0 {
			o.Workers = runtime.NumCPU()
		}
		return build(o.Workers)
	}
}

// Lookup returns the entry named name.
func Lookup(name string) (Entry, error) {
	if i := slices.IndexFunc(All, func(e Entry) bool { return e.Name == name }); i >= 0 {
		return All[i], nil
	}
	return Entry{}, fmt.Errorf("unknown model %q (have %s)", name, strings.Join(Names(), ", "))
}

// Names returns the models' names in table order.
func Names() []string {
	names := make([]string, len(All))
	for i, e := range All {
		names[i] = e.Name
	}
	return names
}
