package report

import (
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// whiskers says what the error bars of a chart show.
func whiskers(ci bool) string {
	if ci {
		return "whiskers: 95% confidence interval of the median"
	}
	return "whiskers: smallest to largest sample (too few samples for a 95% confidence interval)"
}

// A series is one line of a chart: points joined by a line, each point
// with a whisker from its low to its high bound. The zero value is an
// empty series.
type series struct {
	pts    plotter.XYs
	errs   plotter.YErrors
	spread bool // some whisker is the samples' spread, not a confidence interval
}

// add appends the point (x, y) with a whisker from lo to hi; ci says
// whether they bound a 95% confidence interval.
func (s *series) add(x, y, lo, hi float64, ci bool) {
	s.pts = append(s.pts, plotter.XY{X: x, Y: y})
	// A whisker that reaches zero or below (an interval from a file
	// that does not bound its median sensibly) is cut just above zero:
	// a log axis, which many charts use, cannot place it.
	lo = max(lo, y/1000)
	s.errs = append(s.errs, struct{ Low, High float64 }{y - lo, hi - y})
	s.spread = s.spread || !ci
}

// draw adds s to p in name's color, dashes and glyph, with faint
// whiskers so that they do not hide the lines, and returns what a legend
// entry for it shows; nil when s has nothing to draw.
func (s *series) draw(p *plot.Plot, pal *palette, name string) []plot.Thumbnailer {
	if len(s.pts) == 0 {
		return nil
	}
	line, points, err := plotter.NewLinePoints(s.pts)
	if err != nil {
		return nil // a value the reader already rejected: not finite
	}
	col := pal.color(name)
	line.Color, points.Color = col, col
	line.Dashes = pal.dashes(name)
	line.Width = vg.Points(1.5)
	points.Shape = pal.glyph(name)
	if bars, err := plotter.NewYErrorBars(struct {
		plotter.XYs
		plotter.YErrors
	}{s.pts, s.errs}); err == nil {
		bars.Color = pal.faint(name)
		p.Add(bars)
	}
	p.Add(line, points)
	return []plot.Thumbnailer{line, points}
}

// grid lays panels out in rows of at most three, the last row possibly
// short, and returns the rows and how many columns and rows they make.
func grid(panels []*plot.Plot) (tiles [][]*plot.Plot, cols, rows int) {
	if len(panels) == 0 {
		return nil, 0, 0
	}
	cols = min(3, len(panels))
	for i := 0; i < len(panels); i += cols {
		tiles = append(tiles, panels[i:min(i+cols, len(panels))])
	}
	return tiles, cols, len(tiles)
}

// logAxis puts ax on a logarithmic scale from lo to hi, labelled by
// ticks, or at powers of ten when ticks is nil. A zero lo or hi leaves
// that end to the data.
func logAxis(ax *plot.Axis, lo, hi float64, ticks plot.Ticker) {
	ax.Scale = plot.LogScale{}
	if ticks == nil {
		ticks = plot.LogTicks{Prec: -1}
	}
	ax.Tick.Marker = ticks
	if lo > 0 {
		ax.Min = lo
	}
	if hi > 0 {
		ax.Max = hi
	}
}

// logTicks125 label a log axis at 1, 2 and 5 times each power of ten
// (short: 2k, 50k), with the other integers of each decade as unlabelled
// marks: a panel spanning less than a decade still gets labels. Past a
// factor of 50 only the powers of ten are labelled, so that labels do
// not run into each other in a narrow panel.
type logTicks125 struct{}

func (logTicks125) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	if !(lo > 0) || !(hi > lo) {
		return nil
	}
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)) && e < 300; e++ {
		base := math.Pow(10, e)
		for m := 1; m <= 9; m++ {
			v := float64(m) * base
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || (m == 2 || m == 5) && hi/lo <= 50 {
				t.Label = compactNumber(v)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// logAxisAt puts ax on a logarithmic scale labelled at exactly the
// values xs, which must not be empty, and spanning from the smallest over
// pad to the largest times pad: the axis of a sweep over workers,
// GOMAXPROCS or tasks in flight.
func logAxisAt(ax *plot.Axis, xs []int, pad float64) {
	xs = distinct(xs)
	logAxis(ax, float64(xs[0])/pad, float64(xs[len(xs)-1])*pad, intTicks(xs))
}

// speedupAxis spans a speedup axis over speedups from lo to hi: linear
// from 0 to pad times hi (at least 1), or, when hi passes 8 as waiting
// work's speedups do, logarithmic with ticks at powers of two from
// min(lo, 1)/1.5 to 1.5 hi, so that the first steps stay readable. It
// reports whether it chose the log scale, which the axis label then says.
func speedupAxis(ax *plot.Axis, lo, hi, pad float64) (log bool) {
	if hi <= 8 || lo <= 0 {
		ax.Min, ax.Max = 0, max(hi, 1)*pad
		return false
	}
	lo, hi = min(lo, 1)/1.5, hi*1.5
	var ticks []int
	// v stops short of overflowing: a speedup read from a file can be
	// absurdly large.
	for v := 1; float64(v) <= hi && v < 1<<62; v *= 2 {
		ticks = append(ticks, v)
	}
	logAxis(ax, lo, hi, intTicks(ticks))
	ax.Label.Text += ", log scale"
	return true
}

// distinct returns the values of xs in ascending order, once each.
func distinct(xs []int) []int {
	return slices.Compact(slices.Sorted(slices.Values(xs)))
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

// dotted is dashed with short dots: a second reference line beside a
// dashed one.
func dotted(pts plotter.XYs, c color.Color) *plotter.Line {
	l := dashed(pts, c)
	l.Dashes = []vg.Length{vg.Points(1.5), vg.Points(2)}
	return l
}

// intTicks labels exactly the given x values.
func intTicks(xs []int) plot.ConstantTicks {
	var ticks plot.ConstantTicks
	for _, x := range xs {
		ticks = append(ticks, plot.Tick{Value: float64(x), Label: strconv.Itoa(x)})
	}
	return ticks
}
