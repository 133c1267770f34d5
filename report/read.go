package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchproc"

	"github.com/concbench/concbench/benchkey"
)

// A Run is one results file: its configuration lines and its benchmarks.
type Run struct {
	File string // path of the file, as given to ReadFile
	// Machine is the name of the folder that holds the file, which is the
	// machine's name in a results tree (results/<machine>/<file>.txt).
	Machine string
	// Config holds the file configuration lines in force at the first
	// result: machine, cores, commit, profile, date, go, instrumented, and
	// those go test writes (goos, goarch, pkg, cpu).
	Config map[string]string
	// Benchmarks lists each benchmark once, in the order of its first
	// result.
	Benchmarks []*Measurement
	// Python holds the configuration lines whose keys start with
	// "python" (the Python harness's interpreter, or why it was skipped),
	// wherever they are in the file: they follow the Go results. Nil when
	// there are none.
	Python map[string]string
	// Unresolved lists the workloads whose headline comparison the
	// adaptive rounds could not settle (the file's "unresolved:" line,
	// wherever it is): their verdicts are not resolved. Nil for none.
	Unresolved []string
	// Problems lists the lines that were skipped, each as an error whose
	// text starts with file:line: the first MaxProblems of them.
	Problems []error
	// MoreProblems counts the skipped lines beyond those in Problems.
	MoreProblems int
	// Incomplete says why the run must not be charted: no results, a
	// failure, or output that stops before the end. It is "" for a run that
	// finished.
	Incomplete string
}

// A Measurement is every sample of one benchmark in a run.
type Measurement struct {
	Bench
	Pos string // file:line of its first result
	// Values holds the samples of each unit, under the unit's name as the
	// file writes it (ns/op, MB/s, tasks/s, cpu-cores…), in file order.
	Values map[string][]float64
	Units  []string // the units in the order the file writes them
}

// A Bench identifies a benchmark by the parts of its name that the report
// reads. It is comparable, and two results of a run with equal Benches are
// samples of the same benchmark.
type Bench struct {
	Group    string // the name's base without "Benchmark": Models, Scaling, Overhead…
	Workload string // workload=, or ""
	Model    string // model=, or ""
	// Knobs holds the model's knobs as the name gives them (workers=,
	// procs=, fetch=, parse=: benchkey.Knobs); 0 for one it has none of.
	Knobs      benchkey.Values
	GOMAXPROCS int // the -N suffix; 1 when there is none, as go test omits -1
	// Params is the rest of the name: the workload's parameters, such as
	// "tasks=64/size=1MiB", in name order.
	Params string
}

// Name is the benchmark's name without "Benchmark" and the GOMAXPROCS
// suffix, as a person would write it.
func (b Bench) Name() string {
	parts := []string{b.Group}
	if b.Workload != "" {
		parts = append(parts, benchkey.Workload+"="+b.Workload)
	}
	if b.Model != "" {
		parts = append(parts, benchkey.Model+"="+b.Model)
	}
	parts = append(parts, b.Knobs.Pairs()...)
	if b.Params != "" {
		parts = append(parts, b.Params)
	}
	return strings.Join(parts, "/")
}

// Samples returns the largest number of samples any unit of any benchmark
// of r has: the run's -count.
func (r *Run) Samples() int {
	n := 0
	for _, m := range r.Benchmarks {
		for _, v := range m.Values {
			n = max(n, len(v))
		}
	}
	return n
}

// Date returns the date configuration line as a time, or the zero time
// when it is missing or malformed.
func (r *Run) Date() time.Time {
	t, _ := time.Parse(time.RFC3339, r.Config["date"])
	return t
}

// Cores returns the cores configuration line, or the GOMAXPROCS of the
// first benchmark when the line is missing; 1 when neither says.
func (r *Run) Cores() int {
	if n, err := strconv.Atoi(r.Config["cores"]); err == nil && n > 0 {
		return n
	}
	if len(r.Benchmarks) > 0 {
		return r.Benchmarks[0].GOMAXPROCS
	}
	return 1
}

// Profile returns the profile configuration line, or "unknown".
func (r *Run) Profile() string {
	if p := r.Config["profile"]; p != "" {
		return p
	}
	return "unknown"
}

// MaxFileSize is the largest results file ReadFile reads: a full-profile
// run is well under 1 MiB.
const MaxFileSize = 64 << 20

// MaxLineLen is the longest line Read reads; a longer one is skipped as a
// problem. A result line is well under 1 KiB, and benchfmt reads lines of
// up to 64 KiB.
const MaxLineLen = 32 << 10

// MaxProblems is how many skipped lines a Run keeps; the rest are counted.
const MaxProblems = 100

