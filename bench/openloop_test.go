package bench

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/models"
)

// BenchmarkOpenLoop offers requests at a fixed rate, Poisson arrivals, at
// each of OpenLoopLoads of the pool's capacity, under spawn and the
// bounded models: the pool as a defence against overload.
func BenchmarkOpenLoop(b *testing.B) { runGroup(b, "BenchmarkOpenLoop") }

// TestPoissonArrivals: the schedule is seeded (same seed, same times;
// another seed, others), increasing, and its last arrival is at n/rate;
// its gaps are spread as exponential ones are, their standard deviation
// near their mean.
func TestPoissonArrivals(t *testing.T) {
	const n, rate = 4000, 2000.0
	a, b, c := PoissonArrivals(n, rate, 1), PoissonArrivals(n, rate, 1), PoissonArrivals(n, rate, 2)
	if !slices.Equal(a, b) || slices.Equal(a, c) {
		t.Fatal("the same seed gave other times, or another seed the same")
	}
	if !slices.IsSorted(a) || a[0] <= 0 {
		t.Fatalf("arrivals not increasing from after zero: first %v", a[0])
	}
	if want := 2 * time.Second; a[n-1] != want {
		t.Errorf("last arrival at %v, want %v", a[n-1], want)
	}
	var sum, sq float64
	prev := time.Duration(0)
	for _, at := range a {
		g := (at - prev).Seconds()
		sum, sq, prev = sum+g, sq+g*g, at
	}
	mean := sum / n
	sd := math.Sqrt(sq/n - mean*mean)
	if r := sd / mean; r < 0.9 || r > 1.1 {
		t.Errorf("gaps' standard deviation %.3g over their mean %.3g = %.2f, want about 1 (exponential)", sd, mean, r)
	}
	if PoissonArrivals(0, rate, 1) != nil || PoissonArrivals(5, 0, 1) != nil {
		t.Error("no requests or no rate should give no arrivals")
	}
}

// TestOpenLoopRate runs the generator against the pool at 50% of its
// measured capacity: the rate at which requests reached the pool is within
// 2% of the rate offered, every request completed, and each sojourn is at
// least the server's latency.
func TestOpenLoopRate(t *testing.T) {
	if testing.Short() && raceEnabled {
		t.Skip("timing under the race detector")
	}
	ctx := context.Background()
	c := Case{Workload: "http", Model: "pool", Tasks: 64, Short: true, Options: models.Options{Workers: 8}, Params: []string{"latency=2ms"}}
	r, err := Setup(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	capacity, ref, err := poolCapacity(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if capacity <= 0 || capacity > 8/0.002*1.05 {
		t.Fatalf("capacity %.0f/s: want above zero and not above 8 workers / 2ms = 4000/s", capacity)
	}
	rate := capacity / 2
	n := int(rate * 0.5) // half a second of arrivals
	o := &openLoop{task: r.Job.Task, ref: ref, at: PoissonArrivals(n, rate, 7), timeout: time.Second}
	if err := r.WarmUp(ctx); err != nil {
		t.Fatal(err)
	}
	lr, err := o.run(ctx, r.Model)
	if err != nil {
		t.Fatal(err)
	}
	if d := math.Abs(lr.achieved-rate) / rate; d > 0.02 {
		t.Errorf("achieved %.1f requests/s, offered %.1f: off by %.1f%%, want within 2%%", lr.achieved, rate, 100*d)
	}
	if lr.completed != n || lr.missed != 0 || len(lr.sojourns) != n {
		t.Errorf("%d completed, %d missed, %d sojourns; want all %d completed", lr.completed, lr.missed, len(lr.sojourns), n)
	}
	for _, s := range lr.sojourns {
		if s < 2*time.Millisecond {
			t.Fatalf("a sojourn of %v, below the server's 2ms latency", s)
		}
	}
	if lr.peakGs < 8 || lr.peakHeap == 0 {
		t.Errorf("peak goroutines %d, heap %d B: want at least the pool's 8 workers and some heap", lr.peakGs, lr.peakHeap)
	}
}

// TestOpenLoopOverload: far above capacity, a pool with a deadline drops
// or times out requests, and every request it completes was answered
// within its deadline, counted from its arrival.
func TestOpenLoopOverload(t *testing.T) {
	ctx := context.Background()
	c := Case{Workload: "http", Model: "pool", Tasks: 16, Short: true, Options: models.Options{Workers: 2}, Params: []string{"latency=2ms"}}
	r, err := Setup(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	capacity, ref, err := poolCapacity(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	rate := 4 * capacity
	n := int(rate * 0.1)
	timeout := 20 * time.Millisecond
	o := &openLoop{task: r.Job.Task, ref: ref, at: PoissonArrivals(n, rate, 3), timeout: timeout}
	lr, err := o.run(ctx, r.Model)
	if err != nil {
		t.Fatal(err)
	}
	if lr.missed == 0 || lr.completed+lr.missed != n {
		t.Errorf("%d completed and %d missed of %d at 4x capacity: want some missed, all accounted", lr.completed, lr.missed, n)
	}
	for _, s := range lr.sojourns {
		if s > timeout {
			t.Errorf("a completed sojourn of %v, beyond the %v deadline", s, timeout)
		}
	}
}

// TestOpenLoopCases: every model of openLoopModels that exists runs at
// every load, and names carry load and seed but no tasks.
func TestOpenLoopCases(t *testing.T) {
	cases := OpenLoop(false)
	var ms []string
	for _, m := range openLoopModels {
		if _, err := models.Lookup(m); err == nil {
			ms = append(ms, m)
		}
	}
	if len(cases) != len(ms)*len(OpenLoopLoads) {
		t.Fatalf("%d cases, want %d models × %d loads", len(cases), len(ms), len(OpenLoopLoads))
	}
	name := cases[1].Name()
	if want := "workload=http/model=" + ms[0] + "/"; !strings.HasPrefix(name, want) || !strings.Contains(name, "/load=50/seed=1/") || strings.Contains(name, "tasks=") {
		t.Errorf("name %q: want %s…/load=50/seed=1/… and no tasks=", name, want)
	}
}
