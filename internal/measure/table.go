package measure

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// A Column is one column of a results table: its heading, and its cell
// for a measurement.
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
		Column{"BATCH", func(m *Measurement) string { return Human(m, UnitNsPerOp) }})
	if someHave(ms, UnitMBps) {
		cols = append(cols, Column{"MB/S", func(m *Measurement) string { return Human(m, UnitMBps) }})
	}
	cols = append(cols,
		Column{"TASKS/S", func(m *Measurement) string { return Human(m, UnitTasksps) }},
		Column{"±", Spread},
		Column{"CPU-CORES", func(m *Measurement) string { return Human(m, UnitCPUCores) }})
	if base != nil {
		cols = append(cols, Column{"SPEEDUP", func(m *Measurement) string { return Sig3(m.Speedup(base)) + "×" }})
	}
	if someHave(ms, UnitFloorRatio) {
		cols = append(cols, Column{"FLOOR×", func(m *Measurement) string { return Human(m, UnitFloorRatio) }})
	}
	if someHave(ms, UnitP99) {
		cols = append(cols, Column{"P50 TASK", func(m *Measurement) string { return Human(m, UnitP50) }},
			Column{"P99 TASK", func(m *Measurement) string { return Human(m, UnitP99) }})
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
	note := fmt.Sprintf("Medians of %s; BATCH is the wall time of one batch; ± is the spread of TASKS/S", Plural(samples, "sample"))
	if samples >= 6 {
		note += " (95% confidence interval)"
	}
	note += "; CPU-CORES is CPU seconds per wall second"
	if base != nil {
		note += "; SPEEDUP is throughput over sequential's"
	}
	if someHave(ms, UnitFloorRatio) {
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
