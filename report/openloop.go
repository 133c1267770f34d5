package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/concbench/concbench/benchkey"
)

// GroupOpenLoop is the open-loop benchmark: requests at a fixed rate, a
// percentage of the pool's capacity (benchkey.Load), under each model.
const GroupOpenLoop = "OpenLoop"

// A LoadPoint is one model at one offered load of GroupOpenLoop: the
// medians, over samples, of what each sample reports.
type LoadPoint struct {
	M    *Measurement
	Load int     // percent of the pool's capacity
	P99  Summary // p99 sojourn, ns
	P50  Summary // p50 sojourn, ns
	// Missed is the requests dropped or timed out per run, Offered the
	// requests per run in all (completed and missed).
	Missed, Offered   float64
	PeakGs, PeakHeap  float64 // the largest of the samples' peaks
	Capacity, Timeout float64 // the pool's capacity (requests/s) and the deadline (ns)
}

// A LoadCurve is one model of GroupOpenLoop across offered loads, at one
// workload, knobs and parameter set (the name's Params without load=).
type LoadCurve struct {
	Workload, Model, Params string
	Workers                 int
	Points                  []*LoadPoint // ascending Load
}

// OpenLoopCurves gathers run's GroupOpenLoop results into one curve per
// workload, parameters and model, models in benchkey.ModelOrder. A result
// without load= or without p99-sojourn-ns is left out.
func OpenLoopCurves(run *Run) []*LoadCurve {
	var out []*LoadCurve
	index := map[string]*LoadCurve{}
	for _, m := range run.Benchmarks {
		if m.Group != GroupOpenLoop || len(m.Values[benchkey.UnitP99Sojourn]) == 0 {
			continue
		}
		load, rest, ok := cutLoad(m.Params)
		if !ok {
			continue
		}
		key := m.Workload + "/" + m.Model + "/" + rest
		c := index[key]
		if c == nil {
			c = &LoadCurve{Workload: m.Workload, Model: m.Model, Params: rest, Workers: m.Knobs.Get(benchkey.Workers)}
			index[key] = c
			out = append(out, c)
		}
		missed := median(m.Values[benchkey.UnitDropped])
		c.Points = append(c.Points, &LoadPoint{
			M: m, Load: load,
			P99: Summarize(m.Values[benchkey.UnitP99Sojourn]), P50: Summarize(m.Values[benchkey.UnitP50Sojourn]),
			Missed: missed, Offered: missed + median(m.Values[benchkey.UnitCompleted]),
			PeakGs: largest(m.Values[benchkey.UnitPeakGs]), PeakHeap: largest(m.Values[benchkey.UnitPeakHeap]),
			Capacity: median(m.Values[benchkey.UnitCapacity]), Timeout: median(m.Values[benchkey.UnitTimeout]),
		})
	}
	for _, c := range out {
		slices.SortStableFunc(c.Points, func(x, y *LoadPoint) int { return cmp.Compare(x.Load, y.Load) })
	}
	slices.SortStableFunc(out, func(x, y *LoadCurve) int {
		return cmp.Or(cmp.Compare(x.Workload, y.Workload), cmp.Compare(x.Params, y.Params),
			cmp.Compare(benchkey.ModelRank(x.Model), benchkey.ModelRank(y.Model)))
	})
	return out
}

// cutLoad splits load=N out of a name's params.
func cutLoad(params string) (load int, rest string, ok bool) {
	var kept []string
	for _, kv := range strings.Split(params, "/") {
		if v, found := strings.CutPrefix(kv, benchkey.Load+"="); found {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return 0, "", false
			}
			load, ok = n, true
			continue
		}
		kept = append(kept, kv)
	}
	return load, strings.Join(kept, "/"), ok
}

func median(vs []float64) float64 {
	if len(vs) == 0 {
		return math.NaN()
	}
	return Summarize(vs).Center
}

func largest(vs []float64) float64 {
	if len(vs) == 0 {
		return math.NaN()
	}
	return slices.Max(vs)
}

// at returns c's point at load, nil when it has none.
func (c *LoadCurve) at(load int) *LoadPoint {
	for _, p := range c.Points {
		if p.Load == load {
			return p
		}
	}
	return nil
}

