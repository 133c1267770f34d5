package main

import (
	"context"
	"errors"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/report"
	"github.com/concbench/concbench/workloads"
)

// A plan says how long to measure each combination: count samples, each of
// whole batches run back to back until minTime has passed, at least one.
type plan struct {
	count   int
	minTime time.Duration
}

// A measurement is one combination measured: its samples, as many as were
// finished when it stopped.
type measurement struct {
	Case       bench.Case
	Kind       workloads.Kind
	Params     []string // every workload parameter, key=value, as it ran
	GOMAXPROCS int
	Floor      time.Duration // least batch time that the tasks' latency allows; zero for CPU work
	Samples    []sample
}

// A sample is batches run back to back, summed.
type sample struct {
	Batches   int
	Wall, CPU time.Duration
	Bytes     int64           // input bytes over all the batches
	Latencies []time.Duration // task latencies, sorted, when the workload records them
}

// A combination is one Case to measure, under a GOMAXPROCS of its own
// (0: as the process has it).
type combination struct {
	c          bench.Case
	gomaxprocs int
}

// measureAll measures the combinations in rounds: first it sets each up
// (the sequential reference run, the model's start-up, an untimed warm-up
// batch), then it takes one sample of each in turn, p.count times, so that
// a burst of load from elsewhere on the machine spreads over all of them
// instead of landing on one. Set-up and warm-up stay out of the numbers,
// as in the benchmarks. It tells mt of each set-up as it starts, and of
// each set-up and sample as it ends.
//
// Every model and workload is closed before it returns, on every path, so
// that worker goroutines, processes and servers end with the measurement.
// On an error, and on cancellation, it returns what it measured so far
// with the error; a sample cut short keeps its whole batches.
func measureAll(ctx context.Context, combos []combination, p plan, mt *meter) (ms []*measurement, err error) {
	runners := make([]*bench.Runner, 0, len(combos))
	defer func() {
		for _, r := range runners {
			err = errors.Join(err, r.Close())
		}
	}()
	for _, c := range combos {
		m := &measurement{Case: c.c}
		ms = append(ms, m)
		mt.start(m, true)
		var r *bench.Runner
		err := under(c.gomaxprocs, func() error {
			m.GOMAXPROCS = runtime.GOMAXPROCS(0)
			var err error
			if r, err = bench.Setup(ctx, c.c); err != nil {
				return err
			}
			runners = append(runners, r)
			return r.WarmUp(ctx)
		})
		if err != nil {
			return ms, err
		}
		m.Kind, m.Params, m.Floor = r.Workload.Kind(), r.Job.Spec.Params, r.Floor
		mt.step(m)
	}
	for range p.count {
		for i, r := range runners {
			m := ms[i]
			mt.start(m, false)
			var s sample
			err := under(combos[i].gomaxprocs, func() error {
				for s.Batches == 0 || s.Wall < p.minTime {
					b, err := r.Run(ctx)
					if err != nil {
						return err
					}
					s.Batches++
					s.Wall += b.Wall
					s.CPU += b.CPU
					s.Bytes += b.Bytes
					s.Latencies = append(s.Latencies, b.Latencies...)
				}
				return nil
			})
			if s.Batches > 0 {
				m.add(s)
			}
			if err != nil {
				return ms, err
			}
			mt.step(m)
		}
	}
	return ms, nil
}

// under calls f with GOMAXPROCS set to n, and restores it; n = 0 leaves it
// as it is.
func under(n int, f func() error) error {
	if n > 0 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(n))
	}
	return f()
}

func (m *measurement) add(s sample) {
	slices.Sort(s.Latencies)
	m.Samples = append(m.Samples, s)
}

// Units of a measurement, as the benchmarks report them.
const (
	unitNsPerOp    = "ns/op"
	unitMBps       = "MB/s"
	unitTasksps    = "tasks/s"
	unitCPUCores   = "cpu-cores"
	unitFloorRatio = "floor-ratio"
	unitP50        = "p50-task-ns"
	unitP99        = "p99-task-ns"
)

// units lists the units m has, in the order the benchmarks write them.
func (m *measurement) units() []string {
	us := []string{unitNsPerOp}
	if len(m.Samples) > 0 && m.Samples[0].Bytes > 0 {
		us = append(us, unitMBps)
	}
	us = append(us, unitTasksps, unitCPUCores)
	if m.Floor > 0 {
		us = append(us, unitFloorRatio)
	}
	if len(m.Samples) > 0 && len(m.Samples[0].Latencies) > 0 {
		us = append(us, unitP50, unitP99)
	}
	return us
}

// value returns one sample's value in unit, as BenchmarkModels computes it.
func (m *measurement) value(s sample, unit string) float64 {
	wall := s.Wall.Seconds()
	switch unit {
	case unitNsPerOp:
		return float64(s.Wall.Nanoseconds()) / float64(s.Batches)
	case unitMBps:
		return float64(s.Bytes) / 1e6 / wall
	case unitTasksps:
		return float64(s.Batches*m.Case.Tasks) / wall
	case unitCPUCores:
		return s.CPU.Seconds() / wall
	case unitFloorRatio:
		return wall / float64(s.Batches) / m.Floor.Seconds()
	case unitP50:
		return float64(percentile(s.Latencies, 0.50))
	case unitP99:
		return float64(percentile(s.Latencies, 0.99))
	}
	return math.NaN()
}

// values returns m's samples in unit.
func (m *measurement) values(unit string) []float64 {
	vs := make([]float64, len(m.Samples))
	for i, s := range m.Samples {
		vs[i] = m.value(s, unit)
	}
	return vs
}

// summary returns the median of m's samples in unit, with their spread.
func (m *measurement) summary(unit string) report.Summary {
	return report.Summarize(m.values(unit))
}

// median returns the median of m's samples in unit.
func (m *measurement) median(unit string) float64 { return m.summary(unit).Center }

// has reports whether m has values in unit.
func (m *measurement) has(unit string) bool {
	return len(m.Samples) > 0 && slices.Contains(m.units(), unit)
}

// batches returns the number of batches over all samples.
func (m *measurement) batches() int {
	n := 0
	for _, s := range m.Samples {
		n += s.Batches
	}
	return n
}

// speedup returns m's throughput over base's, in tasks per second: both
// ran the same tasks, as their digests prove, so this is also the ratio of
// bytes per second.
func (m *measurement) speedup(base *measurement) float64 {
	return m.median(unitTasksps) / base.median(unitTasksps)
}

// percentile returns the nearest-rank p-quantile of sorted durations, as
// the benchmarks compute it.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	k := int(math.Ceil(float64(len(sorted))*p)) - 1
	return sorted[max(0, min(k, len(sorted)-1))]
}
