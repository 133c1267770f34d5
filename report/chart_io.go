package report

import (
	"image/color"
	"maps"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// onePoint marks a lone cell: a large hollow square at its median.
func onePoint(c *Cell, col color.Color) *plotter.Scatter {
	sc, err := plotter.NewScatter(plotter.XYs{{X: float64(c.X()), Y: c.Throughput.Center}})
	if err != nil {
		sc = &plotter.Scatter{}
	}
	sc.Color, sc.Radius = col, vg.Points(6)
	sc.Shape = draw.BoxGlyph{}
	sc.GlyphStyle.Shape = hollowBox{}
	return sc
}

// hollowBox is a square outline.
type hollowBox struct{}

func (hollowBox) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.5)})
	r := sty.Radius
	var p vg.Path
	p.Move(vg.Point{X: pt.X - r, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y + r})
	p.Close()
	c.Stroke(p)
}

// ioChart draws IO throughput against concurrency, with the rate each
// point's latency floor allows.
func ioChart(a *Analysis, pal *palettes) (*Chart, string) {
	// One panel per workload, in the order the run holds them.
	var order []string
	byWorkload := map[string][]*Curve{}
	for _, c := range a.IO {
		if len(c.Points) == 0 {
			continue
		}
		if byWorkload[c.Workload] == nil {
			order = append(order, c.Workload)
		}
		byWorkload[c.Workload] = append(byWorkload[c.Workload], c)
	}
	if len(order) == 0 {
		return nil, "the run has no BenchmarkConcurrency results (the IO workloads' concurrency sweep)."
	}
	var panels []*plot.Plot
	leg := newLegend()
	inLegend := map[string]bool{}
	allCI, floors, timers := true, false, false
	unit := byWorkload[order[0]][0].Unit
	single := false
	for _, w := range order {
		p := newPlot(w, "tasks in flight", "")
		var xs []int
		floor := map[int]float64{} // the same for every model at one concurrency
		timed := map[int]float64{} // the floor with the timers' overshoot
		lo, hi := math.Inf(1), 0.0 // the data's range, whiskers included
		for _, c := range byWorkload[w] {
			var s series
			for _, pt := range c.Points {
				t := pt.Throughput
				xs = append(xs, pt.X())
				s.add(float64(pt.X()), t.Center, t.Lo, t.Hi, t.CI)
				lo, hi = min(lo, max(t.Lo, t.Center/1000)), max(hi, t.Hi)
				if pt.HasFloor {
					floor[pt.X()] = pt.Floor.Center
				}
				if pt.HasTimerFloor {
					timed[pt.X()] = pt.TimerFloor.Center
				}
			}
			allCI = allCI && !s.spread
			thumbs := s.draw(p, &pal.models, c.Model)
			if len(c.Points) == 1 {
				// A model run at one concurrency only (spawn: the whole
				// batch at once) is a point, not a line: drawn large and
				// hollow, on top of the lines that share its x.
				mark := onePoint(c.Points[0], pal.models.color(c.Model))
				p.Add(mark)
				thumbs, single = []plot.Thumbnailer{mark}, true
			}
			if thumbs != nil && !inLegend[c.Model] {
				name := c.Model
				if len(c.Points) == 1 {
					name += " (whole batch at once)"
				}
				leg.Add(name, thumbs...)
				inLegend[c.Model] = true
			}
		}
		if len(floor) > 0 {
			f := dashed(floorLine(floor), color.Gray{Y: 90})
			p.Add(f)
			if !inLegend["floor"] {
				leg.Add("latency floor", f)
				inLegend["floor"] = true
			}
			floors = true
		}
		if len(timed) > 0 {
			f := dotted(floorLine(timed), color.Gray{Y: 130})
			p.Add(f)
			if !inLegend["timer floor"] {
				leg.Add("timer-adjusted floor", f)
				inLegend["timer floor"] = true
			}
			timers = true
		}
		logAxisAt(&p.X, xs, 1.3)
		// The axis spans the data, not the floor: a floor far above the
		// measured rates would squash them; its line is cut at the top.
		logAxis(&p.Y, lo/1.4, hi*1.4, logTicks125{})
		panels = append(panels, p)
	}
	tiles, cols, rows := grid(panels)
	floorNote := "This run reports no floor-ratio, so no latency floor is drawn."
	if floors {
		floorNote = "Dashed: the rate the tasks' own latency allows at that concurrency, N tasks of latency L at concurrency C taking ceil(N/C) × L; the gap to it is what scheduling, the runtime and the machine add. Each panel's axis spans its measurements, so the floor leaves it at the top where it is far above them."
	}
	if timers {
		floorNote += " Dotted: the same floor with every wait as late as this machine's timers fire at L (timer-overshoot-ns, one wait at a time): ceil(N/C) × (L + overshoot), the floor the runtime's timer granularity allows."
	}
	if single {
		floorNote += " A large hollow mark is a model run only with its whole batch in flight (spawn)."
	}
	return &Chart{
		Title:   chartTitle("IO throughput by concurrency ("+unit+")", a),
		Caption: "One panel per IO workload, one line per model: throughput as more tasks wait at once (spawn always has the whole batch in flight). " + floorNote + " Points: median; " + whiskers(allCI) + ".",
		Tiles:   tiles,
		YLabel:  unit + " (higher is better, log scale)",
		Legend:  leg,
		Width:   vg.Points(max(640, 240*float64(cols)+120)),
		Height:  vg.Points(40 + 220*float64(rows)),
	}, ""
}

// floorLine returns a floor's points in increasing concurrency.
func floorLine(floor map[int]float64) plotter.XYs {
	var pts plotter.XYs
	for _, x := range slices.Sorted(maps.Keys(floor)) {
		pts = append(pts, plotter.XY{X: float64(x), Y: floor[x]})
	}
	return pts
}