// openLoopWords says, from curves of one workload and parameter set, what
// the pool's bound bought at overload (latency, memory) and what it cost
// below capacity, each against spawn, the unbounded model; "" when the
// curves lack spawn, the pool, or a load above 100% and one below.
func openLoopWords(curves []*LoadCurve) string {
	var spawn, pool *LoadCurve
	var bounded []*LoadCurve
	for _, c := range curves {
		switch c.Model {
		case "spawn":
			spawn = c
		case ModelPool:
			pool = c
			bounded = append(bounded, c)
		default:
			bounded = append(bounded, c)
		}
	}
	if spawn == nil || pool == nil {
		return ""
	}
	over, under := 0, 0 // the highest load above capacity, the highest below
	for _, p := range pool.Points {
		if s := spawn.at(p.Load); s == nil {
			continue
		}
		if p.Load > 100 {
			over = max(over, p.Load)
		} else if p.Load < 100 {
			under = max(under, p.Load)
		}
	}
	if over == 0 || under == 0 {
		return ""
	}
	var b strings.Builder
	ps, pp := spawn.at(over), pool.at(over)
	fmt.Fprintf(&b, "At %d%% of the pool's capacity (%s requests/s offered for %s), ", over, formatValue(pp.Capacity*float64(over)/100), formatValue(pp.Capacity))
	fmt.Fprintf(&b, "spawn, unbounded, answered with a p99 of %s and peaked at %s goroutines and %s of heap, missing %s of %s requests a run; ",
		formatDuration(ps.P99.Center/1e9), formatCount(ps.PeakGs), formatBytes(ps.PeakHeap), formatCount(ps.Missed), formatCount(ps.Offered))
	fmt.Fprintf(&b, "the pool, bounded at %d workers, %s, %s goroutines and %s, missing %s. ",
		pool.Workers, formatDuration(pp.P99.Center/1e9), formatCount(pp.PeakGs), formatBytes(pp.PeakHeap), formatCount(pp.Missed))
	b.WriteString("So at overload the bound bought " + bought(pp, ps) + ". ")
	var cost []string
	for _, p := range pool.Points {
		if s := spawn.at(p.Load); s != nil && p.Load < 100 {
			cost = append(cost, fmt.Sprintf("%d%%: %s×", p.Load, formatValue(p.P99.Center/s.P99.Center)))
		}
	}
	fmt.Fprintf(&b, "Below capacity it cost a p99 of this many times spawn's: %s (above 1 the pool's queue added latency; below, spawn's extra goroutines did). ", strings.Join(cost, ", "))
	var others []string
	for _, c := range bounded {
		if c == pool {
			continue
		}
		if p := c.at(over); p != nil {
			others = append(others, fmt.Sprintf("%s %s (%s missed)", c.Model, formatDuration(p.P99.Center/1e9), formatCount(p.Missed)))
		}
	}
	if len(others) > 0 {
		fmt.Fprintf(&b, "The other bounded models' p99 at %d%%: %s.", over, strings.Join(others, ", "))
	}
	return strings.TrimSpace(b.String())
}

// bought words what the pool's point p gained over spawn's s: its p99,
// heap and goroutines, each only where it is lower.
func bought(p, s *LoadPoint) string {
	var gains, losses []string
	cmpTo := func(what string, mine, theirs float64, format func(float64) string) {
		switch {
		case math.IsNaN(mine) || math.IsNaN(theirs) || theirs <= 0:
		case mine < theirs:
			gains = append(gains, fmt.Sprintf("%s %s× spawn's (%s, not %s)", what, formatValue(mine/theirs), format(mine), format(theirs)))
		case mine > theirs:
			losses = append(losses, fmt.Sprintf("%s %s× spawn's", what, formatValue(mine/theirs)))
		}
	}
	ns := func(v float64) string { return formatDuration(v / 1e9) }
	cmpTo("a p99", p.P99.Center, s.P99.Center, ns)
	cmpTo("a peak heap", p.PeakHeap, s.PeakHeap, formatBytes)
	cmpTo("peak goroutines", p.PeakGs, s.PeakGs, formatCount)
	out := "nothing"
	if len(gains) > 0 {
		out = strings.Join(gains, ", ")
	}
	if len(losses) > 0 {
		out += ", at the price of " + strings.Join(losses, ", ")
	}
	return out
}

// formatCount formats a count: whole numbers as such, a mean over runs
// to three significant digits.
func formatCount(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return formatValue(v)
}