// ReadFile reads a results file. See Read. It reads only a regular file of
// at most MaxFileSize bytes, and never through a symbolic link: a FIFO, a
// device or a link to one would block or never end.
func ReadFile(path string) (*Run, error) {
	// O_NONBLOCK: opening a FIFO does not wait for a writer; O_NOFOLLOW: a
	// link swapped in after the caller looked fails here.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s: a symbolic link; results are read only from regular files", path)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case !st.Mode().IsRegular():
		return nil, fmt.Errorf("%s: not a regular file (%s); results are read only from regular files", path, st.Mode().Type())
	case st.Size() > MaxFileSize:
		return nil, fmt.Errorf("%s: %d bytes, over the %d MiB a results file may have", path, st.Size(), MaxFileSize>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: over the %d MiB a results file may have", path, MaxFileSize>>20)
	}
	run, err := Read(bytes.NewReader(data), path)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	run.Machine = filepath.Base(filepath.Dir(abs))
	return run, nil
}

// An InstrumentedError refuses a run whose bench binary was built with the
// race detector or coverage, which measure the instrumentation instead of
// the work.
type InstrumentedError struct {
	Pos  string // file:line of the first result it affects
	With string // the instrumented configuration line: race, cover, race,cover
}

func (e *InstrumentedError) Error() string {
	return fmt.Sprintf("%s: results from a bench binary built with %s are refused: the instrumentation, not the work, sets their speed", e.Pos, e.With)
}

// Read reads the Go benchmark format from r, naming it file in positions.
// It returns an *InstrumentedError for a run whose binary was built with
// -race or -cover. Anything else wrong with the text does not stop it: a
// malformed line or an impossible value (not finite, or not positive)
// becomes a Problem and its result is dropped; a run that failed or stopped
// early is marked Incomplete.
func Read(r io.Reader, file string) (*Run, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	run := &Run{File: file, Config: map[string]string{}}
	data = dropLongLines(data, file, run)
	lines := scanLines(data, file, run)

	var pp benchproc.ProjectionParser
	proj, err := pp.Parse(projection(), nil)
	if err != nil {
		return nil, err // the projection is made of constants
	}
	fields := map[string]*benchproc.Field{}
	for _, f := range proj.Fields() {
		fields[f.Name] = f
	}

	index := map[Bench]*Measurement{}
	var first map[string]string // the configuration of the first result
	br := benchfmt.NewReader(bytes.NewReader(data), file)
	for br.Scan() {
		var res *benchfmt.Result
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			run.problem(rec)
			continue
		case *benchfmt.Result:
			res = rec
		default:
			continue
		}
		f, line := res.Pos()
		pos := fmt.Sprintf("%s:%d", f, line)
		if v := res.GetConfig("instrumented"); v != "" && v != "none" {
			return nil, &InstrumentedError{Pos: pos, With: v}
		}
		cfg := fileConfig(res)
		if first == nil {
			first = cfg
			run.Config = cfg
		} else if k, ok := changed(first, cfg); ok {
			run.problem(fmt.Errorf("%s: %s changes from %q to %q within the file: a results file holds one run, so this result is skipped", pos, k, first[k], cfg[k]))
			continue
		}
		b, err := benchOf(proj.Project(res), fields)
		if err != nil {
			run.problem(fmt.Errorf("%s: %v", pos, err))
			continue
		}
		if err := checkValues(res); err != nil {
			run.problem(fmt.Errorf("%s: %s: %v", pos, b.Name(), err))
			continue
		}
		m := index[b]
		if m == nil {
			m = &Measurement{Bench: b, Pos: pos, Values: map[string][]float64{}}
			index[b] = m
			run.Benchmarks = append(run.Benchmarks, m)
		}
		for _, v := range res.Values {
			unit, val := v.Unit, v.Value
			if v.OrigUnit != "" {
				unit, val = v.OrigUnit, v.OrigValue
			}
			if _, ok := m.Values[unit]; !ok {
				m.Units = append(m.Units, unit)
			}
			m.Values[unit] = append(m.Values[unit], val)
		}
	}
	if err := br.Err(); err != nil {
		return nil, err
	}
	for k, v := range lines.footer {
		if _, ok := run.Config[k]; !ok && len(run.Benchmarks) > 0 {
			run.Config[k] = v
		}
	}

	switch {
	case lines.conflict != "":
		run.Incomplete = lines.conflict
	case lines.failed != "":
		run.Incomplete = lines.failed
	case len(run.Benchmarks) == 0:
		run.Incomplete = "no valid benchmark results"
	case !lines.passed:
		run.Incomplete = "the output stops before the PASS line that ends a finished run"
	case run.Config["instrumented"] == "":
		run.Incomplete = "no instrumented: line, so there is no telling whether the binary was built with -race or -cover"
	}
	return run, nil
}

