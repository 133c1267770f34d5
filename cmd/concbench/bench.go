package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/internal/resultfile"
	"github.com/concbench/concbench/internal/sysinfo"
)

// A profile is a named set of runs of the bench package's benchmarks,
// written one after another into one results file.
type profile struct {
	name string
	doc  string
	runs []benchRun
	// measures is true for the profiles whose numbers mean something:
	// each of their rounds runs in a shuffled order, and a disturbed
	// sample is taken again (see sampler).
	measures bool
	// adapt extends the rounds of the headline comparisons that have not
	// settled; the zero value extends none.
	adapt adaptive
}

// A benchRun is one pass over the benchmarks, which go test -bench
// would make with these flags.
type benchRun struct {
	bench     string // -bench pattern
	skip      string // -skip pattern; empty skips nothing
	count     int    // -count
	benchtime string // -benchtime
	short     bool   // -short
}

// profiles lists the profiles. benchstat needs 10 samples for a confidence
// interval it trusts, so only full is meant for publication.
var profiles = []profile{
	{"smoke", "one iteration of every benchmark at -short sizes: checks that all of it runs, measures nothing",
		[]benchRun{{bench: ".", count: 1, benchtime: "1x", short: true}}, false, adaptive{}},
	{"quick", "a quick look: 6 paired samples of about 0.05s of the model comparison (sequential, pool, spawn, pinned and process; no stdgzip), enough for a verdict, 2 of each other benchmark and of the sweeps, the IO sweep from 16 workers, 2 single batches of each granularity cell, 1 hold of each footprint up to 10^4 goroutines and 16 processes; no open-loop runs",
		// stdgzip is gzip's algorithm at four times its cost (a minute of
		// the quick profile's five); a batch of 256 IO tasks at 1 or 4
		// workers takes seconds and says no more than the sequential model
		// and 16 workers do. The sweeps draw lines, not verdicts: 2
		// samples place a point. The granularity sweep has over a hundred
		// cells and a footprint sample holds its tasks twice, a second
		// for 10^5 goroutines or 64 processes: at one batch a sample they
		// add about 12s. BenchmarkOpenLoop, 30 runs of 0.2s of arrivals
		// (about 29s at 3 samples), is left to the full profile: the quick
		// one has no room for it within its budget. TestQuickProfileTime
		// estimates what the profile costs. A verdict needs 6 paired
		// samples: the model comparison takes them of the models that
		// stand for the tutorial's choices (a thread pool, a goroutine per
		// task, asyncio's one thread, processes) rather than 3
		// of all fourteen; the full profile compares them all. The other
		// groups draw lines and tables, not verdicts: 2 samples each.
		[]benchRun{
			{bench: "^BenchmarkModels$", skip: "^BenchmarkModels$/^workload=stdgzip$|" + quickSkipModels, count: 6, benchtime: "50ms"},
			{bench: ".", skip: "^(BenchmarkModels|BenchmarkScaling|BenchmarkConcurrency|BenchmarkGranularity|BenchmarkFootprint|BenchmarkOpenLoop)$", count: 2, benchtime: "50ms"},
			{bench: "^BenchmarkScaling$", skip: "^BenchmarkScaling$/^workload=stdgzip$", count: 2, benchtime: "50ms"},
			{bench: "^BenchmarkConcurrency$", skip: "Concurrency///workers=(1|4)$", count: 2, benchtime: "50ms"},
			{bench: "^BenchmarkGranularity$", count: 2, benchtime: "1x"},
			{bench: "^BenchmarkFootprint$", skip: "^BenchmarkFootprint$//^(workers|tasks)=(64|256|100000|1000000)$", count: 1, benchtime: "1x"},
		}, true, adaptive{}},
	{"full", "for publication: every benchmark, 10 samples of about 0.3s each (granularity's of 20ms), taken in 10 rounds, 3 of each footprint, then more rounds of the model comparisons not yet known within ±3%",
		// 0.3s a sample keeps all 340 benchmarks within an hour on 2 cores.
		// A round takes one sample of every benchmark, so a burst of load
		// from elsewhere costs many benchmarks one sample each instead of
		// all the samples of one, and models compared side by side are
		// measured minutes apart at most. Every sample repeats its
		// benchmark's untimed set-up, in rounds or not.
		// Then the headline comparisons that have not settled get more
		// rounds, within fullAdaptive's budgets.
		// The granularity sweep's hundred cells take 20ms a sample in
		// each round; the footprints, which vary by a few percent and
		// take up to 20s a sample (a million goroutines, twice), 3
		// samples after the rounds. An open-loop sample is one run of
		// 0.2s of arrivals.
		append(rounds(10,
			benchRun{bench: ".", skip: "^(BenchmarkGranularity|BenchmarkFootprint|BenchmarkOpenLoop)$", count: 1, benchtime: "300ms"},
			benchRun{bench: "^BenchmarkGranularity$", count: 1, benchtime: "20ms"},
			benchRun{bench: "^BenchmarkOpenLoop$", count: 1, benchtime: "1x"}),
			benchRun{bench: "^BenchmarkFootprint$", count: 3, benchtime: "1x"}), true, fullAdaptive},
}

