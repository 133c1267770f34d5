package report

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// openLoopFile is a quick run of BenchmarkOpenLoop alone on this 2-core
// machine: http, 16 workers, 3 samples at each load.
var openLoopFile = filepath.Join("testdata", "amd-epyc-2c-openloop", "20261201-222222-quick.txt")

var openLoopRun = goldenRun{"quick", openLoopFile}

// TestOpenLoopCurves reads the real run: one curve per model in the
// models table's order, each at the six loads in ascending order, with
// the p99 above the p50, the pool's capacity, and requests per run.
func TestOpenLoopCurves(t *testing.T) {
	curves := OpenLoopCurves(mustRead(t, openLoopFile))
	var models []string
	for _, c := range curves {
		models = append(models, c.Model)
		if c.Workload != "http" || strings.Contains(c.Params, "load=") || !strings.Contains(c.Params, "seed=1") {
			t.Errorf("%s: workload %q params %q: want http, seed=1 and no load=", c.Model, c.Workload, c.Params)
		}
		var loads []int
		for _, p := range c.Points {
			loads = append(loads, p.Load)
			if p.P99.N != 3 || p.P99.Center < p.P50.Center || p.Capacity <= 0 || p.Offered <= 0 || p.PeakGs < 1 || p.PeakHeap <= 0 {
				t.Errorf("%s at %d%%: %d samples, p99 %v, p50 %v, capacity %v, offered %v, peaks %v %v", c.Model, p.Load, p.P99.N, p.P99.Center, p.P50.Center, p.Capacity, p.Offered, p.PeakGs, p.PeakHeap)
			}
		}
		if want := []int{25, 50, 75, 90, 100, 150}; !slices.Equal(loads, want) {
			t.Errorf("%s: loads %v, want %v", c.Model, loads, want)
		}
	}
	if want := []string{"spawn", "pool", "semaphore", "errgroup", "pinned"}; !slices.Equal(models, want) {
		t.Errorf("models %v, want %v", models, want)
	}
	if c := curves[1]; c.Model != "pool" || c.Workers != 16 {
		t.Errorf("pool curve %+v: want 16 workers", c)
	}
}

func TestCutLoad(t *testing.T) {
	for _, tc := range []struct {
		in, rest string
		load     int
		ok       bool
	}{
		{"load=50/seed=1/size=2KiB", "seed=1/size=2KiB", 50, true},
		{"seed=1/load=150", "seed=1", 150, true},
		{"seed=1/size=2KiB", "", 0, false},
		{"load=x/seed=1", "", 0, false},
		{"load=0", "", 0, false},
	} {
		load, rest, ok := cutLoad(tc.in)
		if load != tc.load || ok != tc.ok || (ok && rest != tc.rest) {
			t.Errorf("cutLoad(%q) = %d, %q, %v; want %d, %q, %v", tc.in, load, rest, ok, tc.load, tc.rest, tc.ok)
		}
	}
}

// point is a LoadPoint with one sample of each figure.
func point(load int, p99ms, heapMiB, gs, missed float64) *LoadPoint {
	return &LoadPoint{Load: load, P99: Summarize([]float64{p99ms * 1e6}), P50: Summarize([]float64{p99ms * 1e6 / 2}),
		PeakHeap: heapMiB * (1 << 20), PeakGs: gs, Missed: missed, Offered: 400, Capacity: 1000}
}

// TestOpenLoopWords: the words follow the numbers. Where the pool's p99
// and heap at overload are below spawn's they are what the bound bought;
// where spawn's p99 is lower, the bound bought memory only, at the price
// of latency; below capacity the cost is the ratio at each load.
func TestOpenLoopWords(t *testing.T) {
	spawn := &LoadCurve{Model: "spawn", Points: []*LoadPoint{point(50, 10, 8, 400, 0), point(150, 400, 64, 5000, 30)}}
	pool := &LoadCurve{Model: "pool", Workers: 16, Points: []*LoadPoint{point(50, 12, 2, 20, 0), point(150, 100, 4, 20, 5)}}
	sem := &LoadCurve{Model: "semaphore", Workers: 16, Points: []*LoadPoint{point(150, 120, 4, 20, 7)}}
	w := openLoopWords([]*LoadCurve{spawn, pool, sem})
	for _, want := range []string{
		"At 150% of the pool's capacity (1500 requests/s offered for 1000)",
		"a p99 of 400 ms and peaked at 5000 goroutines and 64.0 MiB of heap, missing 30 of 400 requests",
		"the pool, bounded at 16 workers, 100 ms, 20 goroutines and 4.00 MiB, missing 5.",
		"bought a p99 0.250× spawn's (100 ms, not 400 ms), a peak heap 0.0625× spawn's",
		"50%: 1.20×",
		"semaphore 120 ms (7 missed)",
	} {
		if !strings.Contains(w, want) {
			t.Errorf("words lack %q:\n%s", want, w)
		}
	}
	pool.Points[1] = point(150, 800, 4, 20, 5)
	w = openLoopWords([]*LoadCurve{spawn, pool})
	if !strings.Contains(w, "bought a peak heap") || !strings.Contains(w, "at the price of a p99 2.00× spawn's") {
		t.Errorf("a pool slower than spawn at overload: want memory bought at the price of latency:\n%s", w)
	}
	if w := openLoopWords([]*LoadCurve{pool}); w != "" {
		t.Errorf("without spawn: %q, want no words", w)
	}
	if w := openLoopWords([]*LoadCurve{{Model: "spawn", Points: spawn.Points[:1]}, {Model: "pool", Points: pool.Points[:1]}}); w != "" {
		t.Errorf("without a load above capacity: %q, want no words", w)
	}
}

// TestOpenLoopChartFromRun: the chart of the real run has one line per
// model, the capacity line, and the words in its caption.
func TestOpenLoopChartFromRun(t *testing.T) {
	ch := charts(t, Analyze(mustRead(t, openLoopFile)))["openloop"]
	if ch == nil {
		t.Fatal("no openloop chart")
	}
	if ch.Legend == nil || len(ch.Legend.Names) != 6 || ch.Legend.Names[0] != "spawn (unbounded)" || ch.Legend.Names[5] != "pool's capacity" {
		t.Errorf("legend %v: want the five models, spawn marked unbounded, then the capacity", ch.Legend.Names)
	}
	for _, want := range []string{"within its deadline, 119 ms here, is missed", "At 150% of the pool's capacity", "the bound bought", "Below capacity it cost"} {
		if !strings.Contains(ch.Caption, want) {
			t.Errorf("caption lacks %q: %s", want, ch.Caption)
		}
	}
	if _, missing := Charts(Analyze(mustRead(t, quickFile))); !slices.ContainsFunc(missing, func(m Missing) bool { return m.Name == "openloop" && strings.Contains(m.Reason, "BenchmarkOpenLoop") }) {
		t.Error("a run without BenchmarkOpenLoop: want the openloop chart missing, saying why")
	}
}
