package bench

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/internal/sharedstate"
	"github.com/concbench/concbench/models"
)

// A Benchmark is one benchmark of the suite: a sub-benchmark of one of the
// test files' Benchmark functions, its Group. go test -bench ./bench and
// concbench bench run the same Run, so that both write the same lines. The
// zero value has no Run.
type Benchmark struct {
	Group string // the test function, for example "BenchmarkModels"
	Name  string // the sub-benchmark's name, key=value pairs
	// Run is the benchmark's body. ctx bounds its set-up and batches; an
	// error fails the benchmark.
	Run func(ctx context.Context, b *testing.B) error
}

// FullName returns the name go test gives b, without its GOMAXPROCS suffix.
func (b Benchmark) FullName() string { return b.Group + "/" + b.Name }

// Suite lists every benchmark of the package, in the order go test runs
// them (test files in name order). Building it costs microseconds: the
// bodies set up their workloads only when they run.
func Suite(short bool) []Benchmark {
	var s []Benchmark
	// Every benchmark reports B/op and allocs/op, under go test and
	// concbench bench alike.
	add := func(group, name string, run func(context.Context, *testing.B) error) {
		s = append(s, Benchmark{Group: group, Name: name, Run: func(ctx context.Context, b *testing.B) error {
			b.ReportAllocs()
			return run(ctx, b)
		}})
	}
	for _, c := range FootprintCases(short) {
		add("BenchmarkFootprint", c.Name(), c.bench)
	}
	for _, g := range GatherCases() {
		add("BenchmarkGather", g.Name(), g.bench)
	}
	for _, c := range GILSweep(short) {
		add("BenchmarkGIL", c.Name(), c.bench)
	}
	for _, c := range GranularityCases(short) {
		add("BenchmarkGranularity", c.Name(), c.bench)
	}
	for _, c := range Matrix(short) {
		add("BenchmarkModels", c.Name(), c.bench)
	}
	for _, c := range Sweep(short) {
		add("BenchmarkConcurrency", c.Name(), c.bench)
	}
	for _, c := range OpenLoop(short) {
		add("BenchmarkOpenLoop", c.Name(), c.bench)
	}
	for _, e := range models.All {
		add("BenchmarkOverhead", benchkey.Model+"="+e.Name, func(ctx context.Context, b *testing.B) error { return benchOverhead(ctx, b, e) })
	}
	for _, e := range models.All {
		add("BenchmarkStartup", benchkey.Model+"="+e.Name, func(_ context.Context, b *testing.B) error { return benchStartup(b, e) })
	}
	for _, c := range PipelineSweep(short) {
		add("BenchmarkPipeline", c.Name(), c.bench)
	}
	for _, c := range Scaling(short) {
		add("BenchmarkScaling", c.Name(), c.bench)
	}
	for _, c := range SharedStateCases() {
		add("BenchmarkSharedState", c.Name(), c.bench)
	}
	return s
}

// Names lists the full name of every benchmark in Suite, in its order. A
// runner uses it to show progress and to check that every benchmark it
// asked for reported a result.
func Names(short bool) []string {
	var names []string
	for _, b := range Suite(short) {
		names = append(names, b.FullName())
	}
	return names
}

// bench is the body of BenchmarkModels and of every group that measures a
// Case. One op is one batch; MB/s counts input bytes, tasks/s completed
// tasks, and cpu-cores the CPU seconds the process spent per wall second.
// IO workloads also report floor-ratio and their tasks' p50-task-ns and
// p99-task-ns.
func (c Case) bench(ctx context.Context, b *testing.B) error {
	r, err := Setup(ctx, c)
	if err != nil {
		return err
	}
	return r.bench(ctx, b)
}

// skewBase is how long a skewed task waits; every eighth waits ten times
// as long, so tasks finish out of index order. Shorter sleeps are not
// kept on every machine: some round a 100us sleep up to a millisecond.
const skewBase = time.Millisecond

