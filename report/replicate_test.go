package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyRun writes the IO full run into dir/machine/name, with its date and
// calibration lines replaced, and reads it back.
func copyRun(t *testing.T, dir, machine, name, date string, sha, mem float64) *Run {
	t.Helper()
	text := readText(t, ioFile)
	text = strings.Replace(text, "date: 2026-11-27T23:01:28Z", "date: "+date, 1)
	if sha > 0 {
		text = fmt.Sprintf("%s: %g\n%s: %g\n", ConfigCalibrationSHA256, sha, ConfigCalibrationMemory, mem) + text
	}
	path := filepath.Join(dir, machine, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return mustRead(t, path)
}

func TestSameHost(t *testing.T) {
	dir := t.TempDir()
	a := copyRun(t, dir, "m", "a.txt", "2026-11-27T23:00:00Z", 1.4e6, 1.5e6)
	b := copyRun(t, dir, "m", "b.txt", "2026-11-28T23:00:00Z", 1.6e6, 3e6)   // hashing within 20%; the memory walk is not compared
	c := copyRun(t, dir, "m", "c.txt", "2026-11-29T23:00:00Z", 2.1e6, 1.5e6) // hashing 1.5× slower
	old := copyRun(t, dir, "m", "d.txt", "2026-11-26T23:00:00Z", 0, 0)       // before calibration
	for _, tc := range []struct {
		x, y *Run
		want bool
	}{{a, b, true}, {a, c, false}, {b, c, false}, {a, old, false}, {old, old, true}} {
		if got := SameHost(tc.x, tc.y); got != tc.want {
			t.Errorf("SameHost(%s, %s) = %v, want %v", filepath.Base(tc.x.File), filepath.Base(tc.y.File), got, tc.want)
		}
	}
	ms := Machines([]*Run{a, b, c, old})
	var names []string
	for _, m := range ms {
		names = append(names, fmt.Sprintf("%s:%d", m.Name, len(m.Runs)))
		if m.Folder() != "m" {
			t.Errorf("%s: folder %q, want m", m.Name, m.Folder())
		}
	}
	if got := strings.Join(names, " "); got != "m:2 m/host-2:1 m/host-3:1" {
		t.Errorf("machines %s: want a and b together, c and the uncalibrated run apart", got)
	}
	// The newest run, c, is on another host: it is never chosen over a
	// and b as the machine's run.
	if ms[0].Shown != b {
		t.Errorf("m shows %s, want b.txt", filepath.Base(ms[0].Shown.File))
	}
}

func TestReplication(t *testing.T) {
	dir := t.TempDir()
	first := copyRun(t, dir, "m", "20261127-230128-full.txt", "2026-11-27T23:01:28Z", 1.4e6, 1.5e6)
	second := copyRun(t, dir, "m", "20261128-230128-full.txt", "2026-11-28T23:01:28Z", 1.45e6, 1.5e6)
	if previous(second, []*Run{first, second}) != first || previous(first, []*Run{first, second}) != nil {
		t.Fatal("previous does not pick the older run of the same profile")
	}
	rep := Replicate(second, first)
	n, of := rep.Rate()
	if of == 0 || n != of || len(rep.Rows) != len(Analyze(first).Workloads) {
		t.Errorf("the same samples twice: %d of %d replicated over %d rows, want all", n, of, len(rep.Rows))
	}
	m := Machines([]*Run{first, second})[0]
	pg, err := WritePage(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	md := string(pg.Markdown(filepath.Join(dir, "m")))
	for _, want := range []string{"## Replication", "| workload | 20261128-230128-full.txt | 20261127-230128-full.txt | replicated |",
		fmt.Sprintf("%d of %d workloads with a verdict in both runs replicated", n, of)} {
		if !strings.Contains(md, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if err := WriteIndex(dir, []*Machine{m}); err != nil {
		t.Fatal(err)
	}
	index, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	if !strings.Contains(string(index), fmt.Sprintf("| %d of %d |", n, of)) {
		t.Errorf("index lacks the replication rate %d of %d:\n%s", n, of, index)
	}
}

// TestRunPage is make report on a folder that already holds a published
// run: the page of the new run is written beside it, compares the two,
// and leaves the published page alone.
func TestRunPage(t *testing.T) {
	dir := t.TempDir()
	published := copyRun(t, dir, "m", "20261127-230128-full.txt", "2026-11-27T23:01:28Z", 1.4e6, 1.5e6)
	mine := copyRun(t, dir, "m", "20261201-100000-full.txt", "2026-12-01T10:00:00Z", 2.2e6, 1.5e6)
	machinePage := filepath.Join(dir, "m", "README.md")
	os.WriteFile(machinePage, []byte("published page\n"), 0o644)

	if got := Published([]*Run{published, mine}, mine); got != published {
		t.Fatalf("Published = %v, want the older full run", got)
	}
	pg, err := WriteRunPage(dir, mine, published)
	if err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(RunPageDir(dir, mine), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| date | 2026-12-01T10:00:00Z |", "## Your run vs the published run",
		"Their calibrations differ (hashing 1.57× slower, memory walk 1.00× slower here)", "(../../20261201-100000-full.txt)"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("run page lacks %q", want)
		}
	}
	for _, ch := range pg.Charts {
		if _, err := os.Stat(filepath.Join(RunPageDir(dir, mine), ch.Name+".svg")); err != nil {
			t.Errorf("chart %s not beside the run page: %v", ch.Name, err)
		}
	}
	if b, _ := os.ReadFile(machinePage); string(b) != "published page\n" {
		t.Error("the published page was rewritten")
	}
	if _, err := os.Stat(filepath.Join(dir, "m", "io.svg")); err == nil {
		t.Error("a chart was written beside the published page")
	}
}
