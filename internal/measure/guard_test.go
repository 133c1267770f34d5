package measure

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/internal/sysinfo"
)

// TestOrderCoversEveryPosition: over the rounds of a seeded plan every
// combination runs in every position, so none is always first or last;
// without a seed the order is the one given.
func TestOrderCoversEveryPosition(t *testing.T) {
	const n, rounds = 5, 60
	seen := [n][n]bool{}
	p := Plan{Seed: 42}
	for r := range rounds {
		for pos, i := range p.order(n, r) {
			seen[i][pos] = true
		}
	}
	for i := range n {
		for pos := range n {
			if !seen[i][pos] {
				t.Errorf("combination %d never ran at position %d in %d rounds", i, pos, rounds)
			}
		}
	}
	if a, b := p.order(n, 0), p.order(n, 1); equal(a, b) && equal(a, p.order(n, 2)) {
		t.Errorf("rounds 0, 1 and 2 share the order %v", a)
	}
	for pos, i := range (Plan{}).order(n, 7) {
		if i != pos {
			t.Fatalf("unseeded order %v, want the order given", (Plan{}).order(n, 7))
		}
	}
}

func equal(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// scriptedGuard returns a guard whose probe takes 1 ms, except on the
// calls listed in slow, which take 10 ms; the machine-wide counters are
// ignored. A slow probe is timed again at once, so a sample is disturbed
// only when two probes in a row are slow.
func scriptedGuard(slow ...int) *Guard {
	g := NewGuard()
	g.MaxSteal, g.MaxOthers = math.Inf(1), math.Inf(1)
	call := 0
	g.probe = func() sysinfo.ProbeTime {
		call++
		for _, s := range slow {
			if call == s {
				return sysinfo.ProbeTime{SHA256: 10 * time.Millisecond}
			}
		}
		return sysinfo.ProbeTime{SHA256: time.Millisecond}
	}
	return g
}

func TestGuardFlagsSlowProbe(t *testing.T) {
	g := scriptedGuard(7, 9, 10)
	for i := range 6 {
		w := g.Before("k")
		if bad, why := g.After(&w); bad {
			t.Fatalf("probe %d: disturbed (%s), want a normal probe", i+1, why)
		}
	}
	// Probe 7 is slow, its second timing (8) is not: a transient, such
	// as the first probe after a sample that waited.
	w := g.Before("k")
	if bad, why := g.After(&w); bad || g.Reprobes != 1 {
		t.Errorf("one slow probe, then a normal one: disturbed %v (%q), %d probes timed again; want not disturbed, 1", bad, why, g.Reprobes)
	}
	// Probes 9 and 10 are both slow: the machine is.
	w = g.Before("k")
	if bad, why := g.After(&w); !bad || why != "slow probe" {
		t.Errorf("two probes 10× the median: disturbed %v (%q), want slow probe", bad, why)
	}
	if g.Calibration().SHA256 != time.Millisecond {
		t.Errorf("calibration %v, want the median 1ms", g.Calibration())
	}
}

// TestAllRetakesDisturbedSample runs two real combinations under a guard
// whose 8th probe is slow: that sample is taken again, and the
// measurement still has Count samples.
func TestAllRetakesDisturbedSample(t *testing.T) {
	combos := []Combination{
		{Case: bench.Case{Workload: "xxh3", Model: "sequential", Tasks: 2, Short: true}},
		{Case: bench.Case{Workload: "xxh3", Model: "spawn", Tasks: 2, Short: true}},
	}
	g := scriptedGuard(8, 9)
	ms, err := All(context.Background(), combos, Plan{Count: 6, Seed: 1, Guard: g}, nil)
	if err != nil {
		t.Fatal(err)
	}
	retakes := 0
	for _, m := range ms {
		if len(m.Samples) != 6 {
			t.Errorf("%s: %d samples, want 6", m.Case.Model, len(m.Samples))
		}
		retakes += m.Retakes
	}
	if retakes != 1 || g.Retakes != 1 || g.Kept != 0 {
		t.Errorf("retakes %d (guard %d, kept %d), want the one slow sample retaken", retakes, g.Retakes, g.Kept)
	}
	// A machine that stays slow: the sample is kept after MaxRetakes,
	// marked.
	g = scriptedGuard(8, 9, 10, 11, 12, 13, 14, 15)
	ms, err = All(context.Background(), combos, Plan{Count: 6, Guard: g}, nil)
	if err != nil {
		t.Fatal(err)
	}
	marked := 0
	for _, m := range ms {
		for _, s := range m.Samples {
			if s.Disturbed != "" {
				marked++
			}
		}
	}
	if g.Retakes != 3 || g.Kept != 1 || marked != 1 {
		t.Errorf("retakes %d kept %d marked %d, want 3 retakes and the fourth kept, marked", g.Retakes, g.Kept, marked)
	}
}

// TestAllStopsWhenDone: a plan with Done goes past Count until Done says
// so, and never past MaxCount.
func TestAllStopsWhenDone(t *testing.T) {
	combos := []Combination{{Case: bench.Case{Workload: "xxh3", Model: "sequential", Tasks: 2, Short: true}}}
	for _, tc := range []struct {
		after, max, want int
	}{{after: 5, max: 30, want: 5}, {after: 100, max: 8, want: 8}, {after: 1, max: 30, want: 3}} {
		p := Plan{Count: 3, MaxCount: tc.max, Done: func(ms []*Measurement) bool { return len(ms[0].Samples) >= tc.after }}
		ms, err := All(context.Background(), combos, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(ms[0].Samples); got != tc.want {
			t.Errorf("done after %d, at most %d: %d samples, want %d", tc.after, tc.max, got, tc.want)
		}
	}
}

func TestSettled(t *testing.T) {
	tight := []*Measurement{paired("sequential", 0, 1, 100), paired("pool", 2, 2, 190)}
	if !Settled(tight) {
		t.Error("a speedup known within ±1%: not settled")
	}
	wide := []*Measurement{paired("sequential", 0, 1, 100),
		paired("pool", 2, 2, 190, 1.2, 0.8, 1.15, 0.85, 1.1, 0.9, 1.2, 0.8, 1.15, 0.85)}
	if Settled(wide) {
		t.Error("a speedup known within ±20%: settled")
	}
	if Settled(tight[:2:2][:1]) != true {
		t.Error("a lone sequential run has nothing to settle")
	}
}

// TestGuardRetakeShare: retakes stop at MaxShare of the samples kept, so
// that load that never lets up cannot multiply a run's time.
func TestGuardRetakeShare(t *testing.T) {
	g := NewGuard()
	for _, tc := range []struct {
		retakes, attempt, kept int
		want                   bool
	}{
		{0, 0, 0, true},
		{0, 3, 100, false}, // MaxRetakes in a row
		{5, 0, 7, true},    // 5 < 0.5 × (7+5)
		{6, 0, 7, false},   // the share is spent
		{6, 0, 20, true},
	} {
		g.Retakes = tc.retakes
		if got := g.Retake(tc.attempt, tc.kept); got != tc.want {
			t.Errorf("%d retakes so far, attempt %d, %d kept: retake %v, want %v", tc.retakes, tc.attempt, tc.kept, got, tc.want)
		}
	}
}