// bench is the body of BenchmarkGather. On no-op tasks, ns/task is the
// dispatch and gathering cost per task. On skewed tasks, delay-ns is the
// mean time from a task's end to the delivery of its result, and first-ns
// the time from the start of the batch to the first delivery: what a
// consumer of ordered results waits.
func (g GatherCase) bench(ctx context.Context, b *testing.B) error {
	n := overheadTasks
	base := time.Now()
	var ends []time.Duration // since base, per task
	task := noop
	if g.Task == "skewed" {
		n = DefaultTasks
		ends = make([]time.Duration, n)
		task = func(ctx context.Context, i int) (models.Result, error) {
			wait := skewBase
			if i%8 == 0 {
				wait *= 10
			}
			time.Sleep(wait)
			ends[i] = time.Since(base)
			return noop(ctx, i)
		}
	}
	want, err := models.Sequential{}.Run(ctx, models.Job{N: n, Task: noop})
	if err != nil {
		return err
	}

	var got models.Digest
	var delay, first, start time.Duration
	delivered := 0
	job := models.Job{N: n, Task: task}
	if g.Gather != "none" {
		job.Order = models.AsCompleted
		if g.Gather == models.InOrder.String() {
			job.Order = models.InOrder
		}
		job.OnResult = func(i int, r models.Result) {
			got.Add(i, r)
			if ends != nil {
				now := time.Since(base)
				if got.Count == 1 {
					first += now - start
				}
				delay += now - ends[i]
				delivered++
			}
		}
	}

	p := models.NewPool(g.Workers)
	defer p.Close()
	run := func() error {
		got, start = models.Digest{}, time.Since(base)
		batch, err := p.Run(ctx, job)
		if err != nil {
			return err
		}
		if batch.Digest != want.Digest || (job.OnResult != nil && got != want.Digest) {
			return fmt.Errorf("batch digest %v, gathered %v, want %v", batch.Digest, got, want.Digest)
		}
		return nil
	}
	// A warm-up batch starts the pool's workers and wakes the scheduler.
	if err := run(); err != nil {
		return err
	}
	delay, first, delivered = 0, 0, 0
	batches := 0
	for b.Loop() {
		if err := run(); err != nil {
			return err
		}
		batches++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(batches*n), "ns/task")
	if delivered > 0 {
		b.ReportMetric(float64(delay.Nanoseconds())/float64(delivered), "delay-ns")
		b.ReportMetric(float64(first.Nanoseconds())/float64(batches), "first-ns")
	}
	return nil
}

// overheadTasks is the batch size of BenchmarkOverhead: large enough that
// per-batch costs (a goroutine for spawn, a semaphore) vanish per task.
// exec, which starts a process per task and has no per-batch cost to
// spread, runs execOverheadTasks, so that one batch takes a fraction of a
// second rather than several.
const (
	overheadTasks     = 1000
	execOverheadTasks = 50
)

