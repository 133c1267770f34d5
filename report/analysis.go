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

// Benchmark groups that the report reads, by their names without
// "Benchmark". Any other group still gets a table of its measurements.
const (
	GroupModels      = "Models"      // every workload under every model at its defaults
	GroupScaling     = "Scaling"     // CPU workloads: the pool's workers ladder and pinned's GOMAXPROCS ladder
	GroupConcurrency = "Concurrency" // IO workloads: a sweep over workers
	GroupOverhead    = "Overhead"    // ns/task on tasks that do nothing
)

// Models with a meaning to the report.
const (
	ModelSequential = benchkey.Sequential // the baseline of every speedup
	ModelPool       = "pool"              // the speedup-vs-workers curve
	ModelPinned     = "pinned"            // the GOMAXPROCS curve
)

// Units with a meaning to the report, as benchmarks write them.
const (
	UnitMBps         = benchkey.UnitMBps
	UnitTasksps      = benchkey.UnitTasksps
	UnitOpsps        = benchkey.UnitOpsps
	UnitNsPerOp      = benchkey.UnitNsPerOp
	UnitCPUCores     = benchkey.UnitCPUCores
	UnitNsPerTask    = benchkey.UnitNsPerTask
	UnitNetNsPerTask = benchkey.UnitNetNsPerTask
	UnitFloorRatio   = benchkey.UnitFloorRatio
	UnitGCCPUPct     = benchkey.UnitGCCPUPct
	// UnitTimerOvershoot is how late timers fire at the latency: the
	// timer-adjusted floor adds it to each wait.
	UnitTimerOvershoot = benchkey.UnitTimerOvershoot
	// UnitCPUPerTask is the client's CPU per task, the cost the IO
	// decision guide names.
	UnitCPUPerTask = benchkey.UnitCPUPerTask
)

// An Analysis holds a run's statistics: everything its page and charts
// show. Slices keep the order of the results file.
type Analysis struct {
	Run    *Run
	Cores  int
	Models []string // every model named in the run, in benchkey.ModelOrder, unknown ones after in order of appearance

	// Workloads holds the main matrix (GroupModels), one entry per
	// workload and parameter set.
	Workloads []*Workload
	// Scaling holds the pool's speedup at each workers count, Pinned the
	// pinned model's at each GOMAXPROCS, one curve per workload.
	Scaling, Pinned []*Curve
	// IO holds tasks/s at each concurrency of GroupConcurrency, one curve
	// per workload and model.
	IO []*Curve
	// Overhead holds the dispatch cost per task of each model.
	Overhead []*Cost
	// Granularity holds each model's speedup by task length, with its
	// break-even points (GroupGranularity); Footprints the memory per
	// task each model held blocked (GroupFootprint).
	Granularity []*GrainCurve
	Footprints  []*Footprint
	// Python sets the Python harness's models (GroupPython) beside the
	// main matrix, or says why the run has none. Never nil.
	Python *PyAnalysis
}

// A Workload is one workload of the main matrix under every model, at one
// parameter set and GOMAXPROCS.
type Workload struct {
	Name       string
	Params     string
	GOMAXPROCS int
	Kind       string // KindCPU, KindIO or KindUnknown, from the sequential run's cpu-cores
	// Unit is the throughput unit of its cells: MB/s, else tasks/s, else
	// op/s from ns/op.
	Unit       string
	Sequential *Cell // nil when the run has no sequential model for it
	Cells      []*Cell
	// Verdict is the verdict rule's answer (Decide) for this workload,
	// over the models that ran it with as many tasks in flight as most
	// of them: for waiting work a comparison is fair only at equal
	// concurrency. Choice is the cell of Verdict.Choice, nil when the
	// verdict is unresolved. Apart lists the cells left out of the
	// contest for their concurrency (spawn, at a whole batch).
	Verdict Verdict
	Choice  *Cell
	Apart   []*Cell
	// TaskTime is the sequential run's time per task in seconds, or 0
	// when the name does not give the batch's tasks.
	TaskTime float64
}

