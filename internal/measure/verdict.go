package measure

import (
	"cmp"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/report"
)

// A Recommendation is the advice that the verdict rule gives, and the
// reasons for it. Recommend makes one; the zero value advises nothing
// and has no Chosen, which WriteRecommendation needs.
type Recommendation struct {
	Workload      string  `json:"workload"`
	Kind          string  `json:"kind"` // measured: cpu or io
	SequentialCPU float64 `json:"sequential_cpu_cores"`
	// SequentialDemand is the cores the sequential run asked for: its CPU
	// plus the time it waited for a CPU, over wall time (Demand); what
	// Kind is judged by, where the kernel reports the wait. 0 elsewhere.
	SequentialDemand float64  `json:"sequential_demand_cores,omitempty"`
	CPUBoundAt       float64  `json:"cpu_bound_at"` // cpu-cores from which the sequential run counts as CPU-bound
	Resolved         bool     `json:"resolved"`     // false: too few samples for a verdict
	Model            string   `json:"model"`        // the model to use; sequential to stay sequential
	Name             string   `json:"name"`         // its combination, as a benchmark name
	Speedup          float64  `json:"speedup"`      // the median paired speedup over sequential of the chosen concurrent model
	SpeedupLo        float64  `json:"speedup_lo"`   // its 95% confidence interval
	SpeedupHi        float64  `json:"speedup_hi"`
	Best             bool     `json:"best"`    // the chosen model beat every other one
	AsFast           []string `json:"as_fast"` // the other models that cannot be told apart from the fastest
	Apart            []string `json:"apart"`   // models not compared: a different number of tasks in flight
	Why              []string `json:"why"`     // the reasons, in sentences, with the numbers

	Chosen *Measurement `json:"-"` // the measurement of Model
}

// Recommend applies the report's verdict rule (report.Decide) to the
// measurements, the first of which is the sequential run. The samples of
// every model were taken in the same rounds, so sample i of each is
// paired with sample i of the sequential run. For waiting work only the
// models with as many tasks in flight as most of them compete.
func Recommend(ms []*Measurement) *Recommendation {
	base := ms[0]
	cpu := base.Summary(benchkey.UnitCPUCores)
	kind, demand, delayed := classify(base)
	r := &Recommendation{
		Workload:      base.Case.Workload,
		Kind:          kind,
		SequentialCPU: cpu.Center,
		CPUBoundAt:    report.CPUBound,
		AsFast:        []string{},
		Apart:         []string{},
	}
	bound := "it computes: Go can run such tasks on every core at once"
	if r.Kind == report.KindIO {
		bound = "its tasks mostly wait: running many at once overlaps the waits"
	}
	used := fmt.Sprintf("it kept %s cores busy", Sig3(cpu.Center))
	if delayed {
		r.SequentialDemand = demand
		if demand-cpu.Center >= waitedNote {
			used = fmt.Sprintf("it asked for %s cores: it kept %s busy, and spent %s more waiting for a CPU that load from elsewhere held",
				Sig3(demand), Sig3(cpu.Center), Sig3(demand-cpu.Center))
		}
	}
	r.Why = append(r.Why, fmt.Sprintf("%s is %s-bound: run one task at a time, %s (%g or more counts as CPU-bound), so %s.",
		r.Workload, strings.ToUpper(r.Kind), used, report.CPUBound, bound))

	c := newContest(ms)
	contest, byModel, apart, in := c.contest, c.byModel, c.apart, c.in
	for _, m := range apart {
		r.Apart = append(r.Apart, m.Case.Model)
	}
	v := report.Decide([]report.Contest{contest})[0]
	r.Resolved = v.Resolved
	r.Chosen = base
	switch {
	case !v.Resolved:
		r.Why = append(r.Why, fmt.Sprintf("No verdict: %s. Run again with -count %d or more.", v.Reason, report.MinPairs))
	case v.Sequential:
		c := byModel[v.Choice]
		r.Speedup, r.SpeedupLo, r.SpeedupHi = v.Speedup.Center, v.Speedup.Lo, v.Speedup.Hi
		r.Why = append(r.Why, fmt.Sprintf("No model's speedup cleared %.2f× with confidence: %s reached %s. Concurrency does not pay for this work here: keep it sequential.",
			report.MinSpeedup, Describe(c.Case), v.Speedup))
	default:
		r.Chosen = byModel[v.Choice]
		r.Speedup, r.SpeedupLo, r.SpeedupHi, r.Best = v.Speedup.Center, v.Speedup.Lo, v.Speedup.Hi, v.Best
		r.Why = append(r.Why, fmt.Sprintf("%s ran it %s as fast as one task at a time (%s against %s), keeping %s cores busy.",
			Describe(r.Chosen.Case), v.Speedup, rate(r.Chosen), rate(base), Human(r.Chosen, benchkey.UnitCPUCores)))
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
			m.Case.Model, Plural(inFlight(m), "task"), in, report.PairedRatio(m.Values(benchkey.UnitTasksps), contest.Reference)))
	}
	r.Model, r.Name = r.Chosen.Case.Model, r.Chosen.Case.Name()
	if r.Chosen == base {
		r.Speedup = 1
	}
	r.Why = append(r.Why, lessons(r.Kind, r.Chosen, ms, base)...)
	retaken, kept := 0, 0
	for _, m := range ms {
		retaken += m.Retakes
		for _, s := range m.Samples {
			if s.Disturbed != "" {
				kept++
			}
		}
	}
	if retaken > 0 {
		r.Why = append(r.Why, fmt.Sprintf("%s taken again because the machine was disturbed (a slow probe before them, steal, or other processes' CPU during them); %d kept although still disturbed after the last retake.",
			Plural(retaken, "sample"), kept))
	}
	if worst := noisiest(ms); worst != nil {
		r.Why = append(r.Why, fmt.Sprintf("The samples spread by up to %s (%s): pairing each sample with the sequential sample of its round cancels load that touches both, but not load that touches one.",
			Spread(worst), Describe(worst.Case)))
	}
	return r
}

