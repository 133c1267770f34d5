package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Real output of `concbench bench` on the machine named by the folder.
var (
	smokeFile = filepath.Join("testdata", "amd-epyc-2c", "20261127-201026-smoke.txt")
	quickFile = filepath.Join("testdata", "amd-epyc-2c", "20261127-200447-quick.txt")
)

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustRead(t *testing.T, path string) *Run {
	t.Helper()
	run, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func TestReadRealRuns(t *testing.T) {
	for _, tc := range []struct {
		file       string
		profile    string
		benchmarks int
		samples    int
	}{
		// smoke: 45 main-matrix cells, 36 scaling steps, 5 overhead and 5
		// start-up benchmarks, once each.
		{smokeFile, "smoke", 91, 1},
		// quick: the same plus the wider ladder (1, 2, 4 workers), 3 each.
		{quickFile, "quick", 109, 3},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			run := mustRead(t, tc.file)
			if run.Incomplete != "" || len(run.Problems) > 0 {
				t.Fatalf("incomplete %q, problems %v", run.Incomplete, run.Problems)
			}
			if run.Machine != "amd-epyc-2c" || run.Profile() != tc.profile || run.Cores() != 2 || run.Config["instrumented"] != "none" {
				t.Errorf("machine %q profile %q cores %d config %v", run.Machine, run.Profile(), run.Cores(), run.Config)
			}
			if len(run.Benchmarks) != tc.benchmarks || run.Samples() != tc.samples {
				t.Errorf("%d benchmarks of %d samples, want %d of %d", len(run.Benchmarks), run.Samples(), tc.benchmarks, tc.samples)
			}
			first := run.Benchmarks[0]
			want := Bench{Group: "Models", Workload: "zstd-fastest", Model: "sequential", GOMAXPROCS: 2}
			want.Params = first.Params // size differs by profile
			if first.Bench != want || !strings.HasPrefix(first.Params, "tasks=") {
				t.Errorf("first benchmark %+v, want %+v", first.Bench, want)
			}
			if !strings.HasPrefix(first.Pos, tc.file+":12") {
				t.Errorf("first benchmark at %s, want line 12", first.Pos)
			}
			for _, u := range []string{"ns/op", "MB/s", "cpu-cores", "tasks/s"} {
				if len(first.Values[u]) != tc.samples {
					t.Errorf("%s: %d samples, want %d", u, len(first.Values[u]), tc.samples)
				}
			}
		})
	}
}

func TestBenchFields(t *testing.T) {
	run := mustRead(t, quickFile)
	var pinned, overhead *Measurement
	for _, m := range run.Benchmarks {
		if m.Group == "Scaling" && m.Workload == "zstd" && m.Model == "pinned" && m.Knobs.Get("procs") == 4 {
			pinned = m
		}
		if m.Group == "Overhead" && m.Model == "pool" {
			overhead = m
		}
	}
	if pinned == nil || pinned.Knobs.Get("workers") != 4 || pinned.Params != "tasks=64/size=1MiB" {
		t.Errorf("pinned sweep step: %+v", pinned)
	}
	if pinned != nil && pinned.Name() != "Scaling/workload=zstd/model=pinned/workers=4/procs=4/tasks=64/size=1MiB" {
		t.Errorf("Name() = %s", pinned.Name())
	}
	if overhead == nil || overhead.Workload != "" || overhead.Params != "" || len(overhead.Values["ns/task"]) != 3 {
		t.Errorf("overhead benchmark: %+v", overhead)
	}
}

// edit returns the smoke file's text changed by f, for the cases below.
func edit(t *testing.T, f func(lines []string) []string) string {
	lines := strings.Split(strings.TrimSuffix(readText(t, smokeFile), "\n"), "\n")
	return strings.Join(f(lines), "\n") + "\n"
}

