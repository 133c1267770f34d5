package report

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/concbench/concbench/benchkey"
)

// A Page is the published page of one machine: its README.md and charts.
type Page struct {
	Run      *Run
	Analysis *Analysis
	Charts   []*Chart
	Missing  []Missing
	// Others are the machine's other runs, which the page lists as not
	// shown.
	Others []*Run
	// Published, when set, is the run published for this machine, which
	// the page of another run compares its verdicts with.
	Published *Run
}

// NewPage analyses run and draws its charts.
func NewPage(run *Run, others []*Run) *Page {
	a := Analyze(run)
	charts, missing := Charts(a)
	return &Page{Run: run, Analysis: a, Charts: charts, Missing: missing, Others: others}
}

// TablesFile is the file beside a page's README.md that holds its full
// tables, which the page links to.
const TablesFile = "tables.md"

// A pageSection writes one part of a page, for a page written into dir.
type pageSection func(pg *Page, b *bytes.Buffer, dir string)

// pageSections are the parts of a page, in the order a reader wants
// them: what machine, what to use, the charts that show why, how noisy
// the run was, then where the rest is. A new part is a function and a
// line here.
var pageSections = []pageSection{
	(*Page).heading,
	(*Page).machineTable,
	(*Page).verdicts,
	(*Page).charts,
	(*Page).python,
	(*Page).noise,
	(*Page).tablesLink,
	(*Page).problems,
	(*Page).reproduce,
}

// tablesSections are the parts of the page's tables file.
var tablesSections = []pageSection{
	(*Page).tablesHeading,
	(*Page).tables,
	(*Page).flags,
}

// Markdown returns the page's README.md, for a page written into dir:
// links to the results files are relative to it.
func (pg *Page) Markdown(dir string) []byte { return pg.render(pageSections, dir) }

// Tables returns the page's tables file (TablesFile): every table of the
// run, and the benchmarks whose samples vary too much to trust.
func (pg *Page) Tables(dir string) []byte { return pg.render(tablesSections, dir) }

func (pg *Page) render(sections []pageSection, dir string) []byte {
	var b bytes.Buffer
	for _, s := range sections {
		s(pg, &b, dir)
	}
	return b.Bytes()
}

func (pg *Page) heading(b *bytes.Buffer, _ string) {
	fmt.Fprintf(b, "# concbench results: %s\n\n", mdEscape(pg.Run.Machine))
	if note := profileNote(pg.Run); note != "" {
		fmt.Fprintf(b, "> %s\n\n", note)
	}
}

func (pg *Page) tablesHeading(b *bytes.Buffer, _ string) {
	fmt.Fprintf(b, "# concbench tables: %s\n\nEvery number behind [the page](README.md) of %s, models in the models table's order.\n\n",
		mdEscape(pg.Run.Machine), mdEscape(filepath.Base(pg.Run.File)))
}

// verdicts writes the decision guide and whether its verdicts repeated.
func (pg *Page) verdicts(b *bytes.Buffer, _ string) {
	pg.guide(b)
	pg.costGuide(b)
	pg.replication(b)
}

// charts writes every chart of the page, or why it is missing, in
// chartMakers' order.
func (pg *Page) charts(b *bytes.Buffer, _ string) {
	for _, name := range ChartNames() {
		pg.chartSection(b, name)
		pg.costTables(b, name)
	}
}

func (pg *Page) tablesLink(b *bytes.Buffer, _ string) {
	fmt.Fprintf(b, "## Tables\n\nThe full tables, every measurement of the run and the list of noisy benchmarks are in [%s](%s).\n\n", TablesFile, TablesFile)
	fmt.Fprintf(b, "The same page as one self-contained HTML file, whose charts toggle each model and show values on hover, with sortable tables and every sample of any cell, is [%s](%s): it opens offline, from a clone or a download.\n\n", HTMLName, HTMLName)
}

func (pg *Page) reproduce(b *bytes.Buffer, _ string) {
	fmt.Fprintf(b, "## Reproduce\n\nOn the same kind of machine, from the repository root:\n\n```sh\nmake report                       # the quick profile, then this page\nmake bench PROFILE=full && make charts   # the numbers to publish\n```\n\n")
	fmt.Fprintf(b, "Or report any results file: `go run ./cmd/concbench report -o DIR FILE`.\n")
}

