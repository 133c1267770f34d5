package report

import (
	"math"
	"slices"
	"strings"

	"github.com/concbench/concbench/benchkey"
)

// GroupPython holds the Python harness's results (package python): the
// tutorial's own models in CPython, on the same inputs as the Go matrix.
const GroupPython = "Python"

// ModelPySequential is the Python harness's baseline: a for loop.
const ModelPySequential = "py-sequential"

// pyOrder lists the Python models in the order the page shows them and in
// which the verdict rule prefers them when it cannot tell them apart:
// the standard pool first, worker processes last, as in Preference.
var pyOrder = []string{
	ModelPySequential, "py-threadpool", "py-threadpool-completed", "py-asyncio", "py-thread", "py-mpool", "py-processpool",
}

// pyThreads are the Python models whose tasks share one interpreter, and
// so its GIL; pyProcesses are those with an interpreter per worker.
var (
	pyThreads   = []string{"py-threadpool", "py-threadpool-completed", "py-thread"}
	pyProcesses = []string{"py-processpool", "py-mpool"}
)

// A PyWorkload sets one workload's Python models beside Go's. Every
// throughput is tasks per second, from ns/op and the batch's tasks, so
// that both languages' lines compare in one unit; every speedup is a
// PairedRatio over py-sequential's samples.
type PyWorkload struct {
	Name   string
	Params string // tasks=…/size=…: the Go matrix's parameters
	Kind   string // the Go workload's Kind, from its sequential run's cpu-cores
	// Python holds every Python model, py-sequential first, each with its
	// Speedup over py-sequential. Sequential is py-sequential's cell.
	Python     []*Cell
	Sequential *Cell
	// Verdict is the verdict rule's answer over the Python models, like
	// for like: for waiting work, py-thread (a whole batch in flight)
	// stays out of the contest, as spawn does on the Go side.
	Verdict Verdict
	// Go holds Go's chosen (or, without a verdict, fastest) model and the
	// gil emulation, with their speedups over py-sequential; nil when the
	// run has no Go results for the workload.
	Go []*Cell
	// GoBest and PyBest are each language's verdict choice (sequential
	// when the verdict is to stay sequential), or the fastest median when
	// the rule gave no verdict; GoVerdict and PyVerdict say which.
	GoBest, PyBest       *Cell
	GoVerdict, PyVerdict bool
	// Ratio is GoBest ÷ PyBest in tasks/s, paired sample by sample (NaN
	// without both). The
	// Go and Python samples were taken minutes apart, so pairing does not
	// cancel load here as it does within one language.
	Ratio Ratio
}

// A PyAnalysis is what a run says about Python.
type PyAnalysis struct {
	// Skipped says why the run has no Python results ("" when it has),
	// from the python: configuration line; "the run has no Python
	// results" when that line is missing too.
	Skipped string
	Config  map[string]string // python, python-gil… lines
	// Workloads holds each workload the harness ran, in run order.
	Workloads []*PyWorkload
}

// tasksPerSec returns m's samples in tasks/s, from ns/op and the name's
// tasks=, or nil when the name gives no tasks.
func tasksPerSec(m *Measurement) []float64 {
	tasks := paramInt(m.Params, benchkey.Tasks)
	if tasks == 0 {
		return nil
	}
	ns := m.Values[UnitNsPerOp]
	v := make([]float64, len(ns))
	for i, x := range ns {
		v[i] = float64(tasks) * 1e9 / x
	}
	return v
}

// pyCell derives a Cell in tasks/s with its paired speedup over ref.
func pyCell(m *Measurement, ref []float64) *Cell {
	v := tasksPerSec(m)
	if len(v) == 0 {
		return nil
	}
	c := &Cell{M: m, Throughput: Summarize(v), samples: v}
	c.Speedup = PairedRatio(v, ref)
	if cpu := m.Values[UnitCPUCores]; len(cpu) > 0 {
		c.CPU, c.HasCPU = Summarize(cpu), true
	}
	return c
}

