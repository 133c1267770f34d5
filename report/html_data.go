package report

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// htmlData is what page.js draws from: the charts' points and every
// sample of every benchmark, embedded in the page as JSON. JSON has no
// NaN, so a value that is not finite is left out (a nil pointer, or the
// point dropped), never written as a number it is not.
type htmlData struct {
	Cores  int          `json:"cores"`
	Keys   []string     `json:"keys"` // series keys (models, workloads) in one order, for stable colours
	Charts []htmlChart  `json:"charts"`
	Cells  []htmlSample `json:"cells"` // indexed by a point's or table cell's Cell - 1
}

// An htmlChart is one interactive chart: one or more panels sharing axes'
// kinds and a legend whose entries toggle a series in every panel.
type htmlChart struct {
	Name    string      `json:"name"`
	Title   string      `json:"title"`
	Caption string      `json:"caption"`
	X       string      `json:"x"`
	Y       string      `json:"y"`
	Kind    string      `json:"kind"` // "rows": a dot plot, one row per label; "lines": y against a numeric x
	LogX    bool        `json:"logX"`
	LogY    bool        `json:"logY"`
	Refs    []float64   `json:"refs,omitempty"`  // x (rows) or y (lines) reference lines: 1×, MinSpeedup
	Ideal   bool        `json:"ideal,omitempty"` // draw y = min(x, cores) dashed
	Marks   bool        `json:"marks,omitempty"` // draw points without Mark hollow
	Panels  []htmlPanel `json:"panels"`
}

// An htmlPanel is one plot of a chart.
type htmlPanel struct {
	Title  string       `json:"title,omitempty"`
	Rows   []string     `json:"rows,omitempty"` // a rows chart's labels, top to bottom
	Series []htmlSeries `json:"series"`
}

// An htmlSeries is one toggleable set of points: one model's, or one
// workload's.
type htmlSeries struct {
	Key    string      `json:"key"`
	Dashed bool        `json:"dashed,omitempty"`
	Points []htmlPoint `json:"points"`
}

