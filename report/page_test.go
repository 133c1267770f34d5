package report

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/benchkey"
)

// TestPageGoldens writes the page of a quick run (which passes over a
// smoke run), of a smoke run and of a full run of the IO benchmarks, and
// compares each with testdata/golden/page-RUN.md.
func TestPageGoldens(t *testing.T) {
	for _, tc := range []struct {
		name   string
		file   string
		others []string
	}{
		{"quick", quickFile, []string{smokeFile}},
		{"smoke", smokeFile, nil},
		{"io", ioFile, nil},
		{"python", pythonFile, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var others []*Run
			for _, f := range tc.others {
				others = append(others, mustRead(t, f))
			}
			pg := NewPage(mustRead(t, tc.file), others)
			md := string(pg.Markdown(filepath.Dir(tc.file)))
			for _, w := range pg.Analysis.Workloads {
				if !strings.Contains(md, "| "+w.Name+" | ") {
					t.Errorf("decision guide lacks a row for %s", w.Name)
				}
			}
			for _, ch := range pg.Charts {
				if !strings.Contains(md, "("+ch.Name+".png)") {
					t.Errorf("page does not show chart %s", ch.Name)
				}
			}
			for _, m := range pg.Missing {
				if strings.Contains(md, "("+m.Name+".png)") || !strings.Contains(md, m.Reason) {
					t.Errorf("page shows missing chart %s, or not why it is missing", m.Name)
				}
			}
			if strings.Contains(md, "NaN") {
				t.Error("page holds NaN")
			}
			golden(t, "page-"+tc.name+".md", []byte(md))
		})
	}
}

// TestPageOrder: a page reads machine, verdicts, charts, noise, then
// links its tables, which live in their own file with models in the
// models table's order.
func TestPageOrder(t *testing.T) {
	pg := NewPage(mustRead(t, ioFile), nil)
	md := string(pg.Markdown("."))
	at := -1
	for _, h := range []string{"| machine |", "## Decision guide", "## Which model for which work", "## IO throughput vs concurrency", "## Noise\n", "## Tables", "## Reproduce"} {
		i := strings.Index(md, h)
		if i <= at {
			t.Errorf("%q at %d, want it after %d", h, i, at)
		}
		at = max(at, i)
	}
	if !strings.Contains(md, "](tables.md)") {
		t.Error("the page does not link its tables")
	}
	for _, h := range []string{"### Main matrix: throughput", "<details>", "## Noisy measurements"} {
		if strings.Contains(md, h) {
			t.Errorf("the page holds %q, which belongs in tables.md", h)
		}
	}
	// The noise summary counts what the run retook and left unresolved.
	if !strings.Contains(md, "- Samples retaken: ") || !strings.Contains(md, "- Workloads without a verdict: ") {
		t.Error("the noise summary lacks its counts")
	}
	tables := string(pg.Tables("."))
	header := ""
	for _, l := range strings.Split(tables, "\n") {
		if strings.HasPrefix(l, "| workload | unit |") {
			header = l
			break
		}
	}
	var cols []string
	for _, c := range strings.Split(strings.Trim(header, "| "), " | ")[2:] {
		cols = append(cols, c)
	}
	if len(cols) < 2 || !slices.IsSortedFunc(cols, func(x, y string) int { return benchkey.ModelRank(x) - benchkey.ModelRank(y) }) {
		t.Errorf("matrix columns %q, want the models table's order", cols)
	}
	golden(t, "tables-io.md", []byte(tables))
}