// A contest is the verdict rule's question over measurements whose first
// is the sequential run: for waiting work only the models with as many
// tasks in flight as most of them compete; the others are kept apart.
type contest struct {
	contest report.Contest
	byModel map[string]*Measurement
	apart   []*Measurement
	in      int
}

func newContest(ms []*Measurement) contest {
	base := ms[0]
	kind, _, _ := classify(base)
	c := contest{contest: report.Contest{Workload: base.Case.Workload, Reference: base.Values(benchkey.UnitTasksps)},
		byModel: map[string]*Measurement{}, in: usualInFlight(ms[1:])}
	for _, m := range ms[1:] {
		if kind == report.KindIO && inFlight(m) != c.in {
			c.apart = append(c.apart, m)
			continue
		}
		c.byModel[m.Case.Model] = m
		c.contest.Candidates = append(c.contest.Candidates, report.Candidate{Model: m.Case.Model, Samples: m.Values(benchkey.UnitTasksps)})
	}
	return c
}

// classify returns the kind of the work that base, the sequential run,
// measured, and the cores it asked for. Where the kernel reports the time
// our threads waited for a CPU (delayed), the kind is judged by the
// cores asked for, CPU plus that wait: a neighbour's load lowers the
// cores a computing task keeps busy (0.45 on a loaded 2-core machine),
// not the cores it asks for (still about 1), while waiting work asks for
// little either way. Elsewhere it is judged by the cores kept busy.
func classify(base *Measurement) (kind string, demand float64, delayed bool) {
	if d, ok := base.Demand(); ok {
		return report.Classify(d, true), d.Center, true
	}
	return report.Classify(base.Summary(benchkey.UnitCPUCores), true), 0, false
}

// waitedNote is the share of a core, waited for a CPU, from which the
// reasons say that the sequential run was kept waiting.
const waitedNote = 0.05

// The adaptive plan's limits: recommend samples until the chosen model's
// paired speedup is known within TargetHalfWidth, or MaxRounds rounds or
// Budget have been spent.
const (
	TargetHalfWidth = report.TargetHalfWidth
	MaxRounds       = 30
	Budget          = 2 * time.Minute
)

// Settled reports whether measurements (the sequential run first) give
// a verdict whose chosen model's paired speedup CI, the one the verdict
// states, is at most TargetHalfWidth of its median either side.
func Settled(ms []*Measurement) bool {
	if len(ms) < 2 {
		return true
	}
	v := report.Decide([]report.Contest{newContest(ms).contest})[0]
	sp := v.Speedup
	return v.Resolved && sp.CI && (sp.Hi-sp.Lo)/2 <= TargetHalfWidth*sp.Center
}

// AdaptivePlan returns p as recommend measures: each round in a shuffled
// order (its seed in Seed), every sample guarded against disturbance, at
// least p.Count rounds and then on until Settled, MaxRounds or Budget.
func AdaptivePlan(p Plan) Plan {
	p.Seed = uint64(time.Now().UnixNano()) | 1
	p.Guard = NewGuard()
	p.MaxCount = max(p.Count, MaxRounds)
	p.Budget = Budget
	p.Done = Settled
	return p
}

// usualInFlight is the number of tasks in flight that most of ms share.
func usualInFlight(ms []*Measurement) int {
	xs := make([]int, len(ms))
	for i, m := range ms {
		xs[i] = inFlight(m)
	}
	return report.Usual(xs)
}

// noisy is the spread of a measurement's throughput, either side of its
// median, beyond which recommend warns that the numbers are disturbed.
const noisy = 0.10

