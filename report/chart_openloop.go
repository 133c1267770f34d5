package report

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// openLoopChart draws each model's p99 sojourn against the offered load of
// BenchmarkOpenLoop, one panel per workload and parameter set, on a log
// axis, with a dashed line at the pool's capacity. Its caption says what
// the bound bought at overload and cost below it (openLoopWords).
func openLoopChart(a *Analysis, pal *palettes) (*Chart, string) {
	curves := OpenLoopCurves(a.Run)
	if len(curves) == 0 {
		return nil, "the run has no BenchmarkOpenLoop results (requests at a fixed rate against the pool's capacity)."
	}
	type panel struct {
		key    string
		curves []*LoadCurve
	}
	var panels []*panel
	for _, c := range curves {
		key := c.Workload + " " + c.Params
		if len(panels) == 0 || panels[len(panels)-1].key != key {
			panels = append(panels, &panel{key: key})
		}
		last := panels[len(panels)-1]
		last.curves = append(last.curves, c)
	}
	var plots []*plot.Plot
	leg := newLegend()
	inLegend := map[string]bool{}
	allCI := true
	var words []string
	for _, pn := range panels {
		title := ""
		if len(panels) > 1 {
			title = pn.key
		}
		p := newPlot(title, "offered load (% of the pool's capacity)", "")
		var xs []int
		seen := map[int]bool{}
		lo, hi := math.Inf(1), 0.0
		for _, c := range pn.curves {
			var s series
			for _, pt := range c.Points {
				y := pt.P99
				// In milliseconds: the unit a reader of latency thinks in.
				s.add(float64(pt.Load), y.Center/1e6, y.Lo/1e6, y.Hi/1e6, y.CI)
				lo, hi = min(lo, max(y.Lo, y.Center/1000)/1e6), max(hi, y.Hi/1e6)
				if !seen[pt.Load] {
					seen[pt.Load] = true
					xs = append(xs, pt.Load)
				}
			}
			allCI = allCI && !s.spread
			if thumbs := s.draw(p, &pal.models, c.Model); thumbs != nil && !inLegend[c.Model] {
				name := c.Model
				if c.Model == "spawn" {
					name += " (unbounded)"
				}
				leg.Add(name, thumbs...)
				inLegend[c.Model] = true
			}
		}
		if !(hi > 0) {
			continue
		}
		lo, hi = lo/1.4, hi*1.4
		capLine := dashed(plotter.XYs{{X: 100, Y: lo}, {X: 100, Y: hi}}, color.Gray{Y: 90})
		p.Add(capLine)
		if !inLegend["capacity"] {
			leg.Add("pool's capacity", capLine)
			inLegend["capacity"] = true
		}
		slices.Sort(xs)
		p.X.Tick.Marker = intTicks(xs)
		p.X.Min, p.X.Max = 0, float64(xs[len(xs)-1])*1.05
		logAxis(&p.Y, lo, hi, logTicks125{})
		plots = append(plots, p)
		if w := openLoopWords(pn.curves); w != "" {
			if len(panels) > 1 {
				w = pn.key + ": " + w
			}
			words = append(words, w)
		}
	}
	if len(plots) == 0 {
		return nil, "the run's BenchmarkOpenLoop results have no p99 sojourn above zero."
	}
	tiles, cols, rows := grid(plots)
	caption := "Requests arrive at a fixed rate with Poisson gaps, at a percentage of the capacity measured for the pool at the same workers; " +
		"each line is a model, its p99 sojourn from each request's arrival to its answer (completed requests only: one not answered within its deadline" + deadlineWords(curves) + " is missed). " +
		"Spawn starts a goroutine per request however many wait; the others hold at most their workers in flight and queue the rest. "
	for _, w := range words {
		caption += w + " "
	}
	caption += "Points: median; " + whiskers(allCI) + "."
	return &Chart{
		Title:   chartTitle("Open-loop load: p99 sojourn vs offered load (ms, log scale)", a),
		Caption: caption,
		Tiles:   tiles,
		YLabel:  "p99 sojourn, ms (lower is better, log scale)",
		Legend:  leg,
		Width:   vg.Points(max(640, 300*float64(cols)+140)),
		Height:  vg.Points(60 + 260*float64(rows)),
	}, ""
}

// deadlineWords gives the requests' deadline as the run recorded it
// (timeout-ns), as ", N ms here,"; "" when the curves disagree or lack it.
func deadlineWords(curves []*LoadCurve) string {
	d := math.NaN()
	for _, c := range curves {
		for _, p := range c.Points {
			switch {
			case math.IsNaN(p.Timeout):
				return ""
			case math.IsNaN(d):
				d = p.Timeout
			case d != p.Timeout:
				return ""
			}
		}
	}
	if math.IsNaN(d) {
		return ""
	}
	return ", " + formatDuration(d/1e9) + " here,"
}