func TestPageNotes(t *testing.T) {
	smokePage := NewPage(mustRead(t, smokeFile), nil)
	smoke := string(smokePage.Markdown("testdata"))
	if !strings.Contains(smoke, "**A smoke run.**") || !strings.Contains(string(smokePage.Tables("testdata")), "With one sample per benchmark there is no spread to judge.") {
		t.Error("the smoke run's page does not say its numbers mean nothing")
	}
	run, err := Read(strings.NewReader(ioFixture), "io.txt")
	if err != nil {
		t.Fatal(err)
	}
	fullPage := NewPage(run, nil)
	full := string(fullPage.Markdown("."))
	if strings.Contains(full, "> **") {
		t.Error("a full run's page carries a warning note")
	}
	if !strings.Contains(full, "| http | io (0.03 cores) | no verdict | – | No verdict: 2 paired samples; a verdict needs 6. |") || !strings.Contains(string(fullPage.Tables(".")), "### IO: throughput by concurrency") {
		t.Error("the IO run's page lacks its decision row or IO table")
	}
	garbage := edit(t, insert(20, "this is not a result"))
	run, err = Read(strings.NewReader(garbage), "x.txt")
	if err != nil {
		t.Fatal(err)
	}
	if md := string(NewPage(run, nil).Markdown(".")); !strings.Contains(md, "## Lines skipped") || !strings.Contains(md, "- x.txt:20: not a benchmark result") {
		t.Error("the page does not list the skipped line")
	}
}

// cell builds a Cell for the Why cases.
func cell(model string, speedup float64, p int) *Cell {
	c := &Cell{M: &Measurement{Bench: Bench{Model: model, Params: "tasks=256"}}, P: p}
	c.M.Knobs.Set("workers", p)
	c.Speedup = Ratio{Center: speedup, Lo: speedup * 0.98, Hi: speedup * 1.02, CI: true, N: 10}
	c.Efficiency = speedup / float64(p)
	return c
}

// decided builds a Workload whose verdict chose c, from set.
func decided(kind string, seq, c *Cell, sequential bool, set ...string) *Workload {
	return &Workload{Kind: kind, Sequential: seq, Choice: c, Cells: []*Cell{seq, c}, Verdict: Verdict{
		Resolved: true, Fastest: c.M.Model, Choice: c.M.Model, Set: append([]string{c.M.Model}, set...),
		Best: len(set) == 0, Speedup: c.Speedup, Sequential: sequential, Reason: "the reason",
	}}
}