// noisiest returns the measurement whose throughput spreads the most, if
// that is more than noisy; nil otherwise.
func noisiest(ms []*Measurement) *Measurement {
	var worst *Measurement
	most := noisy
	for _, m := range ms {
		if d := RelSpread(m); len(m.Samples) > 1 && d > most {
			worst, most = m, d
		}
	}
	return worst
}

// lessons compares the chosen model with what the tutorial's models show,
// where they were measured.
func lessons(kind string, chosen *Measurement, ms []*Measurement, base *Measurement) []string {
	find := func(model string) *Measurement {
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
			// Every goroutine that can compute counts, capped by the
			// GOMAXPROCS it ran under (pinned's procs is in Runnable).
			p := report.Parallelism(runtime.NumCPU(), chosen.Case.Concurrency().Runnable, chosen.GOMAXPROCS)
			out = append(out, fmt.Sprintf("With %s at once on this %d-core machine, the most it could reach is %d×; it reached %s of that.",
				Plural(p, "task"), runtime.NumCPU(), p, percent(chosen.Speedup(base).Center/float64(p))))
		}
		if g := find("gil"); g != nil {
			out = append(out, fmt.Sprintf("gil, where one task computes at a time as under Python's GIL, kept %s cores busy and reached %s: in Python, threads would not speed this work up (processes would); in Go, goroutines do.",
				Human(g, benchkey.UnitCPUCores), g.Speedup(base)))
		}
		if p := find("pinned"); p != nil && p.Case.Options.Procs == 1 {
			out = append(out, fmt.Sprintf("pinned, with one thread running Go code (GOMAXPROCS=1, an event loop), kept %s cores busy and reached %s: one thread computes one task at a time.",
				Human(p, benchkey.UnitCPUCores), p.Speedup(base)))
		}
		return out
	}
	if chosen != base {
		out = append(out, fmt.Sprintf("For waiting work what counts is how many tasks wait at once: %s had %s in flight.",
			chosen.Case.Model, Plural(inFlight(chosen), "task")))
		if chosen.Has(benchkey.UnitFloorRatio) {
			out = append(out, fmt.Sprintf("Its batches took %s× the least time that the tasks' own latency allows at that concurrency (1× is the floor).",
				Human(chosen, benchkey.UnitFloorRatio)))
		}
	}
	if p := find("pinned"); p != nil && p.Case.Options.Procs == 1 {
		out = append(out, fmt.Sprintf("pinned, with one thread running Go code (GOMAXPROCS=1, as an asyncio event loop) and %s in flight, reached %s: Go's netpoller does the waiting, so waiting work needs few threads.",
			Plural(inFlight(p), "task"), p.Speedup(base)))
	}
	if g := find("gil"); g != nil {
		out = append(out, fmt.Sprintf("gil, which holds one global lock while a task computes and releases it while it waits, as Python's GIL does, reached %s: threads help Python with waiting work too.",
			g.Speedup(base)))
	}
	return out
}

// inFlight returns how many of m's tasks can be waiting at once.
func inFlight(m *Measurement) int { return m.Case.Concurrency().InFlight }

// rate is m's throughput in its natural unit.
func rate(m *Measurement) string {
	if m.Has(benchkey.UnitMBps) {
		return Human(m, benchkey.UnitMBps) + " MB/s"
	}
	return Human(m, benchkey.UnitTasksps) + " tasks/s"
}

func percent(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

// WriteRecommendation writes ms as concbench recommend shows them: the
// workload, a table of the models, fastest first after the sequential
// run, a note on its columns, then rec's advice and its reasons; rec nil
// (an interrupted run) leaves the advice out. It writes nothing for no
// measurements.
func WriteRecommendation(w io.Writer, ms []*Measurement, rec *Recommendation) error {
	if len(ms) == 0 {
		return nil
	}
	var base *Measurement
	if ms[0].Case.Model == benchkey.Sequential {
		base = ms[0]
	}
	fmt.Fprintln(w, DescribeTarget(ms[0]))
	fmt.Fprintln(w)
	// Fastest first, after the sequential baseline.
	sorted := slices.Clone(ms)
	slices.SortStableFunc(sorted, func(a, b *Measurement) int {
		if a == base || b == base {
			return cmp.Compare(boolInt(b == base), boolInt(a == base))
		}
		return cmp.Compare(b.Median(benchkey.UnitTasksps), a.Median(benchkey.UnitTasksps))
	})
	if err := WriteTable(w, sorted, base); err != nil {
		return err
	}
	fmt.Fprintln(w)
	WriteTableNotes(w, ms, base)
	if rec == nil {
		return nil
	}
	switch {
	case !rec.Resolved:
		fmt.Fprintln(w, "\nNo verdict.")
	case rec.Chosen == base:
		fmt.Fprintln(w, "\nStay sequential.")
	default:
		fmt.Fprintf(w, "\nUse %s.\n", Describe(rec.Chosen.Case))
	}
	for _, s := range rec.Why {
		fmt.Fprintln(w, "  - "+s)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
