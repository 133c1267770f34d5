package report

import (
	"image/color"
	"math"
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
