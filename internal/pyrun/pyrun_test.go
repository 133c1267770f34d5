package pyrun

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

func needPython(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not on PATH")
	}
}

// TestHarnessAgreesWithGo runs the harness at the -short sizes on every
// workload under its sequential model and one pool: Run fails unless the
// harness read the corpus byte for byte and computed Go's batch digests.
func TestHarnessAgreesWithGo(t *testing.T) {
	needPython(t)
	var out, stderr bytes.Buffer
	err := Run(context.Background(), &out, Options{Short: true, Models: []string{"py-sequential", "py-threadpool"}, Stderr: &stderr})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, stderr.String())
	}
	text := out.String()
	for _, w := range Workloads {
		for _, m := range []string{"py-sequential", "py-threadpool"} {
			re := regexp.MustCompile(`(?m)^BenchmarkPython/workload=` + regexp.QuoteMeta(w) + `/model=` + m + `/.*tasks=8/size=\S+\t\d+\t\d+ ns/op\t[\d.]+ MB/s\t[\d.e+]+ tasks/s\t[\d.e+-]+ cpu-cores$`)
			if !re.MatchString(text) {
				t.Errorf("no result line for %s under %s in\n%s", w, m, text)
			}
		}
	}
	for _, want := range []string{"\npython: 3.", "\npython-gil: ", "\npython-stdgzip-bytes-per-task: ", "/workload=http/model=py-threadpool/workers=4/tasks=8/size=1KiB/latency=1ms\t"} {
		if !strings.Contains("\n"+text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if !strings.HasSuffix(text, "\nPASS\n") {
		t.Errorf("output does not end with PASS:\n%s", text)
	}
}

// TestCheckerRefuses shows what fails a run: other bytes, another digest,
// results before their check.
func TestCheckerRefuses(t *testing.T) {
	p := &plan{corpusSum: strings.Repeat("ab", 32), corpusLen: 100, digest: map[string]string{"sha256": "8:00"}, gzipBytes: map[string]int{"stdgzip": 50}}
	for _, tc := range []struct {
		lines []string
		want  string
	}{
		{[]string{"check: corpus sha256=" + strings.Repeat("cd", 32) + " bytes=100"}, "concbench wrote 100 bytes"},
		{[]string{"check: corpus sha256=" + strings.Repeat("ab", 32) + " bytes=99"}, "corpus of 99 bytes"},
		{[]string{"check: workload=sha256 digest=8:00"}, "before the corpus"},
		{[]string{"check: corpus sha256=" + strings.Repeat("ab", 32) + " bytes=100", "check: workload=sha256 digest=8:01"}, "want 8:00 (Go's"},
		{[]string{"check: corpus sha256=" + strings.Repeat("ab", 32) + " bytes=100", "BenchmarkPython/workload=sha256/model=py-sequential/tasks=8 1 1 ns/op"}, "before its digest was checked"},
		{[]string{"hello"}, `unexpected line "hello"`},
	} {
		c := &checker{want: p, checked: map[string]bool{}, results: map[string]int{}}
		var err error
		for _, l := range tc.lines {
			if _, err = c.line(l); err != nil {
				break
			}
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("lines %q: error %v, want one containing %q", tc.lines, err, tc.want)
		}
	}
	c := &checker{want: p, checked: map[string]bool{}, results: map[string]int{}}
	c.line("check: corpus sha256=" + strings.Repeat("ab", 32) + " bytes=100")
	got, err := c.line("check: workload=stdgzip digest=8:77 out-bytes-per-task=52")
	if err != nil || got != "python-stdgzip-bytes-per-task: Python's zlib 52, Go's compress/gzip 50" {
		t.Errorf("gzip check: %q, %v", got, err)
	}
}

// TestCorruptCorpusFails runs the harness on a corpus with one byte
// changed: the check of what it read must fail the run.
func TestCorruptCorpusFails(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	p, err := newPlan(dir, Options{Short: true, Workloads: []string{"sha256"}, Models: []string{"py-sequential"}})
	defer p.close()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p.plan.Corpus)
	data[len(data)/2] ^= 1
	os.WriteFile(p.plan.Corpus, data, 0o600)
	err = runPlan(context.Background(), &bytes.Buffer{}, "python3", dir, p, nil)
	if err == nil || !strings.Contains(err.Error(), "concbench wrote") {
		t.Fatalf("Run on a corrupted corpus: %v, want the corpus check to fail", err)
	}
}

func TestSkipWithoutPython(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	var out bytes.Buffer
	if err := Run(context.Background(), &out, Options{Short: true}); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "python: skipped: python3 is not on PATH\nPASS\n" {
		t.Errorf("output %q", got)
	}
	err := Run(context.Background(), &out, Options{Python: "python3.99"})
	if err == nil || !strings.Contains(err.Error(), `-python "python3.99"`) {
		t.Errorf("a missing -python: %v", err)
	}
}
