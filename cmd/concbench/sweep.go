package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/internal/resultfile"
	"github.com/concbench/concbench/internal/sysinfo"
	"github.com/concbench/concbench/report"
	"github.com/concbench/concbench/workloads"

	"github.com/concbench/concbench/internal/measure"
)

// runSweep is concbench sweep: one workload at several values of workers
// or GOMAXPROCS, next to its sequential run, into a results file and a
// chart.
func runSweep(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlagSet("sweep")
	var tf targetFlags
	tf.register(fs, report.MinPairs, 200*time.Millisecond)
	over := fs.String("over", "", "what to vary: workers, or gomaxprocs (the Go scheduler's threads, as go test -cpu sets them)")
	modelList := fs.String("model", "pool", "the `models` to sweep, separated by commas")
	valueList := fs.String("values", "", "the values to sweep, separated by commas (default: workers 1, 2, 4… up to twice GOMAXPROCS for CPU workloads, "+
		"1, 4, 16, 64, 256 for IO ones; GOMAXPROCS 1, 2, 4… up to twice the cores)")
	out := fs.String("o", "sweeps", "write the results file and the chart under `DIR`/<machine>/")
	var of outputFlags
	of.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: concbench sweep -workload W -over workers|gomaxprocs [-model M,...] [-values N,...] [flags]\n\n"+
			"Measures a workload at each value of workers or GOMAXPROCS, and once under the\n"+
			"sequential model as the baseline, then writes the results in the Go benchmark\n"+
			"format to a new file (never replacing one) and a chart of the speedup over\n"+
			"sequential, as SVG and PNG, beside it. Each round runs every step and the\n"+
			"sequential run in a shuffled order; a speedup is the median of paired ratios\n"+
			"with its 95% confidence interval.\n\nFlags:")
		printFlags(fs)
	}
	t, err := parseTarget(fs, args, &tf, &of)
	if err != nil {
		return err
	}
	entries, err := t.models("model", *modelList, true)
	if err != nil {
		return err
	}
	values, err := sweepValues(*over, *valueList, t)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if *over == report.OverWorkers && !e.Takes(benchkey.Workers) {
			return usageError{fmt.Sprintf("-model %s: it has no workers to sweep; sweeping workers takes %s", e.Name, strings.Join(modelsWith(benchkey.Workers), ", "))}
		}
		if *over == report.OverWorkers {
			for _, v := range values {
				if err := checkModelWorkers("-values", e, v); err != nil {
					return err
				}
			}
		}
	}
	switch {
	case *over == report.OverWorkers && t.given[benchkey.Workers]:
		return usageError{fmt.Sprintf("-workers %d: a sweep over workers sets them; give -values instead", t.knobs[benchkey.Workers])}
	case *over == report.OverGOMAXPROCS && t.given[benchkey.Procs]:
		return usageError{fmt.Sprintf("-procs %d: a sweep over GOMAXPROCS runs pinned at procs = GOMAXPROCS", t.knobs[benchkey.Procs])}
	}

	if *out == "" {
		return usageError{`-o "": want the folder for sweeps, such as sweeps`}
	}
	machine := sysinfo.This()
	f, err := resultfile.Create(filepath.Join(*out, machine.Slug()),
		sysinfo.Now().Format(sysinfo.Stamp)+"-sweep-"+t.workload+"-"+*over+".txt")
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			f.Abort()
		}
	}()

	t.plan.Seed = orderSeed()
	combos := []combination{{Case: t.caseFor(benchkey.Sequential, t.knobs[benchkey.Workers])}}
	for _, e := range entries {
		for _, v := range values {
			combos = append(combos, t.sweepStep(*over, e.Name, v))
		}
	}
	m := newMeter(stdout, stderr, of, "Sweep", len(combos)*(t.plan.Count+1))
	ms, err := measure.All(ctx, combos, t.plan, m)
	m.done()
	done := measured(ms)
	var base *measurement
	if len(done) > 0 && done[0].Case.Model == benchkey.Sequential {
		base = done[0]
	}

	res := sweepResult{Over: *over, Finished: err == nil}
	if err == nil {
		if in := instrumented(); in != "none" {
			err = fmt.Errorf("this binary is built with %s: its numbers measure the instrumentation, so no results file is saved", in)
		} else {
			if err = writeBench(f, "sweep", "Sweep", done, true); err == nil {
				res.File, err = f.Commit()
				committed = err == nil
			}
		}
	}
	if committed {
		res.Charts, err = drawSweep(res.File, *over)
	}
	if perr := printSweep(stdout, stderr, of.format, res, done, base); perr != nil && err == nil {
		err = perr
	}
	return interrupted(ctx, err, len(done))
}

