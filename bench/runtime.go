package bench

import (
	"context"
	"runtime"
	"runtime/metrics"
	"sync/atomic"

	"github.com/concbench/concbench/models"
)

// The runtime/metrics counters a Probe reads. The /cpu/classes ones are
// the runtime's estimates, updated at the end of each GC cycle: their
// ratio over a sample is the GC's share across the cycles that ended in
// it, and 0 when none did.
const (
	metricGCCPU    = "/cpu/classes/gc/total:cpu-seconds"
	metricTotalCPU = "/cpu/classes/total:cpu-seconds"
	metricGCCycles = "/gc/cycles/total:gc-cycles"
)

// A runtimeReading is the runtime's counters at one moment.
type runtimeReading struct {
	gcCPU, totalCPU float64 // seconds
	cycles          uint64
}

func readRuntime() runtimeReading {
	s := [3]metrics.Sample{{Name: metricGCCPU}, {Name: metricTotalCPU}, {Name: metricGCCycles}}
	metrics.Read(s[:])
	var r runtimeReading
	if s[0].Value.Kind() == metrics.KindFloat64 {
		r.gcCPU = s[0].Value.Float64()
	}
	if s[1].Value.Kind() == metrics.KindFloat64 {
		r.totalCPU = s[1].Value.Float64()
	}
	if s[2].Value.Kind() == metrics.KindUint64 {
		r.cycles = s[2].Value.Uint64()
	}
	return r
}

// A Probe measures what the runtime did during one sample: the GC's CPU
// share and cycles, the peak of goroutines and, when asked, the heap
// allocations. Start one with Runner.Probe (or StartProbe for batches
// that no Runner runs) before the sample's first batch, and End it after
// the last. Reading costs a few microseconds, plus a stop of the world
// for the allocation counts (runtime.ReadMemStats, as testing does).
type Probe struct {
	r0   runtimeReading
	mem  bool
	m0   runtime.MemStats
	peak *goroutinePeak // nil: no peak recorded
}

// StartProbe starts a probe that records no goroutine peak; with mem it
// also counts allocations.
func StartProbe(mem bool) *Probe { return startProbe(mem, nil) }

func startProbe(mem bool, peak *goroutinePeak) *Probe {
	p := &Probe{mem: mem, peak: peak}
	if peak != nil {
		peak.reset()
	}
	if mem {
		runtime.ReadMemStats(&p.m0)
	}
	p.r0 = readRuntime()
	return p
}

// End adds what the runtime did since the probe started to t.
func (p *Probe) End(t *Tally) {
	r1 := readRuntime()
	t.Probed = true
	t.GCCPU += max(0, r1.gcCPU-p.r0.gcCPU)
	t.CapacityCPU += max(0, r1.totalCPU-p.r0.totalCPU)
	t.GCCycles += r1.cycles - p.r0.cycles
	if p.peak != nil {
		p.peak.observe()
		t.PeakGoroutines = max(t.PeakGoroutines, p.peak.max.Load())
	}
	if p.mem {
		var m1 runtime.MemStats
		runtime.ReadMemStats(&m1)
		t.MemCounted = true
		t.Mallocs += m1.Mallocs - p.m0.Mallocs
		t.AllocBytes += m1.TotalAlloc - p.m0.TotalAlloc
	}
}

// A goroutinePeak is the most goroutines seen at once since its reset.
// The tasks of a Runner's job observe it, one task in peakEvery, so that
// the peak is seen while a batch is at its widest, at the cost of a
// runtime.NumGoroutine call (tens of nanoseconds) every peakEvery tasks.
type goroutinePeak struct{ max atomic.Int64 }

const peakEvery = 8

func (p *goroutinePeak) reset() { p.max.Store(int64(runtime.NumGoroutine())) }

func (p *goroutinePeak) observe() {
	n := int64(runtime.NumGoroutine())
	for {
		old := p.max.Load()
		if n <= old || p.max.CompareAndSwap(old, n) {
			return
		}
	}
}

// watch returns job with its task, and its first stage if it has stages,
// observing p every peakEvery tasks and at the batch's last task, the
// last to start under a model that starts all at once.
func (p *goroutinePeak) watch(job models.Job) models.Job {
	last := job.N - 1
	if task := job.Task; task != nil {
		job.Task = func(ctx context.Context, i int) (models.Result, error) {
			if i%peakEvery == 0 || i == last {
				p.observe()
			}
			return task(ctx, i)
		}
	}
	if len(job.Stages) > 0 {
		stages := append([]models.Stage(nil), job.Stages...)
		first := stages[0]
		stages[0] = func(ctx context.Context, i int, in any) (any, error) {
			if i%peakEvery == 0 || i == last {
				p.observe()
			}
			return first(ctx, i, in)
		}
		job.Stages = stages
	}
	return job
}
