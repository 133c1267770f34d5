package report

import (
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

// A decisionRow is one workload of the decision chart: every model's
// paired speedup, and which of them the verdict rule (Decide, through
// Workload.Verdict) could not tell apart.
type decisionRow struct {
	w       *Workload
	label   string // the workload
	verdict string // verdictLabel
	dots    []decisionDot
}

// A decisionDot is one model's speedup on a row.
type decisionDot struct {
	model   string
	speedup Ratio
	inSet   bool // in the verdict's set: cannot be told apart from the fastest
	choice  bool // the set's preferred model
	apart   bool // left out of the contest: another number of tasks in flight
}

// decisionRows lists the rows of the decision chart, one per workload
// of the main matrix with a sequential run and some speedup: CPU-bound
// work first, then work of unknown kind, then waiting work, each in
// matrix order; dots in model order.
func decisionRows(a *Analysis) []decisionRow {
	var rows []decisionRow
	ws := slices.Clone(a.Workloads)
	kind := func(w *Workload) int { return slices.Index([]string{KindCPU, KindUnknown, KindIO}, w.Kind) }
	slices.SortStableFunc(ws, func(x, y *Workload) int { return kind(x) - kind(y) })
	for _, w := range ws {
		if w.Sequential == nil {
			continue
		}
		v := w.Verdict
		row := decisionRow{w: w, label: workloadLabel(w, a), verdict: verdictLabel(w)}
		for _, c := range w.Cells {
			if c == w.Sequential || math.IsNaN(c.Speedup.Center) {
				continue
			}
			m := c.M.Model
			row.dots = append(row.dots, decisionDot{
				model:   m,
				speedup: c.Speedup,
				inSet:   v.Resolved && slices.Contains(v.Set, m),
				choice:  v.Resolved && m == v.Choice,
				apart:   slices.Contains(w.Apart, c),
			})
		}
		if len(row.dots) > 0 {
			rows = append(rows, row)
		}
	}
	return rows
}

// decisionChart is a dot plot with one row per workload: each model's
// paired speedup over sequential with its interval, the verdict's set
// filled, the others hollow, and the verdict in words beside the
// workload's name.
func decisionChart(a *Analysis, pal *palettes) (*Chart, string) {
	rows := decisionRows(a)
	if len(rows) == 0 {
		return nil, "the run has no BenchmarkModels results with a sequential run to compare with."
	}
	var models []string // in model order, as every chart lists them
	lo, hi := 1.0, float64(a.Cores)
	allCI := true
	for _, r := range rows {
		for _, d := range r.dots {
			if !slices.Contains(models, d.model) {
				models = append(models, d.model)
			}
			lo, hi = min(lo, d.speedup.Lo, d.speedup.Center), max(hi, d.speedup.Hi, d.speedup.Center)
			allCI = allCI && d.speedup.CI
		}
	}
	slices.SortStableFunc(models, func(x, y string) int { return pal.models.index(x) - pal.models.index(y) })

	p := newPlot("", "paired speedup over sequential (×, log scale; right of 1× is faster)", "")
	n := len(rows)
	var ticks plot.ConstantTicks
	// Models sit at their own height within a row, so that equal
	// speedups do not hide each other; x stays the measured value.
	offset := func(m string) float64 {
		if len(models) == 1 {
			return 0
		}
		return 0.36 - 0.72*float64(slices.Index(models, m))/float64(len(models)-1)
	}
	verdicts := &verdictTexts{style: textStyle(9, false)}
	for i, r := range rows {
		y := float64(n - 1 - i) // the first workload on top
		ticks = append(ticks, plot.Tick{Value: y, Label: r.label})
		vt := verdictText{y: y, text: r.verdict, lo: math.Inf(1), hi: math.Inf(-1)}
		for _, d := range r.dots {
			vt.lo, vt.hi = min(vt.lo, d.speedup.Lo, d.speedup.Center), max(vt.hi, d.speedup.Hi, d.speedup.Center)
		}
		verdicts.rows = append(verdicts.rows, vt)
		if i > 0 {
			p.Add(rule(plotter.XYs{{X: lo / 2, Y: y + 0.5}, {X: hi * 2, Y: y + 0.5}}, color.Gray{Y: 215}))
		}
		for _, d := range r.dots {
			dy := y + offset(d.model)
			bars := xErrorBars(Summary{Center: d.speedup.Center, Lo: max(d.speedup.Lo, d.speedup.Center/1000), Hi: d.speedup.Hi}, dy)
			if b, ok := bars.(*plotter.XErrorBars); ok {
				b.Color = pal.models.faint(d.model)
				b.CapWidth = vg.Points(3)
			}
			p.Add(bars)
			filled, hollow := dotShapes(&pal.models, d.model)
			p.Add(decisionGlyph(d, dy, pal.models.color(d.model), filled, hollow))
		}
	}
	p.Add(verdicts)
	p.Y.Tick.Marker = ticks
	p.Y.Tick.Label.Font.Size = vg.Points(9)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.1
	logAxis(&p.X, lo/1.3, hi*1.3, speedupTicks(lo/1.3, hi*1.3))

	top := float64(n) - 0.35
	refs := []struct {
		x    float64
		text string
		c    color.Color
	}{{1, "1×: no gain", color.Gray{Y: 110}}, {float64(a.Cores), fmt.Sprintf("%d×: %d cores", a.Cores, a.Cores), color.Black}}
	for i, r := range refs {
		if i > 0 && r.x == refs[0].x {
			continue
		}
		p.Add(dashed(plotter.XYs{{X: r.x, Y: p.Y.Min}, {X: r.x, Y: top - 0.15}}, r.c))
		p.Add(label(r.x, top, r.text, 8, centredOn))
	}

	leg := newLegend()
	for _, m := range models {
		filled, _ := dotShapes(&pal.models, m)
		leg.Add(m, legendGlyph(pal.models.color(m), filled))
	}
	leg.Add("filled: in the verdict", legendGlyph(color.Gray{Y: 60}, draw.CircleGlyph{}))
	leg.Add("ringed: the choice", legendGlyph(color.Black, draw.RingGlyph{}))
	leg.Add("hollow: slower", legendGlyph(color.Gray{Y: 60}, draw.RingGlyph{}))
	width := vg.Points(880)
	return &Chart{
		Title: chartTitle("Which model for which work: each model's speedup, the verdict filled", a),
		Caption: "One row per workload, one dot per model at its paired speedup over sequential (the median of each sample's ratio to the sequential sample of its round); " + whiskers(allCI) + ". " +
			"Filled dots: the verdict, the models that cannot be told apart from the fastest (" + fmt.Sprintf("Holm-corrected sign tests, α = %.2f", Alpha) + "); the ringed one is the choice among them. Hollow dots: models measurably slower, or, for spawn on waiting work, run with another number of tasks in flight and so not compared. " +
			"Within a row the models sit top to bottom in the legend's order. " +
			"Beside each workload, the verdict in words: stay sequential unless the choice's interval starts at " + Ratio{Center: MinSpeedup}.Short() + " or more. CPU-bound work gains at most the number of cores; waiting work, far more.",
		Tiles:  [][]*plot.Plot{{p}},
		Legend: leg,
		Width:  width,
		Height: vg.Points(90 + max(34, 4.5*float64(len(models)))*float64(n)),
	}, ""
}

// verdictTexts writes each row's verdict beside its dots, on the side
// with room: right of CPU work's, left of waiting work's.
type verdictTexts struct {
	rows  []verdictText
	style text.Style
}

// A verdictText is one row's verdict and the span, in speedup, of its
// dots and whiskers.
type verdictText struct {
	y, lo, hi float64
	text      string
}

func (v *verdictTexts) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	gap := vg.Points(8)
	for _, r := range v.rows {
		st := v.style
		st.YAlign = draw.YCenter
		w := st.Width(r.text)
		x := trX(r.hi) + gap
		st.XAlign = draw.XLeft
		if x+w > c.Max.X {
			x, st.XAlign = trX(r.lo)-gap, draw.XRight
			if x-w < c.Min.X { // no room on either side: over the right edge's dots
				x = c.Max.X
			}
		}
		c.FillText(st, vg.Point{X: x, Y: trY(r.y)}, r.text)
	}
}

