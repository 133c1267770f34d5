package report

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestAnalyzeQuickRun(t *testing.T) {
	run := mustRead(t, quickFile)
	a := Analyze(run)
	wantModels := []string{"sequential", "spawn", "pool", "semaphore", "pinned"}
	if a.Cores != 2 || !slices.Equal(a.Models, wantModels) {
		t.Fatalf("cores %d models %v", a.Cores, a.Models)
	}
	if len(a.Workloads) != 9 {
		t.Fatalf("%d workloads, want 9", len(a.Workloads))
	}
	for _, w := range a.Workloads {
		if len(w.Cells) != 5 || w.Sequential == nil || w.Unit != UnitMBps || w.Kind != KindCPU {
			t.Errorf("%s: %d cells, sequential %v, unit %s, kind %s", w.Name, len(w.Cells), w.Sequential != nil, w.Unit, w.Kind)
			continue
		}
		if w.Sequential.Speedup.Center != 1 || w.Sequential.P != 1 {
			t.Errorf("%s: sequential speedup %v p %d", w.Name, w.Sequential.Speedup.Center, w.Sequential.P)
		}
		// 3 samples a benchmark: too few pairs for a verdict.
		if w.Verdict.Resolved || w.Choice != nil || !strings.Contains(w.Verdict.Reason, "3 paired samples; a verdict needs 6") {
			t.Errorf("%s: verdict %+v from a quick run, want unresolved", w.Name, w.Verdict)
		}
		// Speedup is the median of paired ns/op ratios, sample i against
		// sample i of the sequential run.
		seq := w.Sequential.M.Values[UnitNsPerOp]
		for _, c := range w.Cells {
			var r []float64
			for i, ns := range c.M.Values[UnitNsPerOp] {
				r = append(r, seq[i]/ns)
			}
			want := Summarize(r).Center
			if math.Abs(c.Speedup.Center-want) > 1e-12 || c.Speedup.N != len(r) || c.Speedup.CI ||
				math.Abs(c.Efficiency-want/float64(c.P)) > 1e-12 {
				t.Errorf("%s/%s: speedup %+v efficiency %v, want %v over %d pairs", w.Name, c.M.Model, c.Speedup, c.Efficiency, want, len(r))
			}
			if !c.HasShortfall || math.Abs(c.Shortfall.Busy*c.Shortfall.Work-Summarize(seq).Center/Summarize(c.M.Values[UnitNsPerOp]).Center) > 1e-9 {
				t.Errorf("%s/%s: shortfall %+v does not multiply to the ratio of median ns/op", w.Name, c.M.Model, c.Shortfall)
			}
		}
		wantTask := Summarize(w.Sequential.M.Values[UnitNsPerOp]).Center / 1e9 / 64
		if math.Abs(w.TaskTime-wantTask) > 1e-15 {
			t.Errorf("%s: task time %v, want %v", w.Name, w.TaskTime, wantTask)
		}
	}

	for _, tc := range []struct {
		name   string
		curves []*Curve
		model  string
	}{{"scaling", a.Scaling, "pool"}, {"pinned", a.Pinned, "pinned"}} {
		if len(tc.curves) != 9 {
			t.Errorf("%s: %d curves, want 9", tc.name, len(tc.curves))
			continue
		}
		for _, c := range tc.curves {
			var xs []int
			for _, p := range c.Points {
				xs = append(xs, p.X())
				if want := Parallelism(2, p.M.Knobs.Get("workers"), p.M.Knobs.Get("procs")); p.P != want {
					t.Errorf("%s %s x=%d: p=%d, want %d", tc.name, c.Workload, p.X(), p.P, want)
				}
				if math.IsNaN(p.Speedup.Center) {
					t.Errorf("%s %s x=%d: no speedup: the sequential baseline of the main matrix was not found", tc.name, c.Workload, p.X())
				}
			}
			if c.Model != tc.model || c.Kind != KindCPU || !slices.Equal(xs, []int{1, 2, 4}) {
				t.Errorf("%s %s: model %s kind %s x %v", tc.name, c.Workload, c.Model, c.Kind, xs)
			}
		}
	}
	if len(a.IO) != 0 || len(a.Overhead) != 5 {
		t.Errorf("%d IO curves, %d overhead cells; want 0 and 5", len(a.IO), len(a.Overhead))
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ioFixture is a run shaped as the IO workloads' benchmarks report one: the
// main matrix with tasks/s and no bytes, a concurrency sweep with a
// floor-ratio, latency percentiles, and the overhead benchmark.
const ioFixture = `machine: test machine
cores: 4
commit: 0123456789ab
profile: full
date: 2026-11-27T10:00:00Z
go: go1.26.8
instrumented: none
goos: linux
goarch: amd64
pkg: github.com/concbench/concbench/bench
cpu: Test CPU
BenchmarkModels/workload=http/model=sequential/tasks=64/latency=5ms-4 	 1	 330000000 ns/op	 0.03 cpu-cores	 194 tasks/s
BenchmarkModels/workload=http/model=sequential/tasks=64/latency=5ms-4 	 1	 331000000 ns/op	 0.03 cpu-cores	 193 tasks/s
BenchmarkModels/workload=http/model=pool/workers=4/tasks=64/latency=5ms-4 	 1	 85000000 ns/op	 0.10 cpu-cores	 753 tasks/s
BenchmarkModels/workload=http/model=pool/workers=4/tasks=64/latency=5ms-4 	 1	 86000000 ns/op	 0.11 cpu-cores	 744 tasks/s
BenchmarkModels/workload=http/model=spawn/tasks=64/latency=5ms-4 	 1	 9000000 ns/op	 0.90 cpu-cores	 7111 tasks/s
BenchmarkModels/workload=http/model=spawn/tasks=64/latency=5ms-4 	 1	 9100000 ns/op	 0.80 cpu-cores	 7033 tasks/s
BenchmarkConcurrency/workload=http/model=semaphore/workers=1/tasks=64/latency=5ms-4 	 1	 330000000 ns/op	 194 tasks/s	 1.03 floor-ratio	 5100000 p50-task-ns	 5500000 p99-task-ns
BenchmarkConcurrency/workload=http/model=semaphore/workers=1/tasks=64/latency=5ms-4 	 1	 332000000 ns/op	 193 tasks/s	 1.04 floor-ratio	 5100000 p50-task-ns	 5600000 p99-task-ns
BenchmarkConcurrency/workload=http/model=semaphore/workers=8/tasks=64/latency=5ms-4 	 1	 42000000 ns/op	 1524 tasks/s	 1.05 floor-ratio	 5200000 p50-task-ns	 5900000 p99-task-ns
BenchmarkConcurrency/workload=http/model=semaphore/workers=8/tasks=64/latency=5ms-4 	 1	 43000000 ns/op	 1488 tasks/s	 1.07 floor-ratio	 5200000 p50-task-ns	 6000000 p99-task-ns
BenchmarkConcurrency/workload=http/model=semaphore/workers=64/tasks=64/latency=5ms-4 	 1	 8000000 ns/op	 8000 tasks/s	 1.60 floor-ratio	 6000000 p50-task-ns	 7900000 p99-task-ns
BenchmarkConcurrency/workload=http/model=semaphore/workers=64/tasks=64/latency=5ms-4 	 1	 8200000 ns/op	 7804 tasks/s	 1.64 floor-ratio	 6100000 p50-task-ns	 8000000 p99-task-ns
BenchmarkOverhead/model=sequential-4 	 10	 50000 ns/op	 50 ns/task
BenchmarkOverhead/model=pool-4 	 10	 400000 ns/op	 400 ns/task
PASS
`

func TestAnalyzeIO(t *testing.T) {
	run, err := Read(strings.NewReader(ioFixture), "io.txt")
	if err != nil || run.Incomplete != "" || len(run.Problems) > 0 {
		t.Fatalf("err %v incomplete %q problems %v", err, run.Incomplete, run.Problems)
	}
	a := Analyze(run)
	w := a.Workloads[0]
	if len(a.Workloads) != 1 || w.Kind != KindIO || w.Unit != UnitTasksps || w.Params != "tasks=64/latency=5ms" || len(w.Cells) != 3 {
		t.Fatalf("workload %+v", w)
	}
	// Cells come in the models table's order, whatever the file's.
	var order []string
	for _, c := range w.Cells {
		order = append(order, c.M.Model)
	}
	if want := []string{"sequential", "spawn", "pool"}; !slices.Equal(order, want) {
		t.Errorf("cells in order %q, want %q", order, want)
	}
	spawn := w.Cells[1]
	if want := []string{"sequential", "spawn", "pool", "semaphore"}; !slices.Equal(a.Models, want) {
		t.Errorf("models %q, want %q", a.Models, want)
	}
	// spawn runs a goroutine per task: 64 at once, bounded by 4 cores.
	if spawn.M.Model != "spawn" || spawn.P != 4 || spawn.X() != 64 {
		t.Errorf("spawn cell %s: parallelism %d, in flight %d; want 4 and 64", spawn.M.Model, spawn.P, spawn.X())
	}
	// Waiting work is compared at equal tasks in flight: spawn's 64 are
	// not the pool's 4.
	if len(w.Apart) != 1 || w.Apart[0] != spawn {
		t.Errorf("cells kept apart: %v, want spawn alone", w.Apart)
	}
	if len(a.IO) != 1 || len(a.IO[0].Points) != 3 {
		t.Fatalf("IO curves %+v", a.IO)
	}
	c := a.IO[0]
	if c.Model != "semaphore" || c.Kind != KindIO || c.Unit != UnitTasksps {
		t.Errorf("curve %+v", c)
	}
	last := c.Points[2]
	if last.X() != 64 || !last.HasFloor || math.Abs(last.Floor.Center-(8000*1.60+7804*1.64)/2) > 1e-9 {
		t.Errorf("last point x=%d floor %+v", last.X(), last.Floor)
	}
}

// TestAnalyzeGOMAXPROCSSweep reads a run made with go test -cpu=1,2: each
// GOMAXPROCS is its own workload, with its own sequential baseline.
func TestAnalyzeGOMAXPROCSSweep(t *testing.T) {
	var b strings.Builder
	for _, l := range strings.SplitAfter(readText(t, smokeFile), "\n") {
		if !strings.HasPrefix(l, "BenchmarkModels/workload=sha256/") && strings.HasPrefix(l, "Benchmark") {
			continue
		}
		b.WriteString(l)
		if strings.HasPrefix(l, "Benchmark") {
			b.WriteString(strings.Replace(l, "-2 ", "-1 ", 1)) // the same result, as if run at GOMAXPROCS=1
		}
	}
	run, err := Read(strings.NewReader(b.String()), "cpu.txt")
	if err != nil || run.Incomplete != "" {
		t.Fatal(err, run.Incomplete)
	}
	a := Analyze(run)
	if len(a.Workloads) != 2 {
		t.Fatalf("%d workloads, want sha256 at GOMAXPROCS 2 and 1", len(a.Workloads))
	}
	for i, procs := range []int{2, 1} {
		w := a.Workloads[i]
		if w.GOMAXPROCS != procs || len(w.Cells) != 5 || w.Sequential.M.GOMAXPROCS != procs {
			t.Errorf("workload %d: GOMAXPROCS %d, %d cells, baseline at %d", i, w.GOMAXPROCS, len(w.Cells), w.Sequential.M.GOMAXPROCS)
		}
		if got, want := workloadLabel(w, a), fmt.Sprintf("sha256 GOMAXPROCS=%d", procs); got != want {
			t.Errorf("label %q, want %q", got, want)
		}
	}
}

// TestPipelineJoinsItsWorkload: the pipeline's fetch= and parse= knobs
// belong to the model, so it shares a row, and the sequential baseline,
// with the other models of its workload.
func TestPipelineJoinsItsWorkload(t *testing.T) {
	const text = `instrumented: none
BenchmarkModels/workload=crawl/model=sequential/tasks=8/size=8KiB-2 	 1	 100000000 ns/op	 80 tasks/s	 0.3 cpu-cores
BenchmarkModels/workload=crawl/model=pipeline/fetch=4/parse=2/tasks=8/size=8KiB-2 	 1	 25000000 ns/op	 320 tasks/s	 0.9 cpu-cores
PASS
`
	run, err := Read(strings.NewReader(text), "pipeline.txt")
	if err != nil || run.Incomplete != "" || len(run.Problems) > 0 {
		t.Fatalf("Read: %v, incomplete %q, problems %v", err, run.Incomplete, run.Problems)
	}
	p := run.Benchmarks[1].Bench
	if p.Knobs.Get("fetch") != 4 || p.Knobs.Get("parse") != 2 || p.Params != "tasks=8/size=8KiB" {
		t.Errorf("pipeline bench %+v: want fetch 4, parse 2, params tasks=8/size=8KiB", p)
	}
	a := Analyze(run)
	if len(a.Workloads) != 1 {
		t.Fatalf("%d workload rows, want 1", len(a.Workloads))
	}
	for _, c := range a.Workloads[0].Cells {
		if c.M.Model == "pipeline" && (c.Speedup.Center != 4 || c.P != 2) {
			t.Errorf("pipeline speedup %v with parallelism %d, want 4 with 2 (its 6 workers on 2 cores)", c.Speedup.Center, c.P)
		}
	}
}

// TestConcurrencyOfNames: the report reads how many tasks were under way
// from the names alone, by the rule the measuring side uses: a pipeline
// waits in its fetchers but computes in fetchers and parsers, which a
// machine with more cores than fetchers shows.
func TestConcurrencyOfNames(t *testing.T) {
	const text = `instrumented: none
cores: 16
BenchmarkModels/workload=crawl/model=sequential/tasks=64/size=8KiB-16 	 1	 100000000 ns/op	 640 tasks/s	 1 cpu-cores
BenchmarkModels/workload=crawl/model=pipeline/fetch=4/parse=8/tasks=64/size=8KiB-16 	 1	 10000000 ns/op	 6400 tasks/s	 9 cpu-cores
BenchmarkModels/workload=crawl/model=spawn/tasks=64/size=8KiB-16 	 1	 10000000 ns/op	 6400 tasks/s	 9 cpu-cores
BenchmarkModels/workload=crawl/model=pinned/workers=8/procs=2/tasks=64/size=8KiB-16 	 1	 50000000 ns/op	 1280 tasks/s	 2 cpu-cores
PASS
`
	run, err := Read(strings.NewReader(text), "conc.txt")
	if err != nil || run.Incomplete != "" {
		t.Fatalf("Read: %v, incomplete %q", err, run.Incomplete)
	}
	a := Analyze(run)
	want := map[string][2]int{ // model: X (in flight), P (parallelism on 16 cores)
		"sequential": {1, 1},
		"pipeline":   {4, 12},
		"spawn":      {64, 16},
		"pinned":     {8, 2},
	}
	if len(a.Workloads) != 1 || len(a.Workloads[0].Cells) != len(want) {
		t.Fatalf("workloads %+v", a.Workloads)
	}
	for _, c := range a.Workloads[0].Cells {
		if w := want[c.M.Model]; c.X() != w[0] || c.P != w[1] {
			t.Errorf("%s: x %d, p %d; want %d, %d", c.M.Model, c.X(), c.P, w[0], w[1])
		}
	}
}
