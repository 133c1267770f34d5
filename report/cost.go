package report

import (
	"cmp"
	"math"
	"slices"

	"github.com/concbench/concbench/benchkey"
)

// The groups of the cost benchmarks.
const (
	GroupGranularity = "Granularity" // spin tasks of each length under every model
	GroupFootprint   = "Footprint"   // N tasks held blocked at once
)

// The break-even rule of BenchmarkGranularity: a model pays for tasks of
// a length when its paired speedup's 95% interval starts at PaysFrom or
// above, and comes near the ideal when its median speedup reaches
// NearIdeal of it. Both hold from the smallest such length on: at every
// longer task measured, too, so that one lucky point among losses is not
// taken for a break-even.
const (
	PaysFrom  = 1.0
	NearIdeal = 0.9
)

// A GrainPoint is one model at one task length.
type GrainPoint struct {
	M        *Measurement
	TaskTime float64 // seconds per task, from the sequential run of the same batch
	Speedup  Ratio   // paired, over that run
	Ideal    int     // the tasks that can compute at once: min(cores, workers, procs)
}

// A GrainCurve is one model across BenchmarkGranularity's task lengths,
// in ascending TaskTime, with its break-even points in seconds per task;
// a zero point was not reached at any length measured.
type GrainCurve struct {
	Model  string
	Points []GrainPoint
	Pays   float64 // the shortest task from which the speedup's interval starts at PaysFrom
	Near   float64 // the shortest from which the median speedup reaches NearIdeal × Ideal
	CI     bool    // every point's interval is a 95% CI (else the samples' spread)
}

// BreakEven returns the break-even points of points, which must be in
// ascending TaskTime: the shortest task from which on every point's
// speedup interval starts at PaysFrom or above, and the shortest from
// which on every median reaches NearIdeal of its ideal; 0 when the
// longest task does not.
func BreakEven(points []GrainPoint) (pays, near float64) {
	for i := len(points) - 1; i >= 0 && points[i].Speedup.Lo >= PaysFrom; i-- {
		pays = points[i].TaskTime
	}
	for i := len(points) - 1; i >= 0 && points[i].Speedup.Center >= NearIdeal*float64(points[i].Ideal); i-- {
		near = points[i].TaskTime
	}
	return pays, near
}

// granularity gathers BenchmarkGranularity by model, in the order of a's
// models; each point divides by the sequential run of its batch.
func (a *Analysis) granularity() []*GrainCurve {
	index := map[string]*GrainCurve{}
	for _, m := range a.Run.Benchmarks {
		if m.Group != GroupGranularity || m.Model == ModelSequential {
			continue
		}
		base := a.baseline(m)
		tasks := paramInt(m.Params, benchkey.Tasks)
		if base == nil || base.Group != GroupGranularity || tasks < 1 {
			continue
		}
		ref, ns := throughputValues(base, UnitOpsps), base.Values[UnitNsPerOp]
		r := PairedRatio(throughputValues(m, UnitOpsps), ref)
		if math.IsNaN(r.Center) || len(ns) == 0 {
			continue
		}
		c := index[m.Model]
		if c == nil {
			c = &GrainCurve{Model: m.Model, CI: true}
			index[m.Model] = c
		}
		c.CI = c.CI && r.CI
		c.Points = append(c.Points, GrainPoint{
			M: m, TaskTime: Summarize(ns).Center / 1e9 / float64(tasks), Speedup: r,
			Ideal: Parallelism(a.Cores, m.Concurrency().Runnable, 0),
		})
	}
	var out []*GrainCurve
	for _, name := range a.Models {
		if c := index[name]; c != nil {
			slices.SortStableFunc(c.Points, func(x, y GrainPoint) int { return cmp.Compare(x.TaskTime, y.TaskTime) })
			c.Pays, c.Near = BreakEven(c.Points)
			out = append(out, c)
		}
	}
	return out
}

// A Hold is one model holding some number of tasks blocked at once, from
// BenchmarkFootprint: per task, the memory they added (RSS: Pss,
// children's included) with the runtime's split of this process's share,
// the time to start them, and the OS threads while they waited.
type Hold struct {
	M                        *Measurement
	Tasks                    int
	RSS, Stack, Heap, Create Summary // bytes, bytes, bytes, ns per task
	Threads                  Summary
}

// A Footprint is one model's holds, in ascending Tasks.
type Footprint struct {
	Model string
	Holds []*Hold
}

// footprints gathers BenchmarkFootprint by model, in the order of a's
// models.
func (a *Analysis) footprints() []*Footprint {
	index := map[string]*Footprint{}
	for _, m := range a.Run.Benchmarks {
		rss := m.Values[benchkey.UnitRSSPerTask]
		tasks := paramInt(m.Params, benchkey.Tasks)
		if m.Group != GroupFootprint || len(rss) == 0 || tasks < 1 {
			continue
		}
		f := index[m.Model]
		if f == nil {
			f = &Footprint{Model: m.Model}
			index[m.Model] = f
		}
		h := &Hold{M: m, Tasks: tasks, RSS: Summarize(rss)}
		for _, u := range []struct {
			s    *Summary
			unit string
		}{{&h.Stack, benchkey.UnitStackPerTask}, {&h.Heap, benchkey.UnitHeapPerTask}, {&h.Create, benchkey.UnitCreatePerTask}, {&h.Threads, benchkey.UnitThreads}} {
			if v := m.Values[u.unit]; len(v) > 0 {
				*u.s = Summarize(v)
			}
		}
		f.Holds = append(f.Holds, h)
	}
	var out []*Footprint
	for _, name := range a.Models {
		if f := index[name]; f != nil {
			slices.SortStableFunc(f.Holds, func(x, y *Hold) int { return cmp.Compare(x.Tasks, y.Tasks) })
			out = append(out, f)
		}
	}
	return out
}