// A Cell is one benchmark with the statistics the report derives from it.
type Cell struct {
	M          *Measurement
	Throughput Summary // in the workload's unit
	samples    []float64
	// Speedup is the paired speedup (PairedRatio) over the sequential
	// model's samples for the same workload and parameters, from ns/op,
	// the clock every metric of a sample shares; its Center is NaN when
	// there is no sequential run.
	Speedup    Ratio
	P          int     // Parallelism: how many tasks can run at once
	Efficiency float64 // Speedup / P
	// Shortfall splits Speedup into cores kept busy and CPU per task,
	// when both runs report cpu-cores; HasShortfall says whether it does.
	Shortfall    Shortfall
	HasShortfall bool
	CPU          Summary // cpu-cores
	HasCPU       bool
	// Floor is the throughput the latency floor allows (throughput ×
	// floor-ratio) for IO benchmarks that report a floor-ratio.
	Floor    Summary
	HasFloor bool
	// TimerFloor is the throughput the floor allows once each wait
	// fires as late as the benchmark measured its timers to
	// (timer-overshoot-ns): N/C rounds of L + overshoot rather than L.
	TimerFloor    Summary
	HasTimerFloor bool
}

// A Cost is one model's dispatch cost per task, from BenchmarkOverhead.
type Cost struct {
	M       *Measurement
	PerTask Summary // ns/task, the harness's own cost included
	// Net is net-ns/task: PerTask less sequential's, paired batch by
	// batch, what choosing the model adds; HasNet says whether the run
	// reported it (runs before it was measured did not).
	Net    Summary
	HasNet bool
}

// Cost returns the figure the report ranks and charts: the net cost when
// the run has it, else the gross one.
func (c *Cost) Cost() Summary {
	if c.HasNet {
		return c.Net
	}
	return c.PerTask
}

// X returns the cell's place on a sweep: the tasks it can have in flight
// (Bench.Concurrency). The pinned model's GOMAXPROCS sweep keeps procs =
// workers, so its X is its GOMAXPROCS too.
func (c *Cell) X() int { return c.M.Concurrency().InFlight }

// A Curve is one workload (and model) across a sweep.
type Curve struct {
	Workload string
	Model    string
	Kind     string
	Unit     string
	Points   []*Cell // in ascending X
}

// Analyze computes the statistics of run.
func Analyze(run *Run) *Analysis {
	a := &Analysis{Run: run, Cores: run.Cores()}
	seen := map[string]bool{}
	for _, m := range run.Benchmarks {
		if m.Model != "" && !seen[m.Model] {
			seen[m.Model] = true
			a.Models = append(a.Models, m.Model)
		}
	}
	byModel := func(x, y string) int { return cmp.Compare(benchkey.ModelRank(x), benchkey.ModelRank(y)) }
	slices.SortStableFunc(a.Models, byModel)
	a.Workloads = a.workloads()
	kinds := map[string]string{}
	for _, w := range a.Workloads {
		kinds[w.Name] = w.Kind
	}
	a.Scaling = a.curves(GroupScaling, func(m *Measurement) bool { return m.Model == ModelPool }, kinds, "")
	a.Pinned = a.curves(GroupScaling, func(m *Measurement) bool { return m.Model == ModelPinned }, kinds, "")
	// Waiting work is counted in tasks, whatever bytes it moves.
	a.IO = a.curves(GroupConcurrency, func(*Measurement) bool { return true }, kinds, UnitTasksps)
	// One workload's curves together, in model order.
	first := map[string]int{}
	for i, c := range a.IO {
		if _, ok := first[c.Workload]; !ok {
			first[c.Workload] = i
		}
	}
	slices.SortStableFunc(a.IO, func(x, y *Curve) int {
		return cmp.Or(cmp.Compare(first[x.Workload], first[y.Workload]), byModel(x.Model, y.Model))
	})
	a.Python = analyzePython(a)
	a.Granularity = a.granularity()
	a.Footprints = a.footprints()
	for _, m := range run.Benchmarks {
		if m.Group == GroupOverhead {
			if v := m.Values[UnitNsPerTask]; len(v) > 0 {
				c := &Cost{M: m, PerTask: Summarize(v)}
				if net := m.Values[UnitNetNsPerTask]; len(net) > 0 {
					c.Net, c.HasNet = Summarize(net), true
				}
				a.Overhead = append(a.Overhead, c)
			}
		}
	}
	return a
}

