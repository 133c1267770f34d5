package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/workloads"

	"github.com/concbench/concbench/internal/measure"
)

// maxTasks bounds -tasks far above any useful batch: it catches a typo
// before a batch allocates millions of result slots.
const maxTasks = 1 << 20

// targetFlags are the flags that say what to measure, shared by run, sweep
// and recommend: a workload, its parameters, the batch size, the models'
// knobs, and how long to measure.
type targetFlags struct {
	workload string
	params   []string
	tasks    int
	workers  int
	procs    int
	short    bool
	count    int
	minTime  time.Duration
}

func (f *targetFlags) register(fs *flag.FlagSet, count int, minTime time.Duration) {
	fs.StringVar(&f.workload, "workload", "", "the workload to measure (see concbench list)")
	fs.Func("param", "a workload parameter, `key=value` (repeat for more; see concbench list)", func(s string) error {
		f.params = append(f.params, s)
		return nil
	})
	fs.IntVar(&f.tasks, "tasks", 0, fmt.Sprintf("tasks per batch (default %d for CPU workloads, %d for IO ones; %d with -short)", bench.DefaultTasks, bench.IOTasks, bench.ShortTasks))
	fs.IntVar(&f.workers, "workers", 0, fmt.Sprintf("workers of the models that have them, and the pipeline's first stage (default GOMAXPROCS for CPU workloads, %d for IO ones)", bench.IOWorkers))
	fs.IntVar(&f.procs, "procs", 0, "GOMAXPROCS that the pinned model runs under (default 1)")
	fs.BoolVar(&f.short, "short", false, "small inputs and batches, as go test -short uses: a quick check, not a measurement")
	fs.IntVar(&f.count, "count", count, "samples per combination")
	fs.DurationVar(&f.minTime, "time", minTime, "least time per sample: whole batches run until it has passed (at least one)")
}

// A target is a validated targetFlags: one workload with its parameters,
// ready to pair with models.
type target struct {
	workload string
	kind     workloads.Kind
	params   []string
	short    bool
	tasks    int
	workers  int // the default or -workers
	procs    int // the default (1) or -procs
	// workersSet and procsSet say whether the flags were given: a model
	// without the knob is an error then, and a sweep over GOMAXPROCS keeps
	// the workers fixed.
	workersSet, procsSet bool
	plan                 plan
}

// resolve checks the flags that fs parsed; every error is a usageError
// that names the bad value.
func (f *targetFlags) resolve(fs *flag.FlagSet) (*target, error) {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	if f.workload == "" {
		return nil, usageError{fmt.Sprintf("-workload: required; have %s", workloads.Names())}
	}
	var names []string
	for _, e := range workloads.All {
		names = append(names, e.Name)
	}
	w, err := workloads.Lookup(f.workload)
	if err != nil {
		return nil, unknownName("workload", "workload", f.workload, names)
	}
	if f.short {
		w.Shrink()
	}
	for _, kv := range f.params {
		if err := workloads.Configure(w, []string{kv}); err != nil {
			return nil, usageError{fmt.Sprintf("-param %s: workload %s: %v", kv, f.workload, err)}
		}
	}
	t := &target{workload: f.workload, kind: w.Kind(), params: f.params, short: f.short,
		workersSet: given["workers"], procsSet: given["procs"], plan: plan{Count: f.count, MinTime: f.minTime}}

	switch {
	case !given["tasks"] && f.short:
		t.tasks = bench.ShortTasks
	case !given["tasks"] && t.kind == workloads.IO:
		t.tasks = bench.IOTasks
	case !given["tasks"]:
		t.tasks = bench.DefaultTasks
	case f.tasks < 1 || f.tasks > maxTasks:
		return nil, usageError{fmt.Sprintf("-tasks %d: want 1 to %d", f.tasks, maxTasks)}
	default:
		t.tasks = f.tasks
	}
	switch {
	case !t.workersSet && t.kind == workloads.IO && f.short:
		t.workers = bench.ShortIOWorkers
	case !t.workersSet && t.kind == workloads.IO:
		t.workers = bench.IOWorkers
	case !t.workersSet:
		t.workers = runtime.GOMAXPROCS(0)
	default:
		if err := checkWorkers("-workers", f.workers); err != nil {
			return nil, err
		}
		t.workers = f.workers
	}
	t.procs = 1
	if t.procsSet {
		if f.procs < 1 || f.procs > models.MaxProcs {
			return nil, usageError{fmt.Sprintf("-procs %d: want 1 to %d", f.procs, models.MaxProcs)}
		}
		t.procs = f.procs
	}
	if f.count < 1 || f.count > 1000 {
		return nil, usageError{fmt.Sprintf("-count %d: want 1 to 1000", f.count)}
	}
	if f.minTime < 0 || f.minTime > time.Hour {
		return nil, usageError{fmt.Sprintf("-time %s: want 0 to 1h", f.minTime)}
	}
	return t, nil
}

