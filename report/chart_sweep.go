package report

import (
	"fmt"
	"image/color"
	"math"

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
	p := newPlot("", xlabel, "speedup (×)")
	leg := newLegend()
	var pal palette
	var xs []int
	allCI, lo, hi := true, math.Inf(1), 0.0
	for _, c := range s.Curves {
		var line series
		var ideal plotter.XYs
		for _, pt := range c.Points {
			r := pt.Speedup
			xs = append(xs, pt.X)
			line.add(float64(pt.X), r.Center, r.Lo, r.Hi, r.CI) // at its own x: no sideways nudge
			lo, hi = min(lo, r.Lo), max(hi, r.Hi)
			if pt.Ideal > 0 {
				ideal = append(ideal, plotter.XY{X: float64(pt.X), Y: pt.Ideal})
				hi = max(hi, pt.Ideal)
			}
		}
		allCI = allCI && !line.spread
		thumbs := line.draw(p, &pal, c.Model)
		if thumbs == nil {
			continue
		}
		leg.Add(c.Model, thumbs...)
		if len(ideal) > 0 {
			d := dashed(ideal, pal.color(c.Model))
			p.Add(d)
			leg.Add(c.Model+": ideal", d)
		}
	}
	logAxisAt(&p.X, xs, 1.15)
	yNote := ""
	if speedupAxis(&p.Y, lo, hi, 1.1) {
		yNote = " The speedup axis is logarithmic."
	} else {
		p.Y.Tick.Marker = speedupLinearTicks(p.Y.Max)
	}
	coresNote := ""
	if c := float64(s.a.Cores); s.Kind == KindCPU && c >= p.X.Min && c <= p.X.Max {
		p.Add(rule(plotter.XYs{{X: c, Y: p.Y.Min}, {X: c, Y: p.Y.Max}}, color.Gray{Y: 60}))
		p.Add(label(c, p.Y.Min+(p.Y.Max-p.Y.Min)*0.96, fmt.Sprintf(" %d cores", s.a.Cores), 9, rightOf))
		coresNote = " The vertical line marks the machine's cores."
	}
	idealNote := "Dashed: the ideal, min(cores, workers, GOMAXPROCS), the tasks that can compute at once."
	if s.Kind == KindIO {
		idealNote = "Dashed: the ideal, tasks / ceil(tasks / concurrency), the rounds of waiting that the latency floor allows."
	}
	return &Chart{
		Name:  name,
		Title: chartTitle(fmt.Sprintf("%s (%s): speedup over sequential by %s", s.Workload, s.Params, s.Over), s.a),
		Caption: fmt.Sprintf("One line per model: throughput (%s) at each %s over the sequential run's (%s %s). %s%s%s Points: median, each at its own x; %s.",
			s.Unit, s.Over, formatValue(s.Base.Throughput.Center), s.Unit, idealNote, yNote, coresNote, whiskers(allCI)),
		Footer: chartFooter(s.a),
		Tiles:  [][]*plot.Plot{{p}},
		Legend: leg,
		Width:  vg.Points(720),
		Height: vg.Points(430),
	}
}
