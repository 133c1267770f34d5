package report

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/concbench/concbench/benchkey"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// A textBox is the extent of one drawn text on the canvas, after the
// rotations and translations it was drawn under (the y axis label).
type textBox struct {
	text                   string
	minX, minY, maxX, maxY vg.Length
}

func (b textBox) String() string {
	return fmt.Sprintf("%q at (%.0f,%.0f)-(%.0f,%.0f)", b.text, b.minX, b.minY, b.maxX, b.maxY)
}

// affine is a 2D transform: x' = a x + c y + e, y' = b x + d y + f.
type affine struct{ a, b, c, d, e, f float64 }

var unitAffine = affine{a: 1, d: 1}

func (m affine) then(n affine) affine { // m applied after n: m·n
	return affine{
		a: m.a*n.a + m.c*n.b, b: m.b*n.a + m.d*n.b,
		c: m.a*n.c + m.c*n.d, d: m.b*n.c + m.d*n.d,
		e: m.a*n.e + m.c*n.f + m.e, f: m.b*n.e + m.d*n.f + m.f,
	}
}

func (m affine) apply(x, y vg.Length) (vg.Length, vg.Length) {
	fx, fy := float64(x), float64(y)
	return vg.Length(m.a*fx + m.c*fy + m.e), vg.Length(m.b*fx + m.d*fy + m.f)
}

// textBoxes draws ch on a recorder and returns the box of every
// non-blank text it wrote, measured with the font it was drawn in.
func textBoxes(ch *Chart) []textBox {
	var rec recorder.Canvas
	ch.Draw(draw.NewCanvas(&rec, ch.Width, ch.Height))
	return boxesOf(rec.Actions)
}

// boxesOf replays a recorder's actions, keeping track of the transform,
// and returns the box of every non-blank text.
func boxesOf(actions []recorder.Action) []textBox {
	m, stack := unitAffine, []affine{}
	var boxes []textBox
	for _, act := range actions {
		switch a := act.(type) {
		case *recorder.Push:
			stack = append(stack, m)
		case *recorder.Pop:
			m, stack = stack[len(stack)-1], stack[:len(stack)-1]
		case *recorder.Translate:
			m = m.then(affine{a: 1, d: 1, e: float64(a.Point.X), f: float64(a.Point.Y)})
		case *recorder.Rotate:
			s, c := math.Sincos(a.Angle)
			m = m.then(affine{a: c, b: s, c: -s, d: c})
		case *recorder.Scale:
			m = m.then(affine{a: a.X, d: a.Y})
		case *recorder.FillString:
			if strings.TrimSpace(a.String) == "" {
				continue
			}
			face := font.DefaultCache.Lookup(a.Font, a.Size)
			ext := face.Extents()
			x0, x1 := a.Point.X, a.Point.X+face.Width(a.String)
			y0, y1 := a.Point.Y-ext.Descent, a.Point.Y+ext.Ascent
			b := textBox{text: a.String, minX: vg.Length(math.Inf(1)), minY: vg.Length(math.Inf(1)), maxX: vg.Length(math.Inf(-1)), maxY: vg.Length(math.Inf(-1))}
			for _, p := range [][2]vg.Length{{x0, y0}, {x0, y1}, {x1, y0}, {x1, y1}} {
				x, y := m.apply(p[0], p[1])
				b.minX, b.maxX = min(b.minX, x), max(b.maxX, x)
				b.minY, b.maxY = min(b.minY, y), max(b.maxY, y)
			}
			boxes = append(boxes, b)
		}
	}
	return boxes
}

// overlapping returns the pairs of boxes that overlap by more than half
// a point each way: two labels drawn over each other.
func overlapping(boxes []textBox) [][2]textBox {
	const slack = 0.5
	var out [][2]textBox
	for i, p := range boxes {
		for _, q := range boxes[i+1:] {
			if min(p.maxX, q.maxX)-max(p.minX, q.minX) > slack && min(p.maxY, q.maxY)-max(p.minY, q.minY) > slack {
				out = append(out, [2]textBox{p, q})
			}
		}
	}
	return out
}

// checkLayout fails for text outside ch's canvas and for two texts that
// overlap.
func checkLayout(t *testing.T, ch *Chart) {
	t.Helper()
	boxes := textBoxes(ch)
	for _, b := range boxes {
		if b.minX < -0.5 || b.minY < -0.5 || b.maxX > ch.Width+0.5 || b.maxY > ch.Height+0.5 {
			t.Errorf("%s: text %v leaves the %.0f×%.0f canvas", ch.Name, b, ch.Width, ch.Height)
		}
	}
	for _, pair := range overlapping(boxes) {
		t.Errorf("%s: texts overlap: %v and %v", ch.Name, pair[0], pair[1])
	}
}

