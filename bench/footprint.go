package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/internal/procmem"
	"github.com/concbench/concbench/models"
)

// footprintModels are the models of BenchmarkFootprint, as many of them as
// models.All holds: those that run one goroutine per task, bounded or not,
// the pool with a worker per task, and the models whose tasks run in
// processes of their own, with a process per task.
var footprintModels = []string{"spawn", "semaphore", "errgroup", "conc", "pool", "process", "exec"}

// FootprintSizes lists the tasks held at once: 10^3 to 10^6 for goroutines,
// 4 to 256 for processes; under -short the smallest of each.
func FootprintSizes(remote, short bool) []int {
	sizes := []int{1_000, 10_000, 100_000, 1_000_000}
	if remote {
		sizes = []int{4, 16, 64, 256}
	}
	if short {
		return sizes[:1]
	}
	return sizes
}

// A FootprintCase is one cell of BenchmarkFootprint: Tasks tasks held
// blocked at once under Model, with as many workers as tasks.
type FootprintCase struct {
	Model string
	Tasks int
}

// Name returns the sub-benchmark's name: model=…/<knobs>/tasks=….
func (f FootprintCase) Name() string {
	e, _ := models.Lookup(f.Model)
	parts := append([]string{benchkey.Model + "=" + f.Model}, e.Values(f.options()).Pairs()...)
	return joinName(append(parts, benchkey.Tasks+"="+strconv.Itoa(f.Tasks)))
}

func (f FootprintCase) options() models.Options {
	o := DefaultOptions()
	o.Workers = f.Tasks
	return o
}

func joinName(parts []string) string {
	s := parts[0]
	for _, p := range parts[1:] {
		s += "/" + p
	}
	return s
}

// FootprintCases lists BenchmarkFootprint's cells, model by model.
func FootprintCases(short bool) []FootprintCase {
	var cases []FootprintCase
	for _, e := range models.All {
		if !slices.Contains(footprintModels, e.Name) {
			continue
		}
		for _, n := range FootprintSizes(remote(e), short) {
			cases = append(cases, FootprintCase{Model: e.Name, Tasks: n})
		}
	}
	return cases
}

// A Footprint is what one hold cycle measured, per task held: the memory
// the tasks added, resident (Pss, children included), and the runtime's
// stack and live heap bytes of this process; the time from nothing to
// every task blocked (the model's start-up included, since a pool of N
// workers or N worker processes is part of holding N tasks); and the OS
// threads of this process and its children while they were held. Stack
// and Heap are differences of two readings, which a collection in between
// can make negative when the tasks hold next to nothing: those read as 0.
type Footprint struct {
	RSS, Stack, Heap float64 // bytes per task
	Create           time.Duration
	Threads          int64
}

// bench is the body of BenchmarkFootprint. One op is one hold cycle; an
// untimed first cycle warms the runtime's free lists (a goroutine's
// descriptor is kept and reused after it exits), so that every sample
// measures the same, warm, state. It reports each Footprint field per
// task as the mean over the cycles, and tasks/GiB from rss-B/task.
func (f FootprintCase) bench(ctx context.Context, b *testing.B) error {
	if !remoteName(f.Model) {
		if _, err := HoldCycle(ctx, f.Model, f.Tasks); err != nil {
			return err
		}
	}
	var sum Footprint
	cycles := 0
	for b.Loop() {
		fp, err := HoldCycle(ctx, f.Model, f.Tasks)
		if err != nil {
			return err
		}
		sum.RSS += fp.RSS
		sum.Stack += fp.Stack
		sum.Heap += fp.Heap
		sum.Create += fp.Create
		sum.Threads += fp.Threads
		cycles++
	}
	k := float64(cycles)
	rss := sum.RSS / k
	b.ReportMetric(rss, benchkey.UnitRSSPerTask)
	b.ReportMetric(sum.Stack/k, benchkey.UnitStackPerTask)
	b.ReportMetric(sum.Heap/k, benchkey.UnitHeapPerTask)
	b.ReportMetric(float64(sum.Create.Nanoseconds())/k/float64(f.Tasks), benchkey.UnitCreatePerTask)
	b.ReportMetric(float64(sum.Threads)/k, benchkey.UnitThreads)
	if rss > 0 {
		b.ReportMetric(float64(1<<30)/rss, benchkey.UnitTasksPerGiB)
	}
	return nil
}

func remoteName(model string) bool {
	e, err := models.Lookup(model)
	return err == nil && remote(e)
}

// holdWait bounds the wait for every task to block: far above what a
// million goroutines or 256 processes take to start.
const holdWait = 2 * time.Minute

