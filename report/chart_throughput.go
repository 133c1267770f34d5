package report

import (
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// throughputChart draws one small bar chart per workload: each model's
// median throughput, whiskers, and its speedup over sequential.
func throughputChart(a *Analysis, pal *palettes) (*Chart, string) {
	var ws []*Workload
	for _, w := range a.Workloads {
		if len(w.Cells) > 0 {
			ws = append(ws, w)
		}
	}
	if len(ws) == 0 {
		return nil, "the run has no BenchmarkModels results."
	}
	var panels []*plot.Plot
	allCI, most := true, 0
	for _, w := range ws {
		unit, tput := throughputIn(w)
		p := newPlot(workloadLabel(w, a), unit+" (higher is better)", "")
		var names []string
		n := len(w.Cells)
		most = max(most, n)
		for j, c := range w.Cells {
			y := float64(n - 1 - j) // the first model on top
			names = append(names, c.M.Model)
			t := tput(c)
			bar, err := plotter.NewBarChart(plotter.Values{t.Center}, vg.Points(9))
			if err != nil {
				continue // a value the reader already rejected: not finite
			}
			bar.Horizontal, bar.XMin = true, y
			bar.LineStyle.Width = 0
			bar.Color = pal.models.color(c.M.Model)
			p.Add(bar, xErrorBars(t, y))
			allCI = allCI && t.CI
			if !math.IsNaN(c.Speedup.Center) && c.M.Model != ModelSequential {
				p.Add(label(t.Hi, y, " "+c.Speedup.Short(), 8, rightOf))
			}
			most := 0.0
			for _, o := range w.Cells {
				most = max(most, tput(o).Hi)
			}
			p.X.Max = most * 1.3 // room for the speedup labels
		}
		slices.Reverse(names)
		p.NominalY(names...)
		p.X.Min = 0
		panels = append(panels, p)
	}
	tiles, cols, rows := grid(panels)
	return &Chart{
		Title: chartTitle("Throughput by model, median of each batch (higher is better)", a),
		Caption: "One panel per workload. Bars: median throughput of each model; grey: the sequential baseline; " +
			"the number after each bar: its paired speedup over sequential; waiting work in tasks/s; " + whiskers(allCI) + ".",
		Tiles:  tiles,
		Width:  vg.Points(250 * float64(cols)),
		Height: vg.Points(40 + float64(rows)*(float64(most)*16+70)),
	}, ""
}

// throughputIn returns the unit a workload's panel shows and each cell's
// throughput in it: tasks/s for waiting work that reports it, whose
// bytes moved say little; else the workload's own unit.
func throughputIn(w *Workload) (string, func(*Cell) Summary) {
	if w.Kind == KindIO && w.Unit != UnitTasksps && !slices.ContainsFunc(w.Cells, func(c *Cell) bool { return len(c.M.Values[UnitTasksps]) == 0 }) {
		return UnitTasksps, func(c *Cell) Summary { return Summarize(c.M.Values[UnitTasksps]) }
	}
	return w.Unit, func(c *Cell) Summary { return c.Throughput }
}
