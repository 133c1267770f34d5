package report

import (
	"cmp"
	"fmt"
	"image/color"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A chartMaker draws one chart of a page from an analysis, or says why it
// cannot.
type chartMaker struct {
	name, title string
	make        func(a *Analysis, pal *palettes) (*Chart, string)
}

// chartMakers lists the charts of a page, in page order.
var chartMakers = []chartMaker{
	{"decision", "Which model for which work", decisionChart},
	{"throughput", "Throughput by model", throughputChart},
	{"speedup", "Speedup vs workers", speedupChart},
	{"gomaxprocs", "Speedup vs GOMAXPROCS", gomaxprocsChart},
	{"io", "IO throughput vs concurrency", ioChart},
	{"overhead", "Dispatch overhead per task", overheadChart},
}

// ChartNames lists the file names (without extension) of every chart a
// page can have, in page order.
func ChartNames() []string {
	names := make([]string, len(chartMakers))
	for i, m := range chartMakers {
		names[i] = m.name
	}
	return names
}

// palettes keeps colors stable across a page's charts.
type palettes struct{ models, workloads palette }

// Charts draws every chart that a's data allows, and lists the others with
// the reason each is missing.
func Charts(a *Analysis) ([]*Chart, []Missing) {
	pal := &palettes{}
	for _, m := range a.Models {
		pal.models.index(m)
	}
	for _, w := range a.Workloads {
		pal.workloads.index(w.Name)
	}
	var charts []*Chart
	var missing []Missing
	for _, m := range chartMakers {
		ch, why := m.make(a, pal)
		if ch == nil {
			missing = append(missing, Missing{Name: m.name, Title: m.title, Reason: why})
			continue
		}
		ch.Name = m.name
		charts = append(charts, ch)
	}
	return charts, missing
}

// whiskers says what the error bars of a chart show.
func whiskers(ci bool) string {
	if ci {
		return "whiskers: 95% confidence interval of the median"
	}
	return "whiskers: smallest to largest sample (too few samples for a 95% confidence interval)"
}

// throughputChart draws one small bar chart per workload: each model's
// median throughput, whiskers, and its speedup over sequential.
func throughputChart(a *Analysis, pal *palettes) (*Chart, string) {
	var ws []*Workload
	for _, w := range a.Workloads {
		if len(w.Cells) > 0 {
			ws = append(ws, w)
		}
	}
	if len(ws) == 0 {
		return nil, "the run has no BenchmarkModels results."
	}
	cols := min(3, len(ws))
	rows := (len(ws) + cols - 1) / cols
	tiles := make([][]*plot.Plot, rows)
	allCI, most := true, 0
	for i, w := range ws {
		p := newPlot(workloadLabel(w, a), w.Unit+" (higher is better)", "")
		var names []string
		n := len(w.Cells)
		most = max(most, n)
		for j, c := range w.Cells {
			y := float64(n - 1 - j) // the first model on top
			names = append(names, c.M.Model)
			bar, err := plotter.NewBarChart(plotter.Values{c.Throughput.Center}, vg.Points(9))
			if err != nil {
				continue // a value the reader already rejected: not finite
			}
			bar.Horizontal, bar.XMin = true, y
			bar.LineStyle.Width = 0
			bar.Color = pal.models.color(c.M.Model)
			p.Add(bar, xErrorBars(c.Throughput, y))
			allCI = allCI && c.Throughput.CI
			if !math.IsNaN(c.Speedup.Center) && c.M.Model != ModelSequential {
				p.Add(label(c.Throughput.Hi, y, fmt.Sprintf(" ×%.2f", c.Speedup.Center), 8, rightOf))
			}
		}
		slices.Reverse(names)
		p.NominalY(names...)
		p.X.Min = 0
		p.X.Max = maxHi(w.Cells) * 1.3 // room for the speedup labels
		tiles[i/cols] = append(tiles[i/cols], p)
	}
	return &Chart{
		Title: chartTitle("Throughput by model, median of each batch (higher is better)", a),
		Caption: "One panel per workload. Bars: median throughput of each model; grey: the sequential baseline; " +
			"the number after each bar: its speedup over sequential; " + whiskers(allCI) + ".",
		Tiles:  tiles,
		Width:  vg.Points(250 * float64(cols)),
		Height: vg.Points(40 + float64(rows)*(float64(most)*16+70)),
	}, ""
}

// workloadLabel names a workload in a chart or table, with its parameters
// and GOMAXPROCS where the matrix holds it at more than one.
func workloadLabel(w *Workload, a *Analysis) string {
	label := w.Name
	params, procs := false, false
	for _, o := range a.Workloads {
		if o != w && o.Name == w.Name {
			params = params || o.Params != w.Params
			procs = procs || o.GOMAXPROCS != w.GOMAXPROCS
		}
	}
	if params {
		label += " " + w.Params
	}
	if procs {
		label += fmt.Sprintf(" GOMAXPROCS=%d", w.GOMAXPROCS)
	}
	return label
}

func maxHi(cells []*Cell) float64 {
	m := 0.0
	for _, c := range cells {
		m = max(m, c.Throughput.Hi)
	}
	return m
}

// speedupChart draws the pool's speedup over sequential against workers.
func speedupChart(a *Analysis, pal *palettes) (*Chart, string) {
	curves := cpuCurves(a.Scaling)
	if len(curves) == 0 {
		return nil, "the run has no BenchmarkScaling results for the pool model with a sequential baseline (the quick and full profiles run them)."
	}
	return sweepChart(a, pal, curves,
		"Speedup of the worker pool over sequential, by workers (× faster)",
		"workers (goroutines in the pool)",
		"ideal: min(workers, cores)",
		"One line per CPU-bound workload: how many times faster than sequential the pool ran with each number of workers, at GOMAXPROCS = cores. "+
			"The dashed line is perfect scaling, which stops at the number of cores.")
}

// gomaxprocsChart draws the pinned model's speedup against GOMAXPROCS.
func gomaxprocsChart(a *Analysis, pal *palettes) (*Chart, string) {
	curves := cpuCurves(a.Pinned)
	if len(curves) == 0 {
		return nil, "the run has no BenchmarkScaling results for the pinned model with a sequential baseline (the quick and full profiles run them)."
	}
	return sweepChart(a, pal, curves,
		"Speedup over sequential by GOMAXPROCS, pinned model (× faster)",
		"GOMAXPROCS (OS threads running Go code; workers = GOMAXPROCS)",
		"ideal: min(GOMAXPROCS, cores)",
		"One line per CPU-bound workload: the same pool run under GOMAXPROCS = 1, 2, 4…, as go's runtime.GOMAXPROCS allows. "+
			"GOMAXPROCS = 1 is Go's event loop: one thread, any number of goroutines. The dashed line is perfect scaling.")
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

// sweepChart draws speedup curves against a log2 x axis, with the ideal.
func sweepChart(a *Analysis, pal *palettes, curves []*Curve, title, xlabel, ideal, caption string) (*Chart, string) {
	p := newPlot("", xlabel, "speedup over sequential (×)")
	leg := newLegend()
	var xs []int
	allCI, top := true, 1.0
	for i, c := range curves {
		var pts plotter.XYs
		var errs plotter.YErrors
		for _, pt := range c.Points {
			x := pt.X()
			xs = append(xs, x)
			pts = append(pts, plotter.XY{X: dodge(float64(x), i, len(curves)), Y: pt.Speedup.Center})
			errs = append(errs, struct{ Low, High float64 }{pt.Speedup.Center - pt.Speedup.Lo, pt.Speedup.Hi - pt.Speedup.Center})
			allCI = allCI && pt.Speedup.CI
			top = max(top, pt.Speedup.Hi)
		}
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			continue
		}
		col := pal.workloads.color(c.Workload)
		line.Color, points.Color = col, col
		line.Dashes = pal.workloads.dashes(c.Workload)
		points.Shape = pal.workloads.glyph(c.Workload)
		line.Width = vg.Points(1.5)
		bars, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{pts, errs})
		if err == nil {
			bars.Color = pal.workloads.faint(c.Workload)
			p.Add(bars)
		}
		p.Add(line, points)
		leg.Add(c.Workload, line, points)
	}
	slices.Sort(xs)
	xs = slices.Compact(xs)
	lo, hi := xs[0], xs[len(xs)-1]
	idealLine := dashed(plotter.XYs{{X: float64(lo), Y: float64(min(lo, a.Cores))}, {X: float64(min(max(a.Cores, lo), hi)), Y: float64(min(max(a.Cores, lo), hi))}, {X: float64(hi), Y: float64(min(hi, a.Cores))}}, color.Black)
	p.Add(idealLine)
	leg.Add(ideal, idealLine)
	top = max(top, float64(min(hi, a.Cores)))

	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = intTicks(xs)
	p.X.Min, p.X.Max = float64(lo)/1.15, float64(hi)*1.15
	p.Y.Min, p.Y.Max = 0, top*1.1
	return &Chart{
		Title:   chartTitle(title, a),
		Caption: caption + " Points: median; " + whiskers(allCI) + ".",
		Tiles:   [][]*plot.Plot{{p}},
		Legend:  leg,
		Width:   vg.Points(720),
		Height:  vg.Points(430),
	}, ""
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
	cols := min(3, len(order))
	rows := (len(order) + cols - 1) / cols
	tiles := make([][]*plot.Plot, rows)
	leg := newLegend()
	inLegend := map[string]bool{}
	allCI, floors := true, false
	unit := byWorkload[order[0]][0].Unit
	for i, w := range order {
		p := newPlot(w, "tasks in flight", unit+" (higher is better, log scale)")
		var xs []int
		floor := map[int]float64{} // the same for every model at one concurrency
		for _, c := range byWorkload[w] {
			col := pal.models.color(c.Model)
			var pts plotter.XYs
			var errs plotter.YErrors
			for _, pt := range c.Points {
				xs = append(xs, pt.X())
				pts = append(pts, plotter.XY{X: float64(pt.X()), Y: pt.Throughput.Center})
				errs = append(errs, struct{ Low, High float64 }{pt.Throughput.Center - pt.Throughput.Lo, pt.Throughput.Hi - pt.Throughput.Center})
				allCI = allCI && pt.Throughput.CI
				if pt.HasFloor {
					floor[pt.X()] = pt.Floor.Center
				}
			}
			line, points, err := plotter.NewLinePoints(pts)
			if err != nil {
				continue
			}
			line.Color, points.Color = col, col
			points.Shape = pal.models.glyph(c.Model)
			line.Width = vg.Points(1.5)
			if bars, err := plotter.NewYErrorBars(struct {
				plotter.XYs
				plotter.YErrors
			}{pts, errs}); err == nil {
				bars.Color = col
				p.Add(bars)
			}
			p.Add(line, points)
			if !inLegend[c.Model] {
				leg.Add(c.Model, line, points)
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
		slices.Sort(xs)
		xs = slices.Compact(xs)
		p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
		p.X.Tick.Marker = intTicks(xs)
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
		p.X.Min, p.X.Max = float64(xs[0])/1.3, float64(xs[len(xs)-1])*1.3
		tiles[i/cols] = append(tiles[i/cols], p)
	}
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

// overheadChart draws each model's dispatch cost per task on a log axis.
func overheadChart(a *Analysis, pal *palettes) (*Chart, string) {
	if len(a.Overhead) == 0 {
		return nil, "the run has no BenchmarkOverhead results."
	}
	p := newPlot("", "ns per task (lower is better, log scale)", "")
	var names []string
	allCI, lo, hi := true, math.Inf(1), 0.0
	n := len(a.Overhead)
	for i, c := range a.Overhead {
		y := float64(n - 1 - i)
		names = append(names, c.M.Model)
		s := c.PerTask
		pts := plotter.XYs{{X: s.Center, Y: y}}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			continue
		}
		sc.Color = pal.models.color(c.M.Model)
		sc.Shape = draw.CircleGlyph{}
		sc.Radius = vg.Points(4)
		p.Add(xErrorBars(s, y), sc, label(s.Hi, y, " "+formatValue(s.Center)+" ns", 9, rightOf))
		allCI = allCI && s.CI
		lo, hi = min(lo, s.Lo), max(hi, s.Hi)
	}
	slices.Reverse(names)
	p.NominalY(names...)
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	p.X.Min = math.Pow(10, math.Floor(math.Log10(lo)))
	p.X.Max = math.Pow(10, math.Ceil(math.Log10(hi*3)))
	return &Chart{
		Title: chartTitle("Dispatch overhead per task (ns, log scale)", a),
		Caption: "What each model costs per task on tasks that do nothing: handing the task out, running it, gathering its result. " +
			"Work much longer than this per task repays any model; shorter work is eaten by it. Points: median; " + whiskers(allCI) + ".",
		Tiles:  [][]*plot.Plot{{p}},
		Width:  vg.Points(620),
		Height: vg.Points(90 + 28*float64(n)),
	}, ""
}

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
	p.Y.Min, p.Y.Max = 0, maxY*1.2
	if maxY > 8 {
		// IO work can gain tens of times what CPU work can: a log axis
		// keeps both readable.
		minY := 1.0
		for _, pt := range pts {
			minY = min(minY, pt.Y)
		}
		p.Y.Scale = plot.LogScale{}
		p.Y.Min, p.Y.Max = minY/1.5, maxY*1.5
		var ticks []int
		for v := 1; float64(v) <= p.Y.Max; v *= 2 {
			ticks = append(ticks, v)
		}
		p.Y.Tick.Marker = intTicks(ticks)
		p.Y.Label.Text += ", log scale"
	}

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

// xErrorBars returns a horizontal whisker from s.Lo to s.Hi at height y.
func xErrorBars(s Summary, y float64) plot.Plotter {
	bars, err := plotter.NewXErrorBars(struct {
		plotter.XYs
		plotter.XErrors
	}{plotter.XYs{{X: s.Center, Y: y}}, plotter.XErrors{{Low: s.Center - s.Lo, High: s.Hi - s.Center}}})
	if err != nil {
		return plotter.NewGrid() // unreachable for the finite values the reader admits
	}
	bars.CapWidth = vg.Points(6)
	return bars
}

// A placement says where a label goes relative to its point.
type placement int

const (
	rightOf    placement = iota // starting at the point, centred on it vertically
	centredOn                   // centred on the point
	aboveRight                  // starting at the point, just above it
)

// label returns the text s at (x, y), at size points, placed by pl.
func label(x, y float64, s string, size vg.Length, pl placement) plot.Plotter {
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x, Y: y}}, Labels: []string{s}})
	if err != nil {
		return plotter.NewGrid()
	}
	st := textStyle(size, false)
	st.XAlign, st.YAlign = draw.XLeft, draw.YCenter
	switch pl {
	case centredOn:
		st.XAlign = draw.XCenter
	case aboveRight:
		st.YAlign = draw.YBottom
		l.Offset = vg.Point{Y: vg.Points(2)}
	}
	l.TextStyle = []text.Style{st}
	return l
}

// dashed returns a dashed line through pts.
func dashed(pts plotter.XYs, c color.Color) *plotter.Line {
	l, err := plotter.NewLine(pts)
	if err != nil {
		l = &plotter.Line{}
	}
	l.Color = c
	l.Width = vg.Points(1)
	l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	return l
}

// dodge shifts series i of n a little along a log x axis, so that the
// whiskers of series at the same x do not hide each other.
func dodge(x float64, i, n int) float64 {
	return x * math.Exp2(0.03*(float64(i)-float64(n-1)/2))
}

// intTicks labels exactly the given x values.
func intTicks(xs []int) plot.ConstantTicks {
	var ticks plot.ConstantTicks
	for _, x := range xs {
		ticks = append(ticks, plot.Tick{Value: float64(x), Label: strconv.Itoa(x)})
	}
	return ticks
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
