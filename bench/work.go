package bench

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/workloads"
)

// A Work is a task of your own, measured as the built-in workloads are:
// in batches of Tasks calls Task(ctx, i), i from 0 to Tasks-1, under each
// model, every batch's digest checked against a sequential run of the same
// batch. Task must be safe to call from many goroutines at once and must
// return the same Result for the same i every time: the digest is how the
// suite knows that every model did the same work.
//
// The zero value is not usable: Name and Task are required.
type Work struct {
	// Name is the work's workload= in benchmark names: lower-case letters,
	// digits and '-', and not the name of a built-in workload.
	Name string
	// Task computes task i. Inputs it reads should be prepared before,
	// outside the timed batches, as the workloads prepare theirs.
	Task models.Task
	// Kind is what the work mostly does: workloads.CPU (the zero value)
	// computes, workloads.IO waits. IO work records each task's latency
	// and runs bigger batches at more workers by default, as the IO
	// workloads do.
	Kind workloads.Kind
	// Params are facts about the task that a reader needs, key=value
	// (for example "records=1000"): benchmark names show them, and the
	// process model hands them to the worker that rebuilds the task.
	Params []string
	// Tasks is the batch size. Zero means DefaultTasks (IOTasks for IO
	// work), ShortTasks under go test -short.
	Tasks int
}

// check reports what is wrong with w, if anything.
func (w Work) check() error {
	switch {
	case w.Name == "":
		return fmt.Errorf("work: Name is required")
	case strings.Trim(w.Name, "abcdefghijklmnopqrstuvwxyz0123456789-") != "":
		return fmt.Errorf("work %q: want a name of lower-case letters, digits and '-'", w.Name)
	case w.Name == NoopSpec.Workload:
		return fmt.Errorf("work %q: the name of the overhead benchmarks' task; choose another", w.Name)
	case w.Task == nil:
		return fmt.Errorf("work %s: Task is required", w.Name)
	case w.Tasks < 0 || w.Tasks > 1<<20:
		return fmt.Errorf("work %s: Tasks=%d: want 1 to %d (0 means the default)", w.Name, w.Tasks, 1<<20)
	}
	if _, err := workloads.Lookup(w.Name); err == nil {
		return fmt.Errorf("work %q: a built-in workload has that name; choose another", w.Name)
	}
	for _, kv := range w.Params {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" || v == "" || strings.ContainsAny(kv, "/ \t\n") {
			return fmt.Errorf("work %s: param %q: want key=value, without '/' or spaces", w.Name, kv)
		}
	}
	return nil
}

// batch returns w's batch size: Tasks, or the default for its kind.
func (w Work) batch(short bool) int {
	switch {
	case w.Tasks > 0:
		return w.Tasks
	case short:
		return ShortTasks
	case w.Kind == workloads.IO:
		return IOTasks
	}
	return DefaultTasks
}

// Options returns the models' options that the matrix uses for work of
// w's kind (see KindOptions).
func (w Work) Options(short bool) models.Options { return KindOptions(w.Kind, short) }

// Case returns the Case that measures w under model with options o.
func (w Work) Case(model string, o models.Options, short bool) Case {
	return Case{Workload: w.Name, Params: w.Params, Model: model, Options: o, Tasks: w.batch(short)}
}

// SetupWork is Setup for a Work: c names the model, its options and the
// batch, and c.Workload must be w.Name.
func SetupWork(ctx context.Context, c Case, w Work) (*Runner, error) {
	if err := w.check(); err != nil {
		return nil, err
	}
	if c.Workload != w.Name || c.Tasks < 1 {
		return nil, fmt.Errorf("work %s: case %s does not measure it", w.Name, c.Name())
	}
	e, err := models.Lookup(c.Model)
	if err != nil {
		return nil, err
	}
	if !InProcess(e, w) {
		return nil, fmt.Errorf("work %s: the %s model needs it registered: call bench.ServeIfWorker with it first thing in main or TestMain", w.Name, e.Name)
	}
	r := &Runner{Case: Resolved{Case: c, Entry: e}, Kind: w.Kind}
	r.Job = models.Job{
		N:         c.Tasks,
		Task:      w.Task,
		Spec:      models.Spec{Workload: w.Name, Params: w.Params},
		TaskTimes: w.Kind == workloads.IO,
	}
	return r.start(ctx)
}

// registered holds the names of the works that ServeIfWorker was given.
var registered sync.Map // string -> Work

