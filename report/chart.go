package report

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
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
	// Footer says where the numbers come from (chartFooter): a PNG
	// copied elsewhere keeps its machine, Go, commit, date, profile and
	// samples.
	Footer string
	Tiles  [][]*plot.Plot
	// YLabel, when set, is the one y axis label of a grid whose tiles
	// share a unit, written once up its left side.
	YLabel string
	Legend *Legend // nil for none
	Width  vg.Length
	Height vg.Length
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
	bottom := pad
	if ch.Footer != "" {
		foot := footerStyle()
		foot.XAlign, foot.YAlign = draw.XLeft, draw.YBottom
		c.FillText(foot, vg.Point{X: c.Min.X + pad, Y: c.Min.Y + pad/2}, ch.Footer)
		bottom += foot.Height(ch.Footer) + pad/2
	}
	area := draw.Crop(c, pad, -pad, bottom, -(pad + title.Height(ch.Title) + pad))

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
	if ch.YLabel != "" {
		st := textStyle(10, false)
		st.Rotation = math.Pi / 2
		st.XAlign, st.YAlign = draw.XCenter, draw.YTop
		c.FillText(st, vg.Point{X: area.Min.X, Y: area.Center().Y}, ch.YLabel)
		area = draw.Crop(area, st.Height(ch.YLabel)+pad/2, 0, 0, 0)
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
	l.Padding = vg.Points(3) // rows apart, not touching
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

// footerStyle is the footer's: small and grey, under the plots.
func footerStyle() text.Style {
	st := textStyle(8, false)
	st.Color = color.Gray{Y: 90}
	return st
}

// chartFooter says where a's numbers come from, for every chart of its
// page: "AMD EPYC (2 cores) · go1.26 · commit 92f0660 · 2026-11-27 ·
// profile full · 10 samples per cell".
func chartFooter(a *Analysis) string {
	run := a.Run
	m := run.Config["cpu"]
	if m == "" {
		m = run.Machine
	}
	date := orUnknown(run.Config["date"])
	if d := run.Date(); !d.IsZero() {
		date = d.UTC().Format("2006-01-02 15:04 UTC")
	}
	commit := orUnknown(run.Config["commit"])
	if len(commit) > 12 {
		commit = commit[:12]
	}
	return fmt.Sprintf("%s (%d cores) · %s · commit %s · %s · profile %s · %s per cell · concbench",
		m, a.Cores, orUnknown(run.Config["go"]), commit, date, run.Profile(), samples(run.Samples()))
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
