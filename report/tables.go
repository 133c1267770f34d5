package report

import (
	"bytes"
	"cmp"
	"fmt"
	"html"
	"math"
	"slices"
	"strconv"
	"strings"
)

// A table is a Markdown table under a heading.
type table struct {
	title, note string
	header      []string
	rows        [][]string
}

func (t *table) write(b *bytes.Buffer) {
	if len(t.rows) == 0 {
		return
	}
	fmt.Fprintf(b, "### %s\n\n", mdEscape(t.title))
	if t.note != "" {
		fmt.Fprintf(b, "%s\n\n", t.note)
	}
	header := make([]string, len(t.header))
	for i, h := range t.header {
		header[i] = mdEscape(h)
	}
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	for range t.header {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for _, r := range t.rows {
		for i := range r {
			r[i] = mdEscape(r[i])
		}
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	b.WriteString("\n")
}

// cellText formats a summary as benchstat does: the median and the larger
// distance from it to an end of its interval, in percent.
func cellText(s Summary) string {
	if s.N < 2 || s.Center == 0 {
		return formatValue(s.Center)
	}
	pct := 100 * max(s.Hi-s.Center, s.Center-s.Lo) / math.Abs(s.Center)
	return fmt.Sprintf("%s ±%.0f%%", formatValue(s.Center), pct)
}

// spreadNote says what ± means in a run's tables.
func spreadNote(run *Run) string {
	if run.Samples() >= 6 {
		return "± is the half-width of the median's 95% confidence interval, relative to the median."
	}
	return fmt.Sprintf("± is the largest distance from the median to a sample, relative to the median: with %s per benchmark there is no confidence interval.", samples(run.Samples()))
}

// tables writes the benchstat-style tables of the page.
func (pg *Page) tables(b *bytes.Buffer, _ string) {
	a := pg.Analysis
	b.WriteString("## Tables\n\n" + spreadNote(a.Run) + "\n\n")
	models := matrixModels(a)
	for _, t := range []*table{
		pivot(a, models, "Main matrix: throughput", "Median throughput of each workload under each model, in the unit shown.",
			func(w *Workload, c *Cell) string { return cellText(c.Throughput) }, true),
		pivot(a, models, "Main matrix: speedup over sequential", "Throughput over the sequential model's: 2.00× means twice as fast.",
			func(w *Workload, c *Cell) string { return ratioText(c.Speedup) }, false),
		pivot(a, models, "Main matrix: CPU use (cpu-cores)", "CPU seconds per wall second, child processes included: 1.00 is one busy core.",
			func(w *Workload, c *Cell) string {
				if !c.HasCPU {
					return "–"
				}
				return cellText(c.CPU)
			}, false),
		sweepTable(a, a.Scaling, "Scaling: pool by workers", "workers"),
		sweepTable(a, a.Pinned, "Scaling: pinned by GOMAXPROCS", "GOMAXPROCS"),
		ioTable(a),
		overheadTable(a),
	} {
		if t != nil {
			t.write(b)
		}
	}
	pg.allTables(b)
}

// matrixModels lists the models of the main matrix in run order.
func matrixModels(a *Analysis) []string {
	var models []string
	for _, m := range a.Models {
		for _, w := range a.Workloads {
			if slices.ContainsFunc(w.Cells, func(c *Cell) bool { return c.M.Model == m }) {
				models = append(models, m)
				break
			}
		}
	}
	return models
}

func pivot(a *Analysis, models []string, title, note string, cell func(*Workload, *Cell) string, withUnit bool) *table {
	t := &table{title: title, note: note, header: append([]string{"workload"}, models...)}
	if withUnit {
		t.header = slices.Insert(t.header, 1, "unit")
	}
	for _, w := range a.Workloads {
		row := []string{workloadLabel(w, a)}
		if withUnit {
			row = append(row, w.Unit)
		}
		for _, m := range models {
			text := "–"
			for _, c := range w.Cells {
				if c.M.Model == m {
					text = cell(w, c)
				}
			}
			row = append(row, text)
		}
		t.rows = append(t.rows, row)
	}
	return t
}

func ratioText(r Ratio) string {
	return r.Short()
}

// sweepTable lays a scaling sweep out with one column per step: speedup,
// efficiency and the Karp–Flatt serial fraction.
func sweepTable(a *Analysis, curves []*Curve, title, x string) *table {
	var steps []int
	for _, c := range curves {
		for _, p := range c.Points {
			steps = append(steps, p.X())
		}
	}
	if len(steps) == 0 {
		return nil
	}
	slices.Sort(steps)
	steps = slices.Compact(steps)
	t := &table{title: title, header: []string{"workload"},
		note: fmt.Sprintf("Each cell: speedup over sequential · efficiency (speedup ÷ min(%s, %d cores)) · Karp–Flatt serial fraction (the share of the work that the speedup implies ran one task at a time; – where only one task runs at once). "+
			"A negative fraction or an efficiency above 100%% is more than the cores allow: a sign that other load slowed the sequential run.", x, a.Cores)}
	for _, s := range steps {
		t.header = append(t.header, x+"="+strconv.Itoa(s))
	}
	for _, c := range curves {
		row := []string{c.Workload}
		for _, s := range steps {
			text := "–"
			for _, p := range c.Points {
				if p.X() == s && !math.IsNaN(p.Speedup.Center) {
					text = fmt.Sprintf("%s · %.0f%%", p.Speedup, 100*p.Efficiency)
				}
			}
			row = append(row, text)
		}
		t.rows = append(t.rows, row)
	}
	return t
}

func ioTable(a *Analysis) *table {
	var steps []int
	for _, c := range a.IO {
		for _, p := range c.Points {
			steps = append(steps, p.X())
		}
	}
	if len(steps) == 0 {
		return nil
	}
	slices.Sort(steps)
	steps = slices.Compact(steps)
	t := &table{title: "IO: throughput by concurrency", header: []string{"workload", "model", "unit"},
		note: "Median throughput at each concurrency; in brackets, the floor-ratio: batch time over the least time the tasks' latency allows (1.00 = at the floor)."}
	for _, s := range steps {
		t.header = append(t.header, "workers="+strconv.Itoa(s))
	}
	for _, c := range a.IO {
		row := []string{c.Workload, c.Model, c.Unit}
		for _, s := range steps {
			text := "–"
			for _, p := range c.Points {
				if p.X() == s {
					text = cellText(p.Throughput)
					if fr := p.M.Values[UnitFloorRatio]; len(fr) > 0 {
						text += fmt.Sprintf(" (%.2f)", Summarize(fr).Center)
					}
				}
			}
			row = append(row, text)
		}
		t.rows = append(t.rows, row)
	}
	return t
}

func overheadTable(a *Analysis) *table {
	if len(a.Overhead) == 0 {
		return nil
	}
	costs := slices.Clone(a.Overhead)
	slices.SortStableFunc(costs, func(x, y *Cost) int { return cmp.Compare(x.Cost().Center, y.Cost().Center) })
	if !costs[0].HasNet {
		t := &table{title: "Dispatch overhead", note: "Cost per task on tasks that do nothing, cheapest first.", header: []string{"model", "ns/task"}}
		for _, c := range costs {
			t.rows = append(t.rows, []string{c.M.Model, cellText(c.PerTask)})
		}
		return t
	}
	t := &table{title: "Dispatch overhead",
		note:   "Cost per task on tasks that do nothing, cheapest first: net is the model's less sequential's (the harness's), paired batch by batch; gross includes it.",
		header: []string{"model", "net ns/task", "gross ns/task"}}
	for _, c := range costs {
		net := "-"
		if c.HasNet {
			net = cellText(c.Net)
		}
		t.rows = append(t.rows, []string{c.M.Model, net, cellText(c.PerTask)})
	}
	return t
}

// allTables writes every measurement of the run, one table per benchmark
// group, folded away: the raw material of everything above, including
// groups the report does not chart.
func (pg *Page) allTables(b *bytes.Buffer) {
	var groups []string
	for _, m := range pg.Run.Benchmarks {
		if !slices.Contains(groups, m.Group) {
			groups = append(groups, m.Group)
		}
	}
	for _, g := range groups {
		var units []string
		var ms []*Measurement
		for _, m := range pg.Run.Benchmarks {
			if m.Group != g {
				continue
			}
			ms = append(ms, m)
			for _, u := range m.Units {
				if !slices.Contains(units, u) {
					units = append(units, u)
				}
			}
		}
		t := &table{title: "Benchmark" + g, header: append([]string{"benchmark"}, units...)}
		for _, m := range ms {
			row := []string{strings.TrimPrefix(strings.TrimPrefix(m.Name(), g), "/")}
			for _, u := range units {
				if v := m.Values[u]; len(v) > 0 {
					row = append(row, cellText(Summarize(v)))
				} else {
					row = append(row, "–")
				}
			}
			t.rows = append(t.rows, row)
		}
		// Inside an HTML block, Markdown escapes do not apply; HTML's do.
		fmt.Fprintf(b, "<details><summary>All measurements of Benchmark%s (%d benchmarks)</summary>\n\n", html.EscapeString(g), len(ms))
		t.write(b)
		b.WriteString("</details>\n\n")
	}
}
