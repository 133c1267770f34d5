package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/perf/benchfmt"

	"github.com/concbench/concbench/bench"
)

// fakeSuite returns a suite of two cheap benchmarks; fail, when set, is the
// body of a third.
func fakeSuite(third func(ctx context.Context, b *testing.B) error) func(bool) []bench.Benchmark {
	return func(short bool) []bench.Benchmark {
		s := []bench.Benchmark{
			{Group: "BenchmarkFake", Name: "case=a", Run: func(_ context.Context, b *testing.B) error {
				for b.Loop() {
				}
				b.ReportMetric(float64(b.N), "loops")
				return nil
			}},
			{Group: "BenchmarkFake", Name: "case=b", Run: func(_ context.Context, b *testing.B) error {
				b.SetBytes(1000)
				for b.Loop() {
					time.Sleep(time.Microsecond)
				}
				return nil
			}},
		}
		if third != nil {
			s = append(s, bench.Benchmark{Group: "BenchmarkFake", Name: "case=c", Run: third})
		}
		return s
	}
}

var fakeProfile = profile{name: "fake", runs: []benchRun{{bench: ".", count: 2, benchtime: "3x"}}}

// TestRunProfile: the file holds the configuration lines, each benchmark's
// samples in the Go benchmark format, and PASS.
func TestRunProfile(t *testing.T) {
	var out bytes.Buffer
	n, err := runProfile(context.Background(), &out, io.Discard, fakeProfile, fakeSuite(nil), true)
	if err != nil || n != 4 {
		t.Fatalf("runProfile: %d results, err %v; want 4, nil", n, err)
	}
	results, cfg := readBench(t, out.Bytes())
	// benchfmt drops the Benchmark prefix.
	want := []string{"Fake/case=a", "Fake/case=a", "Fake/case=b", "Fake/case=b"}
	var names []string
	for _, r := range results {
		names = append(names, r.name)
		if r.iters != 3 {
			t.Errorf("%s: %d iterations, want -benchtime 3x", r.name, r.iters)
		}
	}
	if !slices.Equal(names, want) {
		t.Errorf("results %v, want %v", names, want)
	}
	// Every line carries B/op and allocs/op, as go test writes them.
	if got := results[0].units; !slices.Equal(got, []string{"sec/op", "loops", "B/op", "allocs/op"}) {
		t.Errorf("case=a units %v", got)
	}
	if got := results[2].units; !slices.Equal(got, []string{"sec/op", "B/s", "B/op", "allocs/op"}) {
		t.Errorf("case=b units %v", got)
	}
	for _, k := range []string{"machine", "cores", "commit", "profile", "date", "go", "instrumented", "goos", "goarch", "pkg", "cpu"} {
		if cfg[k] == "" {
			t.Errorf("no %s: line", k)
		}
	}
	if cfg["profile"] != "fake" || cfg["pkg"] != benchPkg {
		t.Errorf("profile %q, pkg %q", cfg["profile"], cfg["pkg"])
	}
	if !strings.HasSuffix(out.String(), "\nPASS\n") {
		t.Errorf("the output does not end with PASS:\n%s", out.String())
	}
}

// TestRunProfileFailures: a benchmark that fails, one that leaves
// GOMAXPROCS changed, and an interrupt each stop the run with an error
// that says why.
func TestRunProfileFailures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		third func(ctx context.Context, b *testing.B) error
		ctx   func() context.Context
		want  string
	}{
		{"fails", func(context.Context, *testing.B) error { return errors.New("digest mismatch") }, nil,
			"BenchmarkFake/case=c: digest mismatch"},
		{"gomaxprocs", func(_ context.Context, b *testing.B) error {
			runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + 1)
			for b.Loop() {
			}
			return nil
		}, nil, "BenchmarkFake/case=c changed GOMAXPROCS"},
		{"interrupted", nil, func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, "interrupted; nothing saved"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			procs := runtime.GOMAXPROCS(0)
			ctx := context.Background()
			if tc.ctx != nil {
				ctx = tc.ctx()
			}
			_, err := runProfile(ctx, io.Discard, io.Discard, fakeProfile, fakeSuite(tc.third), true)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
			if p := runtime.GOMAXPROCS(0); p != procs {
				t.Errorf("GOMAXPROCS %d after the run, want %d restored", p, procs)
			}
		})
	}
}

