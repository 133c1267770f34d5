package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/report"
)

// quick are the flags that make a measurement take milliseconds: short
// inputs, two samples of one batch each.
var quick = []string{"-short", "-count", "2", "-time", "0"}

func runQuick(t *testing.T, args ...string) string {
	t.Helper()
	stdout, stderr, err := runCmd(t, append(args, quick...)...)
	if err != nil {
		t.Fatalf("concbench %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return stdout
}

func TestRunText(t *testing.T) {
	out := runQuick(t, "run", "-workload", "xxh3", "-model", "pool", "-workers", "3", "-compare")
	for _, want := range []string{
		"xxh3 (cpu): size=64KiB, 8 tasks a batch, GOMAXPROCS " + fmt.Sprint(runtime.GOMAXPROCS(0)),
		"MODEL", "MB/S", "TASKS/S", "CPU-CORES", "SPEEDUP",
		"\nsequential ", "\npool (workers=3) ",
		"Medians of 2 samples", "its digest matched",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "FLOOR×") {
		t.Errorf("a CPU workload has no latency floor:\n%s", out)
	}
}

// TestRunBench: -format bench is the Go benchmark format, which the report
// reads without a problem: the header, one line per sample named
// BenchmarkRun/<Case.Name()>, and PASS.
func TestRunBench(t *testing.T) {
	out := runQuick(t, "run", "-workload", "http", "-model", "semaphore", "-workers", "4", "-compare", "-format", "bench")
	if !strings.Contains(out, "\ninstrumented: "+instrumented()+"\n") || !strings.HasSuffix(out, "\nPASS\n") {
		t.Fatalf("output lacks the instrumented line or the final PASS:\n%s", out)
	}
	// The report refuses an instrumented run, rightly; the format is what
	// this test checks.
	out = strings.Replace(out, "instrumented: "+instrumented(), "instrumented: none", 1)
	run, err := report.Read(strings.NewReader(out), "run.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Problems) > 0 || run.Incomplete != "" {
		t.Fatalf("problems %v, incomplete %q", run.Problems, run.Incomplete)
	}
	var names []string
	for _, m := range run.Benchmarks {
		names = append(names, m.Name())
		if n := len(m.Values["ns/op"]); n != 2 {
			t.Errorf("%s: %d samples, want 2", m.Name(), n)
		}
		for _, unit := range []string{"ns/op", "MB/s", "tasks/s", "cpu-cores", "floor-ratio", "p50-task-ns", "p99-task-ns"} {
			if len(m.Values[unit]) == 0 {
				t.Errorf("%s: no %s", m.Name(), unit)
			}
		}
		if m.GOMAXPROCS != runtime.GOMAXPROCS(0) {
			t.Errorf("%s: GOMAXPROCS %d, want %d", m.Name(), m.GOMAXPROCS, runtime.GOMAXPROCS(0))
		}
	}
	want := []string{
		"Run/workload=http/model=sequential/tasks=8/size=1KiB/latency=1ms",
		"Run/workload=http/model=semaphore/workers=4/tasks=8/size=1KiB/latency=1ms",
	}
	if !slices.Equal(names, want) {
		t.Errorf("benchmarks %q, want %q", names, want)
	}
	for _, key := range []string{"machine", "cores", "commit", "date", "go", "cpu", "goos", "goarch"} {
		if run.Config[key] == "" {
			t.Errorf("no %s: line", key)
		}
	}
	if run.Config["profile"] != "run" {
		t.Errorf("profile %q, want run", run.Config["profile"])
	}
}

func TestRunJSON(t *testing.T) {
	out := runQuick(t, "run", "-workload", "regex-prefix", "-model", "pinned", "-procs", "1", "-workers", "2", "-compare", "-format", "json", "-param", "size=4KiB")
	var got document
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if !got.Finished || len(got.Results) != 2 || got.SchemaVersion != schemaVersion || got.Command != "run" {
		t.Fatalf("%s: want a finished run of 2, schema version %d", out, schemaVersion)
	}
	if got.Go != runtime.Version() || got.Commit == "" || got.Machine.Cores < 1 || got.Machine.Name == "" || got.Instrumented == "" {
		t.Errorf("document facts %+v: want Go, commit, machine and instrumentation", got)
	}
	seq, pinned := got.Results[0], got.Results[1]
	if seq.Model != "sequential" || len(seq.Knobs) != 0 || seq.Speedup == nil || seq.Speedup.Ratio != 1 || seq.Verdict != nil {
		t.Errorf("sequential cell %+v: want no knobs, a speedup of 1 and no verdict", seq)
	}
	if pinned.Model != "pinned" || !maps.Equal(pinned.Knobs, map[string]int{"workers": 2, "procs": 1}) || pinned.Tasks != 8 || pinned.Samples != 2 || pinned.Batches != 2 {
		t.Errorf("pinned cell %+v: want workers 2, procs 1, 8 tasks, 2 samples of 1 batch", pinned)
	}
	if !maps.Equal(pinned.Params, map[string]string{"size": "4KiB", "pattern": "prefix"}) || pinned.Kind != "cpu" {
		t.Errorf("params %v kind %q: want every parameter as it ran", pinned.Params, pinned.Kind)
	}
	var units []string
	for _, m := range pinned.Metrics {
		units = append(units, m.Unit)
		// A sample in which no GC cycle ended has no GC to report.
		none := m.Unit == benchkey.UnitGCCPUPct || m.Unit == benchkey.UnitGCCycles
		if len(m.Values) != 2 || m.Median < 0 || m.Median == 0 && !none || m.Interval.Kind != intervalRange || m.Interval.Lo > m.Median || m.Median > m.Interval.Hi {
			t.Errorf("%s: %+v: want 2 positive samples, their median within their range", m.Unit, m)
		}
	}
	if !slices.Equal(units, []string{"ns/op", "MB/s", "tasks/s", "cpu-cores", "gc-cpu-pct", "gc-cycles/op", "peak-goroutines", "B/op", "allocs/op"}) {
		t.Errorf("units %q: a CPU workload records bytes and the runtime's figures, but no floor or task latencies", units)
	}
	if p := pinned.Speedup.Paired; p == nil || p.Pairs != 2 || p.Interval.Kind != intervalRange {
		t.Errorf("paired speedup %+v: want 2 pairs and their range", p)
	}
}

func TestRunCSV(t *testing.T) {
	out := runQuick(t, "run", "-workload", "sha256", "-model", "spawn", "-format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// ns/op, MB/s, tasks/s, cpu-cores, gc-cpu-pct, gc-cycles/op,
	// peak-goroutines, B/op, allocs/op.
	if len(rows) != 10 {
		t.Fatalf("rows %q: want the header and a row for each of 9 units", rows)
	}
	for _, row := range rows[1:] {
		r := map[string]string{}
		for i, h := range rows[0] {
			r[h] = row[i]
		}
		if r["schema_version"] != "1" || r["name"] != "workload=sha256/model=spawn/tasks=8/size=64KiB" || r["model"] != "spawn" ||
			r["knob_workers"] != "" || r["param_size"] != "64KiB" || r["speedup"] != "" || r["samples"] != "2" || r["interval"] != "range" {
			t.Errorf("row %v", r)
		}
		if len(strings.Fields(r["values"])) != 2 || r["go"] != runtime.Version() {
			t.Errorf("row %v: want 2 values and the Go version", r)
		}
	}
}

// TestRunComparePaired: with -compare the SPEEDUP column is the median of
// paired ratios with its 95% confidence interval, which 6 rounds give,
// and the notes say so; the reference reads 1.00×.
func TestRunComparePaired(t *testing.T) {
	stdout, stderr, err := runCmd(t, "run", "-workload", "xxh3", "-model", "pool", "-compare", "-short", "-count", "6", "-time", "0")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	head, rows := parseTable(t, stdout)
	col := slices.Index(head, "SPEEDUP")
	if col < 0 || len(rows) != 2 {
		t.Fatalf("no SPEEDUP column or not 2 rows:\n%s", stdout)
	}
	if rows[0][col] != "1.00×" {
		t.Errorf("the reference's speedup %q, want 1.00×", rows[0][col])
	}
	// Its digits follow its interval (Ratio.Short): 1.93× [1.88, 1.97],
	// 0.6× [0.5, 1.3] for a wide one, or 0.088× [0.071, 0.11] for a
	// machine so loaded that a batch of 8 is slower under the pool.
	if !regexp.MustCompile(`^\d+(\.\d+)?× \[\d+(\.\d+)?, \d+(\.\d+)?\]$`).MatchString(rows[1][col]) {
		t.Errorf("pool's speedup %q, want a paired ratio with its interval, such as 1.93× [1.88, 1.97]", rows[1][col])
	}
	if !strings.Contains(stdout, "SPEEDUP is the median of paired ratios") {
		t.Errorf("the notes do not say what SPEEDUP is:\n%s", stdout)
	}
}
