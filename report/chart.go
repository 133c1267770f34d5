package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// A Chart is one figure of a page: a title over one plot or a grid of
// plots, and optionally a legend to their right.
type Chart struct {
	Name    string // file name without extension: "speedup" gives speedup.svg and speedup.png
	Title   string // figure title, with units and the machine
	Caption string // how to read the chart, in a sentence or two, for the page
	Tiles   [][]*plot.Plot
	Legend  *Legend // nil for none
	Width   vg.Length
	Height  vg.Length
}

// A Missing chart is one that a run has no data for, with the reason the
// page prints in its place.
type Missing struct {
	Name, Title, Reason string
}

// pngDPI is the resolution of PNG charts: sharp on high-density screens.
const pngDPI = 144

// Draw draws the chart on c.
func (ch *Chart) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())

	title := textStyle(13, true)
	title.XAlign, title.YAlign = draw.XCenter, draw.YTop
	pad := vg.Points(8)
	c.FillText(title, vg.Point{X: c.Center().X, Y: c.Max.Y - pad}, ch.Title)
	area := draw.Crop(c, pad, -pad, pad, -(pad + title.Height(ch.Title) + pad))

	if ch.Legend != nil {
		w := ch.Legend.width()
		legend := draw.Crop(area, area.Size().X-w, 0, 0, -vg.Points(20))
		ch.Legend.Draw(legend)
		area = draw.Crop(area, 0, -(w + pad), 0, 0)
	}
	rows := len(ch.Tiles)
	if rows == 0 {
		return
	}
	cols := 0
	for _, r := range ch.Tiles {
		cols = max(cols, len(r))
	}
	// plot.Align wants every row full; a short last row gets empty cells.
	grid := make([][]*plot.Plot, rows)
	for i, r := range ch.Tiles {
		grid[i] = append(make([]*plot.Plot, 0, cols), r...)
		grid[i] = grid[i][:cols]
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(14), PadY: vg.Points(14)}
	canvases := plot.Align(grid, tiles, area)
	for i, r := range grid {
		for j, p := range r {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
}

// Write draws the chart into dir as Name.svg and Name.png.
func (ch *Chart) Write(dir string) error {
	svg := vgsvg.New(ch.Width, ch.Height)
	ch.Draw(draw.New(svg))
	if err := writeFile(filepath.Join(dir, ch.Name+".svg"), svg); err != nil {
		return err
	}
	png := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(ch.Width, ch.Height), vgimg.UseDPI(pngDPI))}
	ch.Draw(draw.New(png))
	return writeFile(filepath.Join(dir, ch.Name+".png"), png)
}

// writeFile writes a file through a temporary name in the same folder, so
// that a reader never sees half of it.
func writeFile(path string, w io.WriterTo) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := w.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// A Legend is a plot legend that remembers its entries, so that a chart
// can size the column it draws it in.
type Legend struct {
	plot.Legend
	Names []string
}

// newLegend returns a legend drawn at the top left of its own column.
func newLegend() *Legend {
	l := &Legend{Legend: plot.NewLegend()}
	l.Top, l.Left = true, true
	l.TextStyle = textStyle(10, false)
	l.ThumbnailWidth = vg.Points(24)
	return l
}

// Add adds an entry.
func (l *Legend) Add(name string, thumbs ...plot.Thumbnailer) {
	l.Legend.Add(name, thumbs...)
	l.Names = append(l.Names, name)
}

// width is the width the legend needs.
func (l *Legend) width() vg.Length {
	w := vg.Length(0)
	for _, name := range l.Names {
		w = max(w, l.TextStyle.Width(name))
	}
	return l.ThumbnailWidth + l.TextStyle.Width(" ") + w
}

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

// colors are Tableau's ten, grey swapped for cyan: distinct to most eyes,
// and grey stays the sequential baseline's.
var colors = []color.Color{
	rgb(0x4e79a7), rgb(0xf28e2b), rgb(0xe15759), rgb(0x76b7b2), rgb(0x59a14f),
	rgb(0xedc948), rgb(0xb07aa1), rgb(0xff9da7), rgb(0x9c755f), rgb(0x17becf),
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

// dashes returns name's line dashes: solid for the first ten names, then
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
