package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concbench/concbench/bench"
)

func runCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), &stdout, &stderr, args)
	return stdout.String(), stderr.String(), err
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "no command given: want one of list, run, sweep, recommend, bench, report, version"},
		{[]string{"help", "benhc"}, `unknown command "benhc" (have list, run, sweep, recommend, bench, report, version); did you mean bench?`},
		{[]string{"help", "run", "sweep"}, "help run sweep: want one command"},
		{[]string{"benhc"}, `unknown command "benhc" (have list, run, sweep, recommend, bench, report, version); did you mean bench?`},
		{[]string{"bench", "-profile", "huge"}, `-profile "huge": want one of smoke, quick, full`},
		{[]string{"bench", "-nope"}, "-nope: concbench bench has no such flag (have -bin, -dir, -machine, -o, -profile, -python, -q)"},
		{[]string{"bench", "extra"}, `unexpected argument "extra"`},
		{[]string{"bench", "-machine", "../x"}, `-machine "../x"`},
	} {
		_, _, err := runCmd(t, tc.args...)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("concbench %s: err = %v, want a usage error containing %q", strings.Join(tc.args, " "), err, tc.want)
		}
	}
}

// TestHelp: help goes to stdout, with no error (exit 0), however it is
// asked for; help CMD and CMD -h print that command's usage.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"-help"}, {"--help"}} {
		stdout, stderr, err := runCmd(t, args...)
		if err != nil || !strings.HasPrefix(stdout, "usage: concbench <command>") || stderr != "" {
			t.Errorf("%v: err %v, stdout %q, stderr %q: want the usage on stdout", args, err, stdout, stderr)
		}
	}
	for _, c := range commands {
		for _, args := range [][]string{{"help", c.name}, {c.name, "-h"}, {c.name, "--help"}} {
			stdout, stderr, err := runCmd(t, args...)
			if err != nil || !strings.HasPrefix(stdout, "usage: concbench "+c.name+" ") || !strings.Contains(stdout, "\n  -") || stderr != "" {
				t.Errorf("%v: err %v, stdout %q, stderr %q: want %s's usage and flags on stdout", args, err, stdout, stderr, c.name)
			}
		}
	}
}

// TestHiddenAlias: recommend takes -model, as run and sweep do, and still
// takes the old -models, which its usage does not show.
func TestHiddenAlias(t *testing.T) {
	stdout, _, err := runCmd(t, "help", "recommend")
	if err != nil || !strings.Contains(stdout, "\n  -model models\n") || strings.Contains(stdout, "-models") {
		t.Errorf("err %v, usage:\n%s\nwant -model shown and -models hidden", err, stdout)
	}
}