// TestOverlapping checks the checker: it must see two texts drawn on top
// of each other, and must not see two apart or a rotated one beside them.
func TestOverlapping(t *testing.T) {
	st := textStyle(10, false)
	draws := func(f func(c draw.Canvas)) []textBox {
		var rec recorder.Canvas
		f(draw.NewCanvas(&rec, 300, 200))
		return boxesOf(rec.Actions)
	}
	same := draws(func(c draw.Canvas) {
		c.FillText(st, vg.Point{X: 10, Y: 10}, "first label")
		c.FillText(st, vg.Point{X: 30, Y: 12}, "second label")
	})
	if len(overlapping(same)) != 1 {
		t.Errorf("two texts drawn over each other: %v, want one overlap", same)
	}
	apart := draws(func(c draw.Canvas) {
		c.FillText(st, vg.Point{X: 10, Y: 10}, "first label")
		c.FillText(st, vg.Point{X: 10, Y: 40}, "second label")
		rot := st
		rot.Rotation = math.Pi / 2
		c.FillText(rot, vg.Point{X: 150, Y: 10}, "rotated label")
	})
	if o := overlapping(apart); len(o) != 0 || len(apart) != 3 {
		t.Errorf("texts apart: %v, overlaps %v", apart, o)
	}
	// Rotated a quarter turn, a long label runs up the canvas: it meets
	// a text above its anchor that it would miss unrotated.
	crossed := draws(func(c draw.Canvas) {
		rot := st
		rot.Rotation = math.Pi / 2
		c.FillText(rot, vg.Point{X: 150, Y: 10}, "a long rotated label")
		c.FillText(st, vg.Point{X: 145, Y: 60}, "x")
	})
	if len(overlapping(crossed)) != 1 {
		t.Errorf("a rotated label through a text: %v, want one overlap", crossed)
	}
}

// TestDecisionRows: the decision chart fills exactly the verdict's set,
// rings its choice, and marks the cells kept out of the contest, as
// Decide and the analysis decided them.
func TestDecisionRows(t *testing.T) {
	a := Analyze(mustRead(t, ioFile))
	rows := decisionRows(a)
	if len(rows) != len(a.Workloads) {
		t.Fatalf("%d rows for %d workloads", len(rows), len(a.Workloads))
	}
	resolved := 0
	kinds := ""
	for i, r := range rows {
		w := r.w
		if r.label != workloadLabel(w, a) || r.verdict != verdictLabel(w) {
			t.Errorf("row %d is %q: %q, want %q: %q", i, r.label, r.verdict, workloadLabel(w, a), verdictLabel(w))
		}
		if !strings.HasSuffix(kinds, w.Kind[:1]) {
			kinds += w.Kind[:1]
		}
		var set, apart []string
		choice := ""
		for _, d := range r.dots {
			if d.inSet {
				set = append(set, d.model)
			}
			if d.choice {
				choice += d.model
			}
			if d.apart {
				apart = append(apart, d.model)
			}
		}
		var wantApart []string
		for _, c := range w.Apart {
			wantApart = append(wantApart, c.M.Model)
		}
		v := w.Verdict
		if v.Resolved {
			resolved++
		}
		wantSet := slices.Clone(v.Set)
		slices.SortStableFunc(wantSet, func(x, y string) int { return benchkey.ModelRank(x) - benchkey.ModelRank(y) })
		if !slices.Equal(set, wantSet) || choice != v.Choice || !slices.Equal(apart, wantApart) {
			t.Errorf("%s: filled %q, ringed %q, apart %q; want %q, %q, %q", w.Name, set, choice, apart, wantSet, v.Choice, wantApart)
		}
		for j := 1; j < len(r.dots); j++ {
			if benchkey.ModelRank(r.dots[j-1].model) > benchkey.ModelRank(r.dots[j].model) {
				t.Errorf("%s: dots out of model order: %s before %s", w.Name, r.dots[j-1].model, r.dots[j].model)
			}
		}
	}
	if resolved == 0 {
		t.Error("no resolved verdict in a full run: the test checks nothing")
	}
	// The IO run's workloads are all waiting work; the quick run's all
	// CPU work; a run of both puts CPU work first.
	if kinds != "i" {
		t.Errorf("rows of kinds %q, want io only", kinds)
	}
	mixed := Analyze(mustRead(t, filepath.Join("..", "results", "amd-epyc-2c", "20261201-205623-quick.txt")))
	kinds = ""
	for _, r := range decisionRows(mixed) {
		if !strings.HasSuffix(kinds, r.w.Kind[:1]) {
			kinds += r.w.Kind[:1]
		}
	}
	if kinds != "ci" {
		t.Errorf("a mixed run's rows go through kinds %q, want CPU work, then IO work", kinds)
	}
}

// TestPublishedChartsLayout draws every chart of every published page
// under results/ and checks its layout: no text outside the canvas, no
// two texts over each other.
func TestPublishedChartsLayout(t *testing.T) {
	files, err := ResultsFiles(filepath.Join("..", "results"))
	if err != nil || len(files) == 0 {
		t.Skipf("no published results: %v", err)
	}
	var runs []*Run
	for _, f := range files {
		runs = append(runs, mustRead(t, f))
	}
	for _, m := range Machines(runs) {
		if m.Shown == nil {
			continue
		}
		cs, _ := Charts(Analyze(m.Shown))
		for _, ch := range cs {
			t.Run(m.Name+"/"+ch.Name, func(t *testing.T) { checkLayout(t, ch) })
		}
	}
}

// TestDotShapes: once colours repeat, a model's dots are squares, so
// that no two models of a decision chart look alike.
func TestDotShapes(t *testing.T) {
	var pal palette
	for i := range len(colors) + 1 {
		pal.index(fmt.Sprint("m", i))
	}
	if f, h := dotShapes(&pal, "m0"); f != (draw.CircleGlyph{}) || h != (draw.RingGlyph{}) {
		t.Errorf("first model: %T and %T, want circles", f, h)
	}
	last := fmt.Sprint("m", len(colors))
	if f, h := dotShapes(&pal, last); f != (draw.BoxGlyph{}) || h != (hollowBox{}) {
		t.Errorf("model %d, whose colour repeats: %T and %T, want squares", len(colors), f, h)
	}
}
