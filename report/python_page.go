package report

import (
	"bytes"
	"fmt"
	"math"
	"strings"
)

// pyReasons says, per workload, what kind of work it is in the
// tutorial's terms and what CPython does while a task runs: whether its
// library releases the GIL, so that threads can gain.
var pyReasons = map[string]struct {
	io, releases bool
	gil, engine  string
}{
	"sha256":       {false, true, "hashlib releases the GIL while it hashes a buffer of more than 2 KiB, so threads can hash on every core", ""},
	"stdgzip":      {false, true, "zlib releases the GIL while it compresses, so threads can compress on every core", ""},
	"regex-prefix": {false, false, "re holds the GIL for the whole search, so one thread searches at a time", "both engines scan for the pattern's literal prefix"},
	"regex-alt":    {false, false, "re holds the GIL for the whole search, so one thread searches at a time", "Go's regexp finds no literal prefix to scan for in an alternation and runs its automaton at every byte, while Python's re tries the alternatives at each byte in C"},
	"http":         {true, true, "a thread releases the GIL while it waits on its socket, and asyncio waits on all of them in one thread", ""},
	"file":         {true, true, "a thread releases the GIL while it waits on the disk (write, fsync, read); asyncio hands each task to its thread pool", ""},
}

// gained reports whether r clears MinSpeedup: its interval's low end when
// it has one, else its median.
func gained(r Ratio) bool {
	if r.CI {
		return r.Lo >= MinSpeedup
	}
	return r.Center >= MinSpeedup
}

// pythonGuide writes the decision guide's Python lines: per workload,
// whether the tutorial's rule held on this machine, and why.
func (pg *Page) pythonGuide(b *bytes.Buffer) {
	pa := pg.Analysis.Python
	b.WriteString("### The tutorial's rule in Python, measured here\n\n")
	if pa.Skipped != "" {
		fmt.Fprintf(b, "Python was not measured in this run: %s. `concbench bench` runs the Python harness when python3 (3.9 or later) is on PATH, or the interpreter that `-python` names.\n\n", pa.Skipped)
		return
	}
	b.WriteString("The tutorial's rule: threads do not speed up CPU-bound work (the GIL runs one thread at a time) but processes do; threads or asyncio speed up IO-bound work. " +
		"A model gained when its paired speedup over `py-sequential` clears " + fmt.Sprintf("%.2f×", MinSpeedup) + " (its interval's low end, where it has one).\n\n")
	for _, w := range pa.Workloads {
		if w.Sequential == nil {
			fmt.Fprintf(b, "- **%s**: no `py-sequential` result to compare with.\n", w.Name)
			continue
		}
		fmt.Fprintf(b, "- **%s**: %s\n", w.Name, pyRuleLine(w))
	}
	b.WriteString("\n")
}

