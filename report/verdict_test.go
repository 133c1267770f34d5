package report

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// rounds returns n reference samples whose level drifts from round to
// round by up to ±30%, as load from a neighbour makes it, and a model's
// samples at ratio times the reference, each with ±jitter of its own.
func rounds(seed uint64, n int, ratio, jitter float64) (model, ref []float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for range n {
		level := 100 * (0.7 + 0.6*rng.Float64())
		ref = append(ref, level*(1+jitter*(2*rng.Float64()-1)))
		model = append(model, ratio*level*(1+jitter*(2*rng.Float64()-1)))
	}
	return model, ref
}

func TestPairedRatioKnownRatio(t *testing.T) {
	model, ref := rounds(1, 10, 1.8, 0.005)
	r := PairedRatio(model, ref)
	if !r.CI || r.N != 10 {
		t.Fatalf("PairedRatio = %+v, want a CI over 10 pairs", r)
	}
	if r.Lo > 1.8 || r.Hi < 1.8 {
		t.Errorf("CI [%.3f, %.3f] misses the true ratio 1.8", r.Lo, r.Hi)
	}
	if half := (r.Hi - r.Lo) / 2 / r.Center; half > 0.03 {
		t.Errorf("paired CI half-width %.1f%%, want ≤ 3%% when only the level drifts", 100*half)
	}
	// Unpaired, the same samples carry the drift of the reference.
	d := Divide(Summarize(model), Summarize(ref))
	if d.Hi-d.Lo <= r.Hi-r.Lo {
		t.Errorf("ratio of medians [%.3f, %.3f] is no wider than the paired one [%.3f, %.3f]: the test does not show what pairing buys", d.Lo, d.Hi, r.Lo, r.Hi)
	}
}

func TestPairedRatioFewAndBad(t *testing.T) {
	r := PairedRatio([]float64{2, 4, 6}, []float64{1, 2, 3, 4})
	if r.CI || r.N != 3 || r.Center != 2 || r.Lo != 2 || r.Hi != 2 {
		t.Errorf("3 pairs: got %+v, want center 2 and no CI", r)
	}
	if got := r.String(); got != "2.00× (3 pairs, no CI)" {
		t.Errorf("String = %q", got)
	}
	r = PairedRatio([]float64{0, math.Inf(1)}, []float64{1, 1})
	if !math.IsNaN(r.Center) || r.String() != "–" {
		t.Errorf("no usable pair: got %+v %q, want NaN", r, r.String())
	}
}

func TestSignP(t *testing.T) {
	for _, tc := range []struct {
		r    []float64
		want float64
	}{
		{[]float64{2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, 1.0 / 1024},
		{[]float64{2, 2, 2, 2, 2, 2, 2, 2, 2, 0.5}, 11.0 / 1024},
		{[]float64{1, 1, 1}, 1}, // all ties: no evidence
		{[]float64{0.5, 0.5}, 1},
	} {
		if got := signP(tc.r, 1); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("signP(%v) = %g, want %g", tc.r, got, tc.want)
		}
	}
}

func TestEquivalent(t *testing.T) {
	a, b := rounds(2, 10, 1.01, 0.005)
	if ok, p := Equivalent(a, b, EquivalenceMargin); !ok {
		t.Errorf("1%% apart: not equivalent at ±5%% (p=%.3g)", p)
	}
	a, b = rounds(3, 10, 1.2, 0.005)
	if ok, _ := Equivalent(a, b, EquivalenceMargin); ok {
		t.Error("20% apart: equivalent at ±5%")
	}
	if ok, _ := Equivalent(a[:3], b[:3], EquivalenceMargin); ok {
		t.Error("3 pairs: equivalent, want not resolved")
	}
}

