package report

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"

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

// speedupLinearTicks label a linear speedup axis from 0 to hi at whole
// speedups (1×, 2×…), halves between them while there are few.
func speedupLinearTicks(hi float64) plot.ConstantTicks {
	step := math.Max(1, math.Ceil(hi/8))
	var ticks plot.ConstantTicks
	for v := 0.0; v <= hi; v += step / 2 {
		t := plot.Tick{Value: v}
		if math.Mod(v, step) == 0 {
			t.Label = fmtFixed(v, 0) + "×"
		}
		ticks = append(ticks, t)
	}
	return ticks
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
	var xs []int
	allCI, top, cut := true, 1.0, false
	type entry struct {
		name   string
		last   float64 // the speedup at the curve's largest x: the legend's order
		thumbs []plot.Thumbnailer
	}
	var entries []entry
	for _, c := range curves {
		for _, pt := range c.Points {
			top = max(top, pt.Speedup.Center)
		}
	}
	// The axis ends a third above the cores or the highest median: a
	// whisker beyond that (a noisy interval on a loaded machine) is cut
	// at the top, as the caption says, rather than squashing the curves.
	ceiling := max(top, float64(a.Cores)) * 1.35
	for _, c := range curves {
		var s series
		for _, pt := range c.Points {
			x, r := pt.X(), pt.Speedup
			xs = append(xs, x)
			s.add(float64(x), r.Center, r.Lo, r.Hi, r.CI) // at its own x: no sideways nudge
			cut = cut || r.Hi > ceiling
		}
		if thumbs := s.draw(p, &pal.workloads, c.Workload); thumbs != nil {
			entries = append(entries, entry{c.Workload, c.Points[len(c.Points)-1].Speedup.Center, thumbs})
		}
		allCI = allCI && !s.spread
	}
	// Legend rows top to bottom as the curves end, right to left.
	slices.SortStableFunc(entries, func(x, y entry) int { return cmp.Compare(y.last, x.last) })
	leg := newLegend()
	for _, e := range entries {
		leg.Add(e.name, e.thumbs...)
	}
	xs = distinct(xs)
	lo, hi := xs[0], xs[len(xs)-1]
	idealLine := dashed(plotter.XYs{{X: float64(lo), Y: float64(min(lo, a.Cores))}, {X: float64(min(max(a.Cores, lo), hi)), Y: float64(min(max(a.Cores, lo), hi))}, {X: float64(hi), Y: float64(min(hi, a.Cores))}}, color.Gray{Y: 80})
	p.Add(idealLine)
	leg.Add(text.ideal, idealLine)

	logAxisAt(&p.X, xs, 1.15)
	p.Y.Min, p.Y.Max = 0, ceiling
	p.Y.Tick.Marker = speedupLinearTicks(ceiling)
	if c := float64(a.Cores); c >= p.X.Min && c <= p.X.Max {
		p.Add(rule(plotter.XYs{{X: c, Y: 0}, {X: c, Y: ceiling}}, color.Gray{Y: 60}))
		p.Add(label(c, ceiling*0.96, fmt.Sprintf(" %d cores", a.Cores), 9, rightOf))
	}
	cutNote := ""
	if cut {
		cutNote = " Whiskers that pass the top of the axis are cut there."
	}
	return &Chart{
		Title:   chartTitle(text.title, a),
		Caption: text.caption + " The vertical line marks the machine's cores. Points: median, each at its own x; " + whiskers(allCI) + "." + cutNote,
		Tiles:   [][]*plot.Plot{{p}},
		Legend:  leg,
		Width:   vg.Points(720),
		Height:  vg.Points(430),
	}, ""
}
