package bench

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/concbench/concbench/models"
)

// TestTally: two batches of 10 tasks, 1 MB each, 100ms wall and 150ms CPU
// each, with a 40ms floor; the latencies arrive unsorted.
func TestTally(t *testing.T) {
	var tl Tally
	ms := time.Millisecond
	tl.Add(models.Batch{Wall: 100 * ms, CPU: 150 * ms, Bytes: 1e6, Latencies: []time.Duration{9 * ms, 1 * ms, 5 * ms}})
	tl.Add(models.Batch{Wall: 100 * ms, CPU: 150 * ms, Bytes: 1e6, Latencies: []time.Duration{3 * ms, 7 * ms}})
	want := []string{"ns/op", "MB/s", "tasks/s", "cpu-cores", "floor-ratio", "p50-task-ns", "p99-task-ns"}
	if got := tl.Units(40 * ms); !slices.Equal(got, want) {
		t.Errorf("units %v, want %v", got, want)
	}
	for unit, want := range map[string]float64{
		"ns/op": 100e6, "MB/s": 10, "tasks/s": 100, "cpu-cores": 1.5, "floor-ratio": 2.5,
		"p50-task-ns": 5e6, "p99-task-ns": 9e6,
	} {
		if got := tl.Value(unit, 10, 40*ms); math.Abs(got-want) > 1e-9*want {
			t.Errorf("%s = %v, want %v", unit, got, want)
		}
	}
	if v := tl.Value("allocs/op", 10, 0); !math.IsNaN(v) {
		t.Errorf("allocs/op = %v, want NaN", v)
	}
	// Without bytes, floor or latencies, only the three that always hold.
	plain := Tally{Batches: 1, Wall: ms, CPU: ms}
	if got := plain.Units(0); !slices.Equal(got, []string{"ns/op", "tasks/s", "cpu-cores"}) {
		t.Errorf("plain units %v", got)
	}
	if v := plain.Value("floor-ratio", 1, 0); !math.IsNaN(v) {
		t.Errorf("floor-ratio without a floor = %v, want NaN", v)
	}
	if got := Percentile(nil, 0.5); got != 0 {
		t.Errorf("no latencies: p50 %v, want 0", got)
	}
}
