// Package bench joins workloads to models. Its test files hold the
// go test -bench entry points; this file holds what they share with the
// concbench command: the benchmark matrix, its names, and the set-up that
// turns a Case into a runnable batch whose digest is checked against the
// sequential model's.
//
// work.go does the same for a function of the user's own: a Work is
// measured by Compare in a benchmark, as BenchmarkModels measures the
// workloads, and registered for the process model by ServeIfWorker.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/workloads"
)

// A Case is one cell of the matrix: a workload with its parameters, run in
// batches of Tasks tasks under one model.
type Case struct {
	Workload string
	Params   []string // workload parameters, key=value, over its defaults
	Model    string
	Options  models.Options
	Tasks    int
	Short    bool // shrink the workload's inputs (Workload.Shrink) before Params
}

// DefaultTasks is the batch size of the matrix: enough tasks that a batch
// keeps 16 workers busy several times over.
const DefaultTasks = 64

// ShortTasks is the batch size under -short.
const ShortTasks = 8

// The IO workloads run bigger batches at a higher concurrency: their tasks
// wait rather than compute, so what matters is how many wait at once.
// 256 tasks of 10ms at 64 workers take four rounds, 40ms at best; the
// sequential model needs 2.6s.
const (
	IOTasks   = 256
	IOWorkers = 64
	// ShortIOWorkers is IOWorkers under -short, below ShortTasks so that
	// a batch still queues.
	ShortIOWorkers = 4
)

// SweepWorkers lists the concurrencies of the IO sweep (BenchmarkConcurrency).
func SweepWorkers(short bool) []int {
	if short {
		return []int{1, 4}
	}
	return []int{1, 4, 16, 64, 256}
}

// sweepModels are the models of the IO sweep: pinned runs with procs=1, Go's
// counterpart of an asyncio event loop. spawn has no workers knob: its
// concurrency is the whole batch, so it runs once per workload.
var sweepModels = []string{"spawn", "pool", "semaphore", "pinned"}

// A Resolved is a Case with its names looked up once: the model's entry
// and the workload with the case's parameters set.
type Resolved struct {
	Case
	Entry      models.Entry
	Configured workloads.Workload // Shrink (under Short) and Params applied
}

// Resolve looks up c's model and workload and configures the workload. On
// error the fields it could fill are filled, so that Name still names
// what it can.
func (c Case) Resolve() (Resolved, error) {
	r := Resolved{Case: c}
	var err error
	if r.Entry, err = models.Lookup(c.Model); err != nil {
		r.Entry = models.Entry{}
		return r, err
	}
	w, err := workloads.Lookup(c.Workload)
	if err != nil {
		return r, err
	}
	if c.Short {
		w.Shrink()
	}
	if err := workloads.Configure(w, c.Params); err != nil {
		return r, fmt.Errorf("workload %s: %w", c.Workload, err)
	}
	r.Configured = w
	return r, nil
}

// Name returns the case's benchmark sub-name. See Resolved.Name.
func (c Case) Name() string {
	r, _ := c.Resolve()
	return r.Name()
}

// Name returns the case's benchmark sub-name, key=value pairs joined by
// slashes: workload, model, the knobs the model takes, tasks, the
// workload's size and latencies (named in nameParams) as configured, then
// any other parameters that Params set.
func (r Resolved) Name() string {
	parts := []string{benchkey.Workload + "=" + r.Case.Workload, benchkey.Model + "=" + r.Model}
	parts = append(parts, r.Knobs().Pairs()...)
	parts = append(parts, benchkey.Tasks+"="+strconv.Itoa(r.Tasks))
	named := r.named()
	parts = append(parts, named...)
	for _, kv := range r.Params {
		if !slices.Contains(named, kv) {
			parts = append(parts, kv)
		}
	}
	return strings.Join(parts, "/")
}

// Knobs returns the values of the knobs the model takes, as the name
// carries them.
func (r Resolved) Knobs() benchkey.Values { return r.Entry.Values(r.Options) }

