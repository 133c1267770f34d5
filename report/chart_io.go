package report

import (
	"image/color"
	"maps"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

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
	allCI, floors := true, false
	unit := byWorkload[order[0]][0].Unit
	for _, w := range order {
		p := newPlot(w, "tasks in flight", unit+" (higher is better, log scale)")
		var xs []int
		floor := map[int]float64{} // the same for every model at one concurrency
		for _, c := range byWorkload[w] {
			var s series
			for _, pt := range c.Points {
				t := pt.Throughput
				xs = append(xs, pt.X())
				s.add(float64(pt.X()), t.Center, t.Lo, t.Hi, t.CI)
				if pt.HasFloor {
					floor[pt.X()] = pt.Floor.Center
				}
			}
			allCI = allCI && !s.spread
			if thumbs := s.draw(p, &pal.models, c.Model); thumbs != nil && !inLegend[c.Model] {
				leg.Add(c.Model, thumbs...)
				inLegend[c.Model] = true
			}
		}
		if len(floor) > 0 {
			var pts plotter.XYs
			for _, x := range slices.Sorted(maps.Keys(floor)) {
				pts = append(pts, plotter.XY{X: float64(x), Y: floor[x]})
			}
			f := dashed(pts, color.Gray{Y: 90})
			p.Add(f)
			if !inLegend["floor"] {
				leg.Add("latency floor", f)
				inLegend["floor"] = true
			}
			floors = true
		}
		logAxisAt(&p.X, xs, 1.3)
		logAxis(&p.Y, 0, 0, nil)
		panels = append(panels, p)
	}
	tiles, cols, rows := grid(panels)
	floorNote := "This run reports no floor-ratio, so no latency floor is drawn."
	if floors {
		floorNote = "Dashed: the rate the tasks' own latency allows at that concurrency, N tasks of latency L at concurrency C taking ceil(N/C) × L; the gap to it is what scheduling, the runtime and the machine add."
	}
	return &Chart{
		Title:   chartTitle("IO throughput by concurrency ("+unit+")", a),
		Caption: "One panel per IO workload, one line per model: throughput as more tasks wait at once (spawn always has the whole batch in flight). " + floorNote + " Points: median; " + whiskers(allCI) + ".",
		Tiles:   tiles,
		Legend:  leg,
		Width:   vg.Points(max(640, 240*float64(cols)+120)),
		Height:  vg.Points(40 + 220*float64(rows)),
	}, ""
}
