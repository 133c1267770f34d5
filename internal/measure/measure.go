// Package measure measures workloads and works under models in rounds, and
// turns the measurements into a verdict: which model to use, and why. The
// concbench command and the concbench package's Recommend share it, so a
// work of the user's own gets the same rules and words as a built-in
// workload.
package measure

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

// A Plan says how long to measure each combination: Count samples, each
// of whole batches run back to back until MinTime has passed, at least
// one. The zero value takes one sample of one batch.
type Plan struct {
	Count   int
	MinTime time.Duration
}

// A Measurement is one combination measured: its samples, as many as were
// finished when it stopped.
type Measurement struct {
	Case       bench.Case
	Kind       workloads.Kind
	Params     []string // every workload parameter, key=value, as it ran
	GOMAXPROCS int
	Floor      time.Duration // least batch time that the tasks' latency allows; zero for CPU work
	Samples    []Sample
}

// A Sample is batches run back to back, summed.
type Sample struct {
	Batches   int
	Wall, CPU time.Duration
	Bytes     int64           // input bytes over all the batches
	Latencies []time.Duration // task latencies, sorted, when the workload records them
}

// A Combination is one Case to measure, under a GOMAXPROCS of its own
// (0: as the process has it). Work, when not nil, is the task the Case
// measures, in place of a built-in workload of that name.
type Combination struct {
	Case       bench.Case
	GOMAXPROCS int
	Work       *bench.Work
}

// Progress hears of a measurement as it goes: Start when a set-up
// (setup true) or a sample begins, Step when it has ended. The calls come
// from the goroutine that measures.
type Progress interface {
	Start(m *Measurement, setup bool)
	Step(m *Measurement)
}

// quiet is the Progress that tells no one.
type quiet struct{}

func (quiet) Start(*Measurement, bool) {}
func (quiet) Step(*Measurement)        {}

// All measures the combinations in rounds: first it sets each up
// (the sequential reference run, the model's start-up, an untimed warm-up
// batch), then it takes one sample of each in turn, p.count times, so that
// a burst of load from elsewhere on the machine spreads over all of them
// instead of landing on one. Set-up and warm-up stay out of the numbers,
// as in the benchmarks. It tells mt of each set-up as it starts, and of
// each set-up and sample as it ends; a nil mt tells no one.
//
// Every model and workload is closed before it returns, on every path, so
// that worker goroutines, processes and servers end with the measurement.
// On an error, and on cancellation, it returns what it measured so far
// with the error; a sample cut short keeps its whole batches.
func All(ctx context.Context, combos []Combination, p Plan, mt Progress) (ms []*Measurement, err error) {
	if mt == nil {
		mt = quiet{}
	}
	runners := make([]*bench.Runner, 0, len(combos))
	defer func() {
		for _, r := range runners {
			err = errors.Join(err, r.Close())
		}
	}()
	for _, c := range combos {
		m := &Measurement{Case: c.Case}
		ms = append(ms, m)
		mt.Start(m, true)
		var r *bench.Runner
		err := under(c.GOMAXPROCS, func() error {
			m.GOMAXPROCS = runtime.GOMAXPROCS(0)
			var err error
			if c.Work != nil {
				r, err = bench.SetupWork(ctx, c.Case, *c.Work)
			} else {
				r, err = bench.Setup(ctx, c.Case)
			}
			if err != nil {
				return err
			}
			runners = append(runners, r)
			return r.WarmUp(ctx)
		})
		if err != nil {
			return ms, err
		}
		m.Kind, m.Params, m.Floor = r.Kind, r.Job.Spec.Params, r.Floor
		mt.Step(m)
	}
	for range max(1, p.Count) {
		for i, r := range runners {
			m := ms[i]
			mt.Start(m, false)
			var s Sample
			err := under(combos[i].GOMAXPROCS, func() error {
				for s.Batches == 0 || s.Wall < p.MinTime {
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
			mt.Step(m)
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

func (m *Measurement) add(s Sample) {
	slices.Sort(s.Latencies)
	m.Samples = append(m.Samples, s)
}

// Units of a measurement, as the benchmarks report them.
const (
	UnitNsPerOp    = "ns/op"
	UnitMBps       = "MB/s"
	UnitTasksps    = "tasks/s"
	UnitCPUCores   = "cpu-cores"
	UnitFloorRatio = "floor-ratio"
	UnitP50        = "p50-task-ns"
	UnitP99        = "p99-task-ns"
)

// Units lists the units m has, in the order the benchmarks write them.
func (m *Measurement) Units() []string {
	us := []string{UnitNsPerOp}
	if len(m.Samples) > 0 && m.Samples[0].Bytes > 0 {
		us = append(us, UnitMBps)
	}
	us = append(us, UnitTasksps, UnitCPUCores)
	if m.Floor > 0 {
		us = append(us, UnitFloorRatio)
	}
	if len(m.Samples) > 0 && len(m.Samples[0].Latencies) > 0 {
		us = append(us, UnitP50, UnitP99)
	}
	return us
}

// Value returns one sample's value in unit, as BenchmarkModels computes it.
func (m *Measurement) Value(s Sample, unit string) float64 {
	wall := s.Wall.Seconds()
	switch unit {
	case UnitNsPerOp:
		return float64(s.Wall.Nanoseconds()) / float64(s.Batches)
	case UnitMBps:
		return float64(s.Bytes) / 1e6 / wall
	case UnitTasksps:
		return float64(s.Batches*m.Case.Tasks) / wall
	case UnitCPUCores:
		return s.CPU.Seconds() / wall
	case UnitFloorRatio:
		return wall / float64(s.Batches) / m.Floor.Seconds()
	case UnitP50:
		return float64(bench.Percentile(s.Latencies, 0.50))
	case UnitP99:
		return float64(bench.Percentile(s.Latencies, 0.99))
	}
	return math.NaN()
}

// Values returns m's samples in unit.
func (m *Measurement) Values(unit string) []float64 {
	vs := make([]float64, len(m.Samples))
	for i, s := range m.Samples {
		vs[i] = m.Value(s, unit)
	}
	return vs
}

// Summary returns the median of m's samples in unit, with their spread.
func (m *Measurement) Summary(unit string) report.Summary {
	return report.Summarize(m.Values(unit))
}

// Median returns the median of m's samples in unit.
func (m *Measurement) Median(unit string) float64 { return m.Summary(unit).Center }

// Has reports whether m has values in unit.
func (m *Measurement) Has(unit string) bool {
	return len(m.Samples) > 0 && slices.Contains(m.Units(), unit)
}

// Batches returns the number of batches over all samples.
func (m *Measurement) Batches() int {
	n := 0
	for _, s := range m.Samples {
		n += s.Batches
	}
	return n
}

// Speedup returns m's throughput over base's, in tasks per second: both
// ran the same tasks, as their digests prove, so this is also the ratio of
// bytes per second.
func (m *Measurement) Speedup(base *Measurement) float64 {
	return m.Median(UnitTasksps) / base.Median(UnitTasksps)
}
