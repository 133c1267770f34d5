package report

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// sans is the charts' typeface: a sans-serif reads better at small sizes.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// textStyle returns the charts' text style at size points.
func textStyle(size vg.Length, bold bool) text.Style {
	f := sans
	if bold {
		f.Weight = xfont.WeightBold
	}
	return text.Style{Color: color.Black, Font: font.From(f, size), Handler: plot.DefaultTextHandler}
}

// newPlot returns a plot with the report's style: a grid, titled axes.
func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, 11)
	p.X.Label.Text = x
	p.Y.Label.Text = y
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sans, 10)
		ax.Tick.Label.Font = font.From(sans, 9)
		ax.Tick.Marker = compactTicks{}
	}
	p.Legend.TextStyle.Font = font.From(sans, 9)
	p.Add(plotter.NewGrid())
	return p
}

// A palette gives each name (a model or a workload) its own color, glyph
// and dash, stable across the charts of one page.
type palette struct{ names []string }

func (p *palette) index(name string) int {
	for i, n := range p.names {
		if n == name {
			return i
		}
	}
	p.names = append(p.names, name)
	return len(p.names) - 1
}

// colors are Okabe and Ito's, which stay apart under the common colour
// blindnesses, then three dark ones of Paul Tol's muted scheme and black
// for a page with more names than that; grey stays the sequential
// baseline's. A twelfth name on repeats a colour, dashed and with its own
// glyph.
var colors = []color.Color{
	rgb(0x0072b2), rgb(0xe69f00), rgb(0x009e73), rgb(0xd55e00),
	rgb(0x56b4e9), rgb(0xcc79a7), rgb(0xf0e442),
	rgb(0x332288), rgb(0x882255), rgb(0x999933), rgb(0x000000),
}

func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}
}

// color returns name's color; the sequential baseline is always grey.
func (p *palette) color(name string) color.Color {
	if name == ModelSequential {
		return color.Gray{Y: 150}
	}
	return colors[p.index(name)%len(colors)]
}

// faint returns name's color, translucent: for whiskers, which would
// otherwise hide the lines.
func (p *palette) faint(name string) color.Color {
	r, g, b, _ := p.color(name).RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 140}
}

// dashes returns name's line dashes: solid for the first eleven names, then
// dashed, so that names sharing a color still differ.
func (p *palette) dashes(name string) []vg.Length {
	if p.index(name) < len(colors) {
		return nil
	}
	return plotutil.Dashes(1 + p.index(name)/len(colors))
}

func (p *palette) glyph(name string) draw.GlyphDrawer { return plotutil.Shape(p.index(name)) }

// chartTitle appends the machine to a chart's title.
func chartTitle(what string, a *Analysis) string {
	m := a.Run.Config["cpu"]
	if m == "" {
		m = a.Run.Machine
	}
	return fmt.Sprintf("%s — %s, %d cores", what, m, a.Cores)
}

// compactTicks are gonum's default ticks with short labels: 25k, not
// 25000.00.
type compactTicks struct{}

func (compactTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = compactNumber(ticks[i].Value)
		}
	}
	return ticks
}

// compactNumber formats a tick value with at most three significant
// digits and a k, M or G suffix.
func compactNumber(v float64) string {
	for _, s := range []struct {
		div    float64
		suffix string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if math.Abs(v) >= s.div {
			return strconv.FormatFloat(v/s.div, 'g', 3, 64) + s.suffix
		}
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}
