package report

import (
	"fmt"
	"strings"
	"testing"
)

// pyFixture writes a run with a Go matrix and the Python harness's
// results for two workloads, six samples each: on sha256 Python's threads
// run tasks 1.9 times as fast as its for loop, on regex-alt no faster, and
// Go's regexp is a tenth of Python's re.
func pyFixture(t *testing.T) *Run {
	var b strings.Builder
	b.WriteString("machine: m\ncores: 2\nprofile: quick\ninstrumented: none\ngoos: linux\ngoarch: amd64\ncpu: c\n")
	line := func(group, workload, model, knobs string, tasksPerSec, cores float64, suffix string) {
		for i := range 6 {
			tps := tasksPerSec * (1 + 0.01*float64(i%3))
			fmt.Fprintf(&b, "Benchmark%s/workload=%s/model=%s%s/tasks=64/size=1MiB%s\t10\t%.0f ns/op\t%.4g cpu-cores\n", group, workload, model, knobs, suffix, 64e9/tps, cores)
		}
	}
	for _, w := range []struct {
		name          string
		goSeq, goBest float64
		pySeq, pyThr  float64
		thrCores      float64
	}{{"sha256", 1400, 2750, 1300, 2470, 1.95}, {"regex-alt", 80, 150, 800, 790, 1.0}} {
		line("Models", w.name, "sequential", "", w.goSeq, 1, "-2")
		line("Models", w.name, "pool", "/workers=2", w.goBest, 2, "-2")
		line("Models", w.name, "gil", "/workers=2", w.goSeq, 1, "-2")
		line("Python", w.name, "py-sequential", "", w.pySeq, 1, "")
		line("Python", w.name, "py-threadpool", "/workers=2", w.pyThr, w.thrCores, "")
		line("Python", w.name, "py-processpool", "/workers=2", w.pySeq*1.8, 1.9, "")
	}
	b.WriteString("PASS\npython: 3.13.0\npython-gil: enabled\nPASS\n")
	run, err := Read(strings.NewReader(b.String()), "py.txt")
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func TestPythonAnalysis(t *testing.T) {
	pa := Analyze(pyFixture(t)).Python
	if pa.Skipped != "" || len(pa.Workloads) != 2 {
		t.Fatalf("skipped %q, %d workloads: want the two", pa.Skipped, len(pa.Workloads))
	}
	sha, re := pa.Workloads[0], pa.Workloads[1]
	if sha.Name != "sha256" || sha.Sequential == nil || sha.Sequential.M.Model != ModelPySequential || len(sha.Python) != 3 {
		t.Fatalf("sha256: %+v", sha)
	}
	if s := sha.cell("py-threadpool").Speedup; s.Center < 1.85 || s.Center > 1.95 || !s.CI {
		t.Errorf("py-threadpool speedup %v, want about 1.9 with a CI", s)
	}
	if sha.GoBest == nil || sha.GoBest.M.Model != "pool" || !sha.GoVerdict {
		t.Errorf("Go best %+v (verdict %v), want pool by the verdict rule", sha.GoBest, sha.GoVerdict)
	}
	if len(sha.Go) != 2 || sha.Go[1].M.Model != "gil" {
		t.Errorf("Go cells %d, want the choice and gil", len(sha.Go))
	}
	// Go's pool at 2750 tasks/s over Python's best, the thread pool at 2470.
	if r := sha.Ratio; sha.PyBest.M.Model != "py-threadpool" || r.Center < 1.08 || r.Center > 1.15 {
		t.Errorf("Python best %s, Go ÷ Python %v; want py-threadpool and about 1.11", sha.PyBest.M.Model, r)
	}
	if r := re.Ratio; r.Center > 0.2 {
		t.Errorf("regex-alt Go ÷ Python %v, want below 0.2", r)
	}
	if got := pyRuleLine(sha); !strings.HasPrefix(got, "The rule failed: threads sped CPU work up, `py-threadpool` 1.9") || !strings.Contains(got, "hashlib releases the GIL") {
		t.Errorf("sha256 rule line: %s", got)
	}
	got := pyRuleLine(re)
	for _, want := range []string{"The rule held: threads showed no clear gain", "re holds the GIL", "processes gained", "Python's best (`py-processpool`) ran", "the engine matters more than the model"} {
		if !strings.Contains(got, want) {
			t.Errorf("regex-alt rule line lacks %q: %s", want, got)
		}
	}
}

func TestPythonSkipped(t *testing.T) {
	text := "machine: m\ncores: 2\ninstrumented: none\nBenchmarkModels/workload=sha256/model=sequential/tasks=8-2\t1\t100 ns/op\nPASS\npython: skipped: python3 is not on PATH\nPASS\n"
	run, err := Read(strings.NewReader(text), "skip.txt")
	if err != nil {
		t.Fatal(err)
	}
	pg := NewPage(run, nil)
	if pg.Analysis.Python.Skipped != "python3 is not on PATH" {
		t.Errorf("Skipped = %q", pg.Analysis.Python.Skipped)
	}
	md := string(pg.Markdown("."))
	if !strings.Contains(md, "Python was not measured in this run: python3 is not on PATH.") {
		t.Errorf("page does not say why Python was skipped:\n%s", md)
	}
	if !strings.Contains(md, "### The tutorial's rule in Python") {
		t.Error("page lacks the Python lines of the decision guide")
	}
	if len(run.Problems) != 0 || run.Incomplete != "" {
		t.Errorf("a skipped Python run reads with problems %v, incomplete %q", run.Problems, run.Incomplete)
	}
}

// TestPythonWithoutGo reads Python results alone: the table shows no Go
// side and no ratio, and the guide still has its Python lines.
func TestPythonWithoutGo(t *testing.T) {
	var b strings.Builder
	b.WriteString("machine: m\ncores: 2\ninstrumented: none\npython: 3.12.1\n")
	for i := range 6 {
		fmt.Fprintf(&b, "BenchmarkPython/workload=sha256/model=py-sequential/tasks=64/size=1MiB\t1\t%d ns/op\n", 40000000+i*100000)
		fmt.Fprintf(&b, "BenchmarkPython/workload=sha256/model=py-threadpool/workers=2/tasks=64/size=1MiB\t1\t%d ns/op\n", 21000000+i*100000)
	}
	b.WriteString("PASS\n")
	run, err := Read(strings.NewReader(b.String()), "py.txt")
	if err != nil {
		t.Fatal(err)
	}
	md := string(NewPage(run, nil).Markdown("."))
	for _, want := range []string{"| sha256 | – | – | py-threadpool | ", " | – |\n", "- **sha256**: The rule failed: threads sped CPU work up"} {
		if !strings.Contains(md, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(md, "NaN") || strings.Contains(md, "0.00×") {
		t.Error("page shows a ratio without a Go side")
	}
}
