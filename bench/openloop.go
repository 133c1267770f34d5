package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/models"
)

// An OpenLoopCase is one cell of BenchmarkOpenLoop: requests of an IO
// workload arrive at a fixed rate, with Poisson inter-arrival times, and
// one model serves them. The rate is Load percent of the capacity that the
// pool reaches at the same workers, measured by the benchmark itself
// before its timed part. The zero value names no workload.
type OpenLoopCase struct {
	// Case names the workload, the model and its workers; its Tasks is
	// the size of the closed-loop batch that measures the pool's
	// capacity, whose results each request's result must equal.
	Case
	Load int    // offered load, percent of the pool's capacity
	Seed uint64 // seeds the arrival times
}

// OpenLoopLoads are the offered loads of BenchmarkOpenLoop, in percent of
// the pool's capacity.
var OpenLoopLoads = []int{25, 50, 75, 90, 100, 150}

// openLoopModels are the models that BenchmarkOpenLoop runs, those of
// them that models.All has: spawn is unbounded, the others bound the
// requests in flight to their workers.
var openLoopModels = []string{"spawn", "pool", "semaphore", "errgroup", "pinned"}

// The open-loop sizes: the workers (as the IO sweep's middle value, where a
// pool's capacity stays far below what two cores can serve), the length of
// a run's arrivals, and the client's deadline in unloaded service times.
const (
	openLoopWorkers      = 16
	openLoopSpan         = 200 * time.Millisecond
	shortOpenLoopSpan    = 20 * time.Millisecond
	openLoopTimeoutTimes = 10
	openLoopSeed         = 1
)

// OpenLoop returns the cases of BenchmarkOpenLoop: the http workload under
// each of openLoopModels at each of OpenLoopLoads. Under -short the
// workload shrinks and the workers are ShortIOWorkers.
func OpenLoop(short bool) []OpenLoopCase {
	w := openLoopWorkers
	if short {
		w = ShortIOWorkers
	}
	var cases []OpenLoopCase
	for _, m := range openLoopModels {
		if _, err := models.Lookup(m); err != nil {
			continue
		}
		for _, load := range OpenLoopLoads {
			c := Case{Workload: "http", Model: m, Tasks: 8 * w, Short: short, Options: models.Options{Workers: w, Procs: 1}}
			cases = append(cases, OpenLoopCase{Case: c, Load: load, Seed: openLoopSeed})
		}
	}
	return cases
}

// Name returns the case's sub-name: workload, model, its knobs, load and
// seed, then the workload's named parameters. It carries no tasks=: a
// run's requests follow from the rate.
func (c OpenLoopCase) Name() string {
	r, _ := c.Resolve()
	parts := []string{benchkey.Workload + "=" + c.Workload, benchkey.Model + "=" + c.Model}
	parts = append(parts, r.Knobs().Pairs()...)
	parts = append(parts, benchkey.Load+"="+strconv.Itoa(c.Load), benchkey.Seed+"="+strconv.FormatUint(c.Seed, 10))
	parts = append(parts, r.named()...)
	return strings.Join(parts, "/")
}