// pyRuleLine says whether the rule held for w, with the numbers.
func pyRuleLine(w *PyWorkload) string {
	reason := pyReasons[w.Name]
	threads := w.bestOf(pyThreads)
	procs := w.bestOf(pyProcesses)
	var s []string
	io := w.Kind == KindIO
	if r, ok := pyReasons[w.Name]; ok {
		io = r.io
	}
	because := func(gain bool) string {
		switch {
		case reason.gil == "":
			return ""
		case gain == reason.releases:
			return ": " + reason.gil
		case gain:
			return ", unexpected since " + reason.gil + ": see the noisy measurements"
		}
		return ", though " + reason.gil + ": this run's cores were busy elsewhere or its tasks too short for it to show"
	}
	switch {
	case io:
		waiting := w.bestOf(append([]string{"py-asyncio"}, pyThreads...))
		if waiting == nil {
			return "no thread or asyncio result."
		}
		g := gained(waiting.Speedup)
		verdict := "the rule held"
		if !g {
			verdict = "the rule failed"
		}
		s = append(s, fmt.Sprintf("%s on waiting work: `%s` %s over `py-sequential`%s", verdict, waiting.M.Model, waiting.Speedup, because(g)))
	case threads != nil:
		cores := ""
		if threads.HasCPU {
			cores = fmt.Sprintf(" with %.2f cores busy", threads.CPU.Center)
		}
		g := gained(threads.Speedup)
		if g {
			s = append(s, fmt.Sprintf("the rule failed: threads sped CPU work up, `%s` %s%s%s", threads.M.Model, threads.Speedup, cores, because(g)))
		} else {
			s = append(s, fmt.Sprintf("the rule held: threads showed no clear gain, `%s` %s%s%s", threads.M.Model, threads.Speedup, cores, because(g)))
		}
		if procs != nil {
			word := "gained"
			if !gained(procs.Speedup) {
				word = "did not gain"
			}
			s = append(s, fmt.Sprintf("processes %s: `%s` %s", word, procs.M.Model, procs.Speedup))
		}
	default:
		return "no thread result."
	}
	if r := w.Ratio; w.GoBest != nil && w.PyBest != nil && !math.IsNaN(r.Center) {
		who := fmt.Sprintf("Go's best (`%s`) ran %s the tasks/s of Python's best (`%s`)", w.GoBest.M.Model, r.Short(), w.PyBest.M.Model)
		if r.Center < 1 {
			who = fmt.Sprintf("Python's best (`%s`) ran %s the tasks/s of Go's best (`%s`)", w.PyBest.M.Model, Ratio{Center: 1 / r.Center, Lo: 1 / r.Hi, Hi: 1 / r.Lo, CI: r.CI}.Short(), w.GoBest.M.Model)
			if reason.engine != "" {
				who += ": the engine matters more than the model here, as " + reason.engine
			}
		}
		s = append(s, who)
	}
	return Capitalize(strings.Join(s, "; ")) + "."
}

// python writes the Go-vs-Python table: each language's best per
// workload, and their ratio.
func (pg *Page) python(b *bytes.Buffer, _ string) {
	pa := pg.Analysis.Python
	if pa.Skipped != "" {
		return // the chart's section says why
	}
	cfg := pa.Config
	gil := cfg["python-gil"]
	fmt.Fprintf(b, "Python: %s %s (GIL %s; build %s), the tutorial's own models in the standard library (`python/concbench.py`), on the same corpus bytes, task sizes, tasks per batch, workers and loopback server as the Go matrix, "+
		"their batch digests checked against Go's. Best is each language's verdict choice over its own sequential run (stay sequential included), "+
		"or, marked *no verdict*, the fastest median. Throughput is tasks per second of a whole batch. The Go and Python samples were taken minutes apart, so the ratio's interval also holds the drift between them.\n\n",
		orUnknown(cfg["python-implementation"]), orUnknown(cfg["python"]), orUnknown(gil), orUnknown(cfg["python-build"]))
	t := &table{title: "Go best ÷ Python best, per workload", header: []string{"workload", "Go best", "Go tasks/s", "Python best", "Python tasks/s", "Go ÷ Python"}}
	for _, w := range pa.Workloads {
		row := []string{w.Name}
		for _, c := range []struct {
			cell    *Cell
			verdict bool
		}{{w.GoBest, w.GoVerdict}, {w.PyBest, w.PyVerdict}} {
			if c.cell == nil {
				row = append(row, "–", "–")
				continue
			}
			name := c.cell.M.Model
			if !c.verdict {
				name += " (no verdict)"
			}
			row = append(row, name, formatValue(c.cell.Throughput.Center))
		}
		row = append(row, w.Ratio.String())
		t.rows = append(t.rows, row)
	}
	t.write(b)
	for k, v := range cfg {
		if name, ok := strings.CutSuffix(strings.TrimPrefix(k, "python-"), "-bytes-per-task"); ok && name != k {
			fmt.Fprintf(b, "Compressed bytes per task on %s: %s. Compressors' outputs differ between implementations, so there the harness checks the round trip instead of comparing digests.\n\n", name, v)
		}
	}
}
