package report

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// speedupChart draws the pool's speedup over sequential against workers.
func speedupChart(a *Analysis, pal *palettes) (*Chart, string) {
	curves := cpuCurves(a.Scaling)
	if len(curves) == 0 {
		return nil, "the run has no BenchmarkScaling results for the pool model with a sequential baseline (the quick and full profiles run them)."
	}
	return sweepChart(a, pal, curves, sweepText{
		title: "Speedup of the worker pool over sequential, by workers (× faster)",
		x:     "workers (goroutines in the pool)",
		ideal: "ideal: min(workers, cores)",
		caption: "One line per CPU-bound workload: how many times faster than sequential the pool ran with each number of workers, at GOMAXPROCS = cores. " +
			"The dashed line is perfect scaling, which stops at the number of cores.",
	})
}

// gomaxprocsChart draws the pinned model's speedup against GOMAXPROCS.
func gomaxprocsChart(a *Analysis, pal *palettes) (*Chart, string) {
	curves := cpuCurves(a.Pinned)
	if len(curves) == 0 {
		return nil, "the run has no BenchmarkScaling results for the pinned model with a sequential baseline (the quick and full profiles run them)."
	}
	return sweepChart(a, pal, curves, sweepText{
		title: "Speedup over sequential by GOMAXPROCS, pinned model (× faster)",
		x:     "GOMAXPROCS (OS threads running Go code; workers = GOMAXPROCS)",
		ideal: "ideal: min(GOMAXPROCS, cores)",
		caption: "One line per CPU-bound workload: the same pool run under GOMAXPROCS = 1, 2, 4…, as go's runtime.GOMAXPROCS allows. " +
			"GOMAXPROCS = 1 is Go's event loop: one thread, any number of goroutines. The dashed line is perfect scaling.",
	})
}

// cpuCurves keeps the curves of workloads not measured as IO-bound that
// have speedups.
func cpuCurves(curves []*Curve) []*Curve {
	var out []*Curve
	for _, c := range curves {
		if c.Kind == KindIO {
			continue
		}
		var pts []*Cell
		for _, p := range c.Points {
			if !math.IsNaN(p.Speedup.Center) {
				pts = append(pts, p)
			}
		}
		if len(pts) > 0 {
			cc := *c
			cc.Points = pts
			out = append(out, &cc)
		}
	}
	return out
}

// sweepText is what a scaling chart says: its title, x axis label, the
// ideal line's legend entry and the caption's first sentences.
type sweepText struct{ title, x, ideal, caption string }

// sweepChart draws speedup curves against a log2 x axis, with the ideal.
func sweepChart(a *Analysis, pal *palettes, curves []*Curve, text sweepText) (*Chart, string) {
	p := newPlot("", text.x, "speedup over sequential (×)")
	leg := newLegend()
	var xs []int
	allCI, top := true, 1.0
	for i, c := range curves {
		var s series
		for _, pt := range c.Points {
			x, r := pt.X(), pt.Speedup
			xs = append(xs, x)
			s.add(dodge(float64(x), i, len(curves)), r.Center, r.Lo, r.Hi, r.CI)
			top = max(top, r.Hi)
		}
		if thumbs := s.draw(p, &pal.workloads, c.Workload); thumbs != nil {
			leg.Add(c.Workload, thumbs...)
		}
		allCI = allCI && !s.spread
	}
	xs = distinct(xs)
	lo, hi := xs[0], xs[len(xs)-1]
	idealLine := dashed(plotter.XYs{{X: float64(lo), Y: float64(min(lo, a.Cores))}, {X: float64(min(max(a.Cores, lo), hi)), Y: float64(min(max(a.Cores, lo), hi))}, {X: float64(hi), Y: float64(min(hi, a.Cores))}}, color.Black)
	p.Add(idealLine)
	leg.Add(text.ideal, idealLine)
	top = max(top, float64(min(hi, a.Cores)))

	logAxisAt(&p.X, xs, 1.15)
	p.Y.Min, p.Y.Max = 0, top*1.1
	return &Chart{
		Title:   chartTitle(text.title, a),
		Caption: text.caption + " Points: median; " + whiskers(allCI) + ".",
		Tiles:   [][]*plot.Plot{{p}},
		Legend:  leg,
		Width:   vg.Points(720),
		Height:  vg.Points(430),
	}, ""
}