// quickSkipModels leaves out of the quick profile's model comparison the
// models that the full profile alone compares.
const quickSkipModels = "^BenchmarkModels$//^model=(semaphore|errgroup|chanpool|conc|pipeline|pond|ants|gil|exec)$"

// rounds returns n copies of rs, run one after another.
func rounds(n int, rs ...benchRun) []benchRun {
	var runs []benchRun
	for range n {
		runs = append(runs, rs...)
	}
	return runs
}

func lookupProfile(name string) (profile, error) {
	names := make([]string, len(profiles))
	for i, p := range profiles {
		if p.name == name {
			return p, nil
		}
		names[i] = p.name
	}
	return profile{}, usageError{fmt.Sprintf("-profile %q: want one of %s", name, strings.Join(names, ", "))}
}

func runBench(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlagSet("bench")
	profileName := fs.String("profile", "quick", "profile to run: smoke, quick or full")
	out := fs.String("o", "results", "results root: the file goes to `DIR`/<machine>/")
	machine := fs.String("machine", "", "machine folder name (default: CPU model and core count)")
	bin := fs.String("bin", "", "a bench test binary (go test -c ./bench) to run instead of this process")
	pkgDir := fs.String("dir", "bench", "with -bin: the directory the binary runs in")
	quiet := fs.Bool("q", false, "no progress bar")
	python := fs.String("python", "", "Python interpreter for the Python models (default python3 from PATH, skipped when absent)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: concbench bench [flags]\n\nRuns a profile of the benchmark matrix in this process and writes its output,\n"+
			"in the Go benchmark format and with the lines go test -bench ./bench writes,\nto a new results file.\n\nProfiles:")
		for _, p := range profiles {
			fmt.Fprintf(fs.Output(), "  %-6s %s\n", p.name, p.doc)
		}
		fmt.Fprintln(fs.Output(), "\nFlags:")
		printFlags(fs)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	prof, err := lookupProfile(*profileName)
	if err != nil {
		return err
	}
	if *machine != "" {
		if err := checkMachineName(*machine); err != nil {
			return usageError{fmt.Sprintf("-machine %q: %v", *machine, err)}
		}
	}
	if *out == "" {
		return usageError{`-o "": want the results root folder, such as results`}
	}
	if *bin == "" {
		if err := measurable(instrumented()); err != nil {
			return err
		}
	} else if *bin, err = filepath.Abs(*bin); err != nil {
		return err
	}

	slug := *machine
	if slug == "" {
		slug = sysinfo.This().Slug()
	}
	start := sysinfo.Now()
	f, err := resultfile.Create(filepath.Join(*out, slug), start.Format(sysinfo.Stamp)+"-"+prof.name+".txt")
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			f.Abort()
		}
	}()
	var n int
	if *bin == "" {
		n, err = runProfile(ctx, f, stderr, prof, bench.Suite, *quiet)
	} else {
		n, err = runBinary(ctx, f, stderr, prof, *bin, *pkgDir, *quiet)
	}
	if err != nil {
		return err
	}
	if err := pythonRun(ctx, f, stderr, prof.name, *python); err != nil {
		return err
	}
	path, err := f.Commit()
	if err != nil {
		return err
	}
	committed = true
	fmt.Fprintf(stderr, "%d results in %s\n", n, time.Since(start).Round(time.Second))
	fmt.Fprintln(stdout, path)
	return nil
}