// noise says in a few lines how far to trust the run: the samples the
// machine disturbed and were taken again, the workloads without a
// verdict and why, and how many benchmarks vary more than MaxCV.
func (pg *Page) noise(b *bytes.Buffer, _ string) {
	b.WriteString("## Noise\n\n")
	if r := pg.Run.Config["retakes"]; r != "" {
		fmt.Fprintf(b, "- Samples retaken: %s. A sample is taken again when a probe shows the machine disturbed it (a slow reference probe, steal time, other processes' CPU); one still disturbed after its retakes is kept, and counted.\n", mdEscape(r))
	} else {
		b.WriteString("- Samples retaken: not recorded (the run predates retaking disturbed samples).\n")
	}
	reasons := map[string][]string{}
	var order []string
	for _, w := range pg.Analysis.Workloads {
		if w.Verdict.Resolved {
			continue
		}
		why := w.Verdict.Reason
		if w.Sequential == nil {
			why = "no sequential run to compare with"
		}
		if reasons[why] == nil {
			order = append(order, why)
		}
		reasons[why] = append(reasons[why], workloadLabel(w, pg.Analysis))
	}
	n := 0
	for _, r := range reasons {
		n += len(r)
	}
	fmt.Fprintf(b, "- Workloads without a verdict: %d of %d.", n, len(pg.Analysis.Workloads))
	for _, why := range order {
		fmt.Fprintf(b, " %s: %s.", Capitalize(mdEscape(why)), mdEscape(strings.Join(reasons[why], ", ")))
	}
	b.WriteString("\n")
	noisy, measured := pg.noisy()
	if measured > 0 {
		fmt.Fprintf(b, "- Benchmarks whose samples vary by more than %.0f%% or hold outliers: %d of %d; their medians are less certain, and the paired speedups above cancel most of what load on the machine adds to both sides of a pair. The list is in [%s](%s#noisy-measurements).\n",
			100*MaxCV, len(noisy), measured, TablesFile, TablesFile)
	}
	b.WriteString("\n")
}

// calibrationText says how fast the host was: the probe's fastest
// hashing and memory walk.
func calibrationText(run *Run) string {
	sha, mem, ok := run.Calibration()
	if !ok {
		return "unknown (the run predates calibration)"
	}
	return fmt.Sprintf("probe: hashing %s, memory walk %s (runs more than %.0f%% apart in hashing are other hosts)",
		formatDuration(sha/1e9), formatDuration(mem/1e9), 100*HostTolerance)
}

// orderText says how the run ordered its benchmarks.
func orderText(seed string) string {
	if seed == "" {
		return "the suite's order"
	}
	return "shuffled in blocks of one group and workload each round, seed " + seed
}

// replication compares the page's verdicts with those of the machine's
// previous run of the same profile on the same host, when it has one;
// and, on the page of a user's own run, with the published run's.
func (pg *Page) replication(b *bytes.Buffer) {
	if pg.Published != nil {
		intro := "The verdicts of this run beside those of the run published for this machine, " + mdEscape(filepath.Base(pg.Published.File)) + "."
		if !SameHost(pg.Run, pg.Published) {
			intro += " Their calibrations differ (" + hostDiff(pg.Published, pg.Run) + " here): this is another host sold under the same CPU name, so the published numbers are not this machine's."
		}
		Replicate(pg.Run, pg.Published).markdown(b, "Your run vs the published run", intro)
	}
	if prev := previous(pg.Run, pg.Others); prev != nil {
		Replicate(pg.Run, prev).markdown(b, "Replication",
			"Did the verdicts repeat? This run beside the previous complete run of the same profile on this host.")
	}
}

