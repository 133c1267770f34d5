package report

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// drawn draws ch on a recorder and returns every text it wrote, failing
// the test for text anchored outside the canvas.
func drawn(t *testing.T, ch *Chart) []string {
	t.Helper()
	var rec recorder.Canvas
	ch.Draw(draw.NewCanvas(&rec, ch.Width, ch.Height))
	var texts []string
	// Rotated text (the y axis label) is drawn in rotated coordinates,
	// whose position says nothing about the canvas.
	moved, stack := false, []bool{}
	for _, a := range rec.Actions {
		switch a.(type) {
		case *recorder.Push:
			stack = append(stack, moved)
		case *recorder.Pop:
			moved, stack = stack[len(stack)-1], stack[:len(stack)-1]
		case *recorder.Rotate, *recorder.Translate, *recorder.Scale:
			moved = true
		}
		fs, ok := a.(*recorder.FillString)
		if !ok {
			continue
		}
		texts = append(texts, fs.String)
		if !moved && (fs.Point.X < 0 || fs.Point.X > ch.Width || fs.Point.Y < 0 || fs.Point.Y > ch.Height) {
			t.Errorf("%s: text %q at %v, outside the %v×%v canvas", ch.Name, fs.String, fs.Point, ch.Width, ch.Height)
		}
	}
	return texts
}

// hasText reports whether some drawn text contains s.
func hasText(texts []string, s string) bool {
	return slices.ContainsFunc(texts, func(t string) bool { return strings.Contains(t, s) })
}

func charts(t *testing.T, a *Analysis) map[string]*Chart {
	t.Helper()
	cs, _ := Charts(a)
	m := map[string]*Chart{}
	for _, c := range cs {
		m[c.Name] = c
	}
	return m
}

func TestChartsOfQuickRun(t *testing.T) {
	a := Analyze(mustRead(t, quickFile))
	cs, missing := Charts(a)
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	// The charts whose goldens come from the quick run, and only those:
	// the others say why they are missing.
	var want, wantMissing []string
	for _, name := range ChartNames() {
		if slices.Contains(chartRuns[name], quickRun) {
			want = append(want, name)
		} else {
			wantMissing = append(wantMissing, name)
		}
	}
	if !slices.Equal(names, want) {
		t.Errorf("charts %v, want %v", names, want)
	}
	var missed []string
	for _, m := range missing {
		missed = append(missed, m.Name)
	}
	if !slices.Equal(missed, wantMissing) {
		t.Errorf("missing %v, want %v", missed, wantMissing)
	}
	// The quick profile has no BenchmarkConcurrency.
	if i := slices.Index(missed, "io"); i < 0 || !strings.Contains(missing[i].Reason, "BenchmarkConcurrency") {
		t.Errorf("missing %+v, want io for want of BenchmarkConcurrency", missing)
	}

	workloads := []string{"zstd-fastest", "zstd", "s2", "gzip", "stdgzip", "sha256", "xxh3", "regex-prefix", "regex-alt"}
	models := []string{"sequential", "spawn", "pool", "semaphore", "pinned"}
	for _, tc := range []struct {
		chart string
		title string   // in the figure title, besides the machine
		texts []string // axis labels, tile titles and legend entries
	}{
		{"decision", "each model's speedup, the verdict filled", append([]string{"paired speedup over sequential (×, log scale", "no verdict (fastest: ", "1×: no gain", "2×: 2 cores", "filled: in the verdict", "ringed: the choice"}, workloads...)},
		{"throughput", "Throughput by model", append(append([]string{"MB/s (higher is better)", "×"}, workloads...), models...)},
		{"speedup", "Speedup of the worker pool", append([]string{"workers (goroutines in the pool)", "speedup over sequential (×)", "ideal: min(workers, cores)", "1", "2", "4"}, workloads...)},
		{"gomaxprocs", "by GOMAXPROCS", append([]string{"GOMAXPROCS (OS threads", "speedup over sequential (×)", "ideal: min(GOMAXPROCS, cores)"}, workloads...)},
		{"overhead", "Dispatch overhead per task (log scale)", append([]string{"time per task (lower is better, log scale)", " ns", "100 ns", "1 µs"}, models...)},
	} {
		t.Run(tc.chart, func(t *testing.T) {
			ch := charts(t, a)[tc.chart]
			if ch == nil {
				t.Fatal("not drawn")
			}
			texts := drawn(t, ch)
			for _, want := range append([]string{tc.title, "AMD EPYC, 2 cores"}, tc.texts...) {
				if !hasText(texts, want) {
					t.Errorf("no text %q among %q", want, texts)
				}
			}
			if ch.Caption == "" || !strings.Contains(ch.Caption, "whiskers: smallest to largest sample") && tc.chart != "decision" {
				t.Errorf("caption %q does not say what the whiskers show", ch.Caption)
			}
		})
	}
}