// workloads gathers the main matrix by workload.
func (a *Analysis) workloads() []*Workload {
	type key struct {
		name, params string
		gomaxprocs   int
	}
	var out []*Workload
	index := map[key]*Workload{}
	for _, m := range a.Run.Benchmarks {
		if m.Group != GroupModels || m.Workload == "" {
			continue
		}
		k := key{m.Workload, m.Params, m.GOMAXPROCS}
		w := index[k]
		if w == nil {
			w = &Workload{Name: m.Workload, Params: m.Params, GOMAXPROCS: m.GOMAXPROCS}
			index[k] = w
			out = append(out, w)
		}
		if base := a.baseline(m); base != nil {
			w.Unit = throughputUnit(base)
		} else if w.Unit == "" {
			w.Unit = throughputUnit(m)
		}
		if c := a.cell(m, w.Unit); c != nil {
			w.Cells = append(w.Cells, c)
			if m.Model == ModelSequential {
				w.Sequential = c
			}
		}
	}
	for _, w := range out {
		slices.SortStableFunc(w.Cells, func(x, y *Cell) int {
			return cmp.Compare(benchkey.ModelRank(x.M.Model), benchkey.ModelRank(y.M.Model))
		})
		w.Kind = KindUnknown
		if s := w.Sequential; s != nil {
			w.Kind = Classify(s.CPU, s.HasCPU)
			if tasks := paramInt(w.Params, benchkey.Tasks); tasks > 0 {
				if ns := s.M.Values[UnitNsPerOp]; len(ns) > 0 {
					w.TaskTime = Summarize(ns).Center / 1e9 / float64(tasks)
				}
			}
		}
	}
	decide(out, a.Run.Unresolved)
	return out
}

// decide gives every workload its verdict, from one call of Decide so
// that Holm's correction spans the page. A workload listed in
// unresolved, whose paired interval the adaptive rounds could not
// narrow to the target, gets none.
func decide(ws []*Workload, unresolved []string) {
	contests := make([]Contest, len(ws))
	for i, w := range ws {
		contests[i] = Contest{Workload: w.Name}
		if w.Sequential == nil {
			continue
		}
		contests[i].Reference = throughputValues(w.Sequential.M, UnitOpsps)
		in := usualX(w)
		for _, c := range w.Cells {
			switch {
			case c == w.Sequential:
			case w.Kind == KindIO && c.X() != in:
				w.Apart = append(w.Apart, c)
			default:
				contests[i].Candidates = append(contests[i].Candidates,
					Candidate{Model: c.M.Model, Samples: throughputValues(c.M, UnitOpsps)})
			}
		}
	}
	for i, v := range Decide(contests) {
		w := ws[i]
		if v.Resolved && slices.Contains(unresolved, w.Name) {
			v.Resolved = false
			v.Reason = fmt.Sprintf("unresolved: more rounds did not narrow the paired speedup's interval to ±%.0f%% within the time allowed (%s)", 100*TargetHalfWidth, v.Speedup)
		}
		w.Verdict = v
		for _, c := range w.Cells {
			if v.Resolved && c.M.Model == v.Choice {
				w.Choice = c
			}
		}
	}
}

// Fastest returns the cell other than sequential with the highest median
// speedup, or nil: what a run shows even when it gives no verdict.
func (w *Workload) Fastest() *Cell {
	var f *Cell
	for _, c := range w.Cells {
		if c != w.Sequential && !math.IsNaN(c.Speedup.Center) && (f == nil || c.Speedup.Center > f.Speedup.Center) {
			f = c
		}
	}
	return f
}

