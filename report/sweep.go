package report

import (
	"fmt"
	"math"
	"slices"

	"github.com/concbench/concbench/benchkey"
)

// What a sweep varies, as `concbench sweep -over` names it.
const (
	OverWorkers    = benchkey.Workers // the name's workers= key
	OverGOMAXPROCS = "gomaxprocs"     // the name's -N suffix
)

// A Sweep is one workload measured at several values of one setting, under
// one or more models, next to its sequential run: what `concbench sweep`
// writes. Its speedups divide by that one sequential run, whatever
// GOMAXPROCS it ran under.
type Sweep struct {
	Workload string
	Params   string // the name's parameters, such as tasks=64/size=64KiB
	Over     string // OverWorkers or OverGOMAXPROCS
	Kind     string // KindCPU or KindIO, from the sequential run's cpu-cores (KindUnknown without them)
	Unit     string // throughput unit: MB/s, else tasks/s, else op/s
	Base     *Cell  // the sequential run
	Curves   []*SweepCurve

	a *Analysis
}

// A SweepCurve is one model across a sweep.
type SweepCurve struct {
	Model  string
	Points []*SweepPoint // in ascending X
}

// A SweepPoint is one value of the swept setting.
type SweepPoint struct {
	X       int // workers, or GOMAXPROCS
	Cell    *Cell
	Speedup Ratio // throughput over the sequential run's
	// Ideal is the speedup a perfect scheduler would reach: the tasks that
	// can run at once, min(cores, workers, GOMAXPROCS, procs), for CPU-bound
	// work; tasks / ceil(tasks/concurrency), the latency floor, for
	// IO-bound work. Zero when the name does not say enough.
	Ideal float64
}

// ReadSweep gathers the sweep over over from run: every result of one
// workload and parameter set, the model=sequential one as the baseline. It
// fails when run holds more than one workload or parameter set, has no
// sequential run, or nothing else.
func ReadSweep(run *Run, over string) (*Sweep, error) {
	if over != OverWorkers && over != OverGOMAXPROCS {
		return nil, fmt.Errorf("sweep over %q: want %s or %s", over, OverWorkers, OverGOMAXPROCS)
	}
	a := &Analysis{Run: run, Cores: run.Cores()}
	s := &Sweep{Over: over, a: a}
	var base *Measurement
	for _, m := range run.Benchmarks {
		if s.Workload == "" {
			s.Workload, s.Params = m.Workload, m.Params
		}
		if m.Workload != s.Workload || m.Params != s.Params {
			return nil, fmt.Errorf("%s: %s holds %s and %s; a sweep shows one workload and parameter set", run.File, m.Pos, s.name(), m.Workload+"/"+m.Params)
		}
		if m.Model == ModelSequential && base == nil {
			base = m
		}
	}
	if base == nil {
		return nil, fmt.Errorf("%s: no model=%s result to divide by", run.File, ModelSequential)
	}
	s.Unit = throughputUnit(base)
	if s.Base = a.cell(base, s.Unit); s.Base == nil {
		return nil, fmt.Errorf("%s: %s: no %s", run.File, base.Pos, s.Unit)
	}
	s.Kind = Classify(s.Base.CPU, s.Base.HasCPU)
	for _, m := range run.Benchmarks {
		if m.Model == ModelSequential {
			continue
		}
		c := a.cell(m, s.Unit)
		if c == nil {
			return nil, fmt.Errorf("%s: %s: no %s", run.File, m.Pos, s.Unit)
		}
		i := slices.IndexFunc(s.Curves, func(c *SweepCurve) bool { return c.Model == m.Model })
		if i < 0 {
			s.Curves = append(s.Curves, &SweepCurve{Model: m.Model})
			i = len(s.Curves) - 1
		}
		s.Curves[i].Points = append(s.Curves[i].Points, &SweepPoint{
			X:       s.x(m),
			Cell:    c,
			Speedup: Divide(c.Throughput, s.Base.Throughput),
			Ideal:   s.ideal(m),
		})
	}
	if len(s.Curves) == 0 {
		return nil, fmt.Errorf("%s: only the sequential run; nothing was swept", run.File)
	}
	for _, c := range s.Curves {
		slices.SortStableFunc(c.Points, func(p, q *SweepPoint) int { return p.X - q.X })
	}
	slices.SortStableFunc(s.Curves, func(p, q *SweepCurve) int {
		return benchkey.ModelRank(p.Model) - benchkey.ModelRank(q.Model)
	})
	return s, nil
}

func (s *Sweep) name() string { return s.Workload + "/" + s.Params }

// x returns m's value of the swept setting.
func (s *Sweep) x(m *Measurement) int {
	if s.Over == OverGOMAXPROCS {
		return m.GOMAXPROCS
	}
	return max(m.Knobs.Get(benchkey.Workers), 1)
}

// ideal returns the speedup that m's settings allow at best (see
// SweepPoint.Ideal).
func (s *Sweep) ideal(m *Measurement) float64 {
	tasks := paramInt(m.Params, benchkey.Tasks)
	if tasks == 0 {
		return 0
	}
	c := m.Concurrency()
	switch s.Kind {
	case KindCPU:
		return float64(Parallelism(s.a.Cores, c.Runnable, m.GOMAXPROCS))
	case KindIO:
		return float64(tasks) / math.Ceil(float64(tasks)/float64(c.InFlight))
	}
	return 0
}
