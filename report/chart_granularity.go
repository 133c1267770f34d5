package report

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// granularityChart draws each model's speedup over sequential against the
// length of its tasks, both on log axes, with the ideal and 1×.
func granularityChart(a *Analysis, pal *palettes) (*Chart, string) {
	if len(a.Granularity) == 0 {
		return nil, "the run has no BenchmarkGranularity results with sequential runs of the same batches."
	}
	p := newPlot("", "task length (µs of work per task, measured sequentially; log scale)", "speedup over sequential (×, log scale)")
	leg := newLegend()
	allCI := true
	xlo, xhi, ylo, yhi, ideal := math.Inf(1), 0.0, 1.0, 1.0, 1
	for _, c := range a.Granularity {
		var s series
		for _, pt := range c.Points {
			x, r := pt.TaskTime*1e6, pt.Speedup
			s.add(x, r.Center, r.Lo, r.Hi, r.CI)
			xlo, xhi = min(xlo, x), max(xhi, x)
			ylo, yhi = min(ylo, max(r.Lo, r.Center/1000)), max(yhi, r.Hi)
			ideal = max(ideal, pt.Ideal)
		}
		if thumbs := s.draw(p, &pal.models, c.Model); thumbs != nil {
			leg.Add(c.Model, thumbs...)
		}
		allCI = allCI && c.CI
	}
	xlo, xhi = xlo/1.5, xhi*1.5
	idealLine := dashed(plotter.XYs{{X: xlo, Y: float64(ideal)}, {X: xhi, Y: float64(ideal)}}, color.Black)
	even := dashed(plotter.XYs{{X: xlo, Y: 1}, {X: xhi, Y: 1}}, color.Gray{Y: 150})
	p.Add(idealLine, even)
	leg.Add("ideal: min(workers, cores)", idealLine)
	leg.Add("1×: as fast as sequential", even)
	logAxis(&p.X, xlo, xhi, nil)
	logAxis(&p.Y, math.Pow(10, math.Floor(math.Log10(ylo))), max(yhi, float64(ideal))*1.5, nil)
	return &Chart{
		Title: chartTitle("Speedup over sequential by task length (×, log scales)", a),
		Caption: "One line per model, on tasks that only compute (spin rounds, no memory), their length ×4 a step, workers = cores. " +
			"Below the grey line a model is slower than running the tasks one after another: its cost per task eats the work. " +
			"The break-even table below says from which length each model pays. Points: median of paired ratios; " + whiskers(allCI) + ".",
		Tiles:  [][]*plot.Plot{{p}},
		Legend: leg,
		Width:  vg.Points(720),
		Height: vg.Points(460),
	}, ""
}
