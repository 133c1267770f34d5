package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/aclements/go-moremath/stats"
)

// The verdict rule. Every statement of the form "use model M for this
// work", on a page, in the index, on the decision chart or from
// concbench recommend, comes from Decide. Its thresholds:
const (
	// Alpha is the familywise error rate of one page's verdicts: Holm's
	// correction holds it across the page's workloads.
	Alpha = 0.05
	// MinSpeedup is the speedup whose confidence interval's lower bound
	// the chosen model must reach; below it the verdict is "stay
	// sequential", since concurrency that gains less than 10% is not
	// worth its complexity.
	MinSpeedup = 1.10
	// EquivalenceMargin is the margin of the equivalence test (TOST): two
	// models are "equivalent" only when their paired ratio lies within
	// ±5% with confidence.
	EquivalenceMargin = 0.05
	// MinPairs is the fewest pairs that give a 95% confidence interval
	// of a median (benchmath's distribution-free method needs 6) and a
	// sign test that can reject at Alpha. A comparison with fewer pairs
	// is not resolved and gives no verdict.
	MinPairs = 6
	// TargetHalfWidth is how closely the adaptive rounds of the full
	// profile and of concbench recommend try to know the chosen model's
	// paired speedup: its interval within ±3% of its median.
	TargetHalfWidth = 0.03
)

// ConfigUnresolved is the key of a results file's line that lists the
// workloads whose headline comparison did not settle within the
// adaptive rounds' budget: "unresolved: gzip http".
const ConfigUnresolved = "unresolved"

// Preference orders models that the rule cannot tell apart, simplest to
// adopt first: a bounded pool before unbounded goroutines, the standard
// library's shapes before third-party pools, and worker processes last,
// since each costs megabytes. A model not listed comes after those that
// are, in the order the caller gave.
var Preference = []string{
	"pool", "semaphore", "errgroup", "chanpool", "spawn", "conc",
	"pipeline", "pond", "ants", "pinned", "gil", "process", "exec",
}