// insert puts line before line number n (1-based).
func insert(n int, line string) func([]string) []string {
	return func(lines []string) []string {
		return append(lines[:n-1:n-1], append([]string{line}, lines[n-1:]...)...)
	}
}

func TestReadProblems(t *testing.T) {
	for _, tc := range []struct {
		name       string
		text       func(t *testing.T) string
		problem    string // a Problem must contain it; "" for none
		incomplete string // Incomplete must contain it; "" for complete
		lost       int    // benchmarks lost
	}{
		{"garbage line", func(t *testing.T) string { return edit(t, insert(20, "this is not a result")) },
			"x.txt:20: not a benchmark result", "", 0},
		{"malformed result", func(t *testing.T) string {
			return edit(t, insert(13, "BenchmarkModels/workload=zstd/model=pool-2 \t 1\t fast ns/op"))
		}, "x.txt:13: parsing measurement", "", 0},
		{"missing units", func(t *testing.T) string {
			return edit(t, insert(13, "BenchmarkModels/workload=zstd/model=pool-2 \t 1\t 100"))
		}, "x.txt:13: missing units", "", 0},
		{"zero value", func(t *testing.T) string {
			return edit(t, func(l []string) []string { l[11] = strings.Replace(l[11], "ns/op", "ns/op 0 tasks/s", 1); return l })
		}, "x.txt:12: Models/workload=zstd-fastest/model=sequential/tasks=8/size=64KiB: 0 tasks/s: want a number above zero", "", 1},
		{"zero GC and allocations", func(t *testing.T) string {
			return edit(t, func(l []string) []string {
				l[11] += " 0 gc-cpu-pct 0 gc-cycles/op 0 B/op 0 allocs/op"
				return l
			})
		}, "", "", 0},
		{"negative value", func(t *testing.T) string {
			return edit(t, func(l []string) []string { l[11] += " -5 x/op"; return l })
		}, "x.txt:12: Models/workload=zstd-fastest/model=sequential/tasks=8/size=64KiB: -5 x/op: want a number above zero", "", 1},
		{"infinite value", func(t *testing.T) string {
			return edit(t, func(l []string) []string { l[12] += " +Inf cpu-cores"; return l })
		}, "x.txt:13: Models/workload=zstd-fastest/model=spawn/tasks=8/size=64KiB: +Inf cpu-cores: want a finite number", "", 1},
		{"NaN value", func(t *testing.T) string {
			return edit(t, func(l []string) []string { l[12] += " NaN x/op"; return l })
		}, "want a finite number", "", 1},
		{"bad workers", func(t *testing.T) string {
			return edit(t, insert(13, "BenchmarkModels/workload=zstd/model=pool/workers=many-2 \t 1\t 100 ns/op"))
		}, "x.txt:13: workers=many: want a whole number", "", 0},
		{"config changes mid-file", func(t *testing.T) string {
			return edit(t, func(l []string) []string {
				return append(l[:len(l)-1:len(l)-1], "commit: 0123456789ab", l[20], "PASS")
			})
		}, "commit changes from", "x.txt:103: commit: \"0123456789ab\" contradicts commit: \"6a3242a66b4e-dirty\" at line 3", 0},
		{"second cores line", func(t *testing.T) string { return edit(t, insert(3, "cores: 64")) },
			"x.txt:3: cores: \"64\" contradicts cores: \"2\" at line 2", "x.txt:3: cores: \"64\" contradicts", 0},
		{"machine changes mid-file", func(t *testing.T) string { return edit(t, insert(50, "machine: another")) },
			"machine changes from", "x.txt:50: machine: \"another\" contradicts", 53},
		{"same cores twice", func(t *testing.T) string { return edit(t, insert(3, "cores: 2")) }, "", "", 0},
		{"line over the limit", func(t *testing.T) string {
			return edit(t, insert(30, "BenchmarkModels/workload=zstd/model=pool-2 \t 1\t 100 ns/op "+strings.Repeat("x", 100<<10)))
		}, "x.txt:30: a line of 102458 bytes, over the 32 KiB", "", 0},
		{"empty", func(*testing.T) string { return "" }, "", "no valid benchmark results", 91},
		{"only garbage", func(*testing.T) string { return "hello\nworld\n" }, "x.txt:1: not a benchmark result", "no valid benchmark results", 91},
		{"stopped partway", func(t *testing.T) string { return edit(t, func(l []string) []string { return l[:40] }) },
			"", "stops before the PASS line", 62},
		{"failed", func(t *testing.T) string { return edit(t, insert(30, "--- FAIL: BenchmarkModels/workload=s2")) },
			"", "x.txt:30: the run failed", 0},
		{"panicked", func(t *testing.T) string {
			return edit(t, func(l []string) []string {
				return append(l[:50], "panic: boom", "FAIL\tgithub.com/concbench/concbench/bench\t1.0s")
			})
		}, "", "x.txt:51: the run failed", 52},
		{"left GOMAXPROCS changed", func(t *testing.T) string {
			return edit(t, insert(30, "testing: BenchmarkModels/workload=s2/model=pinned-2 left GOMAXPROCS set to 1"))
		}, "", "left it changed", 0},
		{"no instrumented line", func(t *testing.T) string {
			return edit(t, func(l []string) []string { return append(l[:6:6], l[7:]...) })
		}, "", "no instrumented: line", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run, err := Read(strings.NewReader(tc.text(t)), "x.txt")
			if err != nil {
				t.Fatal(err)
			}
			if lost := 91 - len(run.Benchmarks); lost != tc.lost {
				t.Errorf("lost %d benchmarks, want %d", lost, tc.lost)
			}
			if tc.problem == "" && len(run.Problems) > 0 {
				t.Errorf("problems %v, want none", run.Problems)
			}
			if tc.problem != "" && !containsErr(run.Problems, tc.problem) {
				t.Errorf("problems %v, want one containing %q", run.Problems, tc.problem)
			}
			if tc.incomplete == "" && run.Incomplete != "" || !strings.Contains(run.Incomplete, tc.incomplete) {
				t.Errorf("incomplete %q, want %q", run.Incomplete, tc.incomplete)
			}
		})
	}
}

