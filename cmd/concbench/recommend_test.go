package main

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestRecommendCPU(t *testing.T) {
	stdout, _, err := runCmd(t, append([]string{"recommend", "-workload", "regex-alt", "-model", "pool,gil", "-format", "json"}, quick...)...)
	if err != nil {
		t.Fatal(err)
	}
	var got document
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	r := got.Recommendation
	if !got.Finished || r == nil || len(got.Results) != 3 || got.Seconds == nil || *got.Seconds <= 0 {
		t.Fatalf("%s: want a finished recommendation over 3 results", stdout)
	}
	// Load from elsewhere lowers the cores the sequential run keeps busy,
	// not the cores it asks for, which the kind is judged by where the
	// kernel reports them.
	asked := r.SequentialCPU
	if r.SequentialDemand > 0 {
		asked = r.SequentialDemand
	}
	if r.Kind != "cpu" || asked < 0.5 || r.CPUBoundAt != 0.5 || len(r.Why) < 3 {
		t.Errorf("recommendation %+v: want regex-alt measured CPU-bound, with reasons", r)
	}
	if !slices.Contains([]string{"sequential", "pool", "gil"}, r.Model) || !strings.Contains(r.Name, "model="+r.Model+"/") {
		t.Errorf("recommends %q (%s): want one of those measured", r.Model, r.Name)
	}
}

func TestRecommendIO(t *testing.T) {
	args := []string{"recommend", "-workload", "http", "-param", "latency=20ms", "-tasks", "4", "-workers", "4", "-model", "pool,pinned"}
	out := runQuick(t, args...)
	for _, want := range []string{
		"http (io): latency=20ms jitter=0 size=1KiB timeout=5s server=process, 4 tasks a batch",
		"FLOOR×", "P99 TASK", "\nNo verdict", "http is IO-bound: run one task at a time",
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
	// 3 models, each in 17 units: ns/op, MB/s, tasks/s, cpu-cores,
	// server-cpu-cores, floor-ratio, cpu-us/task, p50-task-ns,
	// p99-task-ns, the sojourns' p50, p99 and p999, gc-cpu-pct,
	// gc-cycles/op, peak-goroutines, B/op, allocs/op: 17.
	if len(rows) != 1+3*17 || rows[0][len(rows[0])-1] != "verdict" {
		t.Fatalf("%d rows, header %q: want the header with verdict, and 51 rows", len(rows), rows[0])
	}
	for _, r := range rows[1:] {
		if r[len(r)-1] != verdictNone {
			t.Errorf("row %q: want %s from 3 samples", r, verdictNone)
		}
	}
}

// TestRecommendModelOrder: the models come out in the models table's
// order, whatever order -models named them in.
func TestRecommendModelOrder(t *testing.T) {
	stdout, stderr, err := runCmd(t, "recommend", "-workload", "xxh3", "-models", "pinned,spawn,pool", "-short", "-count", "1", "-time", "0", "-format", "json")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var d document
	if err := json.Unmarshal([]byte(stdout), &d); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	var got []string
	for _, c := range d.Results {
		got = append(got, c.Model)
	}
	if want := []string{"sequential", "spawn", "pool", "pinned"}; !slices.Equal(got, want) {
		t.Errorf("models %q, want %q", got, want)
	}
}
