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
	"github.com/concbench/concbench/internal/measure"
	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/report"
)

// runRecommend is concbench recommend: measure a workload sequentially,
// classify it from its CPU use, try the models, and say which to use.
func runRecommend(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	start := time.Now()
	fs := newFlagSet("recommend")
	var tf targetFlags
	tf.register(fs, report.MinPairs+4, 100*time.Millisecond)
	modelList := fs.String("model", "", "the candidate `models`, separated by commas (default: every model)")
	alias(fs, "models", "model")
	var of outputFlags
	of.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: concbench recommend -workload W [-param key=value]... [flags]\n\n"+
			"Measures the workload one task at a time and classifies it from the CPU that\n"+
			"run used: CPU-bound at %g cores or more, IO-bound below. Then measures it\n"+
			"under each model (workers = GOMAXPROCS for the CPU workloads, %d for the IO\n"+
			"ones), in rounds, and says which model to use, and why, with the numbers.\n"+
			"The verdict is the report's: paired speedups with 95%% CIs, a model named\n"+
			"alone only when it beat every other, else the set that cannot be told\n"+
			"apart; stay sequential unless the choice's CI starts at %.2f×. It needs\n"+
			"%d pairs or more. Without -count it takes 10 rounds, each in a shuffled\n"+
			"order, and goes on until the choice's interval is within ±%.0f%%, or %d rounds\n"+
			"or %s have passed; a sample that a slow probe, steal or other processes'\n"+
			"CPU disturbed is taken again. -count N takes exactly N rounds, in order,\n"+
			"unguarded. With the defaults it takes 10 seconds to 2 minutes on a 2-core\n"+
			"machine.\n\nFlags:\n", report.CPUBound, bench.IOWorkers, report.MinSpeedup, report.MinPairs,
			100*measure.TargetHalfWidth, measure.MaxRounds, measure.Budget)
		printFlags(fs)
	}
	t, err := parseTarget(fs, args, &tf, &of)
	if err != nil {
		return err
	}
	modelFlag := givenName(fs, "model", "models")
	countSet := false
	fs.Visit(func(f *flag.Flag) { countSet = countSet || f.Name == "count" })
	if !countSet {
		t.plan = measure.AdaptivePlan(t.plan)
	}
	candidates := models.All
	if *modelList != "" {
		if candidates, err = t.models(modelFlag, *modelList, false); err != nil {
			return err
		}
	}
	if workers := t.knobs[benchkey.Workers]; t.given[benchkey.Workers] {
		if !slices.ContainsFunc(candidates, func(e models.Entry) bool { return takesFlag(e, benchkey.Workers) }) {
			return usageError{fmt.Sprintf("-workers %d: none of the models compared (-%s %s) has workers; those that do: %s", workers, modelFlag, *modelList, strings.Join(modelsTaking(benchkey.Workers), ", "))}
		}
		for _, e := range candidates {
			if err := checkModelWorkers("-workers", e, workers); err != nil {
				return err
			}
		}
	}
	names := []string{benchkey.Sequential}
	for _, e := range candidates {
		if e.Name != benchkey.Sequential {
			names = append(names, e.Name)
		}
	}
	if len(names) == 1 {
		return usageError{fmt.Sprintf("-%s %q: want at least one model besides sequential to compare with it", modelFlag, *modelList)}
	}

	done, err := t.measureModels(ctx, stdout, stderr, of, names)
	var rec *measure.Recommendation
	if err == nil {
		rec = measure.Recommend(done)
	}
	took := time.Since(start)
	if perr := printRecommend(stdout, of.format, done, rec, took); perr != nil && err == nil {
		err = perr
	}
	if err != nil && ctx.Err() != nil {
		return interrupted(ctx, err, len(done))
	}
	return err
}

func printRecommend(w io.Writer, format string, ms []*measurement, rec *measure.Recommendation, took time.Duration) error {
	var base *measurement
	if len(ms) > 0 && ms[0].Case.Model == benchkey.Sequential {
		base = ms[0]
	}
	switch format {
	case formatBench:
		return writeBench(w, "recommend", "Run", ms, rec != nil)
	case formatJSON:
		d := newDocument("recommend", rec != nil, ms, base, rec)
		secs := took.Seconds()
		d.Seconds = &secs
		return writeJSON(w, d)
	case formatCSV:
		return writeCSV(w, newDocument("recommend", rec != nil, ms, base, rec))
	}
	if len(ms) == 0 {
		return nil
	}
	if err := measure.WriteRecommendation(w, ms, rec); err != nil || rec == nil {
		return err
	}
	fmt.Fprintf(w, "\nMeasured in %s.\n", took.Round(time.Second/10))
	return nil
}