// contest builds a workload whose reference drifts, with each model at
// its ratio over it.
func contest(seed uint64, n int, jitter float64, speedups map[string]float64, order ...string) Contest {
	rng := rand.New(rand.NewPCG(seed, 2))
	c := Contest{Workload: "w"}
	levels := make([]float64, n)
	for i := range levels {
		levels[i] = 100 * (0.7 + 0.6*rng.Float64())
		c.Reference = append(c.Reference, levels[i])
	}
	for _, m := range order {
		cand := Candidate{Model: m}
		for i := range n {
			cand.Samples = append(cand.Samples, speedups[m]*levels[i]*(1+jitter*(2*rng.Float64()-1)))
		}
		c.Candidates = append(c.Candidates, cand)
	}
	return c
}

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name       string
		c          Contest
		resolved   bool
		set        []string
		choice     string
		best       bool
		sequential bool
		equivalent []string
	}{
		{"clear best", contest(1, 10, 0.005, map[string]float64{"spawn": 1.95, "pool": 1.5, "process": 1.2}, "spawn", "pool", "process"),
			true, []string{"spawn"}, "spawn", true, false, nil},
		{"a tie goes by preference", contest(2, 10, 0.02, map[string]float64{"semaphore": 1.9, "pool": 1.9, "gil": 1.0}, "semaphore", "pool", "gil"),
			true, []string{"pool", "semaphore"}, "pool", false, false, []string{"semaphore"}},
		{"stay sequential", contest(3, 10, 0.005, map[string]float64{"pool": 1.05, "spawn": 0.9}, "pool", "spawn"),
			true, []string{"pool"}, "pool", true, true, nil},
		{"too few samples", contest(4, 3, 0.005, map[string]float64{"pool": 2, "spawn": 1}, "pool", "spawn"),
			false, nil, "", false, false, nil},
		{"no candidates", Contest{Workload: "w", Reference: []float64{1, 2, 3, 4, 5, 6}},
			false, nil, "", false, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Decide([]Contest{tc.c})[0]
			if v.Resolved != tc.resolved || !slices.Equal(v.Set, tc.set) || v.Choice != tc.choice ||
				v.Best != tc.best || v.Sequential != tc.sequential || !slices.Equal(v.Equivalent, tc.equivalent) {
				t.Errorf("got resolved=%v set=%v choice=%q best=%v sequential=%v equivalent=%v (%s)\nwant resolved=%v set=%v choice=%q best=%v sequential=%v equivalent=%v",
					v.Resolved, v.Set, v.Choice, v.Best, v.Sequential, v.Equivalent, v.Reason,
					tc.resolved, tc.set, tc.choice, tc.best, tc.sequential, tc.equivalent)
			}
			if v.Reason == "" {
				t.Error("no reason given")
			}
		})
	}
}

// TestDecideHolm checks that a claim that stands alone (9 of 10 pairs,
// p≈0.011) does not stand on a page of five such claims, where Holm's
// first step compares it with 0.05/5.
func TestDecideHolm(t *testing.T) {
	nine := func(seed uint64) Contest {
		c := contest(seed, 10, 0.001, map[string]float64{"pool": 2, "spawn": 1.9}, "pool", "spawn")
		// One round where spawn wins: 9 of 10 pairs for the pool.
		c.Candidates[1].Samples[0] = 3 * c.Reference[0]
		return c
	}
	if v := Decide([]Contest{nine(1)})[0]; !v.Best || v.Choice != "pool" {
		t.Fatalf("alone: best=%v choice=%q p=%.3g, want the pool best", v.Best, v.Choice, v.P)
	}
	page := []Contest{nine(1), nine(2), nine(3), nine(4), nine(5)}
	for _, v := range Decide(page) {
		if v.Best || !slices.Equal(v.Set, []string{"pool", "spawn"}) {
			t.Errorf("on a page of 5: best=%v set=%v p=%.3g, want pool ≈ spawn", v.Best, v.Set, v.P)
		}
	}
}

