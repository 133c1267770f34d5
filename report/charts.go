package report

import "fmt"

// A chartMaker draws one chart of a page from an analysis, or says why it
// cannot.
type chartMaker struct {
	name, title string
	make        func(a *Analysis, pal *palettes) (*Chart, string)
}

// chartMakers lists the charts of a page, in page order.
var chartMakers = []chartMaker{
	{"decision", "Which model for which work", decisionChart},
	{"throughput", "Throughput by model", throughputChart},
	{"speedup", "Speedup vs workers", speedupChart},
	{"gomaxprocs", "Speedup vs GOMAXPROCS", gomaxprocsChart},
	{"io", "IO throughput vs concurrency", ioChart},
	{"openloop", "Open-loop load: the pool as a defence", openLoopChart},
	{"overhead", "Dispatch overhead per task", overheadChart},
	{"granularity", "Speedup vs task length", granularityChart},
	{"footprint", "Memory per waiting task", footprintChart},
	{"python", "Go vs Python", pythonChart},
}

// ChartNames lists the file names (without extension) of every chart a
// page can have, in page order.
func ChartNames() []string {
	names := make([]string, len(chartMakers))
	for i, m := range chartMakers {
		names[i] = m.name
	}
	return names
}

// palettes keeps colors stable across a page's charts.
type palettes struct{ models, workloads palette }

// Charts draws every chart that a's data allows, and lists the others with
// the reason each is missing.
func Charts(a *Analysis) ([]*Chart, []Missing) {
	pal := &palettes{}
	for _, m := range a.Models {
		if m != ModelSequential { // grey, whatever its place
			pal.models.index(m)
		}
	}
	for _, w := range a.Workloads {
		pal.workloads.index(w.Name)
	}
	var charts []*Chart
	var missing []Missing
	for _, m := range chartMakers {
		ch, why := m.make(a, pal)
		if ch == nil {
			missing = append(missing, Missing{Name: m.name, Title: m.title, Reason: why})
			continue
		}
		ch.Name = m.name
		ch.Footer = chartFooter(a)
		charts = append(charts, ch)
	}
	return charts, missing
}

// workloadLabel names a workload in a chart or table, with its parameters
// and GOMAXPROCS where the matrix holds it at more than one.
func workloadLabel(w *Workload, a *Analysis) string {
	label := w.Name
	params, procs := false, false
	for _, o := range a.Workloads {
		if o != w && o.Name == w.Name {
			params = params || o.Params != w.Params
			procs = procs || o.GOMAXPROCS != w.GOMAXPROCS
		}
	}
	if params {
		label += " " + w.Params
	}
	if procs {
		label += fmt.Sprintf(" GOMAXPROCS=%d", w.GOMAXPROCS)
	}
	return label
}