func TestDecisionLabelsEveryWorkload(t *testing.T) {
	a := Analyze(mustRead(t, quickFile))
	texts := drawn(t, charts(t, a)["decision"])
	for _, w := range a.Workloads {
		// 3 samples give no verdict: each point names the fastest model.
		for _, want := range []string{w.Name, "no verdict (fastest: " + w.Fastest().M.Model + ")"} {
			if !slices.Contains(texts, want) {
				t.Errorf("no label %q", want)
			}
		}
	}
}

func TestIOChart(t *testing.T) {
	run, err := Read(strings.NewReader(ioFixture), "io.txt")
	if err != nil {
		t.Fatal(err)
	}
	a := Analyze(run)
	cs := charts(t, a)
	ch := cs["io"]
	if ch == nil {
		t.Fatal("IO chart not drawn")
	}
	texts := drawn(t, ch)
	for _, want := range []string{"IO throughput by concurrency (tasks/s)", "Test CPU, 4 cores", "tasks in flight", "tasks/s (higher is better, log scale)",
		"http", "semaphore", "latency floor", "64"} {
		if !hasText(texts, want) {
			t.Errorf("no text %q among %q", want, texts)
		}
	}
	if !strings.Contains(ch.Caption, "ceil(N/C) × L") {
		t.Errorf("caption %q does not explain the floor", ch.Caption)
	}
	// The decision chart puts the IO workload left of the CPU-bound line.
	if d := cs["decision"]; d == nil || !slices.Contains(drawn(t, d), "http") || !slices.Contains(drawn(t, d), "no verdict (fastest: spawn)") {
		t.Error("decision chart lacks the IO workload")
	}
	for _, name := range []string{"speedup", "gomaxprocs"} {
		if cs[name] != nil {
			t.Errorf("%s drawn for a run without BenchmarkScaling", name)
		}
	}
}

// TestChartsMissing reports a run that holds only the overhead benchmark:
// every other chart must be missing, with a reason, and none drawn empty.
func TestChartsMissing(t *testing.T) {
	var keep []string
	for _, l := range strings.SplitAfter(readText(t, smokeFile), "\n") {
		if !strings.HasPrefix(l, "Benchmark") || strings.HasPrefix(l, "BenchmarkOverhead") {
			keep = append(keep, l)
		}
	}
	run, err := Read(strings.NewReader(strings.Join(keep, "")), "overhead.txt")
	if err != nil || run.Incomplete != "" {
		t.Fatal(err, run.Incomplete)
	}
	cs, missing := Charts(Analyze(run))
	if len(cs) != 1 || cs[0].Name != "overhead" {
		t.Errorf("drew %d charts, want only overhead", len(cs))
	}
	if len(missing) != len(chartMakers)-1 {
		t.Errorf("missing %+v, want every chart but overhead", missing)
	}
	for _, m := range missing {
		if m.Reason == "" || m.Title == "" {
			t.Errorf("missing chart %+v without a title or reason", m)
		}
	}
}