// profileNote warns that a page's numbers are not for publication.
func profileNote(run *Run) string {
	switch p := run.Profile(); p {
	case "full":
		return ""
	case "quick":
		return fmt.Sprintf("**A quick look.** This page comes from the quick profile: up to %s a benchmark. "+
			"Its model comparison pairs enough samples for the verdicts below, among fewer models than the full profile compares; "+
			"where a benchmark has fewer than %d samples, whiskers and ± show their spread instead of a 95%% confidence interval. "+
			"Numbers to rely on come from the full profile (`make bench PROFILE=full`, 10 samples each, every model).", samples(run.Samples()), MinPairs)
	case "smoke":
		return "**A smoke run.** One sample of each benchmark at the small `-short` sizes: it checks that everything runs, and its numbers mean nothing."
	default:
		return fmt.Sprintf("**Profile %s**, %s of each benchmark: not the full profile that published numbers come from.", mdEscape(strconv.Quote(p)), samples(run.Samples()))
	}
}

func (pg *Page) machineTable(b *bytes.Buffer, dir string) {
	run := pg.Run
	rel, err := filepath.Rel(dir, run.File)
	if err != nil {
		rel = run.File
	}
	rel = filepath.ToSlash(rel)
	fmt.Fprintf(b, "| | |\n| --- | --- |\n")
	for _, row := range pg.metaRows() {
		fmt.Fprintf(b, "| %s | %s |\n", row[0], mdEscape(row[1]))
	}
	fmt.Fprintf(b, "| results file | [%s](%s) |\n", mdEscape(filepath.Base(run.File)), mdLink(rel))
	b.WriteString("\n")
	if len(pg.Others) > 0 {
		fmt.Fprintf(b, "This page shows the run chosen among %d of this machine's results files: the newest complete full-profile run, else the newest complete quick one. Not shown:\n\n", len(pg.Others)+1)
		for _, o := range pg.Others {
			why := "an earlier or lesser profile"
			if o.Incomplete != "" {
				why = "incomplete: " + o.Incomplete
			}
			fmt.Fprintf(b, "- %s (%s, %s): %s\n", mdEscape(filepath.Base(o.File)), mdEscape(o.Profile()), mdEscape(orUnknown(o.Config["date"])), mdEscape(why))
		}
		b.WriteString("\n")
	}
}

