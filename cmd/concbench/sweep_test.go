package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/concbench/concbench/report"
)

// filesUnder lists every file under dir, temporary ones included.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return files
}

// TestSweepWorkers: a sweep writes one results file, which the report
// reads as a sweep, and its chart beside it. A race-instrumented build
// measures the instrumentation, so there it prints the numbers and saves
// nothing; the binary test covers the saving in a plain build.
func TestSweepWorkers(t *testing.T) {
	dir := t.TempDir()
	stdout, _, err := runCmd(t, append([]string{"sweep", "-workload", "xxh3", "-over", "workers", "-model", "pool,semaphore", "-values", "1,2", "-o", dir}, quick...)...)
	for _, want := range []string{"WORKERS  MODEL", "\n-        sequential ", "\n1        pool (workers=1) ", "\n2        semaphore (workers=2) ", "SPEEDUP"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	files := filesUnder(t, dir)
	if raceEnabled {
		if err == nil || !strings.Contains(err.Error(), "built with race") {
			t.Errorf("err = %v, want a refusal to save an instrumented run", err)
		}
		if len(files) != 0 {
			t.Errorf("an instrumented sweep left %v", files)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	checkSweepFiles(t, files, stdout, report.OverWorkers, []string{"pool", "semaphore"})
}

// checkSweepFiles checks a saved sweep: its results file, read back as
// a sweep of models, and its chart as SVG and PNG, all named in out.
func checkSweepFiles(t *testing.T, files []string, out, over string, models []string) {
	t.Helper()
	if len(files) != 3 {
		t.Fatalf("files %v: want the results file and its chart as SVG and PNG", files)
	}
	slices.Sort(files)
	stem := strings.TrimSuffix(files[0], ".png")
	if want := []string{stem + ".png", stem + ".svg", stem + ".txt"}; !slices.Equal(files, want) {
		t.Fatalf("files %v, want %v", files, want)
	}
	if !strings.Contains(filepath.Base(stem), "-sweep-") {
		t.Errorf("results file %s: want -sweep- in its name", stem)
	}
	for _, f := range files {
		if !strings.Contains(out, f) {
			t.Errorf("output does not name %s:\n%s", f, out)
		}
	}
	run, err := report.ReadFile(stem + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Problems) > 0 || run.Incomplete != "" || run.Profile() != "sweep" {
		t.Errorf("problems %v, incomplete %q, profile %q", run.Problems, run.Incomplete, run.Profile())
	}
	s, err := report.ReadSweep(run, over)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range s.Curves {
		got = append(got, c.Model)
	}
	if !slices.Equal(got, models) {
		t.Errorf("swept models %v, want %v", got, models)
	}
}

// TestSweepGOMAXPROCS: each step runs under its GOMAXPROCS, which the
// names carry as go test -cpu would; pinned follows it; GOMAXPROCS is
// restored afterwards.
func TestSweepGOMAXPROCS(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	stdout, _, err := runCmd(t, append([]string{"sweep", "-workload", "sha256", "-over", "gomaxprocs", "-model", "pinned,spawn", "-values", "1,3", "-format", "json", "-o", t.TempDir()}, quick...)...)
	if err != nil && !raceEnabled {
		t.Fatal(err)
	}
	if after := runtime.GOMAXPROCS(0); after != before {
		t.Errorf("GOMAXPROCS %d after the sweep, was %d", after, before)
	}
	var res document
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Results {
		got = append(got, r.Name+" @"+strconv.Itoa(r.GOMAXPROCS))
	}
	want := []string{
		"workload=sha256/model=sequential/tasks=8/size=64KiB @" + strconv.Itoa(before),
		// In the models table's order, though -model named pinned first.
		"workload=sha256/model=spawn/tasks=8/size=64KiB @1",
		"workload=sha256/model=spawn/tasks=8/size=64KiB @3",
		"workload=sha256/model=pinned/workers=1/procs=1/tasks=8/size=64KiB @1",
		"workload=sha256/model=pinned/workers=3/procs=3/tasks=8/size=64KiB @3",
	}
	if !slices.Equal(got, want) {
		t.Errorf("results %q, want %q", got, want)
	}
	if res.Over != "gomaxprocs" || !res.Finished || res.Command != "sweep" {
		t.Errorf("over %q finished %v", res.Over, res.Finished)
	}
	if !raceEnabled && (res.File == "" || len(res.Charts) != 2) {
		t.Errorf("file %q charts %v: want both named", res.File, res.Charts)
	}
}