func TestChartWriteMakesSVGAndPNG(t *testing.T) {
	ch := charts(t, Analyze(mustRead(t, smokeFile)))["speedup"]
	dir := t.TempDir()
	if err := ch.Write(dir); err != nil {
		t.Fatal(err)
	}
	for ext, magic := range map[string]string{".svg": "<?xml", ".png": "\x89PNG"} {
		b, err := os.ReadFile(filepath.Join(dir, "speedup"+ext))
		if err != nil || !bytes.HasPrefix(b, []byte(magic)) {
			t.Errorf("speedup%s: err %v, starts %q", ext, err, b[:min(len(b), 8)])
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".tmp*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestCompactNumber(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 0.5: "0.5", 25000: "25k", 1500: "1.5k", 2.5e6: "2.5M", 3e9: "3G", 999: "999"} {
		if got := compactNumber(v); got != want {
			t.Errorf("compactNumber(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestChartShortLastRow draws a grid whose last row is not full, as a
// throughput chart with one workload more than a multiple of its columns is.
func TestChartShortLastRow(t *testing.T) {
	tile := func() *plot.Plot {
		p := plot.New()
		p.Title.Text = "tile"
		return p
	}
	ch := &Chart{Name: "grid", Title: "grid", Width: 400, Height: 300,
		Tiles: [][]*plot.Plot{{tile(), tile(), tile()}, {tile()}}}
	rec := new(recorder.Canvas)
	ch.Draw(draw.NewCanvas(rec, 400, 300))
	titles := 0
	for _, a := range rec.Actions {
		if txt, ok := a.(*recorder.FillString); ok && txt.String == "tile" {
			titles++
		}
	}
	if titles != 4 {
		t.Errorf("drew %d of 4 tiles", titles)
	}
}

// TestChartsDrawWhatTheyMeasure checks the data behind the redrawn
// charts: IO throughput in tasks/s with axes spanning the measurements
// (not the floor), spawn's lone point drawn, scaling points at their
// own x with the cores marked.
func TestChartsDrawWhatTheyMeasure(t *testing.T) {
	a := Analyze(mustRead(t, ioFile))
	cs := charts(t, a)

	io := cs["io"]
	if io == nil || io.YLabel != "tasks/s (higher is better, log scale)" {
		t.Fatalf("IO chart %v: want one y label in tasks/s", io)
	}
	for _, row := range io.Tiles {
		for _, p := range row {
			if p.Y.Label.Text != "" {
				t.Errorf("panel %s repeats the y label %q", p.Title.Text, p.Y.Label.Text)
			}
			hi := 0.0
			for _, c := range a.IO {
				if c.Workload == p.Title.Text {
					for _, pt := range c.Points {
						hi = max(hi, pt.Throughput.Hi)
					}
				}
			}
			if hi == 0 || p.Y.Max > hi*1.5 {
				t.Errorf("panel %s: y axis ends at %v, want it near the data's top %v", p.Title.Text, p.Y.Max, hi)
			}
		}
	}
	if !slices.ContainsFunc(io.Legend.Names, func(s string) bool { return strings.HasPrefix(s, "spawn (whole batch") }) {
		t.Errorf("legend %q: spawn's lone point is not named", io.Legend.Names)
	}

	th := cs["throughput"]
	texts := drawn(t, th)
	for _, w := range a.Workloads {
		unit, _ := throughputIn(w)
		if w.Kind == KindIO && unit != UnitTasksps {
			t.Errorf("%s: waiting work in %s, want tasks/s", w.Name, unit)
		}
		if w.Kind == KindCPU && unit != w.Unit {
			t.Errorf("%s: CPU work in %s, want its own %s", w.Name, unit, w.Unit)
		}
		for _, c := range w.Cells {
			if c != w.Sequential && !slices.Contains(texts, " "+c.Speedup.Short()) {
				t.Errorf("%s %s: no speedup label %q", w.Name, c.M.Model, " "+c.Speedup.Short())
			}
		}
	}

	// The scaling charts mark the cores and name every curve, ideal
	// line included.
	q := Analyze(mustRead(t, quickFile))
	for name, curves := range map[string][]*Curve{"speedup": q.Scaling, "gomaxprocs": q.Pinned} {
		ch := charts(t, q)[name]
		if !slices.Contains(drawn(t, ch), " 2 cores") {
			t.Errorf("%s chart does not mark the cores", name)
		}
		if len(ch.Legend.Names) != len(curves)+1 {
			t.Errorf("%s legend %q for %d curves and the ideal", name, ch.Legend.Names, len(curves))
		}
	}
}
