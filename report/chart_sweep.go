package report

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Chart draws the sweep: each model's speedup over sequential against the
// swept setting on a log2 axis, with whiskers and, dashed, the ideal. A
// sweep whose speedups exceed 8, as waiting work's do, gets a log speedup
// axis. name is the chart's file name, without extension.
func (s *Sweep) Chart(name string) *Chart {
	xlabel := "workers"
	if s.Over == OverGOMAXPROCS {
		xlabel = "GOMAXPROCS (OS threads running Go code)"
	}
	p := newPlot("", xlabel, "speedup over sequential (×)")
	leg := newLegend()
	var pal palette
	var xs []int
	allCI, lo, hi := true, math.Inf(1), 0.0
	for i, c := range s.Curves {
		var pts, ideal plotter.XYs
		var errs plotter.YErrors
		for _, pt := range c.Points {
			xs = append(xs, pt.X)
			pts = append(pts, plotter.XY{X: dodge(float64(pt.X), i, len(s.Curves)), Y: pt.Speedup.Center})
			errs = append(errs, struct{ Low, High float64 }{pt.Speedup.Center - pt.Speedup.Lo, pt.Speedup.Hi - pt.Speedup.Center})
			allCI = allCI && pt.Speedup.CI
			lo, hi = min(lo, pt.Speedup.Lo), max(hi, pt.Speedup.Hi)
			if pt.Ideal > 0 {
				ideal = append(ideal, plotter.XY{X: float64(pt.X), Y: pt.Ideal})
				hi = max(hi, pt.Ideal)
			}
		}
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			continue
		}
		col := pal.color(c.Model)
		line.Color, points.Color = col, col
		line.Width = vg.Points(1.5)
		points.Shape = pal.glyph(c.Model)
		if bars, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{pts, errs}); err == nil {
			bars.Color = pal.faint(c.Model)
			p.Add(bars)
		}
		p.Add(line, points)
		leg.Add(c.Model, line, points)
		if len(ideal) > 0 {
			d := dashed(ideal, col)
			p.Add(d)
			leg.Add(c.Model+": ideal", d)
		}
	}
	slices.Sort(xs)
	xs = slices.Compact(xs)
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = intTicks(xs)
	p.X.Min, p.X.Max = float64(xs[0])/1.15, float64(xs[len(xs)-1])*1.15
	yNote := ""
	if hi > 8 && lo > 0 {
		// Waiting work gains tens or hundreds of times: a log axis keeps
		// the first steps readable.
		p.Y.Scale = plot.LogScale{}
		p.Y.Min, p.Y.Max = min(lo, 1)/1.5, hi*1.5
		var ticks []int
		for v := 1; float64(v) <= p.Y.Max; v *= 2 {
			ticks = append(ticks, v)
		}
		p.Y.Tick.Marker = intTicks(ticks)
		p.Y.Label.Text += ", log scale"
		yNote = " The speedup axis is logarithmic."
	} else {
		p.Y.Min, p.Y.Max = 0, max(hi, 1)*1.1
	}
	idealNote := "Dashed: the ideal, min(cores, workers, GOMAXPROCS), the tasks that can compute at once."
	if s.Kind == KindIO {
		idealNote = "Dashed: the ideal, tasks / ceil(tasks / concurrency), the rounds of waiting that the latency floor allows."
	}
	return &Chart{
		Name:  name,
		Title: chartTitle(fmt.Sprintf("%s (%s): speedup over sequential by %s", s.Workload, s.Params, s.Over), s.a),
		Caption: fmt.Sprintf("One line per model: throughput (%s) at each %s over the sequential run's (%s %s). %s%s Points: median; %s.",
			s.Unit, s.Over, formatValue(s.Base.Throughput.Center), s.Unit, idealNote, yNote, whiskers(allCI)),
		Tiles:  [][]*plot.Plot{{p}},
		Legend: leg,
		Width:  vg.Points(720),
		Height: vg.Points(430),
	}
}