// analyzePython gathers the run's Python results and sets them beside the
// Go matrix of a.
func analyzePython(a *Analysis) *PyAnalysis {
	pa := &PyAnalysis{Config: a.Run.Python}
	index := map[string]*PyWorkload{}
	var ms []*Measurement
	for _, m := range a.Run.Benchmarks {
		if m.Group == GroupPython && m.Workload != "" {
			ms = append(ms, m)
			k := m.Workload + "/" + m.Params
			if index[k] == nil {
				w := &PyWorkload{Name: m.Workload, Params: m.Params, Kind: KindUnknown, Ratio: Ratio{Center: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}}
				index[k] = w
				pa.Workloads = append(pa.Workloads, w)
			}
		}
	}
	if len(pa.Workloads) == 0 {
		pa.Skipped = "the run has no Python results"
		if v := a.Run.Python["python"]; strings.HasPrefix(v, "skipped: ") {
			pa.Skipped = strings.TrimPrefix(v, "skipped: ")
		}
		return pa
	}
	for _, w := range pa.Workloads {
		var seq *Measurement
		for _, m := range ms {
			if m.Workload == w.Name && m.Params == w.Params && m.Model == ModelPySequential {
				seq = m
			}
		}
		if seq == nil {
			continue
		}
		ref := tasksPerSec(seq)
		for _, m := range ms {
			if m.Workload == w.Name && m.Params == w.Params {
				if c := pyCell(m, ref); c != nil {
					w.Python = append(w.Python, c)
				}
			}
		}
		slices.SortStableFunc(w.Python, func(x, y *Cell) int { return pyRank(x.M.Model) - pyRank(y.M.Model) })
		w.Sequential = w.Python[0]
		for _, gw := range a.Workloads {
			if gw.Name == w.Name && gw.Params == w.Params {
				w.Kind = gw.Kind
				w.goCells(gw, ref)
			}
		}
	}
	pa.decide()
	for _, w := range pa.Workloads {
		if w.PyBest != nil && w.GoBest != nil {
			w.Ratio = PairedRatio(w.GoBest.samples, w.PyBest.samples)
		}
	}
	return pa
}

func pyRank(model string) int {
	if i := slices.Index(pyOrder, model); i >= 0 {
		return i
	}
	return len(pyOrder)
}

// goCells picks Go's best model of gw and its gil emulation, in tasks/s
// over py-sequential's samples ref.
func (w *PyWorkload) goCells(gw *Workload, ref []float64) {
	best, verdict := gw.Choice, gw.Verdict.Resolved
	if verdict && gw.Verdict.Sequential {
		best = gw.Sequential
	}
	if best == nil {
		best, verdict = gw.Fastest(), false
	}
	if best == nil {
		return
	}
	if c := pyCell(best.M, ref); c != nil {
		w.Go, w.GoBest, w.GoVerdict = append(w.Go, c), c, verdict
	}
	for _, c := range gw.Cells {
		if c.M.Model == "gil" && c.M != best.M {
			if gc := pyCell(c.M, ref); gc != nil {
				w.Go = append(w.Go, gc)
			}
		}
	}
}

// decide gives every Python workload its verdict, from one call of Decide
// so that Holm's correction spans the Python section.
func (pa *PyAnalysis) decide() {
	var ws []*PyWorkload
	var contests []Contest
	for _, w := range pa.Workloads {
		if w.Sequential == nil {
			continue
		}
		c := Contest{Workload: w.Name, Reference: w.Sequential.samples}
		for _, cell := range w.Python {
			if cell == w.Sequential || w.Kind == KindIO && cell.M.Model == "py-thread" {
				continue
			}
			c.Candidates = append(c.Candidates, Candidate{Model: cell.M.Model, Samples: cell.samples})
		}
		ws, contests = append(ws, w), append(contests, c)
	}
	for i, v := range Decide(contests) {
		w := ws[i]
		w.Verdict = v
		choice := v.Choice
		if v.Resolved && v.Sequential {
			choice = ModelPySequential
		}
		w.PyBest, w.PyVerdict = w.cell(choice), v.Resolved
		if w.PyBest == nil {
			w.PyBest = w.fastest()
		}
	}
}

func (w *PyWorkload) cell(model string) *Cell {
	for _, c := range w.Python {
		if c.M.Model == model {
			return c
		}
	}
	return nil
}

// fastest returns the Python cell with the highest median tasks/s.
func (w *PyWorkload) fastest() *Cell {
	var f *Cell
	for _, c := range w.Python {
		if f == nil || c.Throughput.Center > f.Throughput.Center {
			f = c
		}
	}
	return f
}

// bestOf returns the cell of models with the highest median speedup.
func (w *PyWorkload) bestOf(models []string) *Cell {
	var f *Cell
	for _, c := range w.Python {
		if slices.Contains(models, c.M.Model) && !math.IsNaN(c.Speedup.Center) && (f == nil || c.Speedup.Center > f.Speedup.Center) {
			f = c
		}
	}
	return f
}
