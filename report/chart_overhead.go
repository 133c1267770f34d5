package report

import (
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// overheadChart draws each model's dispatch cost per task on a log axis.
func overheadChart(a *Analysis, pal *palettes) (*Chart, string) {
	if len(a.Overhead) == 0 {
		return nil, "the run has no BenchmarkOverhead results."
	}
	p := newPlot("", "ns per task (lower is better, log scale)", "")
	var names []string
	allCI, lo, hi := true, math.Inf(1), 0.0
	n := len(a.Overhead)
	for i, c := range a.Overhead {
		y := float64(n - 1 - i)
		names = append(names, c.M.Model)
		s := c.PerTask
		pts := plotter.XYs{{X: s.Center, Y: y}}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			continue
		}
		sc.Color = pal.models.color(c.M.Model)
		sc.Shape = draw.CircleGlyph{}
		sc.Radius = vg.Points(4)
		p.Add(xErrorBars(s, y), sc, label(s.Hi, y, " "+formatValue(s.Center)+" ns", 9, rightOf))
		allCI = allCI && s.CI
		lo, hi = min(lo, s.Lo), max(hi, s.Hi)
	}
	slices.Reverse(names)
	p.NominalY(names...)
	// Whole decades, with room on the right for the labels.
	logAxis(&p.X, math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi*3))), nil)
	return &Chart{
		Title: chartTitle("Dispatch overhead per task (ns, log scale)", a),
		Caption: "What each model costs per task on tasks that do nothing: handing the task out, running it, gathering its result. " +
			"Work much longer than this per task repays any model; shorter work is eaten by it. Points: median; " + whiskers(allCI) + ".",
		Tiles:  [][]*plot.Plot{{p}},
		Width:  vg.Points(620),
		Height: vg.Points(90 + 28*float64(n)),
	}, ""
}