// TestBenchLeavesNoFileWhenInterrupted: a run that does not finish leaves
// nothing in the results folder.
func TestBenchLeavesNoFileWhenInterrupted(t *testing.T) {
	if raceEnabled {
		t.Skip("concbench bench refuses a race-instrumented binary")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	var stdout bytes.Buffer
	err := run(ctx, &stdout, io.Discard, []string{"bench", "-profile", "smoke", "-q", "-o", dir, "-machine", "m"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "m", "*")); len(files) != 0 || stdout.Len() != 0 {
		t.Errorf("left %v, stdout %q", files, stdout.String())
	}
}

func TestMeasurable(t *testing.T) {
	if err := measurable("none"); err != nil {
		t.Error(err)
	}
	for _, in := range []string{"race", "cover", "race,cover"} {
		if err := measurable(in); err == nil || !strings.Contains(err.Error(), "built with "+in) {
			t.Errorf("measurable(%q) = %v, want a refusal naming it", in, err)
		}
	}
	if raceEnabled {
		_, _, err := runCmd(t, "bench", "-profile", "smoke", "-q", "-o", t.TempDir())
		if err == nil || !strings.Contains(err.Error(), "built with race") {
			t.Errorf("bench in a race build: err = %v, want a refusal", err)
		}
	}
}

// TestBenchWritesWhatGoTestWrites runs a few cheap benchmarks both ways,
// with go test -bench ./bench and in this process, and compares the two
// outputs as the report reads them: the same benchmarks in the same order,
// with the same units, under the same goos, goarch, pkg and cpu lines.
func TestBenchWritesWhatGoTestWrites(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	const pattern = "Gather|Startup|SharedState"
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", pattern, "-benchtime", "1x", "-short", ".")
	cmd.Dir = filepath.Join("..", "..", "bench")
	goTest, err := cmd.Output()
	if err != nil {
		t.Fatalf("go test -bench: %v\n%s", err, goTest)
	}
	var ours bytes.Buffer
	p := profile{name: "cmp", runs: []benchRun{{bench: pattern, count: 1, benchtime: "1x", short: true}}}
	if _, err := runProfile(context.Background(), &ours, io.Discard, p, bench.Suite, true); err != nil {
		t.Fatal(err)
	}
	theirs, theirCfg := readBench(t, goTest)
	mine, myCfg := readBench(t, ours.Bytes())
	if len(theirs) == 0 || len(theirs) != len(mine) {
		t.Fatalf("go test wrote %d results, concbench %d", len(theirs), len(mine))
	}
	for i := range theirs {
		if theirs[i].fullName != mine[i].fullName || !slices.Equal(theirs[i].units, mine[i].units) {
			t.Errorf("result %d: go test %s %v, concbench %s %v", i, theirs[i].fullName, theirs[i].units, mine[i].fullName, mine[i].units)
		}
	}
	for _, k := range []string{"goos", "goarch", "pkg", "cpu"} {
		if theirCfg[k] != myCfg[k] {
			t.Errorf("%s: go test %q, concbench %q", k, theirCfg[k], myCfg[k])
		}
	}
}

var procsSuffix = regexp.MustCompile(`-\d+$`)

// A readResult is one result line as benchfmt reads it.
type readResult struct {
	name     string // without the GOMAXPROCS suffix
	fullName string // with it
	iters    int
	units    []string
}

// readBench reads Go benchmark format text as the report does.
func readBench(t *testing.T, text []byte) ([]readResult, map[string]string) {
	t.Helper()
	var rs []readResult
	cfg := map[string]string{}
	r := benchfmt.NewReader(bytes.NewReader(text), "output")
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.Result:
			full := string(rec.Name.Full())
			x := readResult{name: procsSuffix.ReplaceAllString(full, ""), fullName: full, iters: rec.Iters}
			for _, v := range rec.Values {
				x.units = append(x.units, v.Unit)
			}
			for _, c := range rec.Config {
				if c.File {
					cfg[c.Key] = string(c.Value)
				}
			}
			rs = append(rs, x)
		case *benchfmt.SyntaxError:
			t.Errorf("%v", rec)
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return rs, cfg
}
