package main

import (
	"bytes"
	"context"

	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/report"
)

// TestAdaptiveExtendsUnsettled: after the profile's rounds, a workload
// whose paired speedup is known within ±3% gets no more samples; one
// whose pairs scatter gets more rounds, up to maxRounds, and is then
// listed as unresolved, which its page shows as no verdict.
func TestAdaptiveExtendsUnsettled(t *testing.T) {
	calls := map[string]int{}
	mk := func(workload, model string, ns func(i int) float64) bench.Benchmark {
		name := "workload=" + workload + "/model=" + model + "/tasks=64"
		return bench.Benchmark{Group: "BenchmarkModels", Name: name, Run: func(_ context.Context, b *testing.B) error {
			i := calls[name]
			calls[name]++
			b.ReportMetric(ns(i), "ns/op")
			return nil
		}}
	}
	scatter := []float64{0.6, 1.4, 0.8, 1.3, 0.7, 1.2, 0.9, 1.1}
	suite := []bench.Benchmark{
		mk("tight", "sequential", func(int) float64 { return 1e6 }),
		mk("tight", "pool", func(i int) float64 { return 5e5 * (1 + 0.002*float64(i%2)) }),
		mk("loose", "sequential", func(int) float64 { return 1e6 }),
		mk("loose", "pool", func(i int) float64 { return 5e5 * scatter[i%len(scatter)] }),
	}
	var results bytes.Buffer
	results.WriteString("cores: 2\ninstrumented: none\npkg: " + benchPkg + "\n")
	s := &sampler{seed: 7}
	if err := (benchRun{bench: ".", count: 6, benchtime: "1x"}).run(context.Background(), suite, s, &results, 60, func(string) {}); err != nil {
		t.Fatal(err)
	}
	a := adaptive{group: "BenchmarkModels", benchtime: "1x", perCell: time.Hour, total: time.Hour, maxRounds: 3}
	var extra bytes.Buffer
	unresolved, err := a.extend(context.Background(), suite, s, &extra, &results, 60)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(unresolved, []string{"loose"}) {
		t.Errorf("unresolved %q, want loose alone", unresolved)
	}
	for name, want := range map[string]int{"workload=tight/model=pool/tasks=64": 6, "workload=loose/model=pool/tasks=64": 9, "workload=loose/model=sequential/tasks=64": 9} {
		if calls[name] != want {
			t.Errorf("%s: %d samples, want %d", name, calls[name], want)
		}
	}
	if n := strings.Count("\n"+extra.String(), "\nBenchmarkModels/"); n != 6 {
		t.Errorf("%d extra result lines written to the file, want 6 (3 rounds of loose's 2 models):\n%s", n, extra.String())
	}

	results.WriteString(unresolvedLine(unresolved) + "PASS\n")
	run, err := report.Read(&results, "adaptive.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range report.Analyze(run).Workloads {
		switch v := w.Verdict; w.Name {
		case "tight":
			if !v.Resolved || v.Choice != "pool" {
				t.Errorf("tight: verdict %+v, want pool", v)
			}
		case "loose":
			if v.Resolved || !strings.Contains(v.Reason, "unresolved") {
				t.Errorf("loose: verdict %+v, want unresolved", v)
			}
		}
	}
}

// TestFullProfileTime estimates the full profile from a published full
// run's batch times (TestQuickProfileTime checks the estimate on a
// recorded quick run): with the extra rounds' whole budget and the
// Python harness (10 samples of 0.3 s, estimated from the recorded quick
// run's 6 of 0.1 s, whose batches mostly outlast 0.1 s), it must stay
// within the hour.
func TestFullProfileTime(t *testing.T) {
	recorded, _ := batchTimes(t, "../../results/amd-epyc-2c/20261127-230128-full.txt")
	addCostRecord(t, recorded)
	_, quickPython := batchTimes(t, recordedQuick)
	p, _ := lookupProfile("full")
	goTime := estimate(p, recorded)
	python := quickPython * 10 / 6 * 3 / 2
	total := goTime + python + p.adapt.total
	t.Logf("full profile: Go %v, Python %v, extra rounds at most %v: %v", goTime.Round(time.Second), python.Round(time.Second), p.adapt.total, total.Round(time.Second))
	if total > time.Hour {
		t.Errorf("full profile estimated at %v, over the hour", total.Round(time.Second))
	}
}