// PoissonArrivals returns the arrival times of n requests offered at rate
// per second, as offsets from the start: exponential gaps drawn from a
// generator seeded with seed, scaled so that the last arrival falls at
// exactly n/rate. That is a Poisson process conditioned on n arrivals in
// that span, so a run offers the rate asked rather than a draw around it.
func PoissonArrivals(n int, rate float64, seed uint64) []time.Duration {
	if n < 1 || !(rate > 0) {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	cum := make([]float64, n)
	sum := 0.0
	for i := range cum {
		sum += rng.ExpFloat64()
		cum[i] = sum
	}
	span := float64(n) / rate * float64(time.Second)
	at := make([]time.Duration, n)
	for i, c := range cum {
		at[i] = time.Duration(c / sum * span)
	}
	return at
}

// An openLoop is one case's runs: the arrival schedule, the deadline and
// the closed-loop results that each request must reproduce.
type openLoop struct {
	task    models.Task
	ref     []models.Result // per task index of the closed-loop batch
	at      []time.Duration
	timeout time.Duration
}

// A loopRun is the outcome of one open-loop run.
type loopRun struct {
	sojourns          []time.Duration // of completed requests, from their arrival
	completed, missed int             // missed: dropped or timed out
	achieved          float64         // requests handed to the model per second
	peakGs            int
	peakHeap          uint64
}

// run offers the schedule's requests to m. Request j runs task j modulo
// the reference batch and must return its result. A request not started
// by its deadline (arrival + timeout) is dropped, one still running then
// is cancelled, and one answered after it came too late: all count as
// missed. Sojourn runs from the arrival as
// scheduled, not as the model took it in, so a model that falls behind
// is charged its queue.
func (o *openLoop) run(ctx context.Context, m models.Model) (loopRun, error) {
	n := len(o.at)
	sojourns := make([]time.Duration, n)
	var missed atomic.Int64
	var last atomic.Int64 // latest hand-off, ns after t0
	var t0 time.Time
	job := models.Job{N: n, KeepGoing: false}
	job.Arrive = func(ctx context.Context, j int) time.Time {
		due := t0.Add(o.at[j])
		if d := time.Until(due); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
			}
		}
		for now := int64(time.Since(t0)); ; {
			old := last.Load()
			if now <= old || last.CompareAndSwap(old, now) {
				break
			}
		}
		return due
	}
	job.Task = func(ctx context.Context, j int) (models.Result, error) {
		deadline := t0.Add(o.at[j] + o.timeout)
		if !time.Now().Before(deadline) {
			missed.Add(1)
			return models.Result{}, nil
		}
		rctx, cancel := context.WithDeadline(ctx, deadline)
		defer cancel()
		k := j % len(o.ref)
		res, err := o.task(rctx, k)
		end := time.Now()
		if err != nil {
			if rctx.Err() != nil && ctx.Err() == nil {
				missed.Add(1)
				return models.Result{}, nil
			}
			return res, err
		}
		if res != o.ref[k] {
			return res, fmt.Errorf("request %d: task %d gave %+v, the closed-loop batch %+v: the model did not do the same work", j, k, res, o.ref[k])
		}
		if end.After(deadline) {
			missed.Add(1) // answered, but too late for its client
			return res, nil
		}
		sojourns[j] = end.Sub(t0.Add(o.at[j]))
		return res, nil
	}
	peak := startPeaks()
	t0 = time.Now()
	b, err := m.Run(ctx, job)
	gs, heap := peak.stop()
	out := loopRun{peakGs: gs, peakHeap: heap, missed: int(missed.Load())}
	if err != nil {
		return out, err
	}
	out.completed = b.Succeeded - out.missed
	for _, s := range sojourns {
		if s > 0 {
			out.sojourns = append(out.sojourns, s)
		}
	}
	if l := time.Duration(last.Load()); l > 0 {
		out.achieved = float64(n) / l.Seconds()
	}
	return out, nil
}