// guide writes the decision guide: for each workload, the verdict and
// why, in plain words.
func (pg *Page) guide(b *bytes.Buffer) {
	a := pg.Analysis
	b.WriteString("## Decision guide\n\n")
	if len(a.Workloads) == 0 {
		b.WriteString("The run has no BenchmarkModels results, so there is nothing to decide from.\n\n")
		pg.pythonGuide(b)
		return
	}
	fmt.Fprintf(b, "For each workload, which model to use here and why. A speedup is the median of paired ratios "+
		"(each sample next to the sequential sample of the same round) with its 95%% confidence interval. "+
		"A model is named alone only when it beat every other model in paired samples, Holm-corrected across this page (α = %.2f); "+
		"otherwise the verdict lists the models that cannot be told apart (a ≈ b), and the first is preferred (order: %s). "+
		"The advice is to stay sequential unless the chosen model's interval starts at %.2f× or more. "+
		"Waiting work is compared at equal tasks in flight. Kind is measured, not assumed: the CPU cores the sequential run kept busy.\n\n",
		Alpha, strings.Join(Preference, ", "), MinSpeedup)
	b.WriteString("| workload | kind | verdict | speedup (95% CI) | why |\n| --- | --- | --- | --- | --- |\n")
	for _, w := range a.Workloads {
		verdict, speed := "no verdict", "–"
		if v := w.Verdict; v.Resolved {
			codes := make([]string, len(v.Set))
			for i, m := range v.Set {
				codes[i] = mdCode(m)
			}
			verdict = strings.Join(codes, " ≈ ")
			if v.Sequential {
				verdict = "stay sequential"
			}
			speed = v.Choice + " " + v.Speedup.String()
		}
		kind := w.Kind
		if w.Sequential != nil && w.Sequential.HasCPU {
			kind = fmt.Sprintf("%s (%.2f cores)", mdEscape(w.Kind), w.Sequential.CPU.Center)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", mdEscape(workloadLabel(w, a)), kind, verdict, mdEscape(speed), mdEscape(Why(w, a)))
	}
	b.WriteString("\n")
	pg.pythonGuide(b)
}

// Why explains in plain words the verdict on w, from what the run
// measured.
func Why(w *Workload, a *Analysis) string {
	v := w.Verdict
	if w.Sequential == nil {
		return "The run has no sequential result to compare with."
	}
	if !v.Resolved || w.Choice == nil {
		return "No verdict: " + v.Reason + "."
	}
	c := w.Choice
	cpu := w.Sequential.CPU.Center
	var s string
	switch {
	case v.Sequential:
		s = fmt.Sprintf("No model's speedup cleared %.2f× with confidence (%s: %s)."+noGain(w, a), MinSpeedup, c.M.Model, v.Speedup)
	case w.Kind == KindCPU:
		s = fmt.Sprintf("CPU-bound: one task at a time kept %.2f cores busy, so only running tasks on more cores helps. %s ran it %s faster with %s (%.0f%% of the ideal %d×).",
			cpu, c.M.Model, v.Speedup, atOnce(c.P), 100*c.Efficiency, c.P)
		s += shortfallText(c)
	case w.Kind == KindIO:
		s = fmt.Sprintf("IO-bound: one task at a time kept only %.2f cores busy; the tasks mostly wait. Compared at %s, as every model in the verdict ran, %s overlapped the waits and ran it %s faster.", cpu, atOnce(c.X()), c.M.Model, v.Speedup)
		s += cpuCostText(w, c)
		for _, o := range w.Apart {
			s += fmt.Sprintf(" %s, with %s, is not compared with them (%s).", o.M.Model, atOnce(o.X()), o.Speedup)
		}
	default:
		s = fmt.Sprintf("%s ran it %s faster; without a cpu-cores measurement of the sequential run its kind is unknown.", c.M.Model, v.Speedup)
	}
	return s + " " + Capitalize(v.Reason) + "."
}

// shortfallText says which factor of the speedup fell short of the
// ideal: the cores kept busy, or the CPU each task cost.
func shortfallText(c *Cell) string {
	if !c.HasShortfall {
		return ""
	}
	f := c.Shortfall
	if f.Disturbed {
		return fmt.Sprintf(" Its tasks cost %.0f%% less CPU than sequential's, which the same work cannot: the sequential samples were slowed by other load, and the speedup overstates; rerun on a quiet machine before trusting it.", 100*(1-1/f.Work))
	}
	if c.Efficiency >= 0.9 {
		return ""
	}
	if f.GCCause() {
		return fmt.Sprintf(" It kept %.2f× the cores busy, but each task cost %.0f%% more CPU than in the sequential run, and garbage collection was most of it: %.0f%% of its CPU per task was GC that sequential did not do (gc-cpu-pct), the cost of keeping more memory alive at once.", f.Busy, 100*(1/f.Work-1), 100*f.GC)
	}
	if f.Work < CostlierWork {
		s := fmt.Sprintf(" It kept %.2f× the cores busy, but each task cost %.0f%% more CPU than in the sequential run (contention, garbage collection or memory bandwidth).", f.Busy, 100*(1/f.Work-1))
		if f.HasGC {
			s = fmt.Sprintf(" It kept %.2f× the cores busy, but each task cost %.0f%% more CPU than in the sequential run; garbage collection added only %.0f%% of it (gc-cpu-pct), so contention or memory bandwidth is the cause.", f.Busy, 100*(1/f.Work-1), 100*f.GC)
		}
		return s
	}
	return fmt.Sprintf(" Each task cost the same CPU as in the sequential run; the shortfall is in the cores kept busy (%.2f× sequential's): tasks waited to run.", f.Busy)
}

// Capitalize returns s with its first letter in upper case, for a
// verdict's Reason at the start of a sentence.
func Capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// atOnce says how many tasks ran at once.
func atOnce(p int) string {
	if p == 1 {
		return "one task at a time"
	}
	return fmt.Sprintf("%d tasks at once", p)
}

// noGain explains a lack of speedup by task length when the run measured
// tasks that are short next to the cheapest model's dispatch cost (net of
// the harness, where the run has it), and says that the cause lies
// elsewhere when they are not. The cheapest, not the dearest: a model
// that starts a process per task costs milliseconds, and says nothing of
// whether a pool could repay the work.
func noGain(w *Workload, a *Analysis) string {
	cheapest := math.Inf(1)
	for _, c := range a.Overhead {
		if c.M == nil || c.M.Model != ModelSequential {
			cheapest = min(cheapest, c.Cost().Center*1e-9)
		}
	}
	if w.TaskTime <= 0 || !(cheapest > 0) || math.IsInf(cheapest, 1) {
		return ""
	}
	if w.TaskTime < 10*cheapest { // dispatch would cost a tenth of the work or more
		return fmt.Sprintf(" Each task takes only %s, against at least %s of dispatch cost per task: too little work per task to repay handing it out.", formatDuration(w.TaskTime), formatDuration(cheapest))
	}
	return fmt.Sprintf(" Each task takes %s, far more than the cheapest model's dispatch cost (%s per task), so the cause lies elsewhere: "+
		"other load on the machine (see the noisy measurements below), shared memory bandwidth, or garbage collection.", formatDuration(w.TaskTime), formatDuration(cheapest))
}

func (pg *Page) chartSection(b *bytes.Buffer, name string) {
	for _, ch := range pg.Charts {
		if ch.Name == name {
			fmt.Fprintf(b, "## %s\n\n![%s](%s.png)\n\n%s ([SVG](%s.svg))\n\n", mdEscape(sectionTitle(name)), mdEscape(ch.Title), mdLink(name), mdEscape(ch.Caption), mdLink(name))
			return
		}
	}
	for _, m := range pg.Missing {
		if m.Name == name {
			fmt.Fprintf(b, "## %s\n\nNot drawn: %s\n\n", mdEscape(m.Title), mdEscape(m.Reason))
		}
	}
}

func sectionTitle(name string) string {
	for _, m := range chartMakers {
		if m.name == name {
			return m.title
		}
	}
	return name
}

// flags lists the benchmarks whose samples vary too much to trust, judged
// by their first unit (ns/op for go test): the other units of a result
// derive from the same runs.
func (pg *Page) flags(b *bytes.Buffer, _ string) {
	lines, measured := pg.noisy()
	b.WriteString("## Noisy measurements\n\n")
	switch {
	case measured == 0:
		b.WriteString("With one sample per benchmark there is no spread to judge.\n\n")
		return
	case len(lines) == 0:
		fmt.Fprintf(b, "No benchmark's samples vary by more than %.0f%% or hold outliers.\n\n", 100*MaxCV)
		return
	}
	fmt.Fprintf(b, "%d of %d benchmarks have samples that vary by more than %.0f%% (coefficient of variation) or hold outliers "+
		"(more than 3 scaled median absolute deviations from the median): their medians are less certain. "+
		"Other load on the machine is the usual cause; rerun on a quiet one.\n\n", len(lines), measured, 100*MaxCV)
	fmt.Fprintf(b, "<details><summary>The %d noisy benchmarks</summary>\n\n%s\n\n</details>\n\n", len(lines), strings.Join(lines, "\n"))
}

// noisy lists the noisy benchmarks, a line each, and counts those with
// samples enough to judge.
func (pg *Page) noisy() (lines []string, measured int) {
	for _, m := range pg.Run.Benchmarks {
		if len(m.Units) == 0 {
			continue
		}
		u := m.Units[0]
		v := m.Values[u]
		if len(v) < 2 {
			continue
		}
		measured++
		s := Summarize(v)
		if !s.Noisy() {
			continue
		}
		var why []string
		if s.CV > MaxCV {
			why = append(why, fmt.Sprintf("varies by %.0f%% (CV)", 100*s.CV))
		}
		if len(s.Outliers) > 0 {
			why = append(why, fmt.Sprintf("outliers beyond 3 MADs: %s", formatValues(s.Outliers)))
		}
		lines = append(lines, fmt.Sprintf("- %s: %s %s, median %s", mdCode(m.Name()), mdEscape(u), strings.Join(why, "; "), formatValue(s.Center)))
	}
	return lines, measured
}

func (pg *Page) problems(b *bytes.Buffer, _ string) {
	if len(pg.Run.Problems) == 0 {
		return
	}
	b.WriteString("## Lines skipped\n\nThese lines of the results file could not be used:\n\n")
	for _, p := range pg.Run.Problems {
		fmt.Fprintf(b, "- %s\n", mdEscape(p.Error()))
	}
	if n := pg.Run.MoreProblems; n > 0 {
		fmt.Fprintf(b, "- and %d more\n", n)
	}
	b.WriteString("\n")
}

// samples counts samples in words: "1 sample", "3 samples".
func samples(n int) string {
	if n == 1 {
		return "1 sample"
	}
	return strconv.Itoa(n) + " samples"
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// formatValue formats a value to three significant digits, without
// exponent for the ranges benchmarks report.
func formatValue(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	digits := max(0, 2-int(math.Floor(math.Log10(math.Abs(v)))))
	return strconv.FormatFloat(v, 'f', digits, 64)
}

func formatValues(vs []float64) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = formatValue(v)
	}
	return strings.Join(s, ", ")
}