// PairedRatio returns the median of the ratios x[i]/y[i], for the
// indices both slices hold, with benchmath's distribution-free 95%
// confidence interval of that median. Sample i of x and sample i of y
// must have been taken next to each other (the same round), so that
// load on the machine touches both: pairing cancels it, where a ratio of
// two medians would carry it. With fewer than MinPairs pairs CI is false
// and Lo and Hi are the smallest and largest ratio. Pairs with a
// non-positive or non-finite value are dropped; with none left every
// field is NaN.
func PairedRatio(x, y []float64) Ratio {
	r := ratios(x, y)
	if len(r) == 0 {
		return Ratio{Center: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	}
	s := Summarize(r)
	return Ratio{Center: s.Center, Lo: s.Lo, Hi: s.Hi, CI: s.CI, N: len(r)}
}

func ratios(x, y []float64) []float64 {
	n := min(len(x), len(y))
	r := make([]float64, 0, n)
	for i := range n {
		q := x[i] / y[i]
		if x[i] > 0 && y[i] > 0 && !math.IsInf(q, 0) && !math.IsNaN(q) {
			r = append(r, q)
		}
	}
	return r
}

// signP is the one-sided sign test's p-value for "the median of r is
// above t": the chance of at least as many ratios above t as were seen,
// if each fell on either side with even odds. Ratios equal to t are
// dropped, as the sign test does. It is the test whose inversion gives
// the order-statistic interval of PairedRatio, so the two never
// disagree by more than the interval's discreteness.
func signP(r []float64, t float64) float64 {
	above, n := 0, 0
	for _, v := range r {
		switch {
		case v > t:
			above++
			n++
		case v < t:
			n++
		}
	}
	if n == 0 {
		return 1
	}
	// P(K >= above) = 1 - P(K <= above-1)
	return 1 - stats.BinomialDist{N: n, P: 0.5}.CDF(float64(above-1))
}

// Equivalent reports whether x and y are equivalent within margin by two
// one-sided sign tests (TOST) on their paired ratios: the median ratio is
// above 1-margin and below 1+margin, each at level Alpha. p is the larger
// of the two p-values; below Alpha the two are equivalent.
func Equivalent(x, y []float64, margin float64) (ok bool, p float64) {
	r := ratios(x, y)
	if len(r) < MinPairs {
		return false, 1
	}
	inv := make([]float64, len(r))
	for i, v := range r {
		inv[i] = 1 / v
	}
	p = max(signP(r, 1-margin), signP(inv, 1/(1+margin)))
	return p < Alpha, p
}

// A Contest is one workload's question: which of Candidates to use
// instead of running the work sequentially. Every candidate's Samples and
// the Reference's are throughputs (higher is better) paired by index:
// sample i of each was taken in the same round. The zero value has no
// candidates and decides nothing.
type Contest struct {
	Workload   string
	Reference  []float64 // the sequential model's samples
	Candidates []Candidate
}

// A Candidate is one model's samples in a Contest.
type Candidate struct {
	Model   string
	Samples []float64
}

// A Verdict is the rule's answer for one Contest. The zero value is an
// unresolved verdict with no choice.
type Verdict struct {
	Workload string
	// Resolved is false when the contest had too few pairs (MinPairs) or
	// no candidate: then there is no verdict, and Reason says why.
	Resolved bool
	// Fastest is the candidate with the highest median paired speedup.
	Fastest string
	// Set holds the candidates that cannot be told apart from Fastest,
	// Fastest included, in Preference order. Choice is its first member:
	// the model to use when concurrency pays.
	Set    []string
	Choice string
	// Best is true when Set is Fastest alone: its paired comparison with
	// every other candidate excluded a tie, after Holm's correction.
	Best bool
	// Speedup is Choice's paired speedup over the reference.
	Speedup Ratio
	// Sequential is the advice to stay sequential: Choice's speedup CI
	// does not reach MinSpeedup.
	Sequential bool
	// Equivalent lists the members of Set other than Choice that an
	// equivalence test (EquivalenceMargin) shows to be within ±5% of
	// Choice; the others merely could not be told apart.
	Equivalent []string
	// P is the Holm-adjusted p-value of the claim that Fastest beats
	// every other candidate.
	P      float64
	Reason string
}

// Decide applies the verdict rule to every contest of a page at once,
// so that Holm's correction covers the page:
//   - each candidate's speedup is the median of its paired ratios over the
//     reference, with a 95% CI (PairedRatio);
//   - the fastest is the candidate with the highest median speedup; it is
//     "best" only when a one-sided sign test on its paired ratios against
//     every other candidate rejects a tie, the largest of those p-values
//     being Holm-corrected across the page;
//   - otherwise the verdict is the set that cannot be told apart from the
//     fastest, and the choice is the set's first model in Preference order;
//   - the advice is to stay sequential unless the choice's speedup CI lower
//     bound is at least MinSpeedup.
//
// Its cost is a sort per candidate: microseconds for a page.
func Decide(contests []Contest) []Verdict {
	out := make([]Verdict, len(contests))
	type claim struct {
		i int
		p float64
	}
	var claims []claim
	pairs := make([]map[string]float64, len(contests)) // p that Fastest beats each other model
	for i, c := range contests {
		v := &out[i]
		v.Workload = c.Workload
		if len(c.Candidates) == 0 {
			v.Reason = "no model to compare with the sequential run"
			continue
		}
		n := len(c.Reference)
		for _, m := range c.Candidates {
			n = min(n, len(m.Samples))
		}
		if n < MinPairs {
			v.Reason = fmt.Sprintf("%d paired samples; a verdict needs %d", n, MinPairs)
			continue
		}
		speed := map[string]Ratio{}
		for _, m := range c.Candidates {
			speed[m.Model] = PairedRatio(m.Samples, c.Reference)
		}
		fastest := slices.MaxFunc(c.Candidates, func(a, b Candidate) int {
			return cmp.Compare(speed[a.Model].Center, speed[b.Model].Center)
		})
		v.Fastest, v.Resolved = fastest.Model, true
		pairs[i] = map[string]float64{}
		worst := 0.0
		for _, m := range c.Candidates {
			if m.Model == fastest.Model {
				continue
			}
			p := signP(ratios(fastest.Samples, m.Samples), 1)
			pairs[i][m.Model] = p
			worst = max(worst, p)
		}
		claims = append(claims, claim{i, worst})
	}
	// Holm: the k-th smallest of m p-values is compared with Alpha/(m-k).
	slices.SortStableFunc(claims, func(a, b claim) int { return cmp.Compare(a.p, b.p) })
	adjusted := 0.0
	for k, cl := range claims {
		factor := float64(len(claims) - k)
		adjusted = max(adjusted, min(1, factor*cl.p))
		v, c := &out[cl.i], contests[cl.i]
		v.P = adjusted
		v.Set = []string{v.Fastest}
		if adjusted >= Alpha {
			for _, m := range c.Candidates {
				if p, ok := pairs[cl.i][m.Model]; ok && factor*p >= Alpha {
					v.Set = append(v.Set, m.Model)
				}
			}
			if len(v.Set) == 1 && len(c.Candidates) > 1 {
				// Every comparison passed alone, but Holm's step-down
				// stopped earlier on the page: keep the closest rival.
				v.Set = append(v.Set, closest(pairs[cl.i]))
			}
		}
		v.Best = len(v.Set) == 1
		order := make([]string, len(c.Candidates))
		for j, m := range c.Candidates {
			order[j] = m.Model
		}
		sortByPreference(v.Set, order)
		v.Choice = v.Set[0]
		chosen := samplesOf(c, v.Choice)
		v.Speedup = PairedRatio(chosen, c.Reference)
		v.Sequential = !v.Speedup.CI || v.Speedup.Lo < MinSpeedup
		for _, m := range v.Set[1:] {
			if ok, _ := Equivalent(samplesOf(c, m), chosen, EquivalenceMargin); ok {
				v.Equivalent = append(v.Equivalent, m)
			}
		}
		v.Reason = v.explain()
	}
	return out
}

// closest returns the model whose comparison with the fastest has the
// largest p-value: the one least told apart.
func closest(p map[string]float64) string {
	best, bp := "", -1.0
	for m, v := range p {
		if v > bp || (v == bp && m < best) {
			best, bp = m, v
		}
	}
	return best
}

func samplesOf(c Contest, model string) []float64 {
	for _, m := range c.Candidates {
		if m.Model == model {
			return m.Samples
		}
	}
	return nil
}

// sortByPreference orders models by Preference, then by their place in
// order.
func sortByPreference(models, order []string) {
	rank := func(m string) int {
		if i := slices.Index(Preference, m); i >= 0 {
			return i
		}
		return len(Preference) + slices.Index(order, m)
	}
	slices.SortStableFunc(models, func(a, b string) int { return cmp.Compare(rank(a), rank(b)) })
}

// Sentence returns the verdict in a few words, the same everywhere it is
// shown: "pool ≈ semaphore (1.93× [1.88, 1.97])", "stay sequential", or
// "no verdict: …".
func (v Verdict) Sentence() string {
	if !v.Resolved {
		return "no verdict: " + v.Reason
	}
	if v.Sequential {
		return "stay sequential (" + v.Choice + " " + v.Speedup.String() + ")"
	}
	return strings.Join(v.Set, " ≈ ") + " (" + v.Speedup.String() + ")"
}

func (v Verdict) explain() string {
	var s string
	switch {
	case v.Best:
		s = fmt.Sprintf("in paired samples %s beat every other model (Holm-adjusted sign test p=%.3g)", v.Fastest, v.P)
	default:
		s = fmt.Sprintf("paired samples cannot tell %s apart (Holm-adjusted p=%.2g that %s beats the rest); %s is preferred", strings.Join(v.Set, ", "), v.P, v.Fastest, v.Choice)
	}
	if len(v.Equivalent) > 0 {
		s += fmt.Sprintf("; %s within ±%.0f%% of %s (equivalence test)", strings.Join(v.Equivalent, ", "), 100*EquivalenceMargin, v.Choice)
	}
	if v.Sequential {
		s += fmt.Sprintf("; its speedup %s does not clear %.2f× with confidence, so stay sequential", v.Speedup, MinSpeedup)
	}
	return s
}

// Replicated reports whether two runs' verdicts on one workload agree:
// each run's choice lies in the other's set, and the advice to stay
// sequential is the same. Unresolved verdicts replicate nothing.
func Replicated(a, b Verdict) bool {
	return a.Resolved && b.Resolved && a.Sequential == b.Sequential &&
		slices.Contains(a.Set, b.Choice) && slices.Contains(b.Set, a.Choice)
}

// A Shortfall splits a speedup into the two factors it is the product
// of: speedup = Busy × Work, where Busy is the cores the model kept busy
// over the cores sequential kept busy, and Work is sequential's CPU per
// task over the model's. A speedup short of the ideal is short in one of
// them: too few tasks ran at once (Busy), or each task cost more CPU
// (Work: contention, garbage collection, cache misses).
type Shortfall struct {
	Busy, Work float64
	// Disturbed is true when the model's CPU per task is more than 3%
	// below sequential's: the same work cannot get cheaper by running
	// concurrently, so the sequential samples were slowed by something
	// else, and the speedup overstates.
	Disturbed bool
	// GC is the CPU per task that the model's garbage collection added
	// over sequential's, as a fraction of the model's CPU per task; HasGC
	// says whether both runs reported gc-cpu-pct (DecomposeGC).
	GC    float64
	HasGC bool
}

// CostlierWork is the Work factor below which a model's tasks count as
// costing more CPU than sequential's: 5% more.
const CostlierWork = 0.95

// GCCause reports whether garbage collection explains a Work shortfall:
// the model's tasks cost more CPU than sequential's (Work below
// CostlierWork), and the GC it added is at least half of the extra.
func (s Shortfall) GCCause() bool {
	return s.HasGC && !s.Disturbed && s.Work < CostlierWork && s.GC >= 0.5*(1-s.Work)
}

// disturbedWork is the Work factor above which a baseline counts as
// disturbed.
const disturbedWork = 1 / 0.97

// Decompose computes the Shortfall from the medians of cpu-cores and of
// CPU seconds per task of a model and of its sequential reference.
func Decompose(modelCores, refCores, modelCPUPerTask, refCPUPerTask float64) Shortfall {
	s := Shortfall{Busy: modelCores / refCores, Work: refCPUPerTask / modelCPUPerTask}
	s.Disturbed = s.Work > disturbedWork
	return s
}

// DecomposeGC is Decompose with the GC's share of each run's own CPU
// (0 to 1; see GCShare), which says how much of a costlier task is
// garbage collection: work that keeps more memory alive at once (spawn
// holding an encoder per task) collects more often.
func DecomposeGC(modelCores, refCores, modelCPUPerTask, refCPUPerTask, modelGC, refGC float64) Shortfall {
	s := Decompose(modelCores, refCores, modelCPUPerTask, refCPUPerTask)
	added := modelGC*modelCPUPerTask - refGC*refCPUPerTask
	s.GC, s.HasGC = max(0, added)/modelCPUPerTask, true
	return s
}

// GCShare converts gc-cpu-pct, the GC's CPU over GOMAXPROCS × wall time,
// to the GC's share of the CPU the run used (cpu-cores of it), capped to
// [0, 1].
func GCShare(gcCPUPct float64, gomaxprocs int, cpuCores float64) float64 {
	if cpuCores <= 0 || gomaxprocs <= 0 || !(gcCPUPct > 0) {
		return 0
	}
	return min(1, gcCPUPct/100*float64(gomaxprocs)/cpuCores)
}
