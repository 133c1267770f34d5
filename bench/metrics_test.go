package bench

import (
	"context"
	"math"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/concbench/concbench/models"
)

// TestTally: two batches of 10 tasks, 1 MB each, 100ms wall and 150ms CPU
// each (and 50ms of the servers'), with a 40ms floor; the service and
// sojourn times arrive unsorted.
func TestTally(t *testing.T) {
	var tl Tally
	ms := time.Millisecond
	tl.Add(models.Batch{Wall: 100 * ms, CPU: 150 * ms, ServerCPU: 50 * ms, Bytes: 1e6, Latencies: []time.Duration{9 * ms, 1 * ms, 5 * ms}, Sojourns: []time.Duration{19 * ms, 11 * ms, 15 * ms}})
	tl.Add(models.Batch{Wall: 100 * ms, CPU: 150 * ms, ServerCPU: 50 * ms, Bytes: 1e6, Latencies: []time.Duration{3 * ms, 7 * ms}, Sojourns: []time.Duration{13 * ms, 17 * ms}})
	want := []string{"ns/op", "MB/s", "tasks/s", "cpu-cores", "server-cpu-cores", "floor-ratio", "cpu-us/task", "p50-task-ns", "p99-task-ns", "p50-sojourn-ns", "p99-sojourn-ns", "p999-sojourn-ns"}
	if got := tl.Units(40 * ms); !slices.Equal(got, want) {
		t.Errorf("units %v, want %v", got, want)
	}
	for unit, want := range map[string]float64{
		"ns/op": 100e6, "MB/s": 10, "tasks/s": 100, "cpu-cores": 1.5, "floor-ratio": 2.5,
		"p50-task-ns": 5e6, "p99-task-ns": 9e6, "server-cpu-cores": 0.5, "cpu-us/task": 15000,
		"p50-sojourn-ns": 15e6, "p99-sojourn-ns": 19e6, "p999-sojourn-ns": 19e6,
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

// TestTallyRuntime: a probe's GC share, cycles, peak and allocations.
func TestTallyRuntime(t *testing.T) {
	tl := Tally{Batches: 4, Wall: time.Second, CPU: time.Second, Probed: true,
		GCCPU: 0.25, CapacityCPU: 2, GCCycles: 6, PeakGoroutines: 40, MemCounted: true, Mallocs: 400, AllocBytes: 4096}
	want := []string{"ns/op", "tasks/s", "cpu-cores", "gc-cpu-pct", "gc-cycles/op", "peak-goroutines", "B/op", "allocs/op"}
	if got := tl.Units(0); !slices.Equal(got, want) {
		t.Errorf("units %v, want %v", got, want)
	}
	for unit, want := range map[string]float64{
		"gc-cpu-pct": 12.5, "gc-cycles/op": 1.5, "peak-goroutines": 40, "B/op": 1024, "allocs/op": 100,
	} {
		if got := tl.Value(unit, 10, 0); math.Abs(got-want) > 1e-9*want {
			t.Errorf("%s = %v, want %v", unit, got, want)
		}
	}
	// No GC cycle ended: a share of zero, not NaN.
	idle := Tally{Batches: 1, Wall: time.Second, Probed: true}
	if got := idle.Value("gc-cpu-pct", 1, 0); got != 0 {
		t.Errorf("gc-cpu-pct without a cycle = %v, want 0", got)
	}
}

// TestProbe: a sample that allocates and collects shows its allocations,
// its GC cycles and a GC share; a Runner's tasks record the peak of
// goroutines of a model that starts them all at once.
func TestProbe(t *testing.T) {
	var sink [][]byte
	p := StartProbe(true)
	for range 1000 {
		sink = append(sink, make([]byte, 1024))
	}
	runtime.GC()
	runtime.GC()
	var tl Tally
	tl.Batches = 1
	p.End(&tl)
	_ = sink
	if tl.Mallocs < 1000 || tl.AllocBytes < 1000*1024 {
		t.Errorf("%d allocations of %d bytes counted, want at least 1000 of 1 MiB in all", tl.Mallocs, tl.AllocBytes)
	}
	if tl.GCCycles < 2 || tl.CapacityCPU <= 0 || tl.GCCPU <= 0 {
		t.Errorf("after two forced GCs: %d cycles, GC CPU %v of %v", tl.GCCycles, tl.GCCPU, tl.CapacityCPU)
	}
	if tl.PeakGoroutines != 0 || slices.Contains(tl.Units(0), "peak-goroutines") {
		t.Errorf("StartProbe recorded a goroutine peak of %d", tl.PeakGoroutines)
	}

	const n = 64
	// Tasks that nap, so that all of spawn's goroutines are alive at once.
	nap := Work{Name: "nap", Tasks: n, Task: func(ctx context.Context, i int) (models.Result, error) {
		time.Sleep(5 * time.Millisecond)
		return models.Result{Digest: uint64(i)}, nil
	}}
	r, err := SetupWork(context.Background(), nap.Case("spawn", models.Options{}, true), nap)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	before := runtime.NumGoroutine()
	probe := r.Probe(false)
	b, err := r.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var st Tally
	st.Add(b)
	probe.End(&st)
	if st.PeakGoroutines < int64(before)+n/2 || st.MemCounted {
		t.Errorf("spawn of %d tasks: peak %d goroutines over %d before, allocations counted %v", n, st.PeakGoroutines, before, st.MemCounted)
	}
}

// TestTimerOvershoot: no wait, no overshoot; a 2ms wait is late by
// something between nothing and the wait itself (a loaded machine can
// make it later, but not by more than a few milliseconds), and a second
// call returns the cached measurement.
func TestTimerOvershoot(t *testing.T) {
	if o := TimerOvershoot(0); o != 0 {
		t.Errorf("overshoot of no wait %v", o)
	}
	o := TimerOvershoot(2 * time.Millisecond)
	if o < 0 || o > 20*time.Millisecond {
		t.Errorf("overshoot of a 2ms wait %v", o)
	}
	t0 := time.Now()
	if again := TimerOvershoot(2 * time.Millisecond); again != o || time.Since(t0) > time.Millisecond {
		t.Errorf("second call gave %v after %v, want the cached %v at once", again, time.Since(t0), o)
	}
}