func TestMatchBench(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{".", "BenchmarkModels/workload=zstd/model=pool", true},
		{"Models", "BenchmarkModels/workload=zstd/model=pool", true},
		{"Overhead", "BenchmarkModels/workload=zstd/model=pool", false},
		{"Models/workload=(sha256|s2)/model=pool", "BenchmarkModels/workload=s2/model=pool/workers=2", true},
		{"Models/workload=(sha256|s2)/model=pool", "BenchmarkModels/workload=zstd/model=pool/workers=2", false},
		{"Models/.*model=process", "BenchmarkModels/workload=zstd/model=process/workers=2", false}, // .* stays in one element
		{"Models//model=pool", "BenchmarkModels/workload=zstd/model=pool", true},
		{"Models/a/b/c/d/e/f", "BenchmarkModels/workload=zstd", false},
		{"Granularity|Models//model=pool", "BenchmarkModels/workload=zstd/model=pool", true},
		{"Granularity|Models//model=pool", "BenchmarkGranularity/workload=spin/model=spawn", true},
		{"Granularity|Models//model=pool", "BenchmarkModels/workload=zstd/model=spawn", false},
		{"Footprint//(workers|tasks)=(64|256)$", "BenchmarkFootprint/model=spawn/tasks=64", true},
		{"Footprint//(workers|tasks)=(64|256)$", "BenchmarkFootprint/model=spawn/tasks=640", false},
	} {
		if got := matchBench(tc.pattern, tc.name); got != tc.want {
			t.Errorf("matchBench(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}

func TestSkipBench(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"", "BenchmarkModels/workload=zstd/model=pool", false},
		{"Concurrency///workers=1$", "BenchmarkConcurrency/workload=http/model=pool/workers=1/tasks=256/size=4KiB", true},
		{"Concurrency///workers=1$", "BenchmarkConcurrency/workload=http/model=pinned/workers=1/procs=1/tasks=256", true},
		{"Concurrency///workers=1$", "BenchmarkConcurrency/workload=http/model=pool/workers=16/tasks=256", false},
		{"Concurrency///workers=1$", "BenchmarkConcurrency/workload=http/model=spawn/tasks=256/size=4KiB", false},
		{"Concurrency///workers=1$", "BenchmarkModels/workload=http/model=pool/workers=1/tasks=256", false},
		{"Concurrency///workers=1$", "BenchmarkConcurrency/workload=http", false}, // shallower than the pattern
	} {
		if got := skipBench(tc.pattern, tc.name); got != tc.want {
			t.Errorf("skipBench(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}

// TestQuickProfileSkipsTheSlowSweep: the quick profile runs the IO sweep,
// but not its workers=1 batches, which take seconds each.
func TestQuickProfileSkipsTheSlowSweep(t *testing.T) {
	p, _ := lookupProfile("quick")
	var sweep, slow int
	for _, name := range expected(p, bench.Suite) {
		if strings.HasPrefix(name, "BenchmarkConcurrency/") {
			sweep++
			if strings.Contains(name, "/workers=1/") {
				slow++
			}
		}
	}
	if sweep == 0 || slow != 0 {
		t.Errorf("quick profile: %d sweep results, %d at workers=1; want some, none", sweep, slow)
	}
	for _, name := range expected(p, bench.Suite) {
		if strings.Contains(name, "/workload=stdgzip/") || (strings.HasPrefix(name, "BenchmarkConcurrency/") && strings.Contains(name, "/workers=4/")) {
			t.Errorf("quick profile runs %s, which it leaves to the full profile", name)
		}
	}
}

func TestExpectedCoversEveryBenchmark(t *testing.T) {
	p, _ := lookupProfile("full")
	count := map[string]int{}
	for _, name := range expected(p, bench.Suite) {
		count[name]++
	}
	for _, name := range bench.Names(false) {
		want := 10
		if strings.HasPrefix(name, "BenchmarkFootprint/") {
			want = 3 // stable to a few percent, and up to 20s a sample
		}
		if count[name] != want {
			t.Errorf("full profile takes %d samples of %s, want %d", count[name], name, want)
		}
	}
	if len(count) != len(bench.Names(false)) {
		t.Errorf("full profile runs %d benchmarks, the suite has %d", len(count), len(bench.Names(false)))
	}
}

// fakeBench builds a stand-in for the bench binary.
func fakeBench(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "fakebench")
	out, err := exec.Command("go", "build", "-o", bin, "./testdata/fakebench").CombinedOutput()
	if err != nil {
		t.Fatalf("building fakebench: %v\n%s", err, out)
	}
	return bin
}

func TestBenchWritesOnlyCompleteHonestRuns(t *testing.T) {
	bin := fakeBench(t)
	t.Setenv("FAKEBENCH_NAMES", strings.Join(bench.Names(true), ","))
	// No python3: the Python harness has tests of its own (internal/pyrun,
	// TestInstalledBinary), and here it would only slow every case down.
	t.Setenv("PATH", t.TempDir())
	for _, tc := range []struct {
		mode string
		want string // error text; "" for success
	}{
		{"", ""},
		{"race", "built with race"},
		{"missing", "incomplete run, nothing saved"},
		{"crash", "panic: something broke"},
		{"gomaxprocs", "did not restore it"},
	} {
		t.Run("mode="+tc.mode, func(t *testing.T) {
			t.Setenv("FAKEBENCH_MODE", tc.mode)
			dir := t.TempDir()
			stdout, _, err := runCmd(t, "bench", "-profile", "smoke", "-bin", bin, "-dir", dir, "-o", dir, "-machine", "m", "-q")
			files, _ := filepath.Glob(filepath.Join(dir, "m", "*"))
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("err = %v, want %q", err, tc.want)
				}
				if len(files) != 0 {
					t.Errorf("a failed run left %v", files)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != 1 || strings.TrimSpace(stdout) != files[0] {
				t.Fatalf("stdout %q, files %v: want the one new file named", stdout, files)
			}
			text, _ := os.ReadFile(files[0])
			for _, line := range []string{"machine: ", "commit: ", "profile: smoke\n", "instrumented: none\n", "BenchmarkOverhead/model=pool-2"} {
				if !strings.Contains(string(text), line) {
					t.Errorf("results file lacks %q", line)
				}
			}
		})
	}
}

// TestRunProcessModel runs the process model from the command's own test
// binary, whose workers are re-executions of it.
func TestRunProcessModel(t *testing.T) {
	stdout, _, err := runCmd(t, "run", "-workload", "sha256", "-model", "process", "-workers", "2", "-tasks", "4", "-param", "size=4KiB", "-q")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "process") {
		t.Errorf("output does not mention the model:\n%s", stdout)
	}
}

// TestMakeReportProfile: make report runs the profile PROFILE names.
func TestMakeReportProfile(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make here")
	}
	for _, tc := range []struct{ args, want string }{{"", "bench -profile quick "}, {"PROFILE=full", "bench -profile full "}} {
		args := []string{"-n", "-C", filepath.Join("..", ".."), "report"}
		if tc.args != "" {
			args = append(args, tc.args)
		}
		out, err := exec.CommandContext(t.Context(), "make", args...).CombinedOutput()
		if err != nil || !strings.Contains(string(out), tc.want) {
			t.Errorf("make %s: err %v, want a command with %q:\n%s", strings.Join(args, " "), err, tc.want, out)
		}
	}
}

// TestExitStatus: help exits 0 with the usage on stdout and nothing on
// stderr; every usage error exits 2 with one line on stderr and nothing
// on stdout.
func TestExitStatus(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		status int
	}{
		{[]string{"help"}, 0}, {[]string{"--help"}, 0}, {[]string{"-h"}, 0}, {[]string{"help", "sweep"}, 0}, {[]string{"list", "--help"}, 0},
		{nil, 2}, {[]string{"helpp"}, 2}, {[]string{"help", "nope"}, 2}, {[]string{"list", "-nope"}, 2}, {[]string{"run", "-count", "x"}, 2},
		{[]string{"run", "-workload", "xxh3", "-model", "pool", "-count", "0"}, 2}, {[]string{"bench", "-profile", "huge"}, 2},
		{[]string{"recommend", "-workload", "xxh3", "-models", "pool,nope"}, 2},
	} {
		var stdout, stderr bytes.Buffer
		status := cli(tc.args, &stdout, &stderr)
		if status != tc.status {
			t.Errorf("concbench %s: exit %d, want %d (stderr %q)", strings.Join(tc.args, " "), status, tc.status, stderr.String())
		}
		switch {
		case tc.status == 0 && (!strings.HasPrefix(stdout.String(), "usage: concbench") || stderr.Len() > 0):
			t.Errorf("concbench %s: stdout %q, stderr %q: want the usage on stdout alone", strings.Join(tc.args, " "), stdout.String(), stderr.String())
		case tc.status == 2 && (stdout.Len() > 0 || strings.Count(stderr.String(), "\n") != 1 || !strings.HasPrefix(stderr.String(), "concbench: ")):
			t.Errorf("concbench %s: stdout %q, stderr %q: want one line on stderr alone", strings.Join(tc.args, " "), stdout.String(), stderr.String())
		}
	}
}