// usualX is the number of tasks in flight that most of w's concurrent
// cells share.
func usualX(w *Workload) int {
	var xs []int
	for _, c := range w.Cells {
		if c != w.Sequential {
			xs = append(xs, c.X())
		}
	}
	return Usual(xs)
}

// Usual returns the value that most of xs share, the smaller of two as
// common, or 0 for none: the tasks in flight at which waiting work is
// compared like for like.
func Usual(xs []int) int {
	count := map[int]int{}
	best := 0
	for _, x := range xs {
		count[x]++
		if count[x] > count[best] || (count[x] == count[best] && x < best) {
			best = x
		}
	}
	return best
}

// curves gathers one group's sweeps by workload and model, in the unit
// prefer where the benchmarks report it, else in the baseline's.
func (a *Analysis) curves(group string, keep func(*Measurement) bool, kinds map[string]string, prefer string) []*Curve {
	type key struct {
		workload, model, params string
		gomaxprocs              int
	}
	var out []*Curve
	index := map[key]*Curve{}
	for _, m := range a.Run.Benchmarks {
		if m.Group != group || m.Workload == "" || !keep(m) {
			continue
		}
		k := key{m.Workload, m.Model, m.Params, m.GOMAXPROCS}
		c := index[k]
		if c == nil {
			unit := throughputUnit(m)
			if base := a.baseline(m); base != nil {
				unit = throughputUnit(base)
			}
			if prefer != "" && len(m.Values[prefer]) > 0 {
				unit = prefer
			}
			c = &Curve{Workload: m.Workload, Model: m.Model, Kind: kinds[m.Workload], Unit: unit}
			index[k] = c
			out = append(out, c)
		}
		if cell := a.cell(m, c.Unit); cell != nil {
			c.Points = append(c.Points, cell)
		}
	}
	for _, c := range out {
		sortCells(c.Points)
	}
	return out
}

func sortCells(cells []*Cell) {
	slices.SortStableFunc(cells, func(a, b *Cell) int { return cmp.Compare(a.X(), b.X()) })
}