// formatDuration formats seconds as ns, µs, ms or s.
func formatDuration(sec float64) string {
	switch {
	case sec < 1e-6:
		return formatValue(sec*1e9) + " ns"
	case sec < 1e-3:
		return formatValue(sec*1e6) + " µs"
	case sec < 1:
		return formatValue(sec*1e3) + " ms"
	}
	return formatValue(sec) + " s"
}

// ioRows describes, from a run's configuration lines, where its IO servers
// ran and what its file workload wrote on; none for a run without those
// lines (one from before the servers had a process of their own).
func ioRows(cfg map[string]string) [][2]string {
	var rows [][2]string
	switch cfg["io-servers"] {
	case "":
	case "process":
		rows = append(rows, [2]string{"IO servers", "in a server process of their own, started once per benchmark (a name with server=inproc: in the client's process)"})
	case "inproc":
		rows = append(rows, [2]string{"IO servers", "in the client's process, sharing its runtime"})
	default:
		rows = append(rows, [2]string{"IO servers", cfg["io-servers"]})
	}
	if fs := cfg["file-fs"]; fs != "" {
		rows = append(rows, [2]string{"file system", fmt.Sprintf("%s on %s, under %s", fs, orUnknown(cfg["file-device"]), orUnknown(cfg["file-dir"]))})
	}
	return rows
}

