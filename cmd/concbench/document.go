package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/internal/measure"
	"github.com/concbench/concbench/internal/sysinfo"
	"github.com/concbench/concbench/report"
)

// schemaVersion is the version of the json and csv formats, which
// docs/schema/run.schema.json describes. It goes up when a field changes
// meaning or goes away; a new field leaves it as it is.
const schemaVersion = 1

// schemaID names the schema in every json document.
const schemaID = "https://github.com/concbench/concbench/docs/schema/run.schema.json"

// A document is what run, sweep and recommend print in the json format:
// the facts of the whole run, then one cell per measured combination.
type document struct {
	Schema        string  `json:"$schema"`
	SchemaVersion int     `json:"schema_version"`
	Command       string  `json:"command"` // run, sweep or recommend
	Finished      bool    `json:"finished"`
	Machine       machine `json:"machine"`
	Go            string  `json:"go"`
	Commit        string  `json:"commit"`
	Date          string  `json:"date"`         // when the document was written, RFC 3339, UTC
	Instrumented  string  `json:"instrumented"` // none, or the race or cover build that slowed the numbers
	Results       []cell  `json:"results"`

	// recommend only.
	Seconds        *float64                `json:"seconds,omitempty"`
	Recommendation *measure.Recommendation `json:"recommendation,omitempty"`
	// sweep only.
	Over   string   `json:"over,omitempty"`
	File   string   `json:"file,omitempty"`   // the results file; empty when none was saved
	Charts []string `json:"charts,omitempty"` // its chart, SVG and PNG
}

// A machine is the machine that measured, as a results file's
// configuration lines name it.
type machine struct {
	Name        string      `json:"name"` // CPU model and cores, as the machine: line
	Slug        string      `json:"slug"` // its folder under results/
	CPU         string      `json:"cpu"`
	Cores       int         `json:"cores"`
	GOOS        string      `json:"goos"`
	GOARCH      string      `json:"goarch"`
	Fingerprint fingerprint `json:"fingerprint"`
}

// A fingerprint is sysinfo.Fingerprint in json: what tells apart two
// machines with the same CPU name. Unknown fields are empty.
type fingerprint struct {
	Vendor         string `json:"vendor"`
	Family         string `json:"family"`
	Model          string `json:"model"`
	Stepping       string `json:"stepping"`
	MHz            string `json:"mhz"`
	Caches         string `json:"caches"`
	ThreadsPerCore int    `json:"threads_per_core"`
	Kernel         string `json:"kernel"`
	Hypervisor     string `json:"hypervisor"`
	CPUQuota       string `json:"cpu_quota"`
}

// A cell is one measured combination: what ran, every sample of every
// metric with its median and interval, the speedup, and the verdict.
type cell struct {
	Name       string            `json:"name"` // benchmark name, without "Benchmark<group>/" and the -N suffix
	Workload   string            `json:"workload"`
	Kind       string            `json:"kind"` // the workload's declared kind, cpu or io
	Model      string            `json:"model"`
	Knobs      map[string]int    `json:"knobs"`  // the model's knobs as it ran: workers, procs, fetch, parse
	Params     map[string]string `json:"params"` // every workload parameter, in the workload's syntax
	Tasks      int               `json:"tasks"`
	GOMAXPROCS int               `json:"gomaxprocs"`
	Samples    int               `json:"samples"`
	Batches    int               `json:"batches"` // over all samples
	Metrics    []metric          `json:"metrics"` // one per unit, in the order the benchmarks write them
	Speedup    *speedup          `json:"speedup"` // over the sequential run of the same command; null without one
	// Verdict is the cell's part in recommend's advice: use, as-fast,
	// slower, not-compared, reference or no-verdict; null for run and
	// sweep, which give none.
	Verdict *string `json:"verdict"`
}

// A metric is one unit's samples, in the order they were taken (sample i
// of every cell comes from round i), their median and its interval.
type metric struct {
	Unit     string    `json:"unit"`
	Values   []float64 `json:"values"`
	Median   float64   `json:"median"`
	Interval interval  `json:"interval"`
}

// An interval bounds a median: its confidence interval where there are
// enough samples for one, else the smallest and largest sample.
type interval struct {
	Lo     float64 `json:"lo"`
	Hi     float64 `json:"hi"`
	Kind   string  `json:"kind"`            // intervalCI or intervalRange
	Level  float64 `json:"level,omitempty"` // the confidence level of a ci: 0.95
	Method string  `json:"method"`
}

