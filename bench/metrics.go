package bench

import (
	"math"
	"slices"
	"time"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/models"
)

// A Tally sums batches run back to back. The metrics of the benchmarks
// (BenchmarkModels, Compare) and of the concbench runner are all computed
// from one, by Units and Value, so that both compute them alike. The zero
// value is an empty tally, ready to Add to.
type Tally struct {
	Batches   int
	Wall, CPU time.Duration
	Bytes     int64           // input bytes over all the batches
	ServerCPU time.Duration   // CPU time of the servers in a process of their own
	Latencies []time.Duration // task service times, when the job records them
	Sojourns  []time.Duration // task sojourn times, when the job records them

	// What the runtime did, added by Probe.End; Probed says whether a
	// probe ended into the tally.
	Probed         bool
	GCCPU          float64 // seconds of GC CPU (runtime/metrics' estimate)
	CapacityCPU    float64 // GOMAXPROCS × wall seconds, as the runtime counts it
	GCCycles       uint64
	PeakGoroutines int64 // 0 when not recorded

	// Heap allocations, when the probe counted them (MemCounted).
	MemCounted          bool
	Mallocs, AllocBytes uint64
}

// Add counts one batch.
func (t *Tally) Add(b models.Batch) {
	t.Batches++
	t.Wall += b.Wall
	t.CPU += b.CPU
	t.Bytes += b.Bytes
	t.ServerCPU += b.ServerCPU
	t.Latencies = append(t.Latencies, b.Latencies...)
	t.Sojourns = append(t.Sojourns, b.Sojourns...)
}

// Units lists the units that t has values in, in the order the benchmarks
// write them: ns/op; MB/s when the tasks counted bytes; tasks/s and
// cpu-cores; server-cpu-cores when the servers ran in a process of their
// own (and used any CPU); floor-ratio when the batches have a latency
// floor; when task times were recorded, cpu-us/task and the service and
// sojourn percentiles; gc-cpu-pct, gc-cycles/op and peak-goroutines (when
// recorded) once a Probe has ended into t; B/op and allocs/op when it
// counted allocations (testing writes its own after these).
func (t Tally) Units(floor time.Duration) []string {
	us := []string{benchkey.UnitNsPerOp}
	if t.Bytes > 0 {
		us = append(us, benchkey.UnitMBps)
	}
	us = append(us, benchkey.UnitTasksps, benchkey.UnitCPUCores)
	if t.ServerCPU > 0 {
		us = append(us, benchkey.UnitServerCPUCores)
	}
	if floor > 0 {
		us = append(us, benchkey.UnitFloorRatio)
	}
	if len(t.Latencies) > 0 {
		us = append(us, benchkey.UnitCPUPerTask, benchkey.UnitP50, benchkey.UnitP99)
	}
	if len(t.Sojourns) > 0 {
		us = append(us, benchkey.UnitP50Sojourn, benchkey.UnitP99Sojourn, benchkey.UnitP999Sojourn)
	}
	if t.Probed {
		us = append(us, benchkey.UnitGCCPUPct, benchkey.UnitGCCycles)
		if t.PeakGoroutines > 0 {
			us = append(us, benchkey.UnitPeakGs)
		}
	}
	if t.MemCounted {
		us = append(us, benchkey.UnitBPerOp, benchkey.UnitAllocsPerOp)
	}
	return us
}

// Value returns t's value in unit, for batches of tasks tasks whose
// latency floor is floor: ns/op is one batch's wall time, cpu-cores the
// CPU seconds per wall second, cpu-us/task the CPU microseconds per task,
// floor-ratio a batch's time over the floor, gc-cpu-pct the GC's CPU over
// the CPU that GOMAXPROCS allowed (0 when no GC cycle ended in the sample).
// It is NaN for a unit not in Units. It sorts t.Latencies and t.Sojourns
// in place.
func (t Tally) Value(unit string, tasks int, floor time.Duration) float64 {
	wall := t.Wall.Seconds()
	switch unit {
	case benchkey.UnitNsPerOp:
		return float64(t.Wall.Nanoseconds()) / float64(t.Batches)
	case benchkey.UnitMBps:
		return float64(t.Bytes) / 1e6 / wall
	case benchkey.UnitTasksps:
		return float64(t.Batches*tasks) / wall
	case benchkey.UnitCPUCores:
		return t.CPU.Seconds() / wall
	case benchkey.UnitServerCPUCores:
		if t.ServerCPU > 0 {
			return t.ServerCPU.Seconds() / wall
		}
	case benchkey.UnitCPUPerTask:
		if t.Batches > 0 && tasks > 0 {
			return t.CPU.Seconds() * 1e6 / float64(t.Batches*tasks)
		}
	case benchkey.UnitFloorRatio:
		if floor > 0 {
			return wall / float64(t.Batches) / floor.Seconds()
		}
	case benchkey.UnitP50, benchkey.UnitP99:
		if len(t.Latencies) == 0 {
			break
		}
		if !slices.IsSorted(t.Latencies) {
			slices.Sort(t.Latencies)
		}
		p := 0.50
		if unit == benchkey.UnitP99 {
			p = 0.99
		}
		return float64(Percentile(t.Latencies, p))
	case benchkey.UnitP50Sojourn, benchkey.UnitP99Sojourn, benchkey.UnitP999Sojourn:
		if len(t.Sojourns) == 0 {
			break
		}
		if !slices.IsSorted(t.Sojourns) {
			slices.Sort(t.Sojourns)
		}
		p := map[string]float64{benchkey.UnitP50Sojourn: 0.50, benchkey.UnitP99Sojourn: 0.99, benchkey.UnitP999Sojourn: 0.999}[unit]
		return float64(Percentile(t.Sojourns, p))
	case benchkey.UnitGCCPUPct:
		if !t.Probed {
			break
		}
		if t.CapacityCPU <= 0 {
			return 0 // no GC cycle ended in the sample
		}
		return 100 * t.GCCPU / t.CapacityCPU
	case benchkey.UnitGCCycles:
		if t.Probed {
			return float64(t.GCCycles) / float64(t.Batches)
		}
	case benchkey.UnitPeakGs:
		if t.PeakGoroutines > 0 {
			return float64(t.PeakGoroutines)
		}
	case benchkey.UnitBPerOp:
		if t.MemCounted {
			return float64(t.AllocBytes) / float64(t.Batches)
		}
	case benchkey.UnitAllocsPerOp:
		if t.MemCounted {
			return float64(t.Mallocs) / float64(t.Batches)
		}
	}
	return math.NaN()
}

// Percentile returns the nearest-rank p-quantile of sorted durations: the
// smallest value that at least a fraction p of them do not exceed; zero
// for none.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := int(math.Ceil(float64(len(sorted))*p)) - 1
	return sorted[max(0, min(k, len(sorted)-1))]
}
