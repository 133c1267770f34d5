package report

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// pythonChart draws one panel per workload the Python harness ran: each
// Python model and Go's best and gil models, as paired speedups over
// py-sequential with their whiskers, on a log axis, since the two
// languages can differ tenfold.
func pythonChart(a *Analysis, pal *palettes) (*Chart, string) {
	pa := a.Python
	if pa.Skipped != "" {
		return nil, "Python was not measured: " + pa.Skipped + "."
	}
	var ws []*PyWorkload
	for _, w := range pa.Workloads {
		if w.Sequential != nil {
			ws = append(ws, w)
		}
	}
	if len(ws) == 0 {
		return nil, "the run's Python results have no py-sequential baseline."
	}
	var panels []*plot.Plot
	allCI, most := true, 0
	for _, w := range ws {
		p := newPlot(w.Name, "speedup over py-sequential (×, log scale)", "")
		cells := append(slices.Clone(w.Python), w.Go...)
		most = max(most, len(cells))
		lo, hi := 1.0, 1.0
		var names []string
		for j, c := range cells {
			r := c.Speedup
			if math.IsNaN(r.Center) {
				continue
			}
			y := float64(len(cells) - 1 - j) // the first model on top
			name := c.M.Model
			if c.M.Group != GroupPython {
				name = "go " + name
			}
			names = append(names, name)
			sc, err := plotter.NewScatter(plotter.XYs{{X: r.Center, Y: y}})
			if err != nil {
				continue
			}
			sc.Shape, sc.Radius = draw.CircleGlyph{}, vg.Points(3.5)
			sc.Color = pal.models.color(c.M.Model)
			if c.M.Group != GroupPython {
				sc.Shape = draw.BoxGlyph{} // Go's models: squares
			}
			p.Add(xErrorBars(Summary{Center: r.Center, Lo: r.Lo, Hi: r.Hi}, y), sc)
			p.Add(label(r.Hi, y, " "+r.Short(), 8, rightOf))
			allCI = allCI && r.CI
			lo, hi = min(lo, r.Lo), max(hi, r.Hi)
		}
		p.Add(dashed(plotter.XYs{{X: 1, Y: -0.5}, {X: 1, Y: float64(len(cells)) - 0.5}}, color.Gray{Y: 120}))
		slices.Reverse(names)
		p.NominalY(names...)
		logAxis(&p.X, lo/1.5, hi*3, logTicks125{}) // room on the right for the labels
		panels = append(panels, p)
	}
	tiles, cols, rows := grid(panels)
	return &Chart{
		Title: chartTitle("Go vs Python: speedup over Python's sequential run (log scale)", a),
		Caption: "One panel per workload, on the same inputs in both languages. Circles: the tutorial's Python models (CPython's threads, thread and process pools, asyncio); " +
			"squares: Go's verdict choice (its fastest model where there is no verdict) and gil, Go's emulation of the GIL, beside Python's real threads. " +
			"The dashed line is py-sequential; the number after each whisker is the paired speedup over it, in tasks per second; " + whiskers(allCI) + ".",
		Tiles:  tiles,
		Width:  vg.Points(290 * float64(cols)),
		Height: vg.Points(40 + float64(rows)*(float64(most)*16+70)),
	}, ""
}
