package report

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// footprintChart draws the memory each model adds per task it holds
// blocked, against the tasks held, both on log axes.
func footprintChart(a *Analysis, pal *palettes) (*Chart, string) {
	if len(a.Footprints) == 0 {
		return nil, "the run has no BenchmarkFootprint results."
	}
	p := newPlot("", "tasks held blocked at once (log scale)", "resident bytes per waiting task (log scale)")
	leg := newLegend()
	allCI := true
	var xs []int
	lo, hi := math.Inf(1), 0.0
	for _, f := range a.Footprints {
		var s series
		for _, h := range f.Holds {
			r := h.RSS
			if r.Center <= 0 {
				continue
			}
			s.add(float64(h.Tasks), r.Center, r.Lo, r.Hi, r.CI)
			xs = append(xs, h.Tasks)
			lo, hi = min(lo, max(r.Lo, r.Center/10)), max(hi, r.Hi)
			allCI = allCI && r.CI
		}
		if thumbs := s.draw(p, &pal.models, f.Model); thumbs != nil {
			leg.Add(f.Model, thumbs...)
		}
	}
	if len(xs) == 0 {
		return nil, "the run's BenchmarkFootprint results measured no memory."
	}
	logAxisAt(&p.X, xs, 1.5)
	logAxis(&p.Y, math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi*1.5))), plot.LogTicks{Prec: -1})
	return &Chart{
		Title: chartTitle("Memory per waiting task by model (bytes, log scales)", a),
		Caption: "What holding tasks blocked costs: N tasks each waiting on a channel (in worker processes, on a loopback connection) under each model with N workers, " +
			"and the resident memory that this process and its children gained, children counted by their proportional share (Pss) so that the binary they share counts once. " +
			"A goroutine costs its stack and a little heap; a worker process, a Go runtime of its own. Points: median; " + whiskers(allCI) + ".",
		Tiles:  [][]*plot.Plot{{p}},
		Legend: leg,
		Width:  vg.Points(720),
		Height: vg.Points(430),
	}, ""
}