// Concurrency returns how many of the case's tasks its model has under
// way at once.
func (r Resolved) Concurrency() benchkey.Concurrency {
	return r.Entry.Concurrency(r.Options, r.Tasks)
}

// nameParams are the parameters that every benchmark name shows, when the
// workload has them: what a reader needs to know to read the numbers.
var nameParams = []string{"size", "latency", "db-latency"}

// named returns the workload's nameParams as configured, key=value.
func (r Resolved) named() []string {
	if r.Configured == nil {
		return nil
	}
	var kvs []string
	for _, name := range nameParams {
		for _, p := range r.Configured.Params() {
			if p.Name == name {
				kvs = append(kvs, name+"="+p.Value.String())
			}
		}
	}
	return kvs
}

// A Runner runs one Case's batches.
type Runner struct {
	Case  Resolved // Configured is nil for a Work
	Kind  workloads.Kind
	Model models.Model
	// Job records task times (Job.TaskTimes) for IO workloads, whose
	// latency spread is part of the result.
	Job models.Job
	// Want is the sequential model's digest for the same job.
	Want models.Digest
	// Floor is the least time a batch can take, ceil(N/C) x L for N tasks
	// of latency L (workloads.Prepared.Latency) at C tasks in flight; zero
	// for workloads without such a floor.
	Floor time.Duration
	// Overshoot is how late the runtime's timers fire for a wait of
	// the workload's latency (TimerOvershoot); zero without a floor.
	Overshoot time.Duration

	prepared *workloads.Prepared
	peak     goroutinePeak // observed by the tasks of Job
	params   []string      // every workload parameter, key=value; nil for a Work
}

// Params returns every parameter of the workload as it runs, key=value
// (workloads.Encode), without the address of the servers started for it:
// for a Work, its Params.
func (r *Runner) Params() []string {
	if r.params == nil {
		return r.Job.Spec.Params
	}
	return r.params
}

// Setup resolves c and sets it up; see Resolved.Setup.
func Setup(ctx context.Context, c Case) (*Runner, error) {
	rc, err := c.Resolve()
	if err != nil {
		return nil, err
	}
	return rc.Setup(ctx)
}

// Setup prepares the workload, starts the model and computes the reference
// digest, all of which a benchmark keeps out of its timings. Close the
// Runner when done.
func (c Resolved) Setup(ctx context.Context) (*Runner, error) {
	if c.Tasks < 1 {
		return nil, fmt.Errorf("tasks=%d: want 1 or more", c.Tasks)
	}
	w := c.Configured
	p, err := w.Prepare(ctx)
	if err != nil {
		return nil, fmt.Errorf("workload %s: %w", c.Case.Workload, err)
	}
	// An empty addr= says only that the servers were started here.
	params := slices.DeleteFunc(workloads.Encode(w), func(kv string) bool { return kv == "addr=" })
	r := &Runner{Case: c, Kind: w.Kind(), prepared: p, params: params}
	r.Job = models.Job{
		N:      c.Tasks,
		Task:   Adapt(p.Task),
		Stages: AdaptStages(p.Stages),
		// The process model's workers reach the servers prepared here
		// (p.Remote), rather than each starting its own.
		Spec:      models.Spec{Workload: c.Case.Workload, Params: append(slices.Clip(r.params), p.Remote...)},
		TaskTimes: w.Kind() == workloads.IO,
		ServerCPU: p.ServerCPU,
	}
	if p.Latency > 0 {
		in := c.Concurrency().InFlight
		r.Floor = time.Duration((c.Tasks+in-1)/in) * p.Latency
		r.Overshoot = TimerOvershoot(p.Latency)
	}
	return r.start(ctx)
}

// start computes the reference digest and starts the model; on an error
// it closes r.
func (r *Runner) start(ctx context.Context) (*Runner, error) {
	var err error
	if r.Want, err = reference(ctx, r.Job, r.Params()); err != nil {
		r.Close()
		return nil, fmt.Errorf("%s: sequential reference run: %w", r.Case.Name(), err)
	}
	if r.Model, err = r.Case.Entry.New(r.Case.Options); err != nil {
		r.Close()
		return nil, fmt.Errorf("model %s: %w", r.Case.Model, err)
	}
	r.Job = r.peak.watch(r.Job)
	return r, nil
}