// ServeIfWorker makes this process a worker of the process model if it was
// started as one, and otherwise records works as registered and returns at
// once. A worker runs the built-in workloads and works, rebuilt from the
// Spec it is sent: the work of that name, which must have the same Params.
//
// Call it first thing in main, or in TestMain before m.Run, with every Work
// that the process model should run: the model starts its workers by
// running the same binary again, and a worker finds the task by its name.
// So the works must be built the same way in every process (inputs from a
// fixed seed, not from the clock); a worker whose task differs fails the
// digest check. Compare and concbench.Recommend leave the process model out
// for a work that is not registered.
//
// It also makes this process the server process of an IO workload if it
// was started as one (workloads.ServeIfServer).
func ServeIfWorker(works ...Work) {
	workloads.ServeIfServer()
	for _, w := range works {
		registered.Store(w.Name, w)
	}
	models.ServeIfWorker(func(ctx context.Context, spec models.Spec) (models.Task, func() error, error) {
		if v, ok := registered.Load(spec.Workload); ok {
			w := v.(Work)
			if !slices.Equal(spec.Params, w.Params) {
				return nil, nil, fmt.Errorf("work %s: sent params %q, registered with %q", w.Name, spec.Params, w.Params)
			}
			return w.Task, nil, nil
		}
		return BuildTask(ctx, spec)
	})
}

// Registered reports whether ServeIfWorker registered a work of that name
// in this process.
func Registered(name string) bool {
	_, ok := registered.Load(name)
	return ok
}

// InProcess reports whether model e can run w in this process: every model
// but those that run tasks in processes of their own (Entry.Remote: process
// and exec), which need w registered (see ServeIfWorker).
func InProcess(e models.Entry, w Work) bool {
	return !e.Remote || Registered(w.Name)
}

// Compare benchmarks w under every model, as BenchmarkModels does the
// workloads: one sub-benchmark per model, named
// workload=<w.Name>/model=<model>/<knobs>/tasks=<n>/<w.Params>, so that
//
//	go test -bench . -count 10 > new.txt
//	benchstat -row /workload -col /model new.txt
//
// shows the models side by side. One op is one batch; it reports MB/s
// (when Task counts Result.Bytes), tasks/s and cpu-cores, and for IO work
// its tasks' latencies, p50-task-ns and p99-task-ns. Set-up, the
// sequential reference batch and one warm-up batch are not timed. The
// process model runs only when w is registered with ServeIfWorker; b logs
// that it was left out otherwise.
func Compare(b *testing.B, w Work) {
	if err := w.check(); err != nil {
		b.Fatal(err)
	}
	short := testing.Short()
	for _, e := range models.All {
		if !InProcess(e, w) {
			b.Logf("model %s left out: register %s with bench.ServeIfWorker in TestMain to run it in worker processes", e.Name, w.Name)
			continue
		}
		c := w.Case(e.Name, w.Options(short), short)
		b.Run(c.Name(), func(b *testing.B) {
			r, err := SetupWork(b.Context(), c, w)
			if err == nil {
				err = r.bench(b.Context(), b)
			}
			if err != nil {
				b.Fatal(err)
			}
		})
	}
}

// bench benchmarks r's batches, one op a batch, after one untimed
// warm-up batch, and closes r: the body of Case.bench and of Compare.
func (r *Runner) bench(ctx context.Context, b *testing.B) error {
	defer r.Close()
	b.ReportAllocs()
	if err := r.WarmUp(ctx); err != nil {
		return err
	}
	var t Tally
	var bytes int64 // per batch, for b.SetBytes
	var probe *Probe
	for b.Loop() {
		if probe == nil {
			probe = r.Probe(false) // testing counts allocations
		}
		batch, err := r.Run(ctx)
		if err != nil {
			return err
		}
		t.Add(batch)
		bytes = batch.Bytes
	}
	probe.End(&t)
	b.SetBytes(bytes)
	reportTally(b, t, r.Case.Tasks, r.Floor)
	if r.Floor > 0 {
		b.ReportMetric(float64(r.Overshoot.Nanoseconds()), benchkey.UnitTimerOvershoot)
	}
	return nil
}

// reportTally reports t's metrics on b, but for those testing writes
// itself.
func reportTally(b *testing.B, t Tally, tasks int, floor time.Duration) {
	for _, u := range t.Units(floor) {
		if !testingOwn(u) {
			b.ReportMetric(t.Value(u, tasks, floor), u)
		}
	}
}

// testingOwn reports whether testing writes unit itself.
func testingOwn(unit string) bool {
	switch unit {
	case benchkey.UnitNsPerOp, benchkey.UnitMBps, benchkey.UnitBPerOp, benchkey.UnitAllocsPerOp:
		return true
	}
	return false
}
