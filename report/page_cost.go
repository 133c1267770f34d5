package report

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// GranularityGuide is the decision guide's line on task length, from the
// break-even points: below the shortest, no model paid; then each model
// from where it pays. It is "" for a run without BenchmarkGranularity.
func GranularityGuide(a *Analysis) string {
	if len(a.Granularity) == 0 {
		return ""
	}
	curves := slices.Clone(a.Granularity)
	slices.SortStableFunc(curves, func(x, y *GrainCurve) int {
		return cmp.Compare(paysKey(x), paysKey(y))
	})
	longest, ci := 0.0, true
	for _, c := range curves {
		longest = max(longest, c.Points[len(c.Points)-1].TaskTime)
		ci = ci && c.CI
	}
	var pays, never []string
	for _, c := range curves {
		if c.Pays == 0 {
			never = append(never, c.Model)
			continue
		}
		s := c.Model + " from " + formatDuration(c.Pays)
		if len(pays) == 0 {
			s = c.Model + " pays from " + formatDuration(c.Pays)
			if c.Near > 0 {
				s += fmt.Sprintf(" and reaches %.0f%% of ideal from %s", 100*NearIdeal, formatDuration(c.Near))
			}
		}
		pays = append(pays, s)
	}
	var s string
	if len(pays) == 0 {
		s = fmt.Sprintf("no model paid at any task length measured, up to %s: stay sequential or batch the tasks", formatDuration(longest))
	} else {
		s = fmt.Sprintf("tasks under %s: stay sequential or batch them; %s", formatDuration(curves[0].Pays), pays[0])
		if len(pays) > 1 {
			s += "; then " + strings.Join(pays[1:], ", ")
		}
	}
	if len(never) > 0 {
		s += fmt.Sprintf("; not up to %s: %s", formatDuration(longest), strings.Join(never, ", "))
	}
	note := "a model pays from the shortest task from which its paired speedup's 95% interval starts at 1× at every longer task measured"
	if !ci {
		note = "too few samples for 95% intervals, so the rule read the smallest paired ratio instead: a quick look"
	}
	return fmt.Sprintf("**Task length, on this machine** (tasks that only compute, workers = cores): %s. (%s; see the break-even table.)", s, note)
}

func paysKey(c *GrainCurve) float64 {
	if c.Pays == 0 {
		return 1e300
	}
	return c.Pays
}

// costGuide writes the decision guide's lines on cost.
func (pg *Page) costGuide(b *bytes.Buffer) {
	if s := GranularityGuide(pg.Analysis); s != "" {
		b.WriteString(mdEscape(s) + "\n\n")
	}
}

// breakEvenTable lists each model's break-even points and its speedups at
// the shortest and longest tasks.
func breakEvenTable(a *Analysis) *table {
	t := &table{
		title: "Break-even task length per model",
		note: fmt.Sprintf("From BenchmarkGranularity. *Pays from*: the shortest task from which on the paired speedup's interval starts at %.0f× or more at every longer task measured; "+
			"*%.0f%% of ideal from*: the shortest from which on the median speedup reaches %.0f%% of min(workers, cores). – : not within the lengths measured.", PaysFrom, 100*NearIdeal, 100*NearIdeal),
		header: []string{"model", "pays from", fmt.Sprintf("%.0f%% of ideal from", 100*NearIdeal), "speedup at the shortest task", "at the longest"},
	}
	for _, c := range a.Granularity {
		first, last := c.Points[0], c.Points[len(c.Points)-1]
		t.rows = append(t.rows, []string{
			c.Model, durationOrDash(c.Pays), durationOrDash(c.Near),
			formatDuration(first.TaskTime) + ": " + first.Speedup.String(),
			formatDuration(last.TaskTime) + ": " + last.Speedup.String(),
		})
	}
	return t
}

func durationOrDash(sec float64) string {
	if sec <= 0 {
		return "–"
	}
	return formatDuration(sec)
}

// footprintTable lists, for each model and tasks held, the memory per
// task and its split, the start-up time per task, tasks per GiB and the
// threads.
func footprintTable(a *Analysis) *table {
	t := &table{
		title: "Memory and start-up per waiting task",
		note: "From BenchmarkFootprint: N tasks held blocked at once, N workers. *Resident* is the growth of this process's and its children's Pss, per task; " +
			"*stack* and *heap* are this process's runtime/metrics (/memory/classes/heap/stacks and heap/objects, after a collection), so worker processes' own runtimes are in resident only; " +
			"*start* is from building the model to every task blocked, per task; *threads* are the OS threads of the process and its children while the tasks wait. " + spreadNote(a.Run),
		header: []string{"model", "tasks", "resident/task", "stack/task", "heap/task", "start/task", "tasks per GiB", "threads"},
	}
	for _, f := range a.Footprints {
		for _, h := range f.Holds {
			perGiB := "–"
			if h.RSS.Center > 0 {
				perGiB = compactNumber(float64(1<<30) / h.RSS.Center)
			}
			t.rows = append(t.rows, []string{
				f.Model, strconv.Itoa(h.Tasks), formatBytes(h.RSS.Center), formatBytes(h.Stack.Center), formatBytes(h.Heap.Center),
				formatDuration(h.Create.Center / 1e9), perGiB, formatValue(h.Threads.Center),
			})
		}
	}
	return t
}

// formatBytes formats a byte count in B, KiB, MiB or GiB.
func formatBytes(v float64) string {
	switch {
	case v < 1<<10:
		return formatValue(v) + " B"
	case v < 1<<20:
		return formatValue(v/(1<<10)) + " KiB"
	case v < 1<<30:
		return formatValue(v/(1<<20)) + " MiB"
	}
	return formatValue(v/(1<<30)) + " GiB"
}

// costTables writes the table that follows a cost chart's section.
func (pg *Page) costTables(b *bytes.Buffer, chart string) {
	switch chart {
	case "granularity":
		breakEvenTable(pg.Analysis).write(b)
	case "footprint":
		footprintTable(pg.Analysis).write(b)
	}
}