// measurable refuses a binary whose instrumentation (see instrumented)
// would be measured along with the work.
func measurable(instrumentation string) error {
	if instrumentation != "none" {
		return fmt.Errorf("this binary is built with %s: its numbers would measure the instrumentation, so concbench bench does not run; build it without -race and -cover", instrumentation)
	}
	return nil
}

// benchPkg is the bench package's import path, which go test -bench writes
// in its pkg: line.
var benchPkg = reflect.TypeFor[bench.Case]().PkgPath()

// runProfile runs p's benchmarks from suite in this process and writes, to
// w, what concbench bench saves: the configuration lines, then each
// result line as go test -bench ./bench writes it, then PASS. It checks
// that every benchmark the profile expects reported, and returns how many
// results it wrote.
func runProfile(ctx context.Context, w io.Writer, stderr io.Writer, p profile, suite func(short bool) []bench.Benchmark, quiet bool) (int, error) {
	file := w
	var results bytes.Buffer // what the adaptive rounds judge
	if p.adapt.group != "" {
		w = io.MultiWriter(file, &results)
	}
	writeHeader(w, p.name)
	s := &sampler{}
	if p.measures {
		s = newSampler()
	}
	if err := s.header(w); err != nil {
		return 0, err
	}
	fmt.Fprintf(w, "pkg: %s\n", benchPkg)
	want := expected(p, suite)
	width := 0
	for _, name := range want {
		width = max(width, len(name))
	}
	width += len("-") + len(strconv.Itoa(runtime.GOMAXPROCS(0)))
	err := runAll(stderr, p, want, quiet, func(r benchRun, done func(string)) error {
		return r.run(ctx, suite(r.short), s, w, width, done)
	})
	if err != nil {
		return 0, err
	}
	unresolved, err := p.adapt.extend(ctx, suite(false), s, file, &results, width)
	if err != nil {
		return 0, err
	}
	if _, err := io.WriteString(w, unresolvedLine(unresolved)); err != nil {
		return 0, err
	}
	if err := s.footer(w); err != nil {
		return 0, err
	}
	if _, err := fmt.Fprintln(w, "PASS"); err != nil {
		return 0, err
	}
	return len(want), nil
}

// runAll calls run for each of p's runs, with a progress bar over the
// results that want lists, and checks that each of them reported.
func runAll(stderr io.Writer, p profile, want []string, quiet bool, run func(r benchRun, done func(name string)) error) error {
	progress := newProgress(stderr, len(want), quiet)
	seen := map[string]int{}
	for _, r := range p.runs {
		if err := run(r, func(name string) {
			seen[name]++
			progress.Describe(name)
			progress.Add(1)
		}); err != nil {
			progress.Clear()
			return err
		}
	}
	progress.Finish()
	return checkComplete(want, seen)
}

// benchOnce guards testing.Init, which concbench bench needs before it
// sets the benchmark time through the testing package's flag.
var benchOnce sync.Once

// setBenchtime sets the time or count (as go test's -benchtime takes it)
// that testing.Benchmark runs each benchmark for.
func setBenchtime(v string) error {
	benchOnce.Do(testing.Init)
	return flag.CommandLine.Set("test.benchtime", v)
}

// run runs the benchmarks of suite that r selects, count times each in a
// row as go test does, writing each result line to w, its name padded to
// width, and calling done with each name.
func (r benchRun) run(ctx context.Context, suite []bench.Benchmark, s *sampler, w io.Writer, width int, done func(name string)) error {
	if err := setBenchtime(r.benchtime); err != nil {
		return err
	}
	var chosen []bench.Benchmark
	for _, b := range suite {
		if name := b.FullName(); matchBench(r.bench, name) && !skipBench(r.skip, name) {
			chosen = append(chosen, b)
		}
	}
	for _, block := range s.order(chosen) {
		for _, b := range s.samples(block, r.count) {
			line, err := s.sample(ctx, b)
			if err != nil {
				return err
			}
			// A failed write fails every later one: stop now, not after
			// the rest of the run.
			if _, err := fmt.Fprintf(w, "%-*s\t%s\n", width, line.name, line.result); err != nil {
				return err
			}
			done(b.FullName())
		}
	}
	return nil
}

// A resultText is one benchmark result as go test writes it: the name
// with its GOMAXPROCS suffix, then the iterations and metrics.
type resultText struct{ name, result string }

