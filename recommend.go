package concbench

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/internal/measure"
	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/report"
)

// Options say how Recommend measures. The zero value measures every model
// that can run the work here, at the models' default workers, in rounds
// of samples of at least 100ms, until the verdict settles.
type Options struct {
	// Models are the candidates to compare with the sequential model,
	// by name (see models.All). Nil means every model that can run the
	// work in this process: all but process, unless the work is
	// registered (bench.ServeIfWorker).
	Models []string
	// Workers is the workers of the models that have them. Zero means
	// GOMAXPROCS for CPU work, bench.IOWorkers for IO work.
	Workers int
	// Count is the samples per model. Zero measures as concbench
	// recommend does by default: 10 rounds at least, then more until the
	// chosen model's paired speedup is known within ±3%, 30 rounds or 2
	// minutes at most, each sample retaken when the machine disturbed it.
	// A verdict needs report.MinPairs (6) samples or more.
	Count int
	// MinTime is the least time per sample: whole batches run until it
	// has passed, at least one. Zero means 100ms.
	MinTime time.Duration
}

// A Recommendation is the model to use for a work, the reasons, and the
// measurements they come from. Recommend makes one; the zero value holds
// no advice and WriteText writes nothing for it.
type Recommendation struct {
	Work          string
	Kind          string  // measured from the sequential run's CPU use: "cpu" or "io"
	SequentialCPU float64 // cores the sequential run kept busy
	// Resolved is false when the samples were too few for a verdict
	// (fewer than report.MinPairs); Model is sequential then.
	Resolved bool
	Model    string // the model to use; "sequential" when concurrency does not pay
	Name     string // its combination, as a benchmark sub-name
	// Speedup is the median of the chosen model's throughput over the
	// sequential model's, sample by sample (each pair taken in the same
	// round), and SpeedupLo and SpeedupHi its 95% confidence interval.
	Speedup, SpeedupLo, SpeedupHi float64
	Best                          bool     // the chosen model beat every other one
	AsFast                        []string // other models that cannot be told apart from it
	Why                           []string // the reasons, in sentences, with the numbers
	Results                       []Result // one per model measured, sequential first

	ms  []*measure.Measurement
	rec *measure.Recommendation
}

// A Result is one model's measurement, in tasks per second. The zero
// value is a model not measured.
type Result struct {
	Model   string
	Name    string // benchmark sub-name: workload=…/model=…/knobs…/tasks=…
	Samples int
	// TasksPerSec is the median throughput; Lo and Hi bound it: its 95%
	// confidence interval when CI is true, else the slowest and fastest
	// sample (fewer than 6 samples).
	TasksPerSec, Lo, Hi float64
	CI                  bool
	CPUCores            float64 // median CPU seconds per wall second
	// Speedup is the median paired ratio of its throughput over the
	// sequential model's, SpeedupLo and SpeedupHi its bounds (a 95%
	// confidence interval from report.MinPairs pairs, else the range).
	Speedup, SpeedupLo, SpeedupHi float64
}

// Recommend measures w under the sequential model and each candidate
// model, in rounds (one sample of each in turn, so that a burst of load
// from elsewhere spreads over all of them), checking every batch's digest
// against a sequential run, and applies the verdict rules of concbench
// recommend and of the report (report.Decide): paired speedups with 95%
// confidence intervals, a model named alone only when it beat every other,
// else the first by report.Preference of those that cannot be told apart,
// and the sequential model unless the choice's interval starts at
// report.MinSpeedup (1.10×). With the zero Options it takes at least
// 10 × 0.1s per model, plus each model's start-up, and at most about 2
// minutes. Every goroutine and worker process it starts has ended when it
// returns.
func Recommend(ctx context.Context, w bench.Work, o Options) (*Recommendation, error) {
	if o.Count < 0 || o.Count > 1000 {
		return nil, fmt.Errorf("concbench: Count=%d: want 1 to 1000 (0 measures until the verdict settles)", o.Count)
	}
	if o.MinTime < 0 || o.MinTime > time.Hour {
		return nil, fmt.Errorf("concbench: MinTime=%s: want 0 to 1h", o.MinTime)
	}
	if w, _ := benchkey.Lookup(benchkey.Workers); o.Workers < 0 || o.Workers > w.Max {
		return nil, fmt.Errorf("concbench: Workers=%d: want 1 to %d (0 means the default)", o.Workers, w.Max)
	}
	names, err := candidates(w, o.Models)
	if err != nil {
		return nil, err
	}
	opts := w.Options(false)
	if o.Workers > 0 {
		opts.SetFlag(benchkey.Workers, o.Workers) // and the pipeline's fetchers
	}
	plan := measure.Plan{Count: cmp.Or(o.Count, report.MinPairs+4), MinTime: cmp.Or(o.MinTime, 100*time.Millisecond)}
	if o.Count == 0 {
		plan = measure.AdaptivePlan(plan)
	}
	var combos []measure.Combination
	for _, name := range names {
		combos = append(combos, measure.Combination{Case: w.Case(name, opts, false), Work: &w})
	}
	ms, err := measure.All(ctx, combos, plan, nil)
	if err != nil {
		return nil, fmt.Errorf("concbench: %w", err)
	}
	rec := measure.Recommend(ms)
	r := &Recommendation{
		Work: w.Name, Kind: rec.Kind, SequentialCPU: rec.SequentialCPU,
		Resolved: rec.Resolved, Model: rec.Model, Name: rec.Name,
		Speedup: rec.Speedup, SpeedupLo: rec.SpeedupLo, SpeedupHi: rec.SpeedupHi, Best: rec.Best,
		AsFast: rec.AsFast, Why: rec.Why,
		ms: ms, rec: rec,
	}
	ref := ms[0].Values(benchkey.UnitTasksps)
	for _, m := range ms {
		s := m.Summary(benchkey.UnitTasksps)
		sp := report.PairedRatio(m.Values(benchkey.UnitTasksps), ref)
		r.Results = append(r.Results, Result{
			Model: m.Case.Model, Name: m.Case.Name(), Samples: len(m.Samples),
			TasksPerSec: s.Center, Lo: s.Lo, Hi: s.Hi, CI: s.CI,
			CPUCores: m.Median(benchkey.UnitCPUCores), Speedup: sp.Center, SpeedupLo: sp.Lo, SpeedupHi: sp.Hi,
		})
	}
	return r, nil
}

// WriteText writes the recommendation as concbench recommend prints it:
// the work, a table of the models, fastest first after the sequential
// run, what its columns mean, and the advice with its reasons.
func (r *Recommendation) WriteText(w io.Writer) error {
	return measure.WriteRecommendation(w, r.ms, r.rec)
}

// candidates returns the models to measure, sequential first: those
// named, or every model that can run w here.
func candidates(w bench.Work, named []string) ([]string, error) {
	names := []string{benchkey.Sequential}
	if named == nil {
		for _, e := range models.All {
			if e.Name != benchkey.Sequential && bench.InProcess(e, w) {
				names = append(names, e.Name)
			}
		}
		return names, nil
	}
	for _, name := range named {
		e, err := models.Lookup(name)
		if err != nil {
			return nil, fmt.Errorf("concbench: Models: %w", err)
		}
		if !bench.InProcess(e, w) {
			return nil, fmt.Errorf("concbench: Models: %s needs work %s registered with bench.ServeIfWorker", name, w.Name)
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	if len(names) == 1 {
		return nil, fmt.Errorf("concbench: Models %q: want at least one model besides sequential to compare with it", named)
	}
	return names, nil
}