// Kinds and methods of interval.
const (
	intervalCI    = "ci"
	intervalRange = "range"
	methodCI      = "distribution-free confidence interval of the median from order statistics (golang.org/x/perf/benchmath AssumeNothing)"
	methodRange   = "smallest and largest value (too few for a confidence interval)"
	methodPaired  = "median of paired ratios, sample i over the reference's sample i, with its " // + methodCI or methodRange
)

func newInterval(lo, hi float64, ci bool, method string) interval {
	if ci {
		return interval{Lo: lo, Hi: hi, Kind: intervalCI, Level: report.Confidence, Method: method + methodCI}
	}
	return interval{Lo: lo, Hi: hi, Kind: intervalRange, Method: method + methodRange}
}

// A speedup is a cell's throughput over the sequential run's: Paired is
// the median of the sample-by-sample ratios, with its interval, the
// figure that the text table shows and the verdict uses; Ratio is the
// ratio of their median tasks/s, kept for comparison.
type speedup struct {
	Ratio  float64 `json:"ratio"`
	Paired *paired `json:"paired"` // null when no pair of samples is usable
	Over   string  `json:"over"`   // the reference: sequential
}

type paired struct {
	Median   float64  `json:"median"`
	Pairs    int      `json:"pairs"`
	Interval interval `json:"interval"`
}

// Verdicts of a cell.
const (
	verdictUse         = "use"          // the model to use
	verdictAsFast      = "as-fast"      // cannot be told apart from it
	verdictSlower      = "slower"       // compared and not chosen
	verdictNotCompared = "not-compared" // a different number of tasks in flight
	verdictReference   = "reference"    // the sequential run, when not chosen
	verdictNone        = "no-verdict"   // too few samples for one
)

// newDocument returns the document of cmd's measurements ms; base is the
// sequential run that speedups divide by (nil for none), rec the advice
// of recommend (nil for the others, and for recommend interrupted).
func newDocument(cmd string, finished bool, ms []*measurement, base *measurement, rec *measure.Recommendation) document {
	m := sysinfo.This()
	f := sysinfo.ReadFingerprint()
	d := document{
		Schema: schemaID, SchemaVersion: schemaVersion, Command: cmd, Finished: finished,
		Machine: machine{Name: m.String(), Slug: m.Slug(), CPU: m.CPU, Cores: m.Cores, GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
			Fingerprint: fingerprint{Vendor: f.Vendor, Family: f.Family, Model: f.Model, Stepping: f.Stepping, MHz: f.MHz, Caches: f.Caches,
				ThreadsPerCore: f.ThreadsPerCore, Kernel: f.Kernel, Hypervisor: f.Hypervisor, CPUQuota: f.CPUQuota}},
		Go: runtime.Version(), Commit: thisBuild().Commit(), Date: sysinfo.Now().Format(time.RFC3339), Instrumented: instrumented(),
		Results: []cell{}, Recommendation: rec,
	}
	for _, x := range ms {
		d.Results = append(d.Results, newCell(x, base, cmd == "recommend", rec))
	}
	return d
}

// newCell describes m; base, when not nil, is the sequential run its
// speedup divides by. m must have at least one sample.
func newCell(m *measurement, base *measurement, verdicts bool, rec *measure.Recommendation) cell {
	c := m.Case
	out := cell{
		Name: c.Name(), Workload: c.Workload, Kind: m.Kind.String(), Model: c.Model,
		Knobs: knobsOf(m), Params: map[string]string{}, Tasks: c.Tasks, GOMAXPROCS: m.GOMAXPROCS,
		Samples: len(m.Samples), Batches: m.Batches(), Metrics: []metric{},
	}
	for _, kv := range m.Params {
		k, v, _ := strings.Cut(kv, "=")
		out.Params[k] = v
	}
	for _, u := range m.Units() {
		s := m.Summary(u)
		out.Metrics = append(out.Metrics, metric{Unit: u, Values: m.Values(u), Median: s.Center, Interval: newInterval(s.Lo, s.Hi, s.CI, "")})
	}
	if base != nil && len(base.Samples) > 0 {
		sp := &speedup{Ratio: m.MedianRatio(base), Over: base.Case.Model}
		if r := report.PairedRatio(m.Values(benchkey.UnitTasksps), base.Values(benchkey.UnitTasksps)); r.N > 0 {
			sp.Paired = &paired{Median: r.Center, Pairs: r.N, Interval: newInterval(r.Lo, r.Hi, r.CI, methodPaired)}
		}
		out.Speedup = sp
	}
	if verdicts {
		v := verdictOf(m, base, rec)
		out.Verdict = &v
	}
	return out
}