// HoldCycle holds n tasks blocked at once under model, with n workers,
// and measures them: from a collected, scavenged heap, it builds the
// model, runs a batch of n tasks that each block until released, waits
// until all of them are blocked, collects garbage and reads the memory;
// then it releases them, checks the batch's digest, and stops the model.
// In-process tasks block on a channel. Tasks in worker processes connect
// to a listener on 127.0.0.1 and block reading until the connection is
// closed, which is how this process knows that they are all blocked.
func HoldCycle(ctx context.Context, model string, n int) (Footprint, error) {
	e, err := models.Lookup(model)
	if err != nil {
		return Footprint{}, err
	}
	o := FootprintCase{Model: model, Tasks: n}.options()
	if c := e.Concurrency(o, n); c.InFlight != n {
		return Footprint{}, fmt.Errorf("model %s holds %d tasks at once, not %d: it cannot hold them all blocked", model, c.InFlight, n)
	}
	want, err := reference(ctx, models.Job{N: n, Task: noop, Spec: NoopSpec}, nil)
	if err != nil {
		return Footprint{}, err
	}
	g, err := newGate(n, remote(e))
	if err != nil {
		return Footprint{}, err
	}
	defer g.release()

	debug.FreeOSMemory()
	before, err := readMemory()
	if err != nil {
		return Footprint{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	t0 := time.Now()
	m, err := e.New(o)
	if err != nil {
		return Footprint{}, err
	}
	type outcome struct {
		b   models.Batch
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		b, err := m.Run(ctx, g.job)
		done <- outcome{b, err}
	}()
	finish := func(cause error) error {
		g.release()
		if cause != nil {
			cancel()
		}
		out := <-done
		return errors.Join(cause, out.err, CloseModel(m))
	}
	timer := time.NewTimer(holdWait)
	defer timer.Stop()
	select {
	case <-g.all:
	case out := <-done:
		done <- out
		return Footprint{}, finish(fmt.Errorf("model %s ended its batch before all %d tasks blocked", model, n))
	case <-timer.C:
		return Footprint{}, finish(fmt.Errorf("model %s: %d of %d tasks blocked after %v", model, g.held.Load(), n, holdWait))
	case <-ctx.Done():
		return Footprint{}, finish(ctx.Err())
	}
	create := time.Since(t0)
	runtime.GC()
	held, err := readMemory()
	if err != nil {
		return Footprint{}, finish(err)
	}
	g.release()
	out := <-done
	err = errors.Join(out.err, CloseModel(m))
	if err == nil && out.b.Digest != want {
		err = fmt.Errorf("model %s: digest %v after holding %d tasks, want %v", model, out.b.Digest, n, want)
	}
	if err != nil {
		return Footprint{}, err
	}
	k := float64(n)
	return Footprint{
		RSS:     float64(held.pss-before.pss) / k,
		Stack:   float64(max(0, int64(held.stacks)-int64(before.stacks))) / k,
		Heap:    float64(max(0, int64(held.heap)-int64(before.heap))) / k,
		Create:  create,
		Threads: held.threads,
	}, nil
}

// A memory is one reading of this process's (and its children's) memory.
type memory struct {
	pss, threads int64
	stacks, heap uint64
}

var memoryMetrics = []string{"/memory/classes/heap/stacks:bytes", "/memory/classes/heap/objects:bytes"}

func readMemory() (memory, error) {
	u, err := procmem.Of(os.Getpid())
	if err != nil {
		return memory{}, fmt.Errorf("BenchmarkFootprint reads /proc, which Linux has: %w", err)
	}
	s := make([]metrics.Sample, len(memoryMetrics))
	for i, name := range memoryMetrics {
		s[i].Name = name
	}
	metrics.Read(s)
	return memory{pss: u.Pss, threads: u.Threads, stacks: s[0].Value.Uint64(), heap: s[1].Value.Uint64()}, nil
}

// A gate holds a batch's tasks until it is released, and closes all when
// every one of them is blocked.
type gate struct {
	job     models.Job
	held    atomic.Int64
	all     chan struct{}
	open    chan struct{}
	once    sync.Once
	ln      net.Listener // for tasks in other processes
	mu      sync.Mutex
	conns   []net.Conn
	serving sync.WaitGroup
}

func newGate(n int, remote bool) (*gate, error) {
	g := &gate{all: make(chan struct{}), open: make(chan struct{})}
	g.job = models.Job{N: n, Task: g.hold, Spec: NoopSpec}
	if !remote {
		return g, nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	g.ln = ln
	g.job.Spec = models.Spec{Workload: HoldSpec.Workload, Params: []string{"addr=" + ln.Addr().String()}}
	g.serving.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			g.mu.Lock()
			g.conns = append(g.conns, c)
			g.mu.Unlock()
			g.arrive(n)
		}
	})
	return g, nil
}

func (g *gate) arrive(n int) {
	if g.held.Add(1) == int64(n) {
		close(g.all)
	}
}

// hold is the in-process task: it blocks until the gate opens.
func (g *gate) hold(ctx context.Context, i int) (models.Result, error) {
	g.arrive(g.job.N)
	select {
	case <-g.open:
		return noop(ctx, i)
	case <-ctx.Done():
		return models.Result{}, ctx.Err()
	}
}

// release opens the gate: in-process tasks return, and the connections of
// tasks in other processes close, so that they read their end and return.
func (g *gate) release() {
	g.once.Do(func() {
		close(g.open)
		if g.ln == nil {
			return
		}
		g.ln.Close()
		g.serving.Wait()
		for _, c := range g.conns {
			c.Close()
		}
	})
}

// HoldSpec names the task that a worker process holds for
// BenchmarkFootprint: its one parameter addr=127.0.0.1:PORT is where it
// connects, and it returns once that connection is closed.
var HoldSpec = models.Spec{Workload: "hold"}

// holdTask rebuilds the held task from its parameters, for BuildTask. It
// connects only to the loopback address.
func holdTask(params []string) (models.Task, error) {
	var addr string
	if len(params) == 1 {
		addr, _ = cutKey(params[0], "addr")
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host != "127.0.0.1" {
		return nil, fmt.Errorf("%s: parameters %q: want one addr=127.0.0.1:PORT", HoldSpec.Workload, params)
	}
	return func(ctx context.Context, i int) (models.Result, error) {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return models.Result{}, err
		}
		stop := context.AfterFunc(ctx, func() { c.Close() })
		defer stop()
		_, err = io.Copy(io.Discard, c)
		c.Close()
		if ctx.Err() != nil {
			return models.Result{}, ctx.Err()
		}
		if err != nil {
			return models.Result{}, err
		}
		return noop(ctx, i)
	}, nil
}