// sweepStep returns the combination that measures model at x workers,
// or under GOMAXPROCS x.
func (t *target) sweepStep(over, model string, x int) combination {
	if over == report.OverWorkers {
		return combination{Case: t.caseFor(model, x)}
	}
	workers := t.knobs[benchkey.Workers]
	if !t.given[benchkey.Workers] && t.kind == workloads.CPU {
		workers = x // the models' own default: workers = GOMAXPROCS
	}
	c := t.caseFor(model, workers)
	c.Options.Procs = x // pinned runs at the step's GOMAXPROCS; the others ignore it
	c.Options.Parse = x
	return combination{Case: c, GOMAXPROCS: x}
}

// sweepValues parses -values, or returns the default values to sweep.
func sweepValues(over, list string, t *target) ([]int, error) {
	w, _ := benchkey.Lookup(benchkey.Workers)
	p, _ := benchkey.Lookup(benchkey.Procs)
	limit := w.Max
	switch over {
	case report.OverWorkers:
	case report.OverGOMAXPROCS:
		limit = p.Max // a GOMAXPROCS step is pinned's procs
	case "":
		return nil, usageError{"-over: required; want workers or gomaxprocs"}
	default:
		return nil, usageError{fmt.Sprintf("-over %q: want workers or gomaxprocs", over)}
	}
	if list == "" {
		switch {
		case over == report.OverGOMAXPROCS:
			return bench.Ladder(2 * runtime.NumCPU()), nil
		case t.kind == workloads.IO:
			return bench.SweepWorkers(t.short), nil
		}
		return bench.Ladder(2 * runtime.GOMAXPROCS(0)), nil
	}
	var values []int
	for s := range strings.SplitSeq(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > limit {
			return nil, usageError{fmt.Sprintf("-values %q: %q is not a whole number from 1 to %d", list, s, limit)}
		}
		values = append(values, n)
	}
	slices.Sort(values)
	return slices.Compact(values), nil
}

// modelsWith lists the models that take the knob whose key is key.
func modelsWith(key string) []string {
	k, _ := benchkey.Lookup(key)
	return k.Models
}

// drawSweep reads the results file back, as any report would, and writes
// its chart beside it, named after it. It returns the chart's files.
func drawSweep(path, over string) ([]string, error) {
	run, err := report.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(run.Problems) > 0 {
		return nil, fmt.Errorf("reading back %s: %w", path, errors.Join(run.Problems...))
	}
	s, err := report.ReadSweep(run, over)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	dir := filepath.Dir(path)
	if err := s.Chart(name).Write(dir); err != nil {
		return nil, fmt.Errorf("chart of %s: %w", path, err)
	}
	return []string{filepath.Join(dir, name+".svg"), filepath.Join(dir, name+".png")}, nil
}

// sweepResult is what sweep adds to its output: what it swept, and the
// files it saved.
type sweepResult struct {
	Over     string
	Finished bool
	File     string   // the results file; empty when none was saved
	Charts   []string // its chart, SVG and PNG
}

func printSweep(stdout, stderr io.Writer, format string, res sweepResult, ms []*measurement, base *measurement) error {
	doc := func() document {
		d := newDocument("sweep", res.Finished, ms, base, nil)
		d.Over, d.File, d.Charts = res.Over, res.File, res.Charts
		return d
	}
	saved := func(w io.Writer) {
		if res.File != "" {
			fmt.Fprintln(w, "results:", res.File)
		}
		if len(res.Charts) > 0 {
			fmt.Fprintln(w, "chart:  ", strings.Join(res.Charts, ", "))
		}
	}
	switch format {
	case formatJSON:
		return writeJSON(stdout, doc())
	case formatCSV:
		saved(stderr)
		return writeCSV(stdout, doc())
	case formatBench:
		saved(stderr)
		return writeBench(stdout, "sweep", "Sweep", ms, res.Finished)
	}
	if len(ms) == 0 {
		return nil
	}
	fmt.Fprintln(stdout, measure.DescribeTarget(ms[0]))
	fmt.Fprintln(stdout)
	lead := measure.Column{Head: "WORKERS", Cell: func(m *measurement) string {
		if v := m.Case.Knobs().Get(benchkey.Workers); v > 0 {
			return strconv.Itoa(v)
		}
		return "-"
	}}
	if res.Over == report.OverGOMAXPROCS {
		lead = measure.Column{Head: "GOMAXPROCS", Cell: func(m *measurement) string { return strconv.Itoa(m.GOMAXPROCS) }}
	}
	if err := measure.WriteTable(stdout, ms, base, lead); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	measure.WriteTableNotes(stdout, ms, base)
	saved(stdout)
	return nil
}
