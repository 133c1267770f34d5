package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// A column is one column of a results table.
type column struct {
	head string
	cell func(m *measurement) string
}

// writeTable writes one line per measurement: the lead columns, then
// the model, the medians of its metrics, the spread of its throughput, and
// its speedup over base (when base is not nil). Metrics that no
// measurement has are left out.
func writeTable(w io.Writer, ms []*measurement, base *measurement, lead ...column) error {
	cols := append(lead, column{"MODEL", func(m *measurement) string { return describe(m.Case) }},
		column{"BATCH", func(m *measurement) string { return human(m, unitNsPerOp) }})
	if someHave(ms, unitMBps) {
		cols = append(cols, column{"MB/S", func(m *measurement) string { return human(m, unitMBps) }})
	}
	cols = append(cols,
		column{"TASKS/S", func(m *measurement) string { return human(m, unitTasksps) }},
		column{"±", spread},
		column{"CPU-CORES", func(m *measurement) string { return human(m, unitCPUCores) }})
	if base != nil {
		cols = append(cols, column{"SPEEDUP", func(m *measurement) string { return sig3(m.speedup(base)) + "×" }})
	}
	if someHave(ms, unitFloorRatio) {
		cols = append(cols, column{"FLOOR×", func(m *measurement) string { return human(m, unitFloorRatio) }})
	}
	if someHave(ms, unitP99) {
		cols = append(cols, column{"P50 TASK", func(m *measurement) string { return human(m, unitP50) }},
			column{"P99 TASK", func(m *measurement) string { return human(m, unitP99) }})
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	heads := make([]string, len(cols))
	for i, c := range cols {
		heads[i] = c.head
	}
	fmt.Fprintln(tw, strings.Join(heads, "\t"))
	for _, m := range ms {
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = c.cell(m)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// someHave reports whether some measurement has values in unit.
func someHave(ms []*measurement, unit string) bool {
	for _, m := range ms {
		if m.has(unit) {
			return true
		}
	}
	return false
}

// spread is how far the throughput's samples (or, from 6 samples on, its
// 95% confidence interval) reach from the median, in percent.
func spread(m *measurement) string {
	if len(m.Samples) < 2 {
		return "-"
	}
	return fmt.Sprintf("±%.0f%%", 100*relSpread(m))
}

// relSpread is spread as a fraction of the median.
func relSpread(m *measurement) float64 {
	s := m.summary(unitTasksps)
	return max(s.Center-s.Lo, s.Hi-s.Center) / s.Center
}

// writeTableNotes explains the table's columns in a line or two.
func writeTableNotes(w io.Writer, ms []*measurement, base *measurement) {
	samples := 0
	for _, m := range ms {
		samples = max(samples, len(m.Samples))
	}
	note := fmt.Sprintf("Medians of %s; BATCH is the wall time of one batch; ± is the spread of TASKS/S", plural(samples, "sample"))
	if samples >= 6 {
		note += " (95% confidence interval)"
	}
	note += "; CPU-CORES is CPU seconds per wall second"
	if base != nil {
		note += "; SPEEDUP is throughput over sequential's"
	}
	if someHave(ms, unitFloorRatio) {
		note += "; FLOOR× is batch time over the least time the tasks' latency allows"
	}
	fmt.Fprintln(w, note+".")
}

// plural writes n and noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// describeTarget names the workload and how it ran, in a line: "regex-alt
// (cpu): size=64KiB pattern=alt, 64 tasks a batch, GOMAXPROCS 2".
func describeTarget(m *measurement) string {
	s := fmt.Sprintf("%s (%s)", m.Case.Workload, m.Kind)
	if len(m.Params) > 0 {
		s += ": " + strings.Join(m.Params, " ") + ","
	}
	return fmt.Sprintf("%s %d tasks a batch, GOMAXPROCS %d", s, m.Case.Tasks, m.GOMAXPROCS)
}