// cell derives a Cell from m, with throughput in unit; nil when m lacks it.
func (a *Analysis) cell(m *Measurement, unit string) *Cell {
	v := throughputValues(m, unit)
	if len(v) == 0 {
		return nil
	}
	c := &Cell{M: m, Throughput: Summarize(v)}
	c.Speedup = Ratio{Center: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	if cpu := m.Values[UnitCPUCores]; len(cpu) > 0 {
		c.CPU, c.HasCPU = Summarize(cpu), true
	}
	if fr := m.Values[UnitFloorRatio]; len(fr) > 0 {
		// The floor-ratio multiplies each sample's throughput: the rate
		// the batch would have reached at its latency floor.
		floor := make([]float64, 0, len(v))
		for i := range min(len(v), len(fr)) {
			floor = append(floor, v[i]*fr[i])
		}
		c.Floor, c.HasFloor = Summarize(floor), true
		if adj := timerFloor(m, floor); len(adj) > 0 {
			c.TimerFloor, c.HasTimerFloor = Summarize(adj), true
		}
	}
	// An efficiency divides by every goroutine that can compute at once.
	c.P = Parallelism(a.Cores, m.Concurrency().Runnable, 0)
	if base := a.baseline(m); base != nil {
		if bv := throughputValues(base, UnitOpsps); len(bv) > 0 {
			c.Speedup = PairedRatio(throughputValues(m, UnitOpsps), bv)
			c.Efficiency = Efficiency(c.Speedup.Center, c.P)
		}
		c.Shortfall, c.HasShortfall = shortfall(m, base)
	}
	return c
}

// shortfall decomposes m's speedup over base from the medians of their
// cpu-cores and ns/op: CPU per task is cpu-cores × ns/op ÷ tasks, and
// the tasks are the same for both. With gc-cpu-pct in both it says how
// much of the CPU per task is garbage collection.
func shortfall(m, base *Measurement) (Shortfall, bool) {
	mc, bc := m.Values[UnitCPUCores], base.Values[UnitCPUCores]
	mn, bn := m.Values[UnitNsPerOp], base.Values[UnitNsPerOp]
	if len(mc) == 0 || len(bc) == 0 || len(mn) == 0 || len(bn) == 0 {
		return Shortfall{}, false
	}
	mcores, bcores := Summarize(mc).Center, Summarize(bc).Center
	if mcores <= 0 || bcores <= 0 {
		return Shortfall{}, false
	}
	mcpu, bcpu := mcores*Summarize(mn).Center, bcores*Summarize(bn).Center
	mg, bg := m.Values[UnitGCCPUPct], base.Values[UnitGCCPUPct]
	if len(mg) == 0 || len(bg) == 0 {
		return Decompose(mcores, bcores, mcpu, bcpu), true
	}
	return DecomposeGC(mcores, bcores, mcpu, bcpu,
		GCShare(Summarize(mg).Center, m.GOMAXPROCS, mcores), GCShare(Summarize(bg).Center, base.GOMAXPROCS, bcores)), true
}

// baseline finds the sequential run of m's workload with the same
// parameters and GOMAXPROCS: from m's own group if it has one, else from
// the main matrix, else from any group.
func (a *Analysis) baseline(m *Measurement) *Measurement {
	var found *Measurement
	rank := 0
	for _, b := range a.Run.Benchmarks {
		if b.Model != ModelSequential || b.Workload != m.Workload || b.Params != m.Params || b.GOMAXPROCS != m.GOMAXPROCS {
			continue
		}
		r := 1
		switch b.Group {
		case m.Group:
			r = 3
		case GroupModels:
			r = 2
		}
		if r > rank {
			found, rank = b, r
		}
	}
	return found
}

// throughputUnit picks the unit in which m's throughput is compared.
func throughputUnit(m *Measurement) string {
	for _, u := range []string{UnitMBps, UnitTasksps} {
		if len(m.Values[u]) > 0 {
			return u
		}
	}
	return UnitOpsps
}

// throughputValues returns m's samples in unit, deriving op/s from ns/op.
func throughputValues(m *Measurement, unit string) []float64 {
	if unit != UnitOpsps {
		return m.Values[unit]
	}
	ns := m.Values[UnitNsPerOp]
	v := make([]float64, len(ns))
	for i, x := range ns {
		v[i] = 1e9 / x
	}
	return v
}

// paramInt returns the value of key=N in a name's params, or 0.
func paramInt(params, key string) int {
	for _, kv := range strings.Split(params, "/") {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return 0
			}
			return n
		}
	}
	return 0
}

// timerFloor returns, for each sample, the floor's throughput once every
// wait is as late as the timers were measured to be: the floor's batch
// time ns/op ÷ floor-ratio holds k = ceil(tasks/in flight) rounds of a
// latency L, and with an overshoot o each round takes L + o, so the rate
// falls by L/(L+o). Nil without timer-overshoot-ns.
func timerFloor(m *Measurement, floor []float64) []float64 {
	over, nsop, fr := m.Values[UnitTimerOvershoot], m.Values[UnitNsPerOp], m.Values[UnitFloorRatio]
	in, tasks := m.Concurrency().InFlight, paramInt(m.Params, benchkey.Tasks)
	if len(over) == 0 || in < 1 || tasks < 1 {
		return nil
	}
	rounds := float64((tasks + in - 1) / in)
	var adj []float64
	for i := range min(len(floor), len(over), len(nsop), len(fr)) {
		if fr[i] <= 0 || over[i] < 0 {
			continue
		}
		l := nsop[i] / fr[i] / rounds
		adj = append(adj, floor[i]*l/(l+over[i]))
	}
	return adj
}
