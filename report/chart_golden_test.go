package report

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// ioFile holds the IO benchmarks of a published full run, its first six
// rounds: BenchmarkConcurrency and the IO workloads' BenchmarkModels, six
// samples each, enough for confidence intervals.
var ioFile = filepath.Join("testdata", "amd-epyc-2c-io", "20261127-230128-full.txt")

// A goldenRun is a real results file that charts are drawn from; its name
// ends the golden file's name.
type goldenRun struct{ name, file string }

// pythonFile is a smoke run with the Python harness's results after the
// Go matrix's.
var pythonFile = filepath.Join("testdata", "amd-epyc-2c-python", "20261201-191512-smoke.txt")

// overheadFile is BenchmarkOverhead alone, every model of the table, six
// samples each, with the net cost per task beside the gross one: the
// output of go test -run '^$' -bench Overhead -count 6 -benchtime 100ms
// ./bench after the configuration lines that concbench bench writes.
var overheadFile = filepath.Join("testdata", "amd-epyc-2c-overhead", "20261201-221454-overhead.txt")

var (
	overheadRun = goldenRun{"overhead", overheadFile}
	pythonRun   = goldenRun{"python", pythonFile}
	quickRun    = goldenRun{"quick", quickFile}
	ioRun       = goldenRun{"io", ioFile}
	costRun     = goldenRun{"cost", costFile}
)

// chartRuns lists, for every chart of chartMakers, the runs whose drawing
// of it is kept as a golden: a chart added without one fails
// TestChartGoldens.
var chartRuns = map[string][]goldenRun{
	"decision":    {quickRun, ioRun}, // linear and log speedup axes
	"throughput":  {quickRun, ioRun},
	"speedup":     {quickRun},
	"gomaxprocs":  {quickRun},
	"io":          {ioRun},
	"openloop":    {openLoopRun},
	"overhead":    {quickRun, overheadRun}, // gross only, and net of the harness
	"python":      {pythonRun},
	"granularity": {costRun},
	"footprint":   {costRun},
}

// TestChartGoldens draws every chart of a page, and the sweep chart of
// every sweep in testdata, checks what each must show, and compares its
// SVG with testdata/golden/NAME-RUN.svg.
func TestChartGoldens(t *testing.T) {
	analyses := map[goldenRun]*Analysis{}
	for _, m := range chartMakers {
		runs := chartRuns[m.name]
		if len(runs) == 0 {
			t.Errorf("chart %s has no golden: list the runs it is drawn from in chartRuns", m.name)
		}
		for _, r := range runs {
			t.Run(m.name+"-"+r.name, func(t *testing.T) {
				if analyses[r] == nil {
					analyses[r] = Analyze(mustRead(t, r.file))
				}
				ch := charts(t, analyses[r])[m.name]
				if ch == nil {
					t.Fatalf("%s draws no %s chart", r.file, m.name)
				}
				checkChart(t, ch, m.name+"-"+r.name)
			})
		}
	}
	for _, tc := range []struct{ file, over string }{
		{cpuSweepFile, OverWorkers}, {ioSweepFile, OverWorkers}, {procsSweepFile, OverGOMAXPROCS},
	} {
		// 20261127-205140-sweep-regex-prefix-workers.txt gives sweep-regex-prefix-workers.
		name := strings.TrimSuffix(filepath.Base(tc.file), ".txt")
		name = name[strings.Index(name, "sweep-"):]
		t.Run(name, func(t *testing.T) {
			s, err := ReadSweep(mustRead(t, tc.file), tc.over)
			if err != nil {
				t.Fatal(err)
			}
			checkChart(t, s.Chart(name), name)
		})
	}
}

// checkChart checks on a recorder that ch draws its title, every tile's
// title and axis labels, and every legend entry, each as one text inside
// the canvas, and that it has a caption; then compares its SVG with the
// golden name.svg.
func checkChart(t *testing.T, ch *Chart, name string) {
	t.Helper()
	texts := drawn(t, ch)
	want := []string{ch.Title}
	if ch.YLabel != "" {
		want = append(want, ch.YLabel)
	}
	for _, row := range ch.Tiles {
		for _, p := range row {
			if p == nil {
				continue
			}
			for _, s := range []string{p.Title.Text, p.X.Label.Text, p.Y.Label.Text} {
				if s != "" {
					want = append(want, s)
				}
			}
		}
	}
	if ch.Legend != nil {
		if len(ch.Legend.Names) == 0 {
			t.Error("an empty legend")
		}
		want = append(want, ch.Legend.Names...)
	}
	for _, s := range want {
		if !slices.Contains(texts, s) {
			t.Errorf("no text %q among %q", s, texts)
		}
	}
	if ch.Caption == "" {
		t.Error("no caption")
	}
	if ch.Footer == "" || !slices.Contains(texts, ch.Footer) {
		t.Errorf("no footer drawn (%q)", ch.Footer)
	}
	for _, part := range []string{"cores)", "commit ", "profile ", "per cell"} {
		if !strings.Contains(ch.Footer, part) {
			t.Errorf("footer %q lacks %q", ch.Footer, part)
		}
	}
	checkLayout(t, ch)
	svg := vgsvg.New(ch.Width, ch.Height)
	ch.Draw(draw.New(svg))
	var b bytes.Buffer
	if _, err := svg.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, name+".svg", b.Bytes())
}