func containsErr(errs []error, s string) bool {
	for _, e := range errs {
		if strings.Contains(e.Error(), s) {
			return true
		}
	}
	return false
}

func TestReadRefusesInstrumented(t *testing.T) {
	for _, with := range []string{"race", "cover", "race,cover"} {
		text := strings.Replace(readText(t, smokeFile), "instrumented: none", "instrumented: "+with, 1)
		_, err := Read(strings.NewReader(text), "x.txt")
		var ie *InstrumentedError
		if !errors.As(err, &ie) || ie.With != with || ie.Pos != "x.txt:12" {
			t.Errorf("%s: err = %v, want an InstrumentedError at x.txt:12", with, err)
		}
	}
	// A second binary run in the same file, instrumented, is refused too.
	smoke := readText(t, smokeFile)
	text := smoke + "instrumented: race\n" + strings.SplitAfter(smoke, "\n")[11] + "PASS\n"
	at := fmt.Sprintf("x.txt:%d:", strings.Count(smoke, "\n")+2)
	if _, err := Read(strings.NewReader(text), "x.txt"); err == nil || !strings.HasPrefix(err.Error(), at) {
		t.Errorf("err = %v, want a refusal at %s", err, at)
	}
}

func TestIsConfigLine(t *testing.T) {
	for line, want := range map[string]bool{
		"machine: AMD EPYC, 2 cores": true,
		"instrumented: none":         true,
		"empty:":                     true,
		"Machine: x":                 false,
		"two words: x":               false,
		"url:http":                   false,
		"PASS":                       false,
	} {
		if got := isConfigLine(line); got != want {
			t.Errorf("isConfigLine(%q) = %v, want %v", line, got, want)
		}
	}
}