// bench is the body of BenchmarkOpenLoop. Before the timed part it sets up
// the workload, takes the pool's capacity (poolCapacity: measured once per
// process, so that every model is offered the same rates; the per-task
// results of its batch are the reference), and warms the model. One
// op is one run of arrivals spanning openLoopSpan (shortOpenLoopSpan under
// -short). It reports p50 and p99 sojourn over every completed request,
// the requests completed and missed per run, the peak goroutines and heap
// of the process during a run (the workload's server included while it
// runs in-process), and the capacity, offered and achieved rates.
func (c OpenLoopCase) bench(ctx context.Context, b *testing.B) error {
	if c.Load < 1 || c.Load > 1000 {
		return fmt.Errorf("load=%d: want 1 to 1000 percent", c.Load)
	}
	r, err := Setup(ctx, c.Case)
	if err != nil {
		return err
	}
	defer r.Close()
	capacity, ref, err := poolCapacity(ctx, r)
	if err != nil {
		return err
	}
	rate := capacity * float64(c.Load) / 100
	span := openLoopSpan
	if c.Short {
		span = shortOpenLoopSpan
	}
	n := max(1, int(math.Round(rate*span.Seconds())))
	o := &openLoop{
		task:    r.Job.Task,
		ref:     ref,
		at:      PoissonArrivals(n, rate, c.Seed),
		timeout: openLoopTimeoutTimes * time.Duration(float64(c.Options.Workers)/capacity*float64(time.Second)),
	}
	if err := r.WarmUp(ctx); err != nil {
		return err
	}

	var (
		sojourns          []time.Duration
		completed, missed int
		achieved          float64
		peakGs            int
		peakHeap          uint64
		runs              int
	)
	for b.Loop() {
		lr, err := o.run(ctx, r.Model)
		if err != nil {
			return err
		}
		runs++
		sojourns = append(sojourns, lr.sojourns...)
		completed += lr.completed
		missed += lr.missed
		achieved += lr.achieved
		peakGs, peakHeap = max(peakGs, lr.peakGs), max(peakHeap, lr.peakHeap)
	}
	slices.Sort(sojourns)
	if len(sojourns) > 0 {
		b.ReportMetric(float64(Percentile(sojourns, 0.50)), benchkey.UnitP50Sojourn)
		b.ReportMetric(float64(Percentile(sojourns, 0.99)), benchkey.UnitP99Sojourn)
	}
	per := float64(runs)
	b.ReportMetric(float64(completed)/per, benchkey.UnitCompleted)
	b.ReportMetric(float64(missed)/per, benchkey.UnitDropped)
	b.ReportMetric(float64(peakGs), benchkey.UnitPeakGs)
	b.ReportMetric(float64(peakHeap), benchkey.UnitPeakHeap)
	b.ReportMetric(capacity, benchkey.UnitCapacity)
	b.ReportMetric(rate, benchkey.UnitOffered)
	b.ReportMetric(achieved/per, benchkey.UnitAchieved)
	b.ReportMetric(float64(o.timeout.Nanoseconds()), benchkey.UnitTimeout)
	return nil
}

// A capacity is the pool's measured rate and the per-task results of the
// batch that measured it.
type capacity struct {
	rate float64
	ref  []models.Result
}

// capacities holds the capacity of each workload, parameters and workers
// once measured, so that every model of a run is offered the same rates.
var capacities sync.Map // string -> capacity

// capacityRounds is how many closed-loop batches measure a capacity; the
// fastest counts, as the one least disturbed by the rest of the machine.
const capacityRounds = 3

// poolCapacity returns the requests per second that a pool of the case's
// workers serves on closed-loop batches of r's job, measured on the first
// call for that workload, parameters and workers in this process (after a
// warm-up round, the fastest of capacityRounds batches), and each task's
// result. Every batch's digest must be the sequential one.
func poolCapacity(ctx context.Context, r *Runner) (float64, []models.Result, error) {
	key := fmt.Sprintf("%s/%s/workers=%d/tasks=%d", r.Job.Spec.Workload, strings.Join(r.Job.Spec.Params, "/"), r.Case.Options.Workers, r.Job.N)
	if c, ok := capacities.Load(key); ok {
		return c.(capacity).rate, c.(capacity).ref, nil
	}
	p := models.NewPool(r.Case.Options.Workers)
	defer p.Close()
	job := r.Job
	job.TaskTimes = false
	job.N = min(job.N, p.Workers())
	if _, err := p.Run(ctx, job); err != nil {
		return 0, nil, err
	}
	ref := make([]models.Result, r.Job.N)
	job.N, job.OnResult = r.Job.N, func(i int, res models.Result) { ref[i] = res }
	var best time.Duration
	for range capacityRounds {
		b, err := p.Run(ctx, job)
		if err != nil {
			return 0, nil, fmt.Errorf("capacity of the pool: %w", err)
		}
		if b.Digest != r.Want {
			return 0, nil, fmt.Errorf("capacity of the pool: digest %v, sequential run gave %v", b.Digest, r.Want)
		}
		if best == 0 || b.Wall < best {
			best = b.Wall
		}
	}
	c := capacity{rate: float64(job.N) / best.Seconds(), ref: ref}
	capacities.Store(key, c)
	return c.rate, c.ref, nil
}