func TestReplicated(t *testing.T) {
	v := func(set []string, seq bool) Verdict {
		return Verdict{Resolved: true, Set: set, Choice: set[0], Sequential: seq}
	}
	for _, tc := range []struct {
		a, b Verdict
		want bool
	}{
		{v([]string{"pool", "semaphore"}, false), v([]string{"semaphore"}, false), false}, // semaphore's set lacks pool
		{v([]string{"pool", "semaphore"}, false), v([]string{"pool", "spawn"}, false), true},
		{v([]string{"pool"}, false), v([]string{"spawn"}, false), false},
		{v([]string{"pool"}, true), v([]string{"pool"}, false), false},
		{v([]string{"pool"}, false), Verdict{}, false},
	} {
		if got := Replicated(tc.a, tc.b); got != tc.want {
			t.Errorf("Replicated(%v, %v) = %v, want %v", tc.a.Set, tc.b.Set, got, tc.want)
		}
	}
}

func TestDecompose(t *testing.T) {
	// Two cores busy against one, each task 10% dearer: 2 × 1/1.1.
	s := Decompose(2, 1, 1.1, 1)
	if math.Abs(s.Busy-2) > 1e-9 || math.Abs(s.Work-1/1.1) > 1e-9 || s.Disturbed {
		t.Errorf("Decompose = %+v", s)
	}
	// The model's tasks 14% cheaper than sequential's: the baseline was slowed.
	if s := Decompose(2, 1, 453, 526); !s.Disturbed {
		t.Errorf("CPU per task 453 vs 526: %+v, want disturbed", s)
	}
}

// TestDecomposeGC: tasks 30% dearer, where the model spent 25% of its
// CPU on GC and sequential 5%: GC added 1.3×0.25 − 0.05 = 0.275 of 1.3
// per task, most of the 0.3 extra, so GC is the cause; at 8% GC it is
// not.
func TestDecomposeGC(t *testing.T) {
	s := DecomposeGC(2, 1, 1.3, 1, 0.25, 0.05)
	if want := 0.275 / 1.3; math.Abs(s.GC-want) > 1e-9 || !s.HasGC || !s.GCCause() {
		t.Errorf("DecomposeGC = %+v (cause %v), want GC %.3f and the cause", s, s.GCCause(), want)
	}
	if s := DecomposeGC(2, 1, 1.3, 1, 0.08, 0.05); s.GCCause() {
		t.Errorf("GC 8%% vs 5%%: %+v, want GC not the cause", s)
	}
	// Tasks that cost no more: nothing to explain, whatever the GC did.
	if s := DecomposeGC(2, 1, 1, 1, 0.3, 0.3); s.GCCause() || s.GC != 0 {
		t.Errorf("equal CPU per task: %+v", s)
	}
	if s := Decompose(2, 1, 1.3, 1); s.HasGC || s.GCCause() {
		t.Errorf("without gc-cpu-pct: %+v, want no GC account", s)
	}
	// 10% of GOMAXPROCS 2 × wall is 0.2 cores of GC: a fifth of the CPU
	// of a run that kept 1 core busy, a tenth of one that kept 2.
	if g := GCShare(10, 2, 1); math.Abs(g-0.2) > 1e-9 {
		t.Errorf("GCShare(10%%, 2 procs, 1 core) = %v, want 0.2", g)
	}
	if g := GCShare(10, 2, 2); math.Abs(g-0.1) > 1e-9 {
		t.Errorf("GCShare(10%%, 2 procs, 2 cores) = %v, want 0.1", g)
	}
	if g := GCShare(math.NaN(), 2, 2); g != 0 {
		t.Errorf("GCShare(NaN) = %v, want 0", g)
	}
}

// TestReadUnresolved: the results file's unresolved: line, wherever it
// stands, lists the workloads whose verdicts the adaptive rounds left
// unsettled.
func TestReadUnresolved(t *testing.T) {
	text := "instrumented: none\nBenchmarkModels/workload=a/model=sequential/tasks=1-2 1 100 ns/op\nunresolved: a b\nretakes: 3 retaken, 1 kept disturbed\nPASS\n"
	run, err := Read(strings.NewReader(text), "u.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(run.Unresolved, []string{"a", "b"}) {
		t.Errorf("Unresolved = %q, want a and b", run.Unresolved)
	}
	// The retakes line follows the results too, and still reaches the page.
	if got := run.Config["retakes"]; got != "3 retaken, 1 kept disturbed" {
		t.Errorf("retakes %q, want the footer's", got)
	}
}