func TestWhy(t *testing.T) {
	seq := cell("sequential", 1, 1)
	seq.CPU, seq.HasCPU = Summary{Center: 0.99}, true
	ioSeq := cell("sequential", 1, 1)
	ioSeq.CPU, ioSeq.HasCPU = Summary{Center: 0.02}, true
	overhead := []*Cost{{PerTask: Summary{Center: 400}}}
	slowTasks := cell("pool", 1.5, 2)
	slowTasks.Shortfall, slowTasks.HasShortfall = Decompose(2, 1, 1.33, 1), true
	idle := cell("pool", 1.5, 2)
	idle.Shortfall, idle.HasShortfall = Decompose(1.5, 1, 1, 1), true
	gcTasks := cell("spawn", 1.5, 2)
	gcTasks.Shortfall, gcTasks.HasShortfall = DecomposeGC(2, 1, 1.33, 1, 0.3, 0.05), true
	notGC := cell("pool", 1.5, 2)
	notGC.Shortfall, notGC.HasShortfall = DecomposeGC(2, 1, 1.33, 1, 0.06, 0.05), true
	disturbed := cell("pool", 2.3, 2)
	disturbed.Shortfall, disturbed.HasShortfall = Decompose(2, 1, 453, 526), true
	short := decided(KindCPU, seq, cell("pool", 1.02, 2), true)
	short.TaskTime = 2e-6
	long := decided(KindCPU, seq, cell("pool", 1.05, 2), true)
	long.TaskTime = 0.01
	spawn := cell("spawn", 40, 256)
	spawn.M.Knobs.Set("workers", 0)
	spawn.M.Params = "tasks=256"
	io := decided(KindIO, ioSeq, cell("pool", 30, 64), false, "semaphore")
	io.Apart = []*Cell{spawn}
	// The same, with the CPU each task cost: measured (cpu-us/task) for
	// pool and for semaphore, which spent clearly less, and derived from
	// cpu-cores × ns/op ÷ tasks for the sequential run of an older file.
	costSeq := cell("sequential", 1, 1)
	costSeq.CPU, costSeq.HasCPU = Summary{Center: 0.02}, true
	costSeq.M.Values = map[string][]float64{UnitCPUCores: {0.02, 0.02}, UnitNsPerOp: {2.56e9, 2.56e9}}
	costPool, costSem := cell("pool", 30, 64), cell("semaphore", 29, 64)
	costPool.M.Values = map[string][]float64{UnitCPUPerTask: {150, 160, 170}}
	costSem.M.Values = map[string][]float64{UnitCPUPerTask: {90, 95}}
	costly := decided(KindIO, costSeq, costPool, false, "semaphore")
	costly.Cells = append(costly.Cells, costSem)
	for _, tc := range []struct {
		name string
		w    *Workload
		want []string
	}{
		{"cpu, scales", decided(KindCPU, seq, cell("pool", 1.9, 2), false),
			[]string{"CPU-bound: one task at a time kept 0.99 cores busy", "pool ran it 1.90× [1.86, 1.94] faster with 2 tasks at once (95% of the ideal 2×).", "The reason."}},
		{"cpu, dearer tasks", decided(KindCPU, seq, slowTasks, false),
			[]string{"each task cost 33% more CPU than in the sequential run"}},
		{"cpu, tasks dearer by their GC", decided(KindCPU, seq, gcTasks, false),
			[]string{"each task cost 33% more CPU than in the sequential run, and garbage collection was most of it: 26% of its CPU per task was GC"}},
		{"cpu, tasks dearer, not by GC", decided(KindCPU, seq, notGC, false),
			[]string{"garbage collection added only 2% of it (gc-cpu-pct), so contention or memory bandwidth is the cause"}},
		{"cpu, idle cores", decided(KindCPU, seq, idle, false),
			[]string{"the shortfall is in the cores kept busy (1.50× sequential's)"}},
		{"cpu, disturbed baseline", decided(KindCPU, seq, disturbed, false),
			[]string{"cost 14% less CPU than sequential's", "rerun on a quiet machine"}},
		{"io at equal concurrency", io,
			[]string{"IO-bound: one task at a time kept only 0.02 cores busy", "Compared at 64 tasks at once, as every model in the verdict ran, pool overlapped the waits and ran it 30.0× [29.4, 30.6] faster.",
				"spawn, with 256 tasks at once, is not compared with them (40.0× [39.2, 40.8])."}},
		{"io, CPU per task", costly,
			[]string{"It spent 160µs of CPU per task (sequential: 200µs).", "semaphore, at the same tasks in flight, spent 92.5µs."}},
		{"short tasks", short,
			[]string{"No model's speedup cleared 1.10× with confidence", "Each task takes only 2.00 µs, against at least 400 ns of dispatch cost"}},
		{"long tasks, no gain", long,
			[]string{"No model's speedup cleared 1.10×", "the cause lies elsewhere"}},
		{"no sequential", &Workload{Kind: KindUnknown},
			[]string{"no sequential result to compare with"}},
		{"unresolved", &Workload{Kind: KindCPU, Sequential: seq, Verdict: Verdict{Reason: "3 paired samples; a verdict needs 6"}},
			[]string{"No verdict: 3 paired samples; a verdict needs 6."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &Analysis{Cores: 2, Overhead: overhead}
			got := Why(tc.w, a)
			for _, want := range tc.want {
				if !strings.Contains(got, want) {
					t.Errorf("Why = %q, want it to contain %q", got, want)
				}
			}
		})
	}
}

