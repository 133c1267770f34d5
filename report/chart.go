package report

import (
	"image/color"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
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
	c.Canvas = plainText{c.Canvas}
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

// Write draws the chart into dir as Name.svg and Name.png, replacing
// them only where dir is a page's folder that report wrote.
func (ch *Chart) Write(dir string) error {
	s := stage{owned: ownsFolder(dir)}
	if err := ch.stageIn(&s, dir); err != nil {
		s.abort()
		return err
	}
	return s.commit()
}

// stageIn draws the chart into s as dir/Name.svg and dir/Name.png.
func (ch *Chart) stageIn(s *stage, dir string) error {
	svg := vgsvg.New(ch.Width, ch.Height)
	ch.Draw(draw.New(svg))
	if err := s.add(filepath.Join(dir, ch.Name+".svg"), svg); err != nil {
		return err
	}
	png := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(ch.Width, ch.Height), vgimg.UseDPI(pngDPI))}
	ch.Draw(draw.New(png))
	return s.add(filepath.Join(dir, ch.Name+".png"), png)
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

// plainText is a canvas that draws only text an SVG (XML) file can hold:
// a name read from a results file may carry invalid UTF-8 or control
// characters, which it replaces with U+FFFD.
type plainText struct{ vg.Canvas }

func (c plainText) FillString(f font.Face, pt vg.Point, text string) {
	c.Canvas.FillString(f, pt, xmlText(text))
}

// xmlText replaces what XML 1.0 cannot hold with U+FFFD.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