// Probe starts a probe of one sample of r's batches, which records the
// peak of goroutines its tasks saw (in this process: a remote model's
// workers are not counted); with mem it also counts allocations.
func (r *Runner) Probe(mem bool) *Probe { return startProbe(mem, &r.peak) }

// Run runs one batch and checks its digest against the sequential one.
func (r *Runner) Run(ctx context.Context) (models.Batch, error) {
	b, err := r.Model.Run(ctx, r.Job)
	if err == nil && b.Digest != r.Want {
		err = fmt.Errorf("%s: digest %v, sequential run gave %v: the model did not do the same work", r.Case.Name(), b.Digest, r.Want)
	}
	return b, err
}

// WarmUp runs one untimed batch of as many tasks as the model holds in
// flight at once, and no more: enough to open the connections, grow the
// free lists and start the goroutines that a full batch uses, at the cost
// of one round rather than of a whole batch (2.6s for 256 sequential tasks
// of 10ms).
func (r *Runner) WarmUp(ctx context.Context) error {
	job := r.Job
	job.N = r.Case.Concurrency().InFlight
	_, err := r.Model.Run(ctx, job)
	return err
}

// Close stops the model and releases the workload.
func (r *Runner) Close() error {
	var errs []error
	if r.Model != nil {
		errs = append(errs, CloseModel(r.Model))
	}
	if r.prepared != nil && r.prepared.Close != nil {
		errs = append(errs, r.prepared.Close())
	}
	return errors.Join(errs...)
}