// problem records a skipped line, keeping the first MaxProblems.
func (r *Run) problem(err error) {
	if len(r.Problems) < MaxProblems {
		r.Problems = append(r.Problems, err)
	} else {
		r.MoreProblems++
	}
}

// fileConfig copies the file configuration of res.
func fileConfig(res *benchfmt.Result) map[string]string {
	cfg := map[string]string{}
	for _, c := range res.Config {
		if c.File {
			cfg[c.Key] = string(c.Value)
		}
	}
	return cfg
}

// identity lists the configuration keys that must not change within a run:
// what the run is, and the machine's fingerprint (sysinfo.FingerprintKeys
// but cpu-mhz, a reading that moves with the clock).
var identity = []string{
	"machine", "cores", "commit", "profile", "date", "go", "goos", "goarch", "cpu", "instrumented",
	"cpu-vendor", "cpu-family", "cpu-model", "cpu-stepping", "cpu-caches", "threads-per-core", "kernel", "hypervisor", "cpu-quota",
}

// changed reports the first identity key whose value differs.
func changed(a, b map[string]string) (string, bool) {
	for _, k := range identity {
		if a[k] != b[k] {
			return k, true
		}
	}
	return "", false
}

// projection names what Read projects a result's name onto: its group,
// workload, model, every knob, GOMAXPROCS, and the rest of the name.
func projection() string {
	keys := []string{".name", "/" + benchkey.Workload, "/" + benchkey.Model}
	for _, k := range benchkey.Knobs {
		keys = append(keys, "/"+k.Key)
	}
	return strings.Join(append(keys, "/gomaxprocs", ".fullname"), ",")
}

// benchOf turns the projected name into a Bench.
func benchOf(k benchproc.Key, fields map[string]*benchproc.Field) (Bench, error) {
	b := Bench{
		Group:    k.Get(fields[".name"]),
		Workload: k.Get(fields["/"+benchkey.Workload]),
		Model:    k.Get(fields["/"+benchkey.Model]),
		Params:   strings.TrimPrefix(strings.TrimPrefix(k.Get(fields[".fullname"]), "*"), "/"),
	}
	whole := func(key string) (int, error) {
		s := k.Get(fields["/"+key])
		if s == "" {
			return 0, nil
		}
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			return 0, fmt.Errorf("%s=%s: want a whole number of 1 or more", key, s)
		}
		return v, nil
	}
	for _, kn := range benchkey.Knobs {
		v, err := whole(kn.Key)
		if err != nil {
			return b, err
		}
		b.Knobs.Set(kn.Key, v)
	}
	var err error
	if b.GOMAXPROCS, err = whole("gomaxprocs"); err != nil {
		return b, err
	}
	if b.GOMAXPROCS == 0 {
		b.GOMAXPROCS = 1
	}
	return b, nil
}

// Concurrency returns how many of the benchmark's tasks its model had
// under way at once, by the rule the measuring side uses
// (benchkey.ConcurrencyOf), from the knobs and tasks= of its name.
func (b Bench) Concurrency() benchkey.Concurrency {
	return benchkey.ConcurrencyOf(b.Model, b.Knobs, paramInt(b.Params, benchkey.Tasks))
}

// mayBeZero lists the units whose values count things that can rightly be
// none: allocations, the GC of a sample in which no GC cycle ended, and
// BenchmarkFootprint's stack and heap bytes per task, differences that
// the collector can bring to none, and the open-loop requests that
// completed or were missed. Every other unit measures a time, a rate or
// a ratio, which a real run never reports as zero.
var mayBeZero = map[string]bool{
	benchkey.UnitBPerOp: true, benchkey.UnitAllocsPerOp: true,
	benchkey.UnitGCCPUPct: true, benchkey.UnitGCCycles: true,
	benchkey.UnitStackPerTask: true, benchkey.UnitHeapPerTask: true,
	benchkey.UnitCompleted: true, benchkey.UnitDropped: true,
}

// mayBeNegative lists the units that are differences, which noise can
// take below zero: a model's cost per task less sequential's.
var mayBeNegative = map[string]bool{benchkey.UnitNetNsPerTask: true}

// checkValues rejects a result with a value that no real run reports.
func checkValues(res *benchfmt.Result) error {
	if res.Iters < 1 {
		return fmt.Errorf("%d iterations: want 1 or more", res.Iters)
	}
	for _, v := range res.Values {
		unit, val := v.Unit, v.Value
		if v.OrigUnit != "" {
			unit, val = v.OrigUnit, v.OrigValue
		}
		switch {
		case math.IsNaN(val) || math.IsInf(val, 0):
			return fmt.Errorf("%v %s: want a finite number", val, unit)
		case mayBeNegative[unit]:
		case val < 0 || val == 0 && !mayBeZero[unit]:
			return fmt.Errorf("%v %s: want a number above zero", val, unit)
		}
	}
	return nil
}
