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

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/report"
)

// runRecommend is concbench recommend: measure a workload sequentially,
// classify it from its CPU use, try the models, and say which to use.
func runRecommend(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	start := time.Now()
	fs := newFlagSet("recommend", stderr)
	var tf targetFlags
	tf.register(fs, report.MinPairs+4, 100*time.Millisecond)
	modelList := fs.String("models", "", "the candidate `models`, separated by commas (default: every model)")
	var of outputFlags
	of.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: concbench recommend -workload W [-param key=value]... [flags]\n\n"+
			"Measures the workload one task at a time and classifies it from the CPU that\n"+
			"run used: CPU-bound at %g cores or more, IO-bound below. Then measures it\n"+
			"under each model (workers = GOMAXPROCS for the CPU workloads, %d for the IO\n"+
			"ones), in rounds, and says which model to use, and why, with the numbers.\n"+
			"The verdict is the report's: paired speedups with 95%% CIs, a model named\n"+
			"alone only when it beat every other, else the set that cannot be told\n"+
			"apart; stay sequential unless the choice's CI starts at %.2f×. It needs\n"+
			"-count %d or more. With the defaults it takes 10 to 60 seconds on a 2-core\n"+
			"machine.\n\nFlags:\n", report.CPUBound, bench.IOWorkers, report.MinSpeedup, report.MinPairs)
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
	Resolved      bool     `json:"resolved"`     // false: too few samples for a verdict
	Model         string   `json:"model"`        // the model to use; sequential to stay sequential
	Name          string   `json:"name"`         // its combination, as a benchmark name
	Speedup       float64  `json:"speedup"`      // the median paired speedup over sequential of the chosen concurrent model
	SpeedupLo     float64  `json:"speedup_lo"`   // its 95% confidence interval
	SpeedupHi     float64  `json:"speedup_hi"`
	Best          bool     `json:"best"`    // the chosen model beat every other one
	AsFast        []string `json:"as_fast"` // the other models that cannot be told apart from the fastest
	Why           []string `json:"why"`     // the reasons, in sentences, with the numbers

	chosen *measurement
}

// recommend applies the report's verdict rule (report.Decide) to the
// measurements, the first of which is the sequential run. The samples of
// every model were taken in the same rounds, so sample i of each is
// paired with sample i of the sequential run. For waiting work only the
// models with as many tasks in flight as most of them compete.
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

	contest := report.Contest{Workload: r.Workload, Reference: base.values(unitTasksps)}
	byModel := map[string]*measurement{}
	in := usualInFlight(ms[1:])
	var apart []*measurement
	for _, m := range ms[1:] {
		if r.Kind == report.KindIO && inFlight(m) != in {
			apart = append(apart, m)
			continue
		}
		byModel[m.Case.Model] = m
		contest.Candidates = append(contest.Candidates, report.Candidate{Model: m.Case.Model, Samples: m.values(unitTasksps)})
	}
	v := report.Decide([]report.Contest{contest})[0]
	r.Resolved = v.Resolved
	r.chosen = base
	switch {
	case !v.Resolved:
		r.Why = append(r.Why, fmt.Sprintf("No verdict: %s. Run again with -count %d or more.", v.Reason, report.MinPairs))
	case v.Sequential:
		c := byModel[v.Choice]
		r.Speedup, r.SpeedupLo, r.SpeedupHi = v.Speedup.Center, v.Speedup.Lo, v.Speedup.Hi
		r.Why = append(r.Why, fmt.Sprintf("No model's speedup cleared %.2f× with confidence: %s reached %s. Concurrency does not pay for this work here: keep it sequential.",
			report.MinSpeedup, describe(c.Case), v.Speedup))
	default:
		r.chosen = byModel[v.Choice]
		r.Speedup, r.SpeedupLo, r.SpeedupHi, r.Best = v.Speedup.Center, v.Speedup.Lo, v.Speedup.Hi, v.Best
		r.Why = append(r.Why, fmt.Sprintf("%s ran it %s as fast as one task at a time (%s against %s), keeping %s cores busy.",
			describe(r.chosen.Case), v.Speedup, rate(r.chosen), rate(base), human(r.chosen, unitCPUCores)))
		for _, m := range v.Set[1:] {
			r.AsFast = append(r.AsFast, m)
		}
		r.Why = append(r.Why, report.Capitalize(v.Reason)+".")
		if len(v.Set) > 1 {
			r.Why = append(r.Why, fmt.Sprintf("Among models that cannot be told apart the advice takes the first of %s: bounded before unbounded, the standard library before other packages, the lessons last.",
				strings.Join(report.Preference, ", ")))
		}
	}
	for _, m := range apart {
		r.Why = append(r.Why, fmt.Sprintf("%s, with %s in flight against the others' %d, is not compared with them: it reached %s.",
			m.Case.Model, plural(inFlight(m), "task"), in, report.PairedRatio(m.values(unitTasksps), contest.Reference)))
	}
	r.Model, r.Name = r.chosen.Case.Model, r.chosen.Case.Name()
	if r.chosen == base {
		r.Speedup = 1
	}
	r.Why = append(r.Why, lessons(r.Kind, r.chosen, ms, base)...)
	if worst := noisiest(ms); worst != nil {
		r.Why = append(r.Why, fmt.Sprintf("The samples spread by up to %s (%s): pairing each sample with the sequential sample of its round cancels load that touches both, but not load that touches one.",
			spread(worst), describe(worst.Case)))
	}
	return r
}

// usualInFlight is the number of tasks in flight that most of ms share.
func usualInFlight(ms []*measurement) int {
	count := map[int]int{}
	best := 0
	for _, m := range ms {
		n := inFlight(m)
		count[n]++
		if count[n] > count[best] || (count[n] == count[best] && n < best) {
			best = n
		}
	}
	return best
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

// rate is m's throughput in its natural unit.
func rate(m *measurement) string {
	if m.has(unitMBps) {
		return human(m, unitMBps) + " MB/s"
	}
	return human(m, unitTasksps) + " tasks/s"
}

func percent(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

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
	switch {
	case !rec.Resolved:
		fmt.Fprintln(w, "\nNo verdict.")
	case rec.chosen == base:
		fmt.Fprintln(w, "\nStay sequential.")
	default:
		fmt.Fprintf(w, "\nUse %s.\n", describe(rec.chosen.Case))
	}
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
