package main

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/models"
)

// fake returns a measurement of model with one sample per throughput,
// in tasks per second, of batches of 100 tasks that kept cpu cores busy.
func fake(model string, workers int, cpu float64, tasksPerSec ...float64) *measurement {
	m := &measurement{
		Case:       bench.Case{Workload: "w", Model: model, Tasks: 100, Options: models.Options{Workers: workers, Procs: 1}},
		GOMAXPROCS: 2,
	}
	for _, tps := range tasksPerSec {
		wall := time.Duration(100 / tps * float64(time.Second))
		m.Samples = append(m.Samples, sample{Batches: 1, Wall: wall, CPU: time.Duration(cpu * float64(wall))})
	}
	return m
}

// TestRecommendRules runs the rules on made-up measurements, so that each
// case's answer is known.
func TestRecommendRules(t *testing.T) {
	seq := fake("sequential", 0, 1.0, 100, 101, 99, 100, 102)
	for _, tc := range []struct {
		name   string
		ms     []*measurement
		kind   string
		model  string
		asFast []string
		why    []string // in the reasons
	}{
		{
			name: "cpu: ties within 5% go to the first preferred model",
			ms: []*measurement{seq, fake("gil", 2, 1, 100, 99, 101, 100, 98), fake("semaphore", 2, 2, 150, 151, 149, 150, 152),
				fake("spawn", 0, 2, 205, 204, 206, 205, 203), fake("pool", 2, 2, 200, 199, 201, 200, 202)},
			kind: "cpu", model: "pool", asFast: []string{"spawn"},
			why: []string{"w is CPU-bound: run one task at a time, it kept 1.00 cores busy (0.5 or more counts as CPU-bound)",
				"pool (workers=2) ran it 2.00× as fast", "spawn measured fastest, at 2.05×, but not measurably faster than pool",
				"gil, where one task computes at a time", "reached 1.00×"},
		},
		{
			name: "cpu: a clear winner",
			ms:   []*measurement{seq, fake("pool", 2, 2, 150, 151, 149, 150, 152), fake("ants", 2, 2, 200, 199, 201, 200, 202)},
			kind: "cpu", model: "ants", asFast: []string{},
			why: []string{"ants (workers=2) ran it 2.00× as fast", "the most it could reach is 2×; it reached 100% of that"},
		},
		{
			name: "cpu: less than 10% gained stays sequential",
			ms:   []*measurement{seq, fake("pool", 2, 2, 104, 105, 103, 104, 106)},
			kind: "cpu", model: "sequential", asFast: []string{},
			why: []string{"No model ran it 10% faster than one task at a time; the fastest, pool (workers=2), reached 1.04×", "keep it sequential"},
		},
		{
			name: "cpu: a gain the samples cannot tell from noise stays sequential",
			ms:   []*measurement{fake("sequential", 0, 1, 100, 60, 140, 100, 100), fake("pool", 2, 2, 120, 80, 160, 110, 120)},
			kind: "cpu", model: "sequential", asFast: []string{},
			why: []string{"No model ran it measurably faster than one task at a time (p = ", "The samples spread by up to ±40% (sequential)"},
		},
		{
			name: "cpu: beyond 5% but not told apart by the U test",
			ms:   []*measurement{seq, fake("spawn", 0, 2, 230, 170, 240, 250, 215), fake("pool", 2, 2, 180, 220, 190, 210, 200)},
			kind: "cpu", model: "pool", asFast: []string{"spawn"},
			why: []string{"spawn measured fastest, at 2.30×, but not measurably faster than pool"},
		},
		{
			name: "cpu: several ties",
			ms: []*measurement{seq, fake("spawn", 0, 2, 205, 204, 206, 205, 203), fake("pool", 2, 2, 200, 199, 201, 200, 202),
				fake("pond", 2, 2, 198, 197, 199, 198, 196), fake("gil", 2, 1, 100, 99, 101, 100, 98)},
			kind: "cpu", model: "pool", asFast: []string{"spawn", "pond"},
			why: []string{"Not measurably slower than spawn either: pond (1.98×)."},
		},
		{
			name: "io: the most tasks in flight",
			ms: []*measurement{fake("sequential", 0, 0.05, 100, 101, 99, 100, 102), fake("pool", 64, 0.5, 5000, 5010, 4990, 5000, 5020),
				fake("spawn", 0, 1, 9000, 9010, 8990, 9000, 9020), fake("pinned", 64, 0.5, 4000, 4010, 3990, 4000, 4020)},
			kind: "io", model: "spawn", asFast: []string{},
			why: []string{"w is IO-bound: run one task at a time, it kept 0.0500 cores busy", "its tasks mostly wait",
				"spawn had 100 tasks in flight", "pinned, with one thread running Go code (GOMAXPROCS=1, as an asyncio event loop) and 64 tasks in flight, reached 40.0×"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := recommend(tc.ms)
			if r.Kind != tc.kind || r.Model != tc.model || !slices.Equal(r.AsFast, tc.asFast) {
				t.Errorf("kind %q model %q as fast %q, want %q %q %q", r.Kind, r.Model, r.AsFast, tc.kind, tc.model, tc.asFast)
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

func TestRecommendCPU(t *testing.T) {
	stdout, _, err := runCmd(t, append([]string{"recommend", "-workload", "regex-alt", "-models", "pool,gil", "-format", "json"}, quick...)...)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Finished       bool
		Seconds        float64
		Recommendation *recommendation
		Results        []row
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	r := got.Recommendation
	if !got.Finished || r == nil || len(got.Results) != 3 || got.Seconds <= 0 {
		t.Fatalf("%s: want a finished recommendation over 3 results", stdout)
	}
	if r.Kind != "cpu" || r.SequentialCPU < 0.5 || r.CPUBoundAt != 0.5 || len(r.Why) < 3 {
		t.Errorf("recommendation %+v: want regex-alt measured CPU-bound, with reasons", r)
	}
	if !slices.Contains([]string{"sequential", "pool", "gil"}, r.Model) || !strings.Contains(r.Name, "model="+r.Model+"/") {
		t.Errorf("recommends %q (%s): want one of those measured", r.Model, r.Name)
	}
}

func TestRecommendIO(t *testing.T) {
	args := []string{"recommend", "-workload", "http", "-param", "latency=20ms", "-tasks", "4", "-workers", "4", "-models", "pool,pinned"}
	out := runQuick(t, args...)
	for _, want := range []string{
		"http (io): latency=20ms jitter=0 size=1KiB timeout=5s, 4 tasks a batch",
		"FLOOR×", "P99 TASK", "\nUse ", "http is IO-bound: run one task at a time",
		"pinned, with one thread running Go code", "Measured in ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(runQuick(t, append(args, "-format", "csv")...))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][len(rows[0])-1] != "recommended" {
		t.Fatalf("rows %q: want the header with recommended, and 3 rows", rows)
	}
	n := 0
	for _, r := range rows[1:] {
		if r[len(r)-1] == "true" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d rows recommended, want 1: %q", n, rows)
	}
}