// measureBenchmark takes one sample of b, as go test -bench does.
func measureBenchmark(ctx context.Context, b bench.Benchmark) (resultText, error) {
	if err := ctx.Err(); err != nil {
		return resultText{}, fmt.Errorf("interrupted; nothing saved: %w", err)
	}
	procs := runtime.GOMAXPROCS(0)
	var mu sync.Mutex
	var failure error
	res := testing.Benchmark(func(tb *testing.B) {
		if err := b.Run(ctx, tb); err != nil {
			mu.Lock()
			failure = err
			mu.Unlock()
			tb.FailNow()
		}
	})
	if p := runtime.GOMAXPROCS(0); p != procs {
		runtime.GOMAXPROCS(procs)
		return resultText{}, fmt.Errorf("%s changed GOMAXPROCS from %d to %d and did not restore it, so the results after it would be wrong", b.FullName(), procs, p)
	}
	mu.Lock()
	defer mu.Unlock()
	switch {
	case ctx.Err() != nil:
		return resultText{}, fmt.Errorf("interrupted; nothing saved: %w", ctx.Err())
	case failure != nil:
		return resultText{}, fmt.Errorf("%s: %w", b.FullName(), failure)
	case res.N == 0:
		return resultText{}, fmt.Errorf("%s: no result", b.FullName())
	}
	name := b.FullName()
	if procs != 1 {
		name += "-" + strconv.Itoa(procs)
	}
	// As go test writes a benchmark that called b.ReportAllocs, which
	// every benchmark of the suite does.
	return resultText{name, res.String() + "\t" + res.MemString()}, nil
}

// expected lists each benchmark the profile runs, as many times as it runs.
func expected(p profile, suite func(short bool) []bench.Benchmark) []string {
	var names []string
	for _, r := range p.runs {
		for _, b := range suite(r.short) {
			if name := b.FullName(); matchBench(r.bench, name) && !skipBench(r.skip, name) {
				for range r.count {
					names = append(names, name)
				}
			}
		}
	}
	return names
}

func checkComplete(want []string, seen map[string]int) error {
	need := map[string]int{}
	for _, n := range want {
		need[n]++
	}
	var missing []string
	for n, c := range need {
		if seen[n] != c {
			missing = append(missing, fmt.Sprintf("%s (%d of %d results)", n, seen[n], c))
		}
	}
	for n := range seen {
		if need[n] == 0 {
			missing = append(missing, n+" (not in the profile)")
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("incomplete run, nothing saved; benchmarks whose results differ from the plan:\n  %s", strings.Join(missing, "\n  "))
	}
	return nil
}

// matchBench reports whether go test -bench=pattern runs the benchmark
// name: both split at slashes, and each part of the pattern is a regular
// expression that must match the name's part at the same depth. A '|'
// outside brackets and parentheses separates alternatives, each split at
// slashes on its own, as the testing package does.
func matchBench(pattern, name string) bool {
	for _, alt := range splitAt(pattern, '|') {
		if matchLevels(alt, name) {
			return true
		}
	}
	return false
}

func matchLevels(pattern, name string) bool {
	parts := splitPattern(pattern)
	elems := strings.Split(name, "/")
	if len(parts) > len(elems) {
		return false
	}
	for i, p := range parts {
		if ok, _ := regexp.MatchString(p, elems[i]); !ok {
			return false
		}
	}
	return true
}

// skipBench reports whether go test -skip=pattern skips the benchmark name,
// which the same rules as -bench decide. An empty pattern skips nothing.
func skipBench(pattern, name string) bool {
	return pattern != "" && matchBench(pattern, name)
}

// splitPattern splits a -bench pattern at slashes outside brackets and
// parentheses, as the testing package does.
func splitPattern(p string) []string { return splitAt(p, '/') }

// splitAt splits p at each sep outside brackets and parentheses.
func splitAt(p string, sep byte) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case sep:
			if depth == 0 {
				parts = append(parts, p[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, p[start:])
}

// newProgress returns a progress bar on stderr, or one that draws nothing
// when stderr is not a terminal or quiet is set.
func newProgress(stderr io.Writer, total int, quiet bool) *progressbar.ProgressBar {
	f, ok := stderr.(*os.File)
	visible := ok && !quiet && term.IsTerminal(int(f.Fd()))
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetVisibility(visible),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
	)
}