// checkWorkers rejects a worker count that no model takes.
func checkWorkers(flagName string, n int) error {
	if n < 1 || n > models.MaxWorkers {
		return usageError{fmt.Sprintf("%s %d: want 1 to %d", flagName, n, models.MaxWorkers)}
	}
	return nil
}

// checkModelWorkers checks n workers against the model's own limit, where
// it has one below models.MaxWorkers: the process model's, set by memory.
func checkModelWorkers(flagName string, e models.Entry, n int) error {
	if e.MaxWorkers == nil {
		return nil
	}
	if limit := e.MaxWorkers(); n > limit {
		return usageError{fmt.Sprintf("%s %d: model %s runs at most %d workers on this machine (each is a process; see models.ProcessWorkerLimit)", flagName, n, e.Name, limit)}
	}
	return nil
}

// model looks a model up by name, and checks that it has the knobs that
// the flags set.
func (t *target) model(flagName, name string) (models.Entry, error) {
	e, err := lookupModel(flagName, name)
	if err != nil {
		return e, err
	}
	if t.workersSet && !hasWorkers(e) {
		return e, usageError{fmt.Sprintf("-workers %d: model %s has no workers (%s)", t.workers, name, e.Doc)}
	}
	if t.workersSet {
		if err := checkModelWorkers("-workers", e, t.workers); err != nil {
			return e, err
		}
	}
	if t.procsSet && !slices.Contains(e.Knobs, "procs") {
		return e, usageError{fmt.Sprintf("-procs %d: model %s does not set GOMAXPROCS; only pinned does", t.procs, name)}
	}
	return e, nil
}

// lookupModel looks a model up by name; an unknown name is a usageError
// that lists the models and suggests the nearest.
func lookupModel(flagName, name string) (models.Entry, error) {
	e, err := models.Lookup(name)
	if err != nil {
		var names []string
		for _, m := range models.All {
			names = append(names, m.Name)
		}
		return e, unknownName(flagName, "model", name, names)
	}
	return e, nil
}

// knobFlags names the flag that sets each knob from the command line:
// -workers sets the workers of the models that have them and the fetch
// workers of the pipeline's first stage. A knob not here (the pipeline's
// parse workers, which follow GOMAXPROCS) cannot be set, so list does
// not offer it.
var knobFlags = map[string]string{"workers": "-workers", "fetch": "-workers", "procs": "-procs"}

// settableKnobs returns the knobs of e that a flag sets, in e's order.
func settableKnobs(e models.Entry) []string {
	knobs := []string{}
	for _, k := range e.Knobs {
		if _, ok := knobFlags[k]; ok {
			knobs = append(knobs, k)
		}
	}
	return knobs
}

// hasWorkers reports whether -workers means something to the model: its
// worker goroutines, or the pipeline's first stage.
func hasWorkers(e models.Entry) bool {
	return slices.Contains(e.Knobs, "workers") || slices.Contains(e.Knobs, "fetch")
}

// models parses a comma-separated list of model names, each checked by
// t.model, or by lookupModel alone when knobs is false: a knob flag then
// applies to the models that have the knob.
func (t *target) models(flagName, list string, knobs bool) ([]models.Entry, error) {
	var out []models.Entry
	for name := range strings.SplitSeq(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			return nil, usageError{fmt.Sprintf("-%s %q: want model names separated by commas", flagName, list)}
		}
		lookup := lookupModel
		if knobs {
			lookup = t.model
		}
		e, err := lookup(flagName, name)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(out, func(o models.Entry) bool { return o.Name == e.Name }) {
			out = append(out, e)
		}
	}
	return out, nil
}

// measureModels measures the workload under each of the named models at
// the target's workers, in rounds (see measure.All), showing progress as of
// says, and returns the measurements that got a sample.
func (t *target) measureModels(ctx context.Context, stdout, stderr io.Writer, of outputFlags, names []string) ([]*measurement, error) {
	var combos []combination
	for _, name := range names {
		combos = append(combos, combination{Case: t.caseFor(name, t.workers)})
	}
	m := newMeter(stdout, stderr, of, "Run", len(combos)*(max(t.plan.Count, t.plan.MaxCount)+1))
	ms, err := measure.All(ctx, combos, t.plan, m)
	m.done()
	return measured(ms), err
}

// caseFor returns the Case that measures the target under model, with
// workers workers: the models' knobs spelled out, so that the benchmark
// name carries the real numbers.
func (t *target) caseFor(model string, workers int) bench.Case {
	return bench.Case{
		Workload: t.workload,
		Params:   t.params,
		Model:    model,
		Tasks:    t.tasks,
		Short:    t.short,
		Options:  models.Options{Workers: workers, Procs: t.procs, Fetch: workers, Parse: runtime.GOMAXPROCS(0)},
	}
}

// parseTarget parses the flags of a command that measures one workload
// (run, sweep, recommend) and checks them: the output format, then the
// workload, its parameters and the batch.
func parseTarget(fs *flag.FlagSet, args []string, tf *targetFlags, of *outputFlags) (*target, error) {
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if err := checkFormat(of.format, formatText, formatJSON, formatCSV, formatBench); err != nil {
		return nil, err
	}
	return tf.resolve(fs)
}
