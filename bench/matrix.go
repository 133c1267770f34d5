// Package bench joins workloads to models. Its test files hold the
// go test -bench entry points; this file holds what they share with the
// concbench command: the benchmark matrix, its names, and the set-up that
// turns a Case into a runnable batch whose digest is checked against the
// sequential model's.
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

// Name returns the case's benchmark sub-name, key=value pairs joined by
// slashes: workload, model, the model's knobs, tasks, the workload's size
// and latencies (named in nameParams) as configured, then any other
// parameters that Params set.
func (c Case) Name() string {
	parts := []string{"workload=" + c.Workload, "model=" + c.Model}
	if e, err := models.Lookup(c.Model); err == nil {
		for _, k := range e.Knobs {
			switch k {
			case "workers":
				parts = append(parts, "workers="+strconv.Itoa(c.Options.Workers))
			case "procs":
				parts = append(parts, "procs="+strconv.Itoa(c.Options.Procs))
			case "fetch":
				parts = append(parts, "fetch="+strconv.Itoa(c.Options.Fetch))
			case "parse":
				parts = append(parts, "parse="+strconv.Itoa(c.Options.Parse))
			}
		}
	}
	parts = append(parts, "tasks="+strconv.Itoa(c.Tasks))
	named := c.named()
	parts = append(parts, named...)
	for _, kv := range c.Params {
		if !slices.Contains(named, kv) {
			parts = append(parts, kv)
		}
	}
	return strings.Join(parts, "/")
}

// nameParams are the parameters that every benchmark name shows, when the
// workload has them: what a reader needs to know to read the numbers.
var nameParams = []string{"size", "latency", "db-latency"}

// named returns the workload's nameParams as configured by c, key=value.
func (c Case) named() []string {
	w, err := c.workload()
	if err != nil {
		return nil
	}
	var kvs []string
	for _, name := range nameParams {
		for _, p := range w.Params() {
			if p.Name == name {
				kvs = append(kvs, name+"="+p.Value.String())
			}
		}
	}
	return kvs
}

// concurrency returns how many of c's tasks can wait at once: the workers
// of a model that has them, the fetch workers of the pipeline (its first
// stage, where crawl waits), one for sequential, the whole batch for spawn.
func (c Case) concurrency() int {
	switch c.Model {
	case "sequential":
		return 1
	case "pipeline":
		return max(1, min(c.Options.Fetch, c.Tasks))
	}
	if e, err := models.Lookup(c.Model); err == nil && slices.Contains(e.Knobs, "workers") {
		return max(1, min(c.Options.Workers, c.Tasks))
	}
	return c.Tasks
}

// workload returns c's workload with its parameters set.
func (c Case) workload() (workloads.Workload, error) {
	w, err := workloads.Lookup(c.Workload)
	if err != nil {
		return nil, err
	}
	if c.Short {
		w.Shrink()
	}
	if err := workloads.Configure(w, c.Params); err != nil {
		return nil, fmt.Errorf("workload %s: %w", c.Workload, err)
	}
	return w, nil
}

// A Runner runs one Case's batches.
type Runner struct {
	Case     Case
	Workload workloads.Workload // nil for a Work
	Kind     workloads.Kind
	Model    models.Model
	// Job records task times (Job.TaskTimes) for IO workloads, whose
	// latency spread is part of the result.
	Job models.Job
	// Want is the sequential model's digest for the same job.
	Want models.Digest
	// Floor is the least time a batch can take, ceil(N/C) x L for N tasks
	// of latency L (workloads.Prepared.Latency) at concurrency C; zero for
	// workloads without such a floor.
	Floor time.Duration

	prepared *workloads.Prepared
}

// Setup prepares the workload, starts the model and computes the reference
// digest, all of which a benchmark keeps out of its timings. Close the
// Runner when done.
func Setup(ctx context.Context, c Case) (*Runner, error) {
	if c.Tasks < 1 {
		return nil, fmt.Errorf("tasks=%d: want 1 or more", c.Tasks)
	}
	w, err := c.workload()
	if err != nil {
		return nil, err
	}
	if _, err := models.Lookup(c.Model); err != nil {
		return nil, err
	}
	p, err := w.Prepare(ctx)
	if err != nil {
		return nil, fmt.Errorf("workload %s: %w", c.Workload, err)
	}
	r := &Runner{Case: c, Workload: w, Kind: w.Kind(), prepared: p}
	r.Job = models.Job{
		N:         c.Tasks,
		Task:      Adapt(p.Task),
		Stages:    AdaptStages(p.Stages),
		Spec:      models.Spec{Workload: c.Workload, Params: workloads.Encode(w)},
		TaskTimes: w.Kind() == workloads.IO,
	}
	if p.Latency > 0 {
		rounds := (c.Tasks + c.concurrency() - 1) / c.concurrency()
		r.Floor = time.Duration(rounds) * p.Latency
	}
	return r.start(ctx)
}

// start computes the reference digest and starts the model; on an error
// it closes r.
func (r *Runner) start(ctx context.Context) (*Runner, error) {
	entry, err := models.Lookup(r.Case.Model)
	if err != nil {
		r.Close()
		return nil, err
	}
	if r.Want, err = reference(ctx, r.Job); err != nil {
		r.Close()
		return nil, fmt.Errorf("%s: sequential reference run: %w", r.Case.Name(), err)
	}
	if r.Model, err = entry.New(r.Case.Options); err != nil {
		r.Close()
		return nil, fmt.Errorf("model %s: %w", r.Case.Model, err)
	}
	return r, nil
}

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
	job.N = r.Case.concurrency()
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

// References are cached per job spec and size: every model of a workload
// shares one sequential run.
var references sync.Map // string -> models.Digest

func reference(ctx context.Context, job models.Job) (models.Digest, error) {
	key := job.Spec.Workload + "/" + strings.Join(job.Spec.Params, "/") + "/" + strconv.Itoa(job.N)
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
		tasks, opts := DefaultTasks, defaultOptions()
		if w.New().Kind() == workloads.IO {
			tasks, opts.Workers = IOTasks, IOWorkers
			if short {
				opts.Workers = ShortIOWorkers
			}
			// The pipeline's fetchers are its waiting stage.
			opts.Fetch = opts.Workers
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
			if !slices.Contains(m.Knobs, "workers") {
				workers = workers[:1] // the model ignores it
			}
			for _, n := range workers {
				cases = append(cases, Case{Workload: w.Name, Model: m.Name, Tasks: tasks, Short: short, Options: models.Options{Workers: n, Procs: 1}})
			}
		}
	}
	return cases
}

// defaultOptions spells out the models' defaults, so that benchmark names
// carry the real numbers.
func defaultOptions() models.Options {
	p := runtime.GOMAXPROCS(0)
	return models.Options{Workers: p, Procs: 1, Fetch: p, Parse: p}
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
