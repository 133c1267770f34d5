package report

import (
	"slices"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

func TestSeries(t *testing.T) {
	var s series
	s.add(1, 2, 1.5, 3, true)
	s.add(2, 4, 4, 4, true)
	if s.spread {
		t.Error("confidence intervals only, yet spread")
	}
	if s.errs[0].Low != 0.5 || s.errs[0].High != 1 || s.errs[1].Low != 0 || s.errs[1].High != 0 {
		t.Errorf("whiskers %v, want {0.5 1} {0 0}", s.errs)
	}
	s.add(4, 8, 7, 9, false)
	if !s.spread {
		t.Error("a whisker from the samples' spread, yet not spread")
	}
	p := plot.New()
	var pal palette
	if thumbs := s.draw(p, &pal, "pool"); len(thumbs) != 2 {
		t.Errorf("%d thumbnails, want the line and the points", len(thumbs))
	}
	var empty series
	if thumbs := empty.draw(plot.New(), &pal, "pool"); thumbs != nil {
		t.Error("an empty series gave a legend entry")
	}
}

func TestLogAxisAt(t *testing.T) {
	p := plot.New()
	logAxisAt(&p.X, []int{16, 1, 4, 16, 1}, 2)
	if p.X.Min != 0.5 || p.X.Max != 32 {
		t.Errorf("axis spans %v to %v, want 0.5 to 32", p.X.Min, p.X.Max)
	}
	if _, ok := p.X.Scale.(plot.LogScale); !ok {
		t.Errorf("scale %T, want log", p.X.Scale)
	}
	var labels []string
	for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		labels = append(labels, tk.Label)
	}
	if want := []string{"1", "4", "16"}; !slices.Equal(labels, want) {
		t.Errorf("ticks %q, want %q", labels, want)
	}
}

func TestSpeedupAxis(t *testing.T) {
	for _, tc := range []struct {
		name           string
		lo, hi         float64
		log            bool
		min, max       float64
		ticks          []string
		labelSaysScale bool
	}{
		{"cpu", 0.9, 1.9, false, 0, 1.9 * 1.1, nil, false},
		{"slower than sequential", 0.2, 0.5, false, 0, 1.1, nil, false},
		{"io", 2, 100, true, 1 / 1.5, 150, []string{"1", "2", "4", "8", "16", "32", "64", "128"}, true},
		{"io, a slow model", 0.3, 60, true, 0.2, 90, []string{"1", "2", "4", "8", "16", "32", "64"}, true},
		{"a non-positive bound stays linear", 0, 100, false, 0, 110, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := plot.New()
			p.Y.Label.Text = "speedup"
			if got := speedupAxis(&p.Y, tc.lo, tc.hi, 1.1); got != tc.log {
				t.Errorf("log %v, want %v", got, tc.log)
			}
			if !near(p.Y.Min, tc.min) || !near(p.Y.Max, tc.max) {
				t.Errorf("axis spans %v to %v, want %v to %v", p.Y.Min, p.Y.Max, tc.min, tc.max)
			}
			if got := p.Y.Label.Text == "speedup, log scale"; got != tc.labelSaysScale {
				t.Errorf("label %q", p.Y.Label.Text)
			}
			if tc.log {
				var labels []string
				for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
					labels = append(labels, tk.Label)
				}
				if !slices.Equal(labels, tc.ticks) {
					t.Errorf("ticks %q, want %q", labels, tc.ticks)
				}
			}
		})
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// TestSeriesDrawsWhiskers: a drawn series strokes one whisker per point,
// each faint, and its line in full color.
func TestSeriesDrawsWhiskers(t *testing.T) {
	var s series
	for i, v := range []float64{1, 2, 4} {
		s.add(float64(i+1), v, v*0.9, v*1.1, true)
	}
	p := plot.New()
	var pal palette
	s.draw(p, &pal, "pool")
	var rec recorder.Canvas
	p.Draw(draw.NewCanvas(&rec, 300, 200))
	faint, full := 0, 0
	_, _, _, fa := pal.faint("pool").RGBA()
	for _, a := range rec.Actions {
		if c, ok := a.(*recorder.SetColor); ok {
			switch _, _, _, al := c.Color.RGBA(); {
			case al == fa:
				faint++
			case c.Color == pal.color("pool"):
				full++
			}
		}
	}
	if faint == 0 || full == 0 {
		t.Errorf("%d faint and %d full-color strokes, want both", faint, full)
	}
}

func TestGrid(t *testing.T) {
	for _, tc := range []struct {
		panels     int
		rowLens    []int
		cols, rows int
	}{
		{0, nil, 0, 0}, {1, []int{1}, 1, 1}, {3, []int{3}, 3, 1}, {4, []int{3, 1}, 3, 2}, {7, []int{3, 3, 1}, 3, 3},
	} {
		panels := make([]*plot.Plot, tc.panels)
		for i := range panels {
			panels[i] = plot.New()
		}
		tiles, cols, rows := grid(panels)
		var lens []int
		var order []*plot.Plot
		for _, r := range tiles {
			lens = append(lens, len(r))
			order = append(order, r...)
		}
		if !slices.Equal(lens, tc.rowLens) || cols != tc.cols || rows != tc.rows || !slices.Equal(order, panels) {
			t.Errorf("%d panels: rows of %v, %d×%d, want rows of %v, %d×%d, in order", tc.panels, lens, cols, rows, tc.rowLens, tc.cols, tc.rows)
		}
	}
}
