package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// overheadRows returns the costs the overhead chart draws, cheapest
// first: every model's net cost (Cost.Cost) when the run measured it,
// sequential left out since its net cost is zero by construction, and
// apart those whose net cost is not above zero, which a log axis cannot
// place. A run without net figures draws every gross one.
func overheadRows(a *Analysis) (drawn, free []*Cost) {
	for _, c := range a.Overhead {
		switch {
		case c.HasNet && c.M.Model == ModelSequential:
		case c.Cost().Center > 0:
			drawn = append(drawn, c)
		default:
			free = append(free, c)
		}
	}
	slices.SortStableFunc(drawn, func(x, y *Cost) int { return cmp.Compare(x.Cost().Center, y.Cost().Center) })
	return drawn, free
}

// harness returns sequential's gross cost per task, the harness's own,
// when the run measured net costs.
func harness(a *Analysis) (Summary, bool) {
	for _, c := range a.Overhead {
		if c.HasNet && c.M.Model == ModelSequential {
			return c.PerTask, true
		}
	}
	return Summary{}, false
}

// overheadChart draws each model's dispatch cost per task on a log axis,
// cheapest at the top: net of the harness, with the gross figure in its
// label, when the run has both.
func overheadChart(a *Analysis, pal *palettes) (*Chart, string) {
	if len(a.Overhead) == 0 {
		return nil, "the run has no BenchmarkOverhead results."
	}
	drawn, free := overheadRows(a)
	if len(drawn) == 0 {
		return nil, "no model's cost per task is above zero."
	}
	seq, net := harness(a)
	xlabel := "time per task (lower is better, log scale)"
	title := "Dispatch overhead per task (log scale)"
	if net {
		xlabel = "time per task beyond sequential's (lower is better, log scale)"
		title = "Dispatch overhead per task, net of the harness (log scale)"
	}
	p := newPlot("", xlabel, "")
	var names []string
	allCI, lo, hi := true, math.Inf(1), 0.0
	cut := false
	n := len(drawn)
	for i, c := range drawn {
		y := float64(n - 1 - i)
		names = append(names, c.M.Model)
		s := c.Cost()
		sc, err := plotter.NewScatter(plotter.XYs{{X: s.Center, Y: y}})
		if err != nil {
			continue
		}
		sc.Color = pal.models.color(c.M.Model)
		sc.Shape = draw.CircleGlyph{}
		sc.Radius = vg.Points(4)
		text := " " + formatDuration(s.Center*1e-9)
		if c.HasNet {
			text += " (" + formatDuration(c.PerTask.Center*1e-9) + " gross)"
		}
		// A whisker that reaches zero or below (noise around the
		// harness's cost) stops at a tenth of its point.
		bar := s
		if bar.Lo < s.Center/10 {
			bar.Lo, cut = s.Center/10, true
		}
		p.Add(xErrorBars(bar, y), sc, label(s.Hi, y, text, 9, rightOf))
		allCI = allCI && s.CI
		lo, hi = min(lo, bar.Lo), max(hi, s.Hi)
	}
	slices.Reverse(names)
	p.NominalY(names...)
	// Whole decades, with room on the right for the labels.
	logAxis(&p.X, math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi*30))), durationTicks{})
	caption := "What each model costs per task on tasks that do nothing: handing the task out, running it, gathering its result. "
	if net {
		caption += fmt.Sprintf("Each point is the model's cost less sequential's (%s per task, the harness itself: calling the task, its slot, the digest, the context check), "+
			"measured batch by batch next to a sequential batch; the label gives the gross cost too. ", formatDuration(seq.Center*1e-9))
	}
	if len(free) > 0 {
		var fs []string
		for _, c := range free {
			fs = append(fs, c.M.Model)
		}
		caption += "No measurable cost beyond sequential's, so not drawn: " + strings.Join(fs, ", ") + ". "
	}
	caption += "Cheapest first. Work much longer than this per task repays any model; shorter work is eaten by it. Points: median; " + whiskers(allCI)
	if cut {
		caption += "; a whisker that reaches zero or below stops at a tenth of its point"
	}
	caption += "."
	return &Chart{
		Title:   chartTitle(title, a),
		Caption: caption,
		Tiles:   [][]*plot.Plot{{p}},
		Width:   vg.Points(660),
		Height:  vg.Points(90 + 28*float64(n)),
	}, ""
}

// durationTicks label a log axis of nanoseconds at each power of ten, as
// durations: 100 ns, 1 µs, 10 µs.
type durationTicks struct{}

func (durationTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) {
		return nil
	}
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)) && e < 300; e++ {
		v := math.Pow(10, e)
		if v >= lo && v <= hi {
			ticks = append(ticks, plot.Tick{Value: v, Label: decade(v)})
		}
		for k := 2.0; k < 10; k++ {
			if m := k * v; m >= lo && m <= hi {
				ticks = append(ticks, plot.Tick{Value: m})
			}
		}
	}
	return ticks
}

// decade writes a power of ten of nanoseconds as a duration with no
// decimals: "10 ns", "1 µs".
func decade(ns float64) string {
	d := formatDuration(ns * 1e-9)
	num, unit, _ := strings.Cut(d, " ")
	if strings.Contains(num, ".") {
		num = strings.TrimRight(strings.TrimRight(num, "0"), ".")
	}
	return num + " " + unit
}