// An htmlPoint is one drawn value with its interval. Row is its row in a
// rows chart; Mark draws it filled (a member of the verdict's set); Cell
// is the 1-based index of its samples in htmlData.Cells, 0 for none.
type htmlPoint struct {
	Row  int     `json:"row"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	Lo   float64 `json:"lo"`
	Hi   float64 `json:"hi"`
	Mark bool    `json:"mark,omitempty"`
	Text string  `json:"text"` // what hovering shows
	Cell int     `json:"cell,omitempty"`
}

// An htmlSample is one benchmark's samples, unit by unit, in file order:
// the sample-level view of a cell.
type htmlSample struct {
	Name   string      `json:"name"`
	Pos    string      `json:"pos"`
	Units  []string    `json:"units"`
	Values [][]float64 `json:"values"`
}

// htmlBuilder assigns sample indices to measurements as charts and
// tables refer to them.
type htmlBuilder struct {
	a     *Analysis
	data  htmlData
	index map[*Measurement]int
}

func newHTMLBuilder(a *Analysis) *htmlBuilder {
	hb := &htmlBuilder{a: a, index: map[*Measurement]int{}}
	hb.data.Cores = a.Cores
	hb.data.Keys = slices.Clone(a.Models)
	for _, w := range a.Workloads {
		hb.key(w.Name)
	}
	for _, m := range a.Run.Benchmarks {
		hb.cell(m)
	}
	hb.data.Charts = []htmlChart{}
	for _, ch := range []*htmlChart{hb.decision(), hb.sweep("speedup", a.Scaling), hb.sweep("gomaxprocs", a.Pinned), hb.io(), hb.overhead(), hb.granularity(), hb.footprint()} {
		if ch != nil {
			hb.data.Charts = append(hb.data.Charts, *ch)
		}
	}
	return hb
}

func (hb *htmlBuilder) key(k string) {
	if !slices.Contains(hb.data.Keys, k) {
		hb.data.Keys = append(hb.data.Keys, k)
	}
}

// cell returns m's 1-based index in Cells, adding it on first use.
func (hb *htmlBuilder) cell(m *Measurement) int {
	if i, ok := hb.index[m]; ok {
		return i
	}
	s := htmlSample{Name: "Benchmark" + m.Name(), Pos: m.Pos, Units: []string{}, Values: [][]float64{}}
	for _, u := range m.Units {
		var vs []float64
		for _, v := range m.Values[u] {
			if finite(v) {
				vs = append(vs, v)
			}
		}
		s.Units = append(s.Units, u)
		s.Values = append(s.Values, append([]float64{}, vs...))
	}
	hb.data.Cells = append(hb.data.Cells, s)
	hb.index[m] = len(hb.data.Cells)
	return len(hb.data.Cells)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// ratioPoint turns a speedup into a point, or false when it has none.
func ratioPoint(r Ratio) (htmlPoint, bool) {
	if !finite(r.Center) || r.Center <= 0 {
		return htmlPoint{}, false
	}
	p := htmlPoint{Y: r.Center, X: r.Center, Lo: r.Center, Hi: r.Center, Text: r.String()}
	if finite(r.Lo) && finite(r.Hi) && r.Lo > 0 {
		p.Lo, p.Hi = r.Lo, r.Hi
	}
	return p, true
}

// summaryPoint turns a summary into a point at y, or false.
func summaryPoint(s Summary, unit string) (htmlPoint, bool) {
	if !finite(s.Center) || s.Center <= 0 {
		return htmlPoint{}, false
	}
	p := htmlPoint{Y: s.Center, X: s.Center, Lo: s.Center, Hi: s.Center}
	if finite(s.Lo) && finite(s.Hi) && s.Lo > 0 {
		p.Lo, p.Hi = s.Lo, s.Hi
	}
	p.Text = cellText(s) + " " + unit
	return p, true
}

// series returns the panel's series for key, adding it.
func (p *htmlPanel) series(key string) *htmlSeries {
	for i := range p.Series {
		if p.Series[i].Key == key {
			return &p.Series[i]
		}
	}
	p.Series = append(p.Series, htmlSeries{Key: key})
	return &p.Series[len(p.Series)-1]
}

// decision is the verdicts as a dot plot: one row per workload, each
// model's paired speedup with its interval, the verdict's set filled.
func (hb *htmlBuilder) decision() *htmlChart {
	a := hb.a
	panel := htmlPanel{}
	for _, w := range a.Workloads {
		row := len(panel.Rows)
		panel.Rows = append(panel.Rows, workloadLabel(w, a))
		for _, c := range w.Cells {
			if c == w.Sequential {
				continue
			}
			p, ok := ratioPoint(c.Speedup)
			if !ok {
				continue
			}
			p.Row, p.Y = row, float64(row)
			p.Mark = w.Verdict.Resolved && slices.Contains(w.Verdict.Set, c.M.Model)
			p.Text = c.M.Model + " on " + panel.Rows[row] + ": " + p.Text
			if p.Mark {
				p.Text += " (in the verdict: " + w.Verdict.Sentence() + ")"
			}
			if slices.Contains(w.Apart, c) {
				p.Text += ", not compared: " + strconv.Itoa(c.X()) + " tasks in flight"
			}
			p.Cell = hb.cell(c.M)
			s := panel.series(c.M.Model)
			s.Points = append(s.Points, p)
		}
	}
	if len(panel.Series) == 0 {
		return nil
	}
	return &htmlChart{
		Name: "decision", Title: "Speedup over sequential per workload, each model with its 95% CI (× faster, log scale)",
		Caption: "One row per workload. A filled dot is a model of the verdict: the models that cannot be told apart from the fastest. " +
			"The solid line is 1× (no gain), the dashed one the " + Ratio{Center: MinSpeedup}.Short() + " that a choice's interval must clear.",
		X: "paired speedup over sequential (×)", Kind: "rows", LogX: true,
		Refs: []float64{1, MinSpeedup}, Marks: true, Panels: []htmlPanel{panel},
	}
}

// sweep is a CPU scaling curve per workload against workers or
// GOMAXPROCS, with the ideal.
func (hb *htmlBuilder) sweep(name string, curves []*Curve) *htmlChart {
	curves = cpuCurves(curves)
	if len(curves) == 0 {
		return nil
	}
	panel := htmlPanel{}
	for _, c := range curves {
		s := panel.series(c.Workload)
		for _, pt := range c.Points {
			p, ok := ratioPoint(pt.Speedup)
			if !ok {
				continue
			}
			p.X = float64(pt.X())
			p.Text = c.Workload + " at " + strconv.Itoa(pt.X()) + ": " + p.Text
			p.Cell = hb.cell(pt.M)
			s.Points = append(s.Points, p)
		}
	}
	ch := &htmlChart{Name: name, Kind: "lines", LogX: true, Ideal: true, Y: "speedup over sequential (×)", Panels: []htmlPanel{panel}}
	if name == "speedup" {
		ch.Title, ch.X = "Speedup of the worker pool over sequential, by workers", "workers"
		ch.Caption = "One line per CPU-bound workload, at GOMAXPROCS = cores. The dashed line is perfect scaling: min(workers, cores)."
	} else {
		ch.Title, ch.X = "Speedup over sequential by GOMAXPROCS, pinned model", "GOMAXPROCS (= workers)"
		ch.Caption = "One line per CPU-bound workload: the pool under GOMAXPROCS = 1, 2, 4… The dashed line is perfect scaling: min(GOMAXPROCS, cores)."
	}
	return ch
}

// io is tasks/s against tasks in flight, one panel per IO workload, one
// line per model, with the latency floor of the model first listed.
func (hb *htmlBuilder) io() *htmlChart {
	ch := &htmlChart{Name: "io", Kind: "lines", LogX: true, LogY: true,
		Title:   "IO throughput against concurrency (tasks/s, log scales)",
		Caption: "One panel per IO workload, one line per model. The dashed line is the rate the tasks' own latency allows at each concurrency.",
		X:       "tasks in flight", Y: "tasks/s"}
	byWorkload := map[string]*htmlPanel{}
	var order []string
	for _, c := range hb.a.IO {
		p := byWorkload[c.Workload]
		if p == nil {
			p = &htmlPanel{Title: c.Workload}
			byWorkload[c.Workload] = p
			order = append(order, c.Workload)
		}
		s := p.series(c.Model)
		floor := p.series("latency floor")
		for _, pt := range c.Points {
			hp, ok := summaryPoint(pt.Throughput, c.Unit)
			if !ok {
				continue
			}
			hp.X = float64(pt.X())
			hp.Text = c.Model + " at " + strconv.Itoa(pt.X()) + " in flight: " + hp.Text
			hp.Cell = hb.cell(pt.M)
			s.Points = append(s.Points, hp)
			if fp, ok := summaryPoint(pt.Floor, c.Unit); ok && pt.HasFloor && !slices.ContainsFunc(floor.Points, func(q htmlPoint) bool { return q.X == hp.X }) {
				fp.X = hp.X
				fp.Text = "latency floor at " + strconv.Itoa(pt.X()) + " in flight: " + fp.Text
				floor.Points = append(floor.Points, fp)
			}
		}
		floor.Dashed = true
		slices.SortFunc(floor.Points, func(a, b htmlPoint) int { return int(a.X - b.X) })
	}
	if len(order) == 0 {
		return nil
	}
	hb.key("latency floor")
	for _, w := range order {
		p := byWorkload[w]
		p.Series = slices.DeleteFunc(p.Series, func(s htmlSeries) bool { return len(s.Points) == 0 })
		ch.Panels = append(ch.Panels, *p)
	}
	return ch
}

// overhead is each model's dispatch cost per task, one row per model.
func (hb *htmlBuilder) overhead() *htmlChart {
	panel := htmlPanel{}
	for _, c := range hb.a.Overhead {
		p, ok := summaryPoint(c.PerTask, UnitNsPerTask)
		if !ok {
			continue
		}
		p.Row = len(panel.Rows)
		p.Y = float64(p.Row)
		panel.Rows = append(panel.Rows, c.M.Model+knobText(c.M))
		p.Text = c.M.Model + ": " + p.Text
		p.Cell = hb.cell(c.M)
		s := panel.series(c.M.Model)
		s.Points = append(s.Points, p)
	}
	if len(panel.Series) == 0 {
		return nil
	}
	return &htmlChart{Name: "overhead", Kind: "rows", LogX: true, Panels: []htmlPanel{panel},
		Title:   "Dispatch overhead per task (ns/task, log scale)",
		Caption: "What each model costs per task on tasks that do nothing: the least work a task needs before handing it out pays.",
		X:       "ns/task"}
}

// knobText is a measurement's knobs as " (workers=2)", or "".
func knobText(m *Measurement) string {
	if kv := m.Knobs.Pairs(); len(kv) > 0 {
		return " (" + strings.Join(kv, ", ") + ")"
	}
	return ""
}
