package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"golang.org/x/perf/benchmath"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/report"
)

// The rules of recommend.
const (
	// minGain is the least speedup over sequential that is worth the
	// concurrency: below it, the advice is to stay sequential.
	minGain = 1.10
	// tie is how close to the fastest model's throughput another model
	// must come to count as just as fast: on a shared machine, a few
	// samples do not separate models closer than this. A model further
	// off also counts as just as fast when a Mann–Whitney U test of the
	// two sets of samples cannot tell them apart (p ≥ 0.05).
	tie = 0.05
)

// preference orders models that are equally fast: bounded before
// unbounded, the standard library before third-party packages, and the
// models that exist to show a lesson (pinned changes GOMAXPROCS for the
// whole process; gil serialises computing on purpose) last. Models not
// listed follow, in table order.
var preference = []string{"pool", "semaphore", "spawn", "pipeline", "ants", "pond", "pinned", "gil"}

// runRecommend is concbench recommend: measure a workload sequentially,
// classify it from its CPU use, try the models, and say which to use.
func runRecommend(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	start := time.Now()
	fs := newFlagSet("recommend", stderr)
	var tf targetFlags
	tf.register(fs, 5, 100*time.Millisecond)
	modelList := fs.String("models", "", "the candidate `models`, separated by commas (default: every model)")
	var of outputFlags
	of.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: concbench recommend -workload W [-param key=value]... [flags]\n\n"+
			"Measures the workload one task at a time and classifies it from the CPU that\n"+
			"run used: CPU-bound at %g cores or more, IO-bound below. Then measures it\n"+
			"under each model (workers = GOMAXPROCS for the CPU workloads, %d for the IO\n"+
			"ones), in rounds, and says which model to use, and why, with the numbers.\n"+
			"With the defaults it takes 5 to 30 seconds on a 2-core machine.\n\nFlags:\n", report.CPUBound, bench.IOWorkers)
		fs.PrintDefaults()
	}
	t, err := parseTarget(fs, args, &tf, &of)
	if err != nil {
		return err
	}
	candidates := models.All
	if *modelList != "" {
		if candidates, err = t.models("models", *modelList, false); err != nil {
			return err
		}
	}
	names := []string{"sequential"}
	for _, e := range candidates {
		if e.Name != "sequential" {
			names = append(names, e.Name)
		}
	}
	if len(names) == 1 {
		return usageError{fmt.Sprintf("-models %q: want at least one model besides sequential to compare with it", *modelList)}
	}

	done, err := t.measureModels(ctx, stdout, stderr, of, names)
	var rec *recommendation
	if err == nil {
		rec = recommend(done)
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

// A recommendation is recommend's advice and the reasons for it.
type recommendation struct {
	Workload      string   `json:"workload"`
	Kind          string   `json:"kind"` // measured: cpu or io
	SequentialCPU float64  `json:"sequential_cpu_cores"`
	CPUBoundAt    float64  `json:"cpu_bound_at"` // cpu-cores from which the sequential run counts as CPU-bound
	Model         string   `json:"model"`        // the model to use
	Name          string   `json:"name"`         // its combination, as a benchmark name
	Speedup       float64  `json:"speedup"`      // its throughput over sequential's
	AsFast        []string `json:"as_fast"`      // other models within 5% of the fastest
	Why           []string `json:"why"`          // the reasons, in sentences, with the numbers

	chosen *measurement
}

// recommend applies the rules to the measurements, the first of which is
// the sequential run: classify by its CPU use; take the fastest model and
// those within tie of it; pick among them by preference; stay sequential
// unless that gains minGain.
func recommend(ms []*measurement) *recommendation {
	base := ms[0]
	cpu := base.summary(unitCPUCores)
	r := &recommendation{
		Workload:      base.Case.Workload,
		Kind:          report.Classify(cpu, true),
		SequentialCPU: cpu.Center,
		CPUBoundAt:    report.CPUBound,
		AsFast:        []string{},
	}
	bound := "it computes: Go can run such tasks on every core at once"
	if r.Kind == report.KindIO {
		bound = "its tasks mostly wait: running many at once overlaps the waits"
	}
	r.Why = append(r.Why, fmt.Sprintf("%s is %s-bound: run one task at a time, it kept %s cores busy (%g or more counts as CPU-bound), so %s.",
		r.Workload, strings.ToUpper(r.Kind), sig3(cpu.Center), report.CPUBound, bound))

	others := slices.Clone(ms[1:])
	slices.SortStableFunc(others, func(a, b *measurement) int {
		return cmp.Compare(b.median(unitTasksps), a.median(unitTasksps))
	})
	fastest := others[0]
	var ties []*measurement
	for _, m := range others {
		if same, _ := asFast(m, fastest); same {
			ties = append(ties, m)
		}
	}
	slices.SortStableFunc(ties, func(a, b *measurement) int { return cmp.Compare(rank(a.Case.Model), rank(b.Case.Model)) })

	if same, p := asFast(base, fastest); same || fastest.speedup(base) < minGain {
		r.chosen = base
		why := fmt.Sprintf("No model ran it %.0f%% faster than one task at a time", 100*(minGain-1))
		if fastest.speedup(base) >= minGain {
			why = fmt.Sprintf("No model ran it measurably faster than one task at a time (p = %.2f)", p)
		}
		r.Why = append(r.Why, fmt.Sprintf("%s; the fastest, %s, reached %s×. Concurrency does not pay for this work here: keep it sequential.",
			why, describe(fastest.Case), sig3(fastest.speedup(base))))
	} else {
		r.chosen = ties[0]
		r.Why = append(r.Why, fmt.Sprintf("%s ran it %s× as fast as one task at a time (%s against %s), keeping %s cores busy.",
			describe(r.chosen.Case), sig3(r.chosen.speedup(base)), rate(r.chosen), rate(base), human(r.chosen, unitCPUCores)))
		if r.chosen != fastest {
			r.Why = append(r.Why, fmt.Sprintf("%s measured fastest, at %s×, but not measurably faster than %s (within %.0f%%, or p ≥ 0.05 in a Mann–Whitney U test of their samples); "+
				"among models that close the advice takes the first of %s: bounded before unbounded, the standard library before other packages, the lessons last.",
				fastest.Case.Model, sig3(fastest.speedup(base)), r.chosen.Case.Model, 100*tie, strings.Join(preference, ", ")))
		}
		var slower []*measurement // those not named yet
		for _, m := range ties[1:] {
			r.AsFast = append(r.AsFast, m.Case.Model)
			if m != fastest {
				slower = append(slower, m)
			}
		}
		if len(slower) > 0 {
			r.Why = append(r.Why, fmt.Sprintf("Not measurably slower than %s either: %s.", fastest.Case.Model, speedups(slower, base)))
		}
	}
	r.Model, r.Name, r.Speedup = r.chosen.Case.Model, r.chosen.Case.Name(), r.chosen.speedup(base)
	r.Why = append(r.Why, lessons(r.Kind, r.chosen, ms, base)...)
	if worst := noisiest(ms); worst != nil {
		r.Why = append(r.Why, fmt.Sprintf("The samples spread by up to %s (%s): on a machine shared with other work, run again, or with a higher -count, before trusting differences of that size.",
			spread(worst), describe(worst.Case)))
	}
	return r
}

// noisy is the spread of a measurement's throughput, either side of its
// median, beyond which recommend warns that the numbers are disturbed.
const noisy = 0.10

// noisiest returns the measurement whose throughput spreads the most, if
// that is more than noisy; nil otherwise.
func noisiest(ms []*measurement) *measurement {
	var worst *measurement
	most := noisy
	for _, m := range ms {
		if d := relSpread(m); len(m.Samples) > 1 && d > most {
			worst, most = m, d
		}
	}
	return worst
}

// asFast reports whether m's throughput is as good as fastest's: within
// tie of it, or not told apart from it by a Mann–Whitney U test, whose
// p-value it returns. With fewer than 4 samples on a side the test cannot
// tell any two apart, so only the tie rule applies.
func asFast(m, fastest *measurement) (bool, float64) {
	c := benchmath.AssumeNothing.Compare(
		benchmath.NewSample(m.values(unitTasksps), &benchmath.DefaultThresholds),
		benchmath.NewSample(fastest.values(unitTasksps), &benchmath.DefaultThresholds))
	untold := len(c.Warnings) == 0 && c.P >= c.Alpha
	return untold || m.median(unitTasksps) >= (1-tie)*fastest.median(unitTasksps), c.P
}

// lessons compares the chosen model with what the tutorial's models show,
// where they were measured.
func lessons(kind string, chosen *measurement, ms []*measurement, base *measurement) []string {
	find := func(model string) *measurement {
		for _, m := range ms {
			if m.Case.Model == model {
				return m
			}
		}
		return nil
	}
	var out []string
	if kind == report.KindCPU {
		if chosen != base {
			procs := chosen.GOMAXPROCS
			if e, err := models.Lookup(chosen.Case.Model); err == nil && slices.Contains(e.Knobs, "procs") {
				procs = chosen.Case.Options.Procs
			}
			p := report.Parallelism(runtime.NumCPU(), inFlight(chosen), procs)
			out = append(out, fmt.Sprintf("With %s at once on this %d-core machine, the most it could reach is %d×; it reached %s of that.",
				plural(p, "task"), runtime.NumCPU(), p, percent(chosen.speedup(base)/float64(p))))
		}
		if g := find("gil"); g != nil {
			out = append(out, fmt.Sprintf("gil, where one task computes at a time as under Python's GIL, kept %s cores busy and reached %s×: in Python, threads would not speed this work up (processes would); in Go, goroutines do.",
				human(g, unitCPUCores), sig3(g.speedup(base))))
		}
		if p := find("pinned"); p != nil && p.Case.Options.Procs == 1 {
			out = append(out, fmt.Sprintf("pinned, with one thread running Go code (GOMAXPROCS=1, an event loop), kept %s cores busy and reached %s×: one thread computes one task at a time.",
				human(p, unitCPUCores), sig3(p.speedup(base))))
		}
		return out
	}
	if chosen != base {
		out = append(out, fmt.Sprintf("For waiting work what counts is how many tasks wait at once: %s had %s in flight.",
			chosen.Case.Model, plural(inFlight(chosen), "task")))
		if chosen.has(unitFloorRatio) {
			out = append(out, fmt.Sprintf("Its batches took %s× the least time that the tasks' own latency allows at that concurrency (1× is the floor).",
				human(chosen, unitFloorRatio)))
		}
	}
	if p := find("pinned"); p != nil && p.Case.Options.Procs == 1 {
		out = append(out, fmt.Sprintf("pinned, with one thread running Go code (GOMAXPROCS=1, as an asyncio event loop) and %s in flight, reached %s×: Go's netpoller does the waiting, so waiting work needs few threads.",
			plural(inFlight(p), "task"), sig3(p.speedup(base))))
	}
	if g := find("gil"); g != nil {
		out = append(out, fmt.Sprintf("gil, which holds one global lock while a task computes and releases it while it waits, as Python's GIL does, reached %s×: threads help Python with waiting work too.",
			sig3(g.speedup(base))))
	}
	return out
}

// inFlight returns how many of m's tasks can be under way at once.
func inFlight(m *measurement) int {
	if e, err := models.Lookup(m.Case.Model); err == nil {
		switch {
		case m.Case.Model == "sequential":
			return 1
		case slices.Contains(e.Knobs, "workers"):
			return min(m.Case.Options.Workers, m.Case.Tasks)
		case slices.Contains(e.Knobs, "fetch"):
			return min(m.Case.Options.Fetch, m.Case.Tasks)
		}
	}
	return m.Case.Tasks
}

func rank(model string) int {
	if i := slices.Index(preference, model); i >= 0 {
		return i
	}
	return len(preference) + slices.IndexFunc(models.All, func(e models.Entry) bool { return e.Name == model })
}

// rate is m's throughput in its natural unit.
func rate(m *measurement) string {
	if m.has(unitMBps) {
		return human(m, unitMBps) + " MB/s"
	}
	return human(m, unitTasksps) + " tasks/s"
}

func percent(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

// speedups lists models with their speedups: "semaphore (1.92×), ants (1.90×)".
func speedups(ms []*measurement, base *measurement) string {
	var s []string
	for _, m := range ms {
		s = append(s, fmt.Sprintf("%s (%s×)", m.Case.Model, sig3(m.speedup(base))))
	}
	return strings.Join(s, ", ")
}

func printRecommend(w io.Writer, format string, ms []*measurement, rec *recommendation, took time.Duration) error {
	var base *measurement
	if len(ms) > 0 && ms[0].Case.Model == "sequential" {
		base = ms[0]
	}
	rows := []row{}
	for _, m := range ms {
		rows = append(rows, newRow(m, base))
	}
	switch format {
	case formatBench:
		writeBench(w, "recommend", "Run", ms, rec != nil)
		return nil
	case formatJSON:
		return writeJSON(w, struct {
			Finished       bool            `json:"finished"`
			Seconds        float64         `json:"seconds"`
			Recommendation *recommendation `json:"recommendation"` // null when interrupted
			Results        []row           `json:"results"`
		}{rec != nil, took.Seconds(), rec, rows})
	case formatCSV:
		return writeCSV(w, rows, []string{"recommended"}, func(i int) []string {
			return []string{fmt.Sprint(rec != nil && ms[i] == rec.chosen)}
		})
	}
	if len(ms) == 0 {
		return nil
	}
	fmt.Fprintln(w, describeTarget(ms[0]))
	fmt.Fprintln(w)
	// Fastest first, after the sequential baseline.
	sorted := slices.Clone(ms)
	slices.SortStableFunc(sorted, func(a, b *measurement) int {
		if a == base || b == base {
			return cmp.Compare(boolInt(b == base), boolInt(a == base))
		}
		return cmp.Compare(b.median(unitTasksps), a.median(unitTasksps))
	})
	if err := writeTable(w, sorted, base); err != nil {
		return err
	}
	fmt.Fprintln(w)
	writeTableNotes(w, ms, base)
	if rec == nil {
		return nil
	}
	fmt.Fprintf(w, "\nUse %s.\n", describe(rec.chosen.Case))
	for _, s := range rec.Why {
		fmt.Fprintln(w, "  - "+s)
	}
	fmt.Fprintf(w, "\nMeasured in %s.\n", took.Round(time.Second/10))
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
