package measure

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/models"
)

// fake returns a measurement of model with one sample per throughput,
// in tasks per second, of batches of 100 tasks that kept cpu cores busy.
func fake(model string, workers int, cpu float64, tasksPerSec ...float64) *Measurement {
	// The workload "w" does not exist; Resolve still finds the model,
	// which is all that the rules read.
	c, _ := bench.Case{Workload: "w", Model: model, Tasks: 100, Options: models.Options{Workers: workers, Procs: 1}}.Resolve()
	m := &Measurement{Case: c, GOMAXPROCS: 2}
	for _, tps := range tasksPerSec {
		wall := time.Duration(100 / tps * float64(time.Second))
		m.Samples = append(m.Samples, Sample{Tally: bench.Tally{Batches: 1, Wall: wall, CPU: time.Duration(cpu * float64(wall))}})
	}
	return m
}

// drift is ten rounds' worth of machine speed, as a neighbour's load
// moves it: each model's samples of a round share its factor, so only
// pairing sees through it.
var drift = []float64{1, 0.8, 1.1, 0.9, 1.2, 0.7, 1, 1.05, 0.95, 0.85}

// paired returns a measurement whose sample i runs at rate × drift[i],
// times a jitter of its own.
func paired(model string, workers int, cpu, rate float64, jitter ...float64) *Measurement {
	tps := make([]float64, len(drift))
	for i, d := range drift {
		j := 1.0
		if i < len(jitter) {
			j = jitter[i]
		}
		tps[i] = rate * d * j
	}
	return fake(model, workers, cpu, tps...)
}

// TestRules runs the rules on made-up measurements, so that each
// case's answer is known.
func TestRules(t *testing.T) {
	seq := paired("sequential", 0, 1.0, 100)
	wobble := []float64{1.01, 0.99, 1.02, 0.98, 1.01, 0.99, 1.02, 0.98, 1.01, 0.99}
	wobble2 := []float64{0.99, 1.01, 0.98, 1.02, 0.99, 1.01, 0.98, 1.02, 0.99, 1.01}
	for _, tc := range []struct {
		name     string
		ms       []*Measurement
		kind     string
		model    string
		resolved bool
		asFast   []string
		why      []string // in the reasons
	}{
		{
			name: "cpu: models that cannot be told apart go to the first preferred",
			ms: []*Measurement{seq, paired("gil", 2, 1, 100, wobble...), paired("semaphore", 2, 2, 150),
				paired("spawn", 0, 2, 201, wobble...), paired("pool", 2, 2, 200, wobble2...)},
			kind: "cpu", model: "pool", resolved: true, asFast: []string{"spawn"},
			why: []string{"w is CPU-bound: run one task at a time, it kept 1.00 cores busy (0.5 or more counts as CPU-bound)",
				"pool (workers=2) ran it 2.00× [", "Paired samples cannot tell pool, spawn apart", "pool is preferred",
				"gil, where one task computes at a time", "reached 1.0"},
		},
		{
			name: "cpu: a clear winner",
			ms:   []*Measurement{seq, paired("pool", 2, 2, 150), paired("ants", 2, 2, 200)},
			kind: "cpu", model: "ants", resolved: true, asFast: []string{},
			why: []string{"ants (workers=2) ran it 2.00× [2.00, 2.00] as fast", "In paired samples ants beat every other model",
				"the most it could reach is 2×; it reached 100% of that"},
		},
		{
			name: "cpu: less than 10% gained stays sequential",
			ms:   []*Measurement{seq, paired("pool", 2, 2, 104)},
			kind: "cpu", model: "sequential", resolved: true, asFast: []string{},
			why: []string{"No model's speedup cleared 1.10× with confidence: pool (workers=2) reached 1.04×", "keep it sequential"},
		},
		{
			name: "cpu: load that drifts between rounds does not hide a paired gain",
			// Unpaired, these samples spread ±25% and overlap; each round's
			// pair shows the pool 1.5× faster.
			ms:   []*Measurement{seq, paired("pool", 2, 2, 150, wobble...)},
			kind: "cpu", model: "pool", resolved: true, asFast: []string{},
			why: []string{"pool (workers=2) ran it 1.5", "pairing each sample with the sequential sample of its round"},
		},
		{
			name: "too few samples: no verdict",
			ms:   []*Measurement{fake("sequential", 0, 1, 100, 101, 99), fake("pool", 2, 2, 200, 199, 201)},
			kind: "cpu", model: "sequential", resolved: false, asFast: []string{},
			why: []string{"No verdict: 3 paired samples; a verdict needs 6. Run again with -count 6 or more."},
		},
		{
			name: "io: compared at equal tasks in flight",
			ms: []*Measurement{paired("sequential", 0, 0.05, 100), paired("pool", 64, 0.5, 5000, wobble...),
				paired("spawn", 0, 1, 9000), paired("pinned", 64, 0.5, 4000)},
			kind: "io", model: "pool", resolved: true, asFast: []string{},
			why: []string{"w is IO-bound: run one task at a time, it kept 0.0500 cores busy", "its tasks mostly wait",
				"spawn, with 100 tasks in flight against the others' 64, is not compared with them",
				"pool had 64 tasks in flight", "pinned, with one thread running Go code (GOMAXPROCS=1, as an asyncio event loop) and 64 tasks in flight, reached 40.0×"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Recommend(tc.ms)
			if r.Kind != tc.kind || r.Model != tc.model || r.Resolved != tc.resolved || !slices.Equal(r.AsFast, tc.asFast) {
				t.Errorf("kind %q model %q resolved %v as fast %q, want %q %q %v %q", r.Kind, r.Model, r.Resolved, r.AsFast, tc.kind, tc.model, tc.resolved, tc.asFast)
			}
			why := strings.Join(r.Why, "\n")
			for _, want := range tc.why {
				if !strings.Contains(why, want) {
					t.Errorf("reasons lack %q:\n%s", want, why)
				}
			}
		})
	}
}
