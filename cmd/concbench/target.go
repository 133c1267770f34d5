package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/benchkey"
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
	knobs    map[string]*int // by flag name: the flags of benchkey.Knobs
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
	f.knobs = map[string]*int{}
	for _, fl := range knobFlags() {
		var keys, docs []string
		for _, k := range benchkey.Knobs {
			if k.Flag == fl {
				keys, docs = append(keys, k.Key), append(docs, k.Key+": "+k.Doc)
			}
		}
		def, _ := benchkey.Lookup(fl)
		usage := fmt.Sprintf("sets %s (default %s", strings.Join(keys, " and "), def.DefaultDoc)
		if fl == benchkey.Workers {
			usage += fmt.Sprintf(" for CPU workloads, %d for IO ones", bench.IOWorkers)
		}
		f.knobs[fl] = fs.Int(fl, 0, usage+"); "+strings.Join(docs, "; "))
	}
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
	// knobs holds each knob flag's value, given or default, by flag name;
	// given says which were given: a model without the knob is an error
	// then, and a sweep over GOMAXPROCS keeps the workers fixed.
	knobs map[string]int
	given map[string]bool
	plan  plan
}

// resolve checks the flags that fs parsed; every error is a usageError
// that names the bad value.
func (f *targetFlags) resolve(fs *flag.FlagSet) (*target, error) {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	if f.workload == "" {
		return nil, usageError{fmt.Sprintf("-workload: required; have %s", strings.Join(workloads.Names(), ", "))}
	}
	w, err := workloads.Lookup(f.workload)
	if err != nil {
		return nil, unknownName("workload", "workload", f.workload, workloads.Names())
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
		knobs: map[string]int{}, given: map[string]bool{}, plan: plan{Count: f.count, MinTime: f.minTime}}

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
	for fl, v := range f.knobs {
		k, _ := benchkey.Lookup(fl)
		switch {
		case given[fl]:
			if *v < 1 || *v > k.Max {
				return nil, usageError{fmt.Sprintf("-%s %d: want 1 to %d", fl, *v, k.Max)}
			}
			t.knobs[fl], t.given[fl] = *v, true
		default: // as the matrix runs work of this kind
			t.knobs[fl] = bench.KindOptions(t.kind, f.short).Get(fl)
		}
	}
	if f.count < 1 || f.count > 1000 {
		return nil, usageError{fmt.Sprintf("-count %d: want 1 to 1000", f.count)}
	}
	if f.minTime < 0 || f.minTime > time.Hour {
		return nil, usageError{fmt.Sprintf("-time %s: want 0 to 1h", f.minTime)}
	}
	return t, nil
}

// knobFlags lists the flags that set knobs, in table order.
func knobFlags() []string {
	var flags []string
	for _, k := range benchkey.Knobs {
		if k.Flag != "" && !slices.Contains(flags, k.Flag) {
			flags = append(flags, k.Flag)
		}
	}
	return flags
}

// takesFlag reports whether the knob flag fl means something to the
// model: it takes a knob that fl sets.
func takesFlag(e models.Entry, fl string) bool {
	return slices.ContainsFunc(e.Knobs(), func(k benchkey.Knob) bool { return k.Flag == fl })
}

// modelsTaking lists the models that the knob flag fl means something to.
func modelsTaking(fl string) []string {
	var names []string
	for _, e := range models.All {
		if takesFlag(e, fl) {
			names = append(names, e.Name)
		}
	}
	return names
}

// checkModelWorkers checks n workers against the model's own limit, where
// it has one below the knob's Max: the process model's, set by memory.
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
	for _, fl := range knobFlags() {
		if t.given[fl] && !takesFlag(e, fl) {
			return e, usageError{fmt.Sprintf("-%s %d: model %s has no %s (%s); %s takes it", fl, t.knobs[fl], name, fl, e.Doc, strings.Join(modelsTaking(fl), ", "))}
		}
	}
	if t.given[benchkey.Workers] {
		if err := checkModelWorkers("-workers", e, t.knobs[benchkey.Workers]); err != nil {
			return e, err
		}
	}
	return e, nil
}

// lookupModel looks a model up by name; an unknown name is a usageError
// that lists the models and suggests the nearest.
func lookupModel(flagName, name string) (models.Entry, error) {
	e, err := models.Lookup(name)
	if err != nil {
		return e, unknownName(flagName, "model", name, models.Names())
	}
	return e, nil
}

// settableKnobs returns the keys of the knobs of e that a flag sets, in
// table order: a knob without one (the pipeline's parse workers, which
// follow GOMAXPROCS) cannot be set, so list does not offer it.
func settableKnobs(e models.Entry) []string {
	knobs := []string{}
	for _, k := range e.Knobs() {
		if k.Flag != "" {
			knobs = append(knobs, k.Key)
		}
	}
	return knobs
}

// flagsText names the knob flags for people, with the knobs each sets
// besides its own: "-workers (fetch too) or -procs".
func flagsText() string {
	var fs []string
	for _, fl := range knobFlags() {
		var also []string
		for _, k := range benchkey.Knobs {
			if k.Flag == fl && k.Key != fl {
				also = append(also, k.Key)
			}
		}
		if len(also) > 0 {
			fl += " (" + strings.Join(also, ", ") + " too)"
		}
		fs = append(fs, "-"+fl)
	}
	return strings.Join(fs, " or ")
}

// models parses a comma-separated list of model names, each checked by
// t.model, or by lookupModel alone when knobs is false: a knob flag then
// applies to the models that have the knob. They come back in the models
// table's order.
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
	// Tables, json and csv list models in the models table's order, as
	// pages do, whatever order the list gave them in.
	slices.SortStableFunc(out, func(a, b models.Entry) int {
		return benchkey.ModelRank(a.Name) - benchkey.ModelRank(b.Name)
	})
	return out, nil
}

// measureModels measures the workload under each of the named models at
// the target's knobs, in rounds (see measure.All), showing progress as of
// says, and returns the measurements that got a sample.
func (t *target) measureModels(ctx context.Context, stdout, stderr io.Writer, of outputFlags, names []string) ([]*measurement, error) {
	var combos []combination
	for _, name := range names {
		combos = append(combos, combination{Case: t.caseFor(name, t.knobs[benchkey.Workers])})
	}
	m := newMeter(stdout, stderr, of, "Run", len(combos)*(max(t.plan.Count, t.plan.MaxCount)+1))
	ms, err := measure.All(ctx, combos, t.plan, m)
	m.done()
	return measured(ms), err
}

// caseFor returns the Case that measures the target under model, with
// workers workers: every knob spelled out, from its flag or its default,
// so that the benchmark name carries the real numbers.
func (t *target) caseFor(model string, workers int) bench.Case {
	c := bench.Case{Workload: t.workload, Params: t.params, Model: model, Tasks: t.tasks, Short: t.short,
		Options: bench.DefaultOptions()}
	for fl, v := range t.knobs {
		c.Options.SetFlag(fl, v)
	}
	c.Options.SetFlag(benchkey.Workers, workers)
	return c
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