// CloseModel stops a model that holds resources.
func CloseModel(m models.Model) error {
	if c, ok := m.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// Adapt turns a workload's task into a model's task. It also carries the
// model's IO waiter, if any, to the workload's WaitIO calls.
func Adapt(t workloads.Task) models.Task {
	return func(ctx context.Context, i int) (models.Result, error) {
		r, err := t(bridgeIO(ctx), i)
		return models.Result(r), err
	}
}

// AdaptStages turns a workload's stages into a model's, as Adapt does its
// task; the last stage's workloads.Result becomes a models.Result.
func AdaptStages(stages []workloads.Stage) []models.Stage {
	if len(stages) == 0 {
		return nil
	}
	out := make([]models.Stage, len(stages))
	for k, s := range stages {
		out[k] = func(ctx context.Context, i int, in any) (any, error) {
			v, err := s(bridgeIO(ctx), i, in)
			if r, ok := v.(workloads.Result); ok && err == nil && k == len(stages)-1 {
				return models.Result(r), nil
			}
			return v, err
		}
	}
	return out
}

// bridgeIO hands a model's IOWaiter (models.IOWaiterFrom) to the workload
// as its IO hook (workloads.WaitIO): the two packages do not know each
// other, and the interfaces have the same methods. Without a waiter it
// returns ctx as it is, at the cost of one context lookup.
func bridgeIO(ctx context.Context) context.Context {
	if w := models.IOWaiterFrom(ctx); w != nil {
		return workloads.WithIOHook(ctx, w)
	}
	return ctx
}

// References are cached per workload, parameters and size: every model of
// a workload shares one sequential run, whichever servers it reaches.
var references sync.Map // string -> models.Digest

func reference(ctx context.Context, job models.Job, params []string) (models.Digest, error) {
	key := job.Spec.Workload + "/" + strings.Join(params, "/") + "/" + strconv.Itoa(job.N)
	if d, ok := references.Load(key); ok {
		return d.(models.Digest), nil
	}
	b, err := models.Sequential{}.Run(ctx, job)
	if err != nil {
		return models.Digest{}, err
	}
	references.Store(key, b.Digest)
	return b.Digest, nil
}

// Matrix returns the main matrix: every workload under every model. CPU
// workloads run DefaultTasks tasks with each model at its default options
// (workers = GOMAXPROCS, procs = 1); IO workloads run IOTasks tasks at one
// representative concurrency, workers = IOWorkers, so that each cell of the
// table holds one configuration. Sweep varies the concurrency.
func Matrix(short bool) []Case {
	var cases []Case
	for _, w := range workloads.All {
		kind := w.New().Kind()
		tasks, opts := DefaultTasks, KindOptions(kind, short)
		if kind == workloads.IO {
			tasks = IOTasks
		}
		if short {
			tasks = ShortTasks
		}
		for _, m := range models.All {
			cases = append(cases, Case{Workload: w.Name, Model: m.Name, Tasks: tasks, Short: short, Options: opts})
		}
	}
	return cases
}

// Sweep returns the IO sweep: every IO workload under the models of
// sweepModels at each of SweepWorkers, IOTasks tasks a batch (ShortTasks
// under -short). spawn runs once per workload, at a concurrency of the
// whole batch.
func Sweep(short bool) []Case {
	tasks := IOTasks
	if short {
		tasks = ShortTasks
	}
	var cases []Case
	for _, w := range workloads.All {
		if w.New().Kind() != workloads.IO {
			continue
		}
		for _, m := range models.All {
			if !slices.Contains(sweepModels, m.Name) {
				continue
			}
			workers := SweepWorkers(short)
			if !m.Takes(benchkey.Workers) {
				workers = workers[:1] // the model ignores it
			}
			for _, n := range workers {
				cases = append(cases, Case{Workload: w.Name, Model: m.Name, Tasks: tasks, Short: short, Options: models.Options{Workers: n, Procs: 1}})
			}
		}
	}
	return cases
}

// KindOptions returns the options that the matrix runs work of kind
// under: DefaultOptions for CPU work; for IO work IOWorkers workers
// (ShortIOWorkers under -short), and as many fetchers, the pipeline's
// waiting stage.
func KindOptions(kind workloads.Kind, short bool) models.Options {
	o := DefaultOptions()
	if kind == workloads.IO {
		o.SetFlag(benchkey.Workers, IOWorkers)
		if short {
			o.SetFlag(benchkey.Workers, ShortIOWorkers)
		}
	}
	return o
}

// DefaultOptions spells out every knob's default, so that benchmark names
// carry the real numbers.
func DefaultOptions() models.Options {
	var o models.Options
	for _, k := range benchkey.Knobs {
		o.Set(k.Key, k.Default())
	}
	return o
}

// Scaling returns the scaling sweeps of every CPU workload, at the main
// matrix's batch size and input sizes so that the report can divide by the
// same workload's sequential run: the pool at each workers count of
// Ladder(2×GOMAXPROCS), then pinned with procs = workers at each step of the
// same ladder. Under -short the ladder stops at GOMAXPROCS.
func Scaling(short bool) []Case {
	tasks, top := DefaultTasks, 2*runtime.GOMAXPROCS(0)
	if short {
		tasks, top = ShortTasks, runtime.GOMAXPROCS(0)
	}
	var cases []Case
	for _, e := range workloads.All {
		if e.New().Kind() != workloads.CPU {
			continue
		}
		for _, n := range Ladder(top) {
			cases = append(cases, Case{Workload: e.Name, Model: "pool", Tasks: tasks, Short: short, Options: models.Options{Workers: n, Procs: 1}})
		}
		for _, n := range Ladder(top) {
			cases = append(cases, Case{Workload: e.Name, Model: "pinned", Tasks: tasks, Short: short, Options: models.Options{Workers: n, Procs: n}})
		}
	}
	return cases
}

// Ladder returns the powers of two from 1 up to top, followed by top itself
// when it is not one: 1, 2, 4 for 4; 1, 2, 4, 6 for 6. It is empty when top
// is below 1.
func Ladder(top int) []int {
	var steps []int
	for n := 1; n <= top; n *= 2 {
		steps = append(steps, n)
	}
	if len(steps) > 0 && steps[len(steps)-1] != top {
		steps = append(steps, top)
	}
	return steps
}