// cpuCostText names the CPU that the chosen model spent per task beside
// the sequential run's, and a model at the same concurrency that spent
// clearly less (under 80%): for waiting work the cost of a model is CPU,
// not time.
func cpuCostText(w *Workload, c *Cell) string {
	chosen, ok := CPUPerTask(c.M)
	if !ok {
		return ""
	}
	s := fmt.Sprintf(" It spent %s of CPU per task", microseconds(chosen))
	if seq, ok := CPUPerTask(w.Sequential.M); ok {
		s += fmt.Sprintf(" (sequential: %s)", microseconds(seq))
	}
	s += "."
	cheapest, least := "", chosen
	for _, o := range w.Cells {
		if o == c || o == w.Sequential || o.X() != c.X() {
			continue
		}
		if cost, ok := CPUPerTask(o.M); ok && cost < least {
			cheapest, least = o.M.Model, cost
		}
	}
	if cheapest != "" && least < 0.8*chosen {
		s += fmt.Sprintf(" %s, at the same tasks in flight, spent %s.", cheapest, microseconds(least))
	}
	return s
}

// CPUPerTask returns the median CPU microseconds per task of m: its
// cpu-us/task, or for a run from before that metric, cpu-cores × ns/op ÷
// tasks per sample. It reports false when m has neither.
func CPUPerTask(m *Measurement) (float64, bool) {
	if v := m.Values[UnitCPUPerTask]; len(v) > 0 {
		return Summarize(v).Center, true
	}
	cores, nsop, tasks := m.Values[UnitCPUCores], m.Values[UnitNsPerOp], paramInt(m.Params, benchkey.Tasks)
	if tasks < 1 || len(cores) == 0 || len(nsop) == 0 {
		return 0, false
	}
	per := make([]float64, min(len(cores), len(nsop)))
	for i := range per {
		per[i] = cores[i] * nsop[i] / 1e3 / float64(tasks)
	}
	return Summarize(per).Center, true
}

// microseconds writes a CPU time in µs with two significant digits or
// more.
func microseconds(us float64) string {
	switch {
	case us >= 100:
		return fmt.Sprintf("%.0fµs", us)
	case us >= 10:
		return fmt.Sprintf("%.1fµs", us)
	}
	return fmt.Sprintf("%.2fµs", us)
}
