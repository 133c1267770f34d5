package measure

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/report"
)

// A Column is one column of a results table: its heading, and its cell
// for a measurement. The zero value has no Cell, which WriteTable would
// call: give both.
type Column struct {
	Head string
	Cell func(m *Measurement) string
}

// WriteTable writes one line per measurement: the lead columns, then
// the model, the medians of its metrics, the spread of its throughput, and
// its speedup over base (when base is not nil). Metrics that no
// measurement has are left out.
func WriteTable(w io.Writer, ms []*Measurement, base *Measurement, lead ...Column) error {
	cols := append(lead, Column{"MODEL", func(m *Measurement) string { return Describe(m.Case) }},
		Column{"BATCH", func(m *Measurement) string { return Human(m, benchkey.UnitNsPerOp) }})
	if someHave(ms, benchkey.UnitMBps) {
		cols = append(cols, Column{"MB/S", func(m *Measurement) string { return Human(m, benchkey.UnitMBps) }})
	}
	cols = append(cols,
		Column{"TASKS/S", func(m *Measurement) string { return Human(m, benchkey.UnitTasksps) }},
		spreadColumn(ms),
		Column{"CPU-CORES", func(m *Measurement) string { return Human(m, benchkey.UnitCPUCores) }})
	if base != nil {
		cols = append(cols, Column{"SPEEDUP", func(m *Measurement) string { return SpeedupCell(m, base) }})
	}
	if someHave(ms, benchkey.UnitFloorRatio) {
		cols = append(cols, Column{"FLOOR×", func(m *Measurement) string { return Human(m, benchkey.UnitFloorRatio) }})
	}
	if someHave(ms, benchkey.UnitP99) {
		cols = append(cols, Column{"P50 TASK", func(m *Measurement) string { return Human(m, benchkey.UnitP50) }},
			Column{"P99 TASK", func(m *Measurement) string { return Human(m, benchkey.UnitP99) }})
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	heads := make([]string, len(cols))
	for i, c := range cols {
		heads[i] = c.Head
	}
	fmt.Fprintln(tw, strings.Join(heads, "\t"))
	for _, m := range ms {
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = c.Cell(m)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// SpeedupCell is m's speedup over base as the table shows it: the median
// paired ratio with its 95% confidence interval, "1.93× [1.88, 1.97]"
// (report.Ratio's String); 1.00× for base itself, the reference.
func SpeedupCell(m, base *Measurement) string {
	if m == base {
		return "1.00×"
	}
	return m.Speedup(base).String()
}

// Heads of the spread column, which say which interval it shows.
const (
	headCI    = "±CI95"
	headRange = "±RANGE"
)

// spreadColumn is the column of Spread, headed by the interval it shows:
// the 95% confidence interval of the median where every measurement has
// one (6 samples or more), else the range of the samples. Where some have
// one and some not, each cell says which.
func spreadColumn(ms []*Measurement) Column {
	ci, rng := intervals(ms)
	switch {
	case !rng:
		return Column{headCI, Spread}
	case !ci:
		return Column{headRange, Spread}
	}
	return Column{"±", func(m *Measurement) string {
		s := Spread(m)
		if s == "-" {
			return s
		}
		if m.Summary(benchkey.UnitTasksps).CI {
			return s + " ci95"
		}
		return s + " range"
	}}
}

// intervals reports whether some of ms have a confidence interval of
// their throughput's median, and whether some have only a range.
func intervals(ms []*Measurement) (ci, rng bool) {
	for _, m := range ms {
		if m.Summary(benchkey.UnitTasksps).CI {
			ci = true
		} else {
			rng = true
		}
	}
	return ci, rng
}

// someHave reports whether some measurement has values in unit.
func someHave(ms []*Measurement, unit string) bool {
	for _, m := range ms {
		if m.Has(unit) {
			return true
		}
	}
	return false
}

// WriteTableNotes explains the table's columns in a line or two.
func WriteTableNotes(w io.Writer, ms []*Measurement, base *Measurement) {
	samples := 0
	for _, m := range ms {
		samples = max(samples, len(m.Samples))
	}
	note := fmt.Sprintf("Medians of %s; BATCH is the wall time of one batch", Plural(samples, "sample"))
	ci, rng := intervals(ms)
	if ci {
		note += "; " + headCI + " is how far the 95% confidence interval of TASKS/S's median reaches from it"
	}
	if rng {
		note += "; " + headRange + " is how far the slowest and fastest samples of TASKS/S reach from its median (a confidence interval takes 6 samples)"
	}
	if ci && rng {
		note = strings.Replace(strings.Replace(note, headCI, "± ci95", 1), headRange, "± range", 1)
	}
	note += "; CPU-CORES is CPU seconds per wall second"
	if base != nil {
		note += fmt.Sprintf("; SPEEDUP is the median of paired ratios, each sample's throughput over sequential's sample of the same round, with its 95%% confidence interval in brackets (from %d pairs)", report.MinPairs)
	}
	if someHave(ms, benchkey.UnitFloorRatio) {
		note += "; FLOOR× is batch time over the least time the tasks' latency allows"
	}
	fmt.Fprintln(w, note+".")
}

// DescribeTarget names the workload and how it ran, in a line: "regex-alt
// (cpu): size=64KiB pattern=alt, 64 tasks a batch, GOMAXPROCS 2".
func DescribeTarget(m *Measurement) string {
	s := fmt.Sprintf("%s (%s)", m.Case.Workload, m.Kind)
	if len(m.Params) > 0 {
		s += ": " + strings.Join(m.Params, " ") + ","
	}
	return fmt.Sprintf("%s %d tasks a batch, GOMAXPROCS %d", s, m.Case.Tasks, m.GOMAXPROCS)
}
