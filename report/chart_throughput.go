package report

import (
	"fmt"
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
		p := newPlot(workloadLabel(w, a), w.Unit+" (higher is better)", "")
		var names []string
		n := len(w.Cells)
		most = max(most, n)
		for j, c := range w.Cells {
			y := float64(n - 1 - j) // the first model on top
			names = append(names, c.M.Model)
			bar, err := plotter.NewBarChart(plotter.Values{c.Throughput.Center}, vg.Points(9))
			if err != nil {
				continue // a value the reader already rejected: not finite
			}
			bar.Horizontal, bar.XMin = true, y
			bar.LineStyle.Width = 0
			bar.Color = pal.models.color(c.M.Model)
			p.Add(bar, xErrorBars(c.Throughput, y))
			allCI = allCI && c.Throughput.CI
			if !math.IsNaN(c.Speedup.Center) && c.M.Model != ModelSequential {
				p.Add(label(c.Throughput.Hi, y, fmt.Sprintf(" ×%.2f", c.Speedup.Center), 8, rightOf))
			}
		}
		slices.Reverse(names)
		p.NominalY(names...)
		p.X.Min = 0
		p.X.Max = maxHi(w.Cells) * 1.3 // room for the speedup labels
		panels = append(panels, p)
	}
	tiles, cols, rows := grid(panels)
	return &Chart{
		Title: chartTitle("Throughput by model, median of each batch (higher is better)", a),
		Caption: "One panel per workload. Bars: median throughput of each model; grey: the sequential baseline; " +
			"the number after each bar: its speedup over sequential; " + whiskers(allCI) + ".",
		Tiles:  tiles,
		Width:  vg.Points(250 * float64(cols)),
		Height: vg.Points(40 + float64(rows)*(float64(most)*16+70)),
	}, ""
}

func maxHi(cells []*Cell) float64 {
	m := 0.0
	for _, c := range cells {
		m = max(m, c.Throughput.Hi)
	}
	return m
}