func TestChoose(t *testing.T) {
	run := func(file, profile, date, incomplete string) *Run {
		return &Run{File: file, Config: map[string]string{"profile": profile, "date": date}, Incomplete: incomplete}
	}
	day := func(d int) string { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC).Format(time.RFC3339) }
	oldFull := run("a-full.txt", "full", day(1), "")
	newFull := run("b-full.txt", "full", day(2), "")
	brokenFull := run("c-full.txt", "full", day(3), "stopped")
	quick := run("d-quick.txt", "quick", day(4), "")
	smoke := run("e-smoke.txt", "smoke", day(5), "")
	sameDay := run("f-quick.txt", "quick", day(4), "")
	for _, tc := range []struct {
		name string
		runs []*Run
		want *Run
	}{
		{"newest full", []*Run{oldFull, quick, newFull, smoke}, newFull},
		{"incomplete full passed over", []*Run{oldFull, brokenFull, quick}, oldFull},
		{"quick without full", []*Run{smoke, quick, brokenFull}, quick},
		{"same date: later file name", []*Run{sameDay, quick}, sameDay},
		{"smoke alone", []*Run{smoke}, smoke},
		{"nothing complete", []*Run{brokenFull}, nil},
	} {
		if got := Choose(tc.runs); got != tc.want {
			t.Errorf("%s: chose %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestWritePageAndIndex(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "amd-epyc-2c")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{quickFile, smokeFile} {
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(readText(t, f)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A page and a chart from an earlier report, which this run cannot draw.
	if err := os.WriteFile(filepath.Join(dir, "io.svg"), []byte("<svg/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte(pageHeader+"# old page\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(root, "other-4c")
	if err := os.MkdirAll(broken, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "x.txt"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	files, err := ResultsFiles(root)
	if err != nil || len(files) != 3 {
		t.Fatalf("ResultsFiles: %v %v", files, err)
	}
	var runs []*Run
	for _, f := range files {
		runs = append(runs, mustRead(t, f))
	}
	machines := Machines(runs)
	if len(machines) != 2 || machines[0].Name != "amd-epyc-2c" || machines[0].Shown == nil || machines[0].Shown.Profile() != "quick" || machines[1].Shown != nil {
		t.Fatalf("machines %+v", machines)
	}
	if _, err := WritePage(root, machines[1]); err == nil {
		t.Error("WritePage wrote a page for a machine without a complete run")
	}
	pg, err := WritePage(root, machines[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"README.md", "decision.svg", "decision.png", "throughput.svg", "speedup.png", "gomaxprocs.svg", "overhead.png"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "io.svg")); err == nil {
		t.Error("the stale io.svg survived")
	}
	md := readText(t, filepath.Join(dir, "README.md"))
	if len(pg.Others) != 1 || !strings.Contains(md, "20261127-201026-smoke.txt (smoke, 2026-11-27T20:10:26Z): an earlier or lesser profile") {
		t.Errorf("the page does not list the run it passed over")
	}

	if err := WriteIndex(root, machines); err != nil {
		t.Fatal(err)
	}
	index := readText(t, filepath.Join(root, "README.md"))
	for _, want := range []string{
		"| [amd-epyc-2c](amd-epyc-2c/README.md) | AMD EPYC | 2 | quick (3 samples) |",
		"## Best model per workload", "| workload | amd-epyc-2c (2 cores) |", "| sha256 | ",
		"## Incomplete runs, not shown\n\n- other-4c/x.txt: no valid benchmark results",
	} {
		if !strings.Contains(index, want) {
			t.Errorf("index lacks %q:\n%s", want, index)
		}
	}
}

// TestPageIOServers: a run's io-servers and file-fs lines become rows of
// the machine table; a run without them has neither row.
func TestPageIOServers(t *testing.T) {
	plain, err := Read(strings.NewReader(ioFixture), "io.txt")
	if err != nil {
		t.Fatal(err)
	}
	if md := string(NewPage(plain, nil).Markdown(".")); strings.Contains(md, "| IO servers |") || strings.Contains(md, "| file system |") {
		t.Error("a run without io-servers or file-fs lines has rows for them")
	}
	run, err := Read(strings.NewReader("io-servers: process\nfile-dir: /tmp\nfile-fs: ext4\nfile-device: /dev/vda\n"+ioFixture), "io.txt")
	if err != nil {
		t.Fatal(err)
	}
	md := string(NewPage(run, nil).Markdown("."))
	for _, want := range []string{
		"| IO servers | in a server process of their own, started once per benchmark (a name with server=inproc: in the client's process) |",
		"| file system | ext4 on /dev/vda, under /tmp |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