// benchOverhead is the body of BenchmarkOverhead: ns/task is the batch time
// divided by its no-op tasks. For process it is the round trip of a task
// index to a worker process and of its result back, with indices sent in
// runs (see models.Process); for exec a process's start and exit.
//
// net-ns/task is that cost less the harness's: after (or, every other
// time, before) each of the model's batches the body runs the same batch
// under sequential, with the timer stopped, and reports the mean of the
// differences per task. Sequential's own ns/task, about 66ns, is what
// every model pays to call a task, put it in its slot, fold it into the
// digest and check the context; the net figure is what choosing the model
// adds, paired batch by batch so that a burst of load lands on both.
func benchOverhead(ctx context.Context, b *testing.B, e models.Entry) error {
	tasks := overheadTasks
	if e.Name == "exec" {
		tasks = execOverheadTasks
	}
	job := models.Job{N: tasks, Task: noop, Spec: NoopSpec}
	seq := models.Sequential{}
	want, err := seq.Run(ctx, job)
	if err != nil {
		return err
	}
	m, err := e.New(DefaultOptions())
	if err != nil {
		return err
	}
	defer CloseModel(m)
	run := func(m models.Model) (time.Duration, error) {
		t0 := time.Now()
		got, err := m.Run(ctx, job)
		took := time.Since(t0)
		if err == nil && got.Digest != want.Digest {
			err = fmt.Errorf("%s: digest %v, want %v", m.Name(), got.Digest, want.Digest)
		}
		return took, err
	}
	reference := func() (time.Duration, error) {
		b.StopTimer()
		defer b.StartTimer()
		return run(seq)
	}
	// No goroutine peak: observing it in the tasks would add to the cost
	// measured here.
	var t Tally
	var probe *Probe
	var net time.Duration
	batches := 0
	for b.Loop() {
		if probe == nil {
			probe = StartProbe(false)
		}
		var dm, ds time.Duration
		var err error
		if batches%2 == 0 {
			if dm, err = run(m); err == nil {
				ds, err = reference()
			}
		} else {
			if ds, err = reference(); err == nil {
				dm, err = run(m)
			}
		}
		if err != nil {
			return err
		}
		net += dm - ds
		batches++
		t.Batches++
	}
	probe.End(&t)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(batches*tasks), benchkey.UnitNsPerTask)
	b.ReportMetric(float64(net.Nanoseconds())/float64(batches*tasks), benchkey.UnitNetNsPerTask)
	for _, u := range []string{benchkey.UnitGCCPUPct, benchkey.UnitGCCycles} {
		b.ReportMetric(t.Value(u, tasks, 0), u)
	}
	return nil
}

// benchStartup is the body of BenchmarkStartup: building a model before its
// first batch, starting worker goroutines or processes, and stopping them.
func benchStartup(b *testing.B, e models.Entry) error {
	for b.Loop() {
		m, err := e.New(DefaultOptions())
		if err != nil {
			return err
		}
		if err := CloseModel(m); err != nil {
			return err
		}
	}
	return nil
}

// sharedKeys is the number of keys the map benchmarks update: update j
// adds one to key j%sharedKeys.
const sharedKeys = 1024

// bench is the body of BenchmarkSharedState: Workers goroutines share b.N
// updates of one counter or map. One op is one update. After the timed
// part, the final counts must be exact or the benchmark fails.
func (c SharedStateCase) bench(_ context.Context, b *testing.B) error {
	s, err := sharedstate.Lookup(c.Sync)
	if err != nil {
		return err
	}
	var (
		counter sharedstate.Counter
		m       sharedstate.Map
	)
	switch c.Structure {
	case "counter":
		counter = s.NewCounter()
		defer counter.Close()
	case "map":
		m = s.NewMap()
		defer m.Close()
	default:
		return fmt.Errorf("structure %q: want counter or map", c.Structure)
	}

	n := b.N
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := range c.Workers {
		lo, hi := w*n/c.Workers, (w+1)*n/c.Workers
		wg.Go(func() {
			if counter != nil {
				for range hi - lo {
					counter.Add(w, 1)
				}
				return
			}
			for j := lo; j < hi; j++ {
				m.Add(w, j%sharedKeys, 1)
			}
		})
	}
	wg.Wait()
	b.StopTimer()

	if counter != nil {
		if got := counter.Total(); got != int64(n) {
			return fmt.Errorf("counter = %d after %d updates", got, n)
		}
		return nil
	}
	return checkCounts(m.Counts(), n)
}

// checkCounts checks that counts holds n updates spread as key j%sharedKeys.
func checkCounts(counts map[int]int64, n int) error {
	keys := min(n, sharedKeys)
	if len(counts) != keys {
		return fmt.Errorf("%d keys after %d updates, want %d", len(counts), n, keys)
	}
	for k, got := range counts {
		want := int64(n / sharedKeys)
		if k < n%sharedKeys {
			want++
		}
		if got != want {
			return fmt.Errorf("key %d counted %d after %d updates, want %d", k, got, n, want)
		}
	}
	return nil
}