// decisionGlyph draws one model's dot: filled in the verdict's set,
// ringed in black as the choice, hollow otherwise.
func decisionGlyph(d decisionDot, y float64, c color.Color, filled, hollow draw.GlyphDrawer) plot.Plotter {
	pts := plotter.XYs{{X: d.speedup.Center, Y: y}}
	dots := &multiGlyph{}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return plotter.NewGrid() // unreachable for the finite values the reader admits
	}
	sc.Color, sc.Radius = c, vg.Points(3)
	sc.Shape = hollow
	if d.inSet {
		sc.Shape = filled
	}
	dots.add(sc)
	if d.choice {
		ring, _ := plotter.NewScatter(pts)
		ring.Color, ring.Radius, ring.Shape = color.Black, vg.Points(5), draw.RingGlyph{}
		dots.add(ring)
	}
	return dots
}

// dotShapes returns a model's dot, filled and hollow: circles while
// colours last, squares for the models whose colour repeats an earlier
// one's.
func dotShapes(pal *palette, model string) (filled, hollow draw.GlyphDrawer) {
	if pal.index(model) >= len(colors) {
		return draw.BoxGlyph{}, hollowBox{}
	}
	return draw.CircleGlyph{}, draw.RingGlyph{}
}

// multiGlyph draws scatters one after another.
type multiGlyph struct{ s []*plotter.Scatter }

func (m *multiGlyph) add(s *plotter.Scatter) { m.s = append(m.s, s) }

func (m *multiGlyph) Plot(c draw.Canvas, p *plot.Plot) {
	for _, s := range m.s {
		s.Plot(c, p)
	}
}

// legendGlyph is a legend's sample of a dot.
func legendGlyph(c color.Color, shape draw.GlyphDrawer) plot.Thumbnailer {
	sc, _ := plotter.NewScatter(plotter.XYs{{}})
	sc.Color, sc.Radius, sc.Shape = c, vg.Points(3.5), shape
	return sc
}

// rule is a thin solid line through pts: a separator.
func rule(pts plotter.XYs, c color.Color) *plotter.Line {
	l, err := plotter.NewLine(pts)
	if err != nil {
		l = &plotter.Line{}
	}
	l.Color, l.Width = c, vg.Points(0.5)
	return l
}

// speedupTicks labels a log speedup axis from lo to hi at 1, 2, 4… and
// 0.5, 0.25… below 1.
func speedupTicks(lo, hi float64) plot.ConstantTicks {
	var ticks plot.ConstantTicks
	for v := 0.5; v >= lo && v > 1e-6; v /= 2 {
		ticks = append(ticks, plot.Tick{Value: v, Label: Ratio{Center: v}.Short()})
	}
	slices.Reverse(ticks)
	for v := 1.0; v <= hi && v < 1e12; v *= 2 {
		ticks = append(ticks, plot.Tick{Value: v, Label: fmtFixed(v, 0) + "×"})
	}
	return ticks
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
