package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/report"

	"github.com/concbench/concbench/internal/measure"
)

// runCase is concbench run: one workload under one model.
func runCase(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlagSet("run")
	var tf targetFlags
	tf.register(fs, report.MinPairs, 200*time.Millisecond)
	model := fs.String("model", "", "the model to run the workload under (see concbench list)")
	compare := fs.Bool("compare", false, "also measure the sequential model, and print the speedup over it")
	var of outputFlags
	of.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: concbench run -workload W -model M [-workers N] [-tasks N] [-param key=value]... [flags]\n\n"+
			"Measures one workload under one model: throughput, CPU use, and with -compare\n"+
			"the speedup over the sequential model: the median of paired ratios (each\n"+
			"round runs both, in a shuffled order) with its 95% confidence interval. Every\n"+
			"batch's digest is checked against a sequential run of the same tasks. Set-up\n"+
			"and one warm-up batch are not timed.\n\nFlags:")
		printFlags(fs)
	}
	t, err := parseTarget(fs, args, &tf, &of)
	if err != nil {
		return err
	}
	if *model == "" {
		return usageError{fmt.Sprintf("-model: required; have %s", strings.Join(models.Names(), ", "))}
	}
	if _, err := t.model("model", *model); err != nil {
		return err
	}

	t.plan.Seed = orderSeed()
	cases := []string{*model}
	if *compare && *model != benchkey.Sequential {
		cases = []string{benchkey.Sequential, *model}
	}
	done, err := t.measureModels(ctx, stdout, stderr, of, cases)
	var base *measurement
	if *compare {
		for _, x := range done {
			if x.Case.Model == benchkey.Sequential {
				base = x
			}
		}
	}
	if perr := printRun(stdout, of.format, done, base, err == nil); perr != nil && err == nil {
		err = perr
	}
	return interrupted(ctx, err, len(done))
}

// printRun prints run's measurements in format.
func printRun(w io.Writer, format string, ms []*measurement, base *measurement, finished bool) error {
	switch format {
	case formatBench:
		return writeBench(w, "run", "Run", ms, finished)
	case formatJSON:
		return writeJSON(w, newDocument("run", finished, ms, base, nil))
	case formatCSV:
		return writeCSV(w, newDocument("run", finished, ms, base, nil))
	}
	if len(ms) == 0 {
		return nil
	}
	fmt.Fprintln(w, measure.DescribeTarget(ms[0]))
	fmt.Fprintln(w)
	if err := measure.WriteTable(w, ms, base); err != nil {
		return err
	}
	fmt.Fprintln(w)
	measure.WriteTableNotes(w, ms, base)
	if finished {
		// A run that failed may have failed on a digest.
		fmt.Fprintln(w, "Every batch did the same work as the sequential run: its digest matched.")
	}
	return nil
}

// orderSeed seeds the order of run's and sweep's rounds: each round runs
// the combinations in a shuffled order, so that the reference runs now
// before a model, now after it, and sample i of each, taken in round i,
// pair up (report.PairedRatio).
func orderSeed() uint64 { return uint64(time.Now().UnixNano()) | 1 }

// interrupted turns a cancellation into an error that says what was
// kept; other errors pass through.
func interrupted(ctx context.Context, err error, measured int) error {
	if err == nil || ctx.Err() == nil {
		return err
	}
	if measured == 0 {
		return fmt.Errorf("interrupted before a measurement finished: %w", ctx.Err())
	}
	return fmt.Errorf("interrupted after measuring %s; the output above holds them: %w", measure.Plural(measured, "combination"), ctx.Err())
}