// knobsOf returns the knobs of m's model, as it ran: those its benchmark
// name carries.
func knobsOf(m *measurement) map[string]int {
	knobs := map[string]int{}
	v := m.Case.Knobs()
	for _, k := range m.Case.Entry.Knobs() {
		knobs[k.Key] = v.Get(k.Key)
	}
	return knobs
}

// verdictOf returns m's part in rec; rec nil (interrupted) gives none.
func verdictOf(m, base *measurement, rec *measure.Recommendation) string {
	switch {
	case rec == nil || !rec.Resolved:
		return verdictNone
	case m == rec.Chosen:
		return verdictUse
	case m == base:
		return verdictReference
	case slices.Contains(rec.AsFast, m.Case.Model):
		return verdictAsFast
	case slices.Contains(rec.Apart, m.Case.Model):
		return verdictNotCompared
	}
	return verdictSlower
}

// allKnobs lists every knob's key, in table order, for the csv columns.
func allKnobs() []string {
	var ks []string
	for _, k := range benchkey.Knobs {
		ks = append(ks, k.Key)
	}
	return ks
}

// writeCSV writes d as csv: a header, then one row per cell and metric,
// every figure of the json document in columns of its own. The facts of
// the document repeat on every row, so that rows from several documents
// can be concatenated; a knob a model lacks, or a value a cell lacks, is
// an empty field. Values of a metric are separated by spaces.
func writeCSV(w io.Writer, d document) error {
	knobs := allKnobs()
	var params []string
	for _, c := range d.Results {
		for k := range c.Params {
			if !slices.Contains(params, k) {
				params = append(params, k)
			}
		}
	}
	slices.Sort(params)
	head := []string{"schema_version", "command", "machine", "fingerprint", "go", "commit", "name", "workload", "kind", "model"}
	for _, k := range knobs {
		head = append(head, "knob_"+k)
	}
	for _, p := range params {
		head = append(head, "param_"+p)
	}
	head = append(head, "tasks", "gomaxprocs", "samples", "batches", "unit", "values", "median", "lo", "hi", "interval", "level", "method",
		"speedup", "speedup_paired", "speedup_lo", "speedup_hi", "speedup_interval", "verdict")
	cw := csv.NewWriter(w)
	cw.Write(head)
	fp := d.Machine.Fingerprint
	fprint := fmt.Sprintf("%s family %s model %s stepping %s, %s MHz, %s, %d threads per core, kernel %s, hypervisor %s, cpu quota %s",
		fp.Vendor, fp.Family, fp.Model, fp.Stepping, fp.MHz, fp.Caches, fp.ThreadsPerCore, fp.Kernel, fp.Hypervisor, fp.CPUQuota)
	for _, c := range d.Results {
		for _, m := range c.Metrics {
			rec := []string{strconv.Itoa(d.SchemaVersion), d.Command, d.Machine.Name, fprint, d.Go, d.Commit, c.Name, c.Workload, c.Kind, c.Model}
			for _, k := range knobs {
				if v, ok := c.Knobs[k]; ok {
					rec = append(rec, strconv.Itoa(v))
				} else {
					rec = append(rec, "")
				}
			}
			for _, p := range params {
				rec = append(rec, c.Params[p])
			}
			values := make([]string, len(m.Values))
			for i, v := range m.Values {
				values[i] = num(v)
			}
			rec = append(rec, strconv.Itoa(c.Tasks), strconv.Itoa(c.GOMAXPROCS), strconv.Itoa(c.Samples), strconv.Itoa(c.Batches),
				m.Unit, strings.Join(values, " "), num(m.Median), num(m.Interval.Lo), num(m.Interval.Hi), m.Interval.Kind, level(m.Interval), m.Interval.Method)
			sp := make([]string, 5)
			if c.Speedup != nil {
				sp[0] = num(c.Speedup.Ratio)
				if p := c.Speedup.Paired; p != nil {
					sp[1], sp[2], sp[3], sp[4] = num(p.Median), num(p.Interval.Lo), num(p.Interval.Hi), p.Interval.Kind
				}
			}
			rec = append(rec, sp...)
			verdict := ""
			if c.Verdict != nil {
				verdict = *c.Verdict
			}
			cw.Write(append(rec, verdict))
		}
	}
	cw.Flush()
	return cw.Error()
}

// num formats v with as many digits as it takes to read the same float64
// back.
func num(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func level(i interval) string {
	if i.Level == 0 {
		return ""
	}
	return num(i.Level)
}
