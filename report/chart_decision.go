package report

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// decisionChart places each workload by its sequential run's CPU use and
// the chosen model's speedup, labelled with its verdict.
func decisionChart(a *Analysis, pal *palettes) (*Chart, string) {
	var pts plotter.XYs
	var labels []string
	var cols []color.Color
	maxX, maxY := 1.0, float64(a.Cores)
	for _, w := range a.Workloads {
		c := w.Choice
		if c == nil {
			c = w.Fastest()
		}
		if w.Sequential == nil || !w.Sequential.HasCPU || c == nil || math.IsNaN(c.Speedup.Center) {
			continue
		}
		x, y := w.Sequential.CPU.Center, c.Speedup.Center
		pts = append(pts, plotter.XY{X: x, Y: y})
		labels = append(labels, w.Name+": "+verdictLabel(w))
		cols = append(cols, pal.models.color(c.M.Model))
		maxX, maxY = max(maxX, x), max(maxY, y)
	}
	if len(pts) == 0 {
		return nil, "the run has no BenchmarkModels results with a sequential run that reports cpu-cores."
	}
	p := newPlot("", "CPU use of the sequential run (cores busy: 0 = waiting on IO, 1 = computing)", "speedup of the chosen model over sequential (×)")
	p.X.Min, p.X.Max = 0, maxX*1.15
	minY := 1.0
	for _, pt := range pts {
		minY = min(minY, pt.Y)
	}
	// IO work can gain tens of times what CPU work can: past 8× a log axis
	// keeps both readable.
	speedupAxis(&p.Y, minY, maxY, 1.2)

	noGain := dashed(plotter.XYs{{X: 0, Y: 1}, {X: p.X.Max, Y: 1}}, color.Gray{Y: 120})
	cores := dashed(plotter.XYs{{X: 0, Y: float64(a.Cores)}, {X: p.X.Max, Y: float64(a.Cores)}}, color.Black)
	split := dashed(plotter.XYs{{X: CPUBound, Y: p.Y.Min}, {X: CPUBound, Y: p.Y.Max}}, color.Gray{Y: 170})
	p.Add(noGain, cores, split)
	p.Add(label(CPUBound, p.Y.Max/1.05, "IO-bound ← → CPU-bound", 9, centredOn))
	p.Add(label(0, 1, " no gain (1×)", 8, aboveRight))
	p.Add(label(0, float64(a.Cores), fmt.Sprintf(" %d cores: the most CPU work can gain", a.Cores), 8, aboveRight))

	for i, pt := range pts {
		sc, err := plotter.NewScatter(plotter.XYs{pt})
		if err != nil {
			continue
		}
		sc.Color = cols[i]
		sc.Shape = draw.CircleGlyph{}
		sc.Radius = vg.Points(4)
		p.Add(sc)
	}
	p.Add(&sideLabels{pts: pts, texts: labels, style: textStyle(9, false)})

	leg := newLegend()
	seen := map[string]bool{}
	for _, w := range a.Workloads {
		// A point takes the colour of the model it is drawn for: the
		// choice, or the fastest where there is no verdict.
		c, what := w.Choice, "choice: "
		if c == nil {
			c, what = w.Fastest(), "fastest, no verdict: "
		}
		if c != nil && !seen[what+c.M.Model] {
			seen[what+c.M.Model] = true
			sc, _ := plotter.NewScatter(plotter.XYs{{}})
			sc.Color, sc.Shape, sc.Radius = pal.models.color(c.M.Model), draw.CircleGlyph{}, vg.Points(4)
			leg.Add(what+c.M.Model, sc)
		}
	}
	return &Chart{
		Title: chartTitle("Which model for which work: CPU use vs speedup", a),
		Caption: "One point per workload at the chosen model's paired speedup (the fastest model's where there is no verdict), labelled with the verdict: the models that cannot be told apart, the preferred first. Right: CPU-bound work, which can gain at most the number of cores. " +
			"Left: IO-bound work, which gains from waiting on many tasks at once. Below the grey line, concurrency did not pay.",
		Tiles:  [][]*plot.Plot{{p}},
		Legend: leg,
		Width:  vg.Points(760),
		Height: vg.Points(460),
	}, ""
}

// verdictLabel is a workload's verdict as a chart labels it: the set
// that cannot be told apart, the advice to stay sequential, or, without
// a verdict, the fastest model so marked.
func verdictLabel(w *Workload) string {
	switch v := w.Verdict; {
	case !v.Resolved:
		if f := w.Fastest(); f != nil {
			return "no verdict (fastest: " + f.M.Model + ")"
		}
		return "no verdict"
	case v.Sequential:
		return "stay sequential"
	default:
		return strings.Join(v.Set, " ≈ ")
	}
}

// sideLabels draws a label beside each point, on the side with more room,
// and spreads labels that would overlap apart with a leader line back to
// their point: CPU-bound workloads crowd near one core.
type sideLabels struct {
	pts   plotter.XYs
	texts []string
	style text.Style
}

func (l *sideLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	type item struct {
		x, y, ly vg.Length
		text     string
	}
	h := l.style.Height("Mg") * 1.15
	mid := (c.Min.X + c.Max.X) / 2
	var left, right []*item
	for i, pt := range l.pts {
		it := &item{x: trX(pt.X), y: trY(pt.Y), text: l.texts[i]}
		it.ly = it.y
		if it.x > mid {
			left = append(left, it)
		} else {
			right = append(right, it)
		}
	}
	gap := vg.Points(14)
	for _, side := range []struct {
		items []*item
		left  bool
	}{{left, true}, {right, false}} {
		items := side.items
		slices.SortStableFunc(items, func(a, b *item) int { return cmp.Compare(b.y, a.y) })
		for i := 1; i < len(items); i++ {
			items[i].ly = min(items[i].ly, items[i-1].ly-h)
		}
		if n := len(items); n > 0 && items[n-1].ly < c.Min.Y+h/2 {
			shift := c.Min.Y + h/2 - items[n-1].ly
			for _, it := range items {
				it.ly += shift
			}
		}
		st := l.style
		st.YAlign = draw.YCenter
		for _, it := range items {
			lx := it.x + gap
			st.XAlign = draw.XLeft
			if side.left {
				lx = it.x - gap
				st.XAlign = draw.XRight
			}
			c.StrokeLine2(draw.LineStyle{Color: color.Gray{Y: 140}, Width: vg.Points(0.5)}, it.x, it.y, lx, it.ly)
			c.FillText(st, vg.Point{X: lx, Y: it.ly}, it.text)
		}
	}
}
