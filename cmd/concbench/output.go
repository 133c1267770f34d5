package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/perf/benchfmt"
	"golang.org/x/term"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/internal/sysinfo"
	"github.com/concbench/concbench/report"

	"github.com/concbench/concbench/internal/measure"
)

// Output formats.
const (
	formatText  = "text"  // for people
	formatJSON  = "json"  // one JSON document
	formatCSV   = "csv"   // a header line, then one row per measured combination
	formatBench = "bench" // the Go benchmark format, which benchstat and concbench report read
)

// outputFlags are the flags that say how to print, shared by every
// command that measures.
type outputFlags struct {
	format  string
	quiet   bool
	verbose bool
}

func (o *outputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&o.format, "format", formatText, "output `format`: text, json, csv or bench (the Go benchmark format)")
	fs.BoolVar(&o.quiet, "q", false, "no progress bar")
	fs.BoolVar(&o.verbose, "v", false, "print each sample on stderr as it is measured, in the Go benchmark format (no progress bar)")
}

func checkFormat(format string, allowed ...string) error {
	if !slices.Contains(allowed, format) {
		return usageError{fmt.Sprintf("-format %q: want %s", format, strings.Join(allowed, ", "))}
	}
	return nil
}

// A meter shows how far a command has got: a progress bar on stderr when
// both stdout and stderr are terminals and neither -q nor -v is set, each
// sample's result line on stderr with -v, and nothing otherwise.
type meter struct {
	bar     *progressbar.ProgressBar
	verbose io.Writer // nil without -v
	group   string
}

func newMeter(stdout, stderr io.Writer, o outputFlags, group string, steps int) *meter {
	m := &meter{group: group}
	if o.verbose {
		m.verbose = stderr
	}
	m.bar = newProgress(stderr, steps, o.quiet || o.verbose || !isTerminal(stdout))
	return m
}

// Start shows what begins: ms's set-up (for IO workloads, the sequential
// reference run takes seconds) or one of its samples.
func (m *meter) Start(ms *measurement, setup bool) {
	if setup {
		m.bar.Describe("setting up " + measure.Describe(ms.Case))
	} else {
		m.bar.Describe(measure.Describe(ms.Case))
	}
	m.bar.RenderBlank()
}

// Step counts one step of ms, its set-up or a sample, as done.
func (m *meter) Step(ms *measurement) {
	m.bar.Add(1)
	if m.verbose != nil && len(ms.Samples) > 0 {
		writeResult(m.verbose, m.group, ms, ms.Samples[len(ms.Samples)-1])
	}
}

// done clears the bar, finished or not, so that the output starts on a
// clean line.
func (m *meter) done() { m.bar.Clear() }

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// writeHeader writes the file configuration lines that describe the run,
// the same for every command that writes a results file.
func writeHeader(w io.Writer, profile string) {
	m := sysinfo.This()
	fmt.Fprintf(w, "goos: %s\ngoarch: %s\ncpu: %s\n", runtime.GOOS, runtime.GOARCH, m.CPU)
	fmt.Fprintf(w, "machine: %s\ncores: %d\ncommit: %s\nprofile: %s\ndate: %s\ngo: %s\ninstrumented: %s\n",
		m, m.Cores, thisBuild().Commit(), profile, sysinfo.Now().Format(time.RFC3339), runtime.Version(), instrumented())
	// What tells this host from another sold under the same CPU name.
	for _, kv := range sysinfo.ReadFingerprint().Config() {
		fmt.Fprintf(w, "%s: %s\n", kv[0], kv[1])
	}
	// Where the IO servers run, and what the file workload writes on.
	for _, kv := range bench.RunConfig() {
		fmt.Fprintf(w, "%s: %s\n", kv[0], kv[1])
	}
	c := sysinfo.Calibrate(calibrationRuns)
	fmt.Fprintf(w, "%s: %d\n%s: %d\n", report.ConfigCalibrationSHA256, c.SHA256.Nanoseconds(), report.ConfigCalibrationMemory, c.Memory.Nanoseconds())
}

// calibrationRuns is how many probes a results file's calibration is the
// median of.
const calibrationRuns = 11

// instrumented names the instrumentation compiled into this binary, which
// slows it down: "race", "cover", both, or "none". The report refuses the
// numbers of an instrumented build.
func instrumented() string {
	var in []string
	if raceEnabled {
		in = append(in, "race")
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-cover" && s.Value == "true" {
				in = append(in, "cover")
			}
		}
	}
	if len(in) == 0 {
		return "none"
	}
	return strings.Join(in, ",")
}

// benchName returns the Go benchmark name of m's sample lines, without
// "Benchmark": <group>/<Case.Name()>, with go test's -N suffix when
// GOMAXPROCS is not 1, and go test's underscores for spaces.
func benchName(group string, m *measurement) string {
	name := group + "/" + m.Case.Name()
	name = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return '_'
		}
		return r
	}, name)
	if m.GOMAXPROCS != 1 {
		name += "-" + strconv.Itoa(m.GOMAXPROCS)
	}
	return name
}

// benchResult returns one sample as a Go benchmark result: the batches are
// the iterations, one op is one batch.
func benchResult(group string, m *measurement, s sample) *benchfmt.Result {
	r := &benchfmt.Result{Name: benchfmt.Name(benchName(group, m)), Iters: s.Batches}
	for _, u := range m.Units() {
		r.Values = append(r.Values, benchfmt.Value{Value: benchValue(m.Value(s, u)), Unit: u})
	}
	return r
}

// writeResult writes one sample as a Go benchmark result line.
func writeResult(w io.Writer, group string, m *measurement, s sample) error {
	return benchfmt.NewWriter(w).Write(benchResult(group, m, s))
}

// benchValue keeps the digits that the testing package prints: whole
// numbers from 1000 up, four significant digits below.
func benchValue(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	if math.Abs(v) >= 1000 {
		return math.Round(v)
	}
	scale := math.Pow(10, float64(3-int(math.Floor(math.Log10(math.Abs(v))))))
	return math.Round(v*scale) / scale
}

// writeBench writes ms in the Go benchmark format: the header, every
// sample, and PASS when the run finished, as go test ends a run, so that
// the report tells a finished run from one cut short.
func writeBench(w io.Writer, profile, group string, ms []*measurement, finished bool) error {
	writeHeader(w, profile)
	bw := benchfmt.NewWriter(w)
	for _, m := range ms {
		for _, s := range m.Samples {
			if err := bw.Write(benchResult(group, m, s)); err != nil {
				return err
			}
		}
	}
	if finished {
		_, err := fmt.Fprintln(w, "PASS")
		return err
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// measured returns the measurements that have at least one sample.
func measured(ms []*measurement) []*measurement {
	var out []*measurement
	for _, m := range ms {
		if m != nil && len(m.Samples) > 0 {
			out = append(out, m)
		}
	}
	return out
}
