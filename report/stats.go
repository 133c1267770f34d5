package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"golang.org/x/perf/benchmath"
)

// Confidence is the level of every confidence interval in a report.
const Confidence = 0.95

// MaxCV is the coefficient of variation above which a benchmark's samples
// are flagged as noisy: 5%.
const MaxCV = 0.05

// outlierMADs is how many scaled median absolute deviations from the median
// make a sample an outlier, as in a robust z-score above 3.
const outlierMADs = 3

// A Summary describes the samples of one benchmark in one unit.
type Summary struct {
	N      int
	Center float64 // the median
	// Lo and Hi bound the median's 95% confidence interval when CI is
	// true. With too few samples for one (benchmath needs 6), CI is false
	// and they are the smallest and largest sample instead.
	Lo, Hi float64
	CI     bool
	CV     float64 // standard deviation over mean; 0 for one sample
	// Outliers are the samples more than 3 scaled median absolute
	// deviations from the median.
	Outliers []float64
}

// Summarize computes the median of values, its confidence interval with
// benchmath's distribution-free method, and the flags a page shows. values
// must not be empty.
func Summarize(values []float64) Summary {
	sample := benchmath.NewSample(slices.Clone(values), &benchmath.DefaultThresholds)
	sum := benchmath.AssumeNothing.Summary(sample, Confidence)
	s := Summary{N: len(values), Center: sum.Center, Lo: sum.Lo, Hi: sum.Hi, CI: true}
	if math.IsInf(sum.Lo, 0) || math.IsInf(sum.Hi, 0) {
		s.CI = false
		s.Lo, s.Hi = sample.Values[0], sample.Values[len(sample.Values)-1]
	}
	s.CV = cv(values)
	s.Outliers = outliers(sample.Values, s.Center)
	return s
}

// Noisy reports whether the samples vary more than MaxCV or hold outliers.
func (s Summary) Noisy() bool { return s.CV > MaxCV || len(s.Outliers) > 0 }

// Map applies a monotonic function to the summary's values, for example
// to turn seconds per op into ops per second; a decreasing f swaps Lo and
// Hi.
func (s Summary) Map(f func(float64) float64) Summary {
	t := s
	t.Center, t.Lo, t.Hi = f(s.Center), f(s.Lo), f(s.Hi)
	if t.Lo > t.Hi {
		t.Lo, t.Hi = t.Hi, t.Lo
	}
	t.Outliers = nil
	for _, o := range s.Outliers {
		t.Outliers = append(t.Outliers, f(o))
	}
	return t
}

func cv(values []float64) float64 {
	if len(values) < 2 {
		return 0
	}
	mean := 0.0
	for _, v := range values {
		mean += v
	}
	mean /= float64(len(values))
	ss := 0.0
	for _, v := range values {
		ss += (v - mean) * (v - mean)
	}
	return math.Sqrt(ss/float64(len(values)-1)) / mean
}

// outliers returns the sorted values that lie more than outlierMADs scaled
// MADs from the median. With a MAD of zero (most samples equal) nothing is
// an outlier: the spread is too small to judge by.
func outliers(sorted []float64, median float64) []float64 {
	dev := make([]float64, len(sorted))
	for i, v := range sorted {
		dev[i] = math.Abs(v - median)
	}
	slices.Sort(dev)
	mad := medianOf(dev) * 1.4826 // scaled to a normal distribution's σ
	if mad == 0 {
		return nil
	}
	var out []float64
	for _, v := range sorted {
		if math.Abs(v-median) > outlierMADs*mad {
			out = append(out, v)
		}
	}
	return out
}

func medianOf(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// A Ratio is a quotient, such as a speedup, with its bounds. From
// PairedRatio it is the median of paired ratios and its 95% confidence
// interval; from Divide, the ratio of two medians with the bounds their
// intervals allow. The zero value is a ratio of 0 from no samples.
type Ratio struct {
	Center, Lo, Hi float64
	CI             bool // the bounds are a 95% confidence interval
	N              int  // pairs behind a paired ratio; 0 from Divide
}

// String formats the ratio as the report writes every speedup: "1.93×
// [1.88, 1.97]" with its 95% interval, "1.93× (3 pairs, no CI)" without
// one, each number with the digits Short gives it.
func (r Ratio) String() string {
	switch {
	case math.IsNaN(r.Center):
		return "–"
	case r.CI:
		d := r.decimals()
		return fmt.Sprintf("%s× [%s, %s]", fmtFixed(r.Center, d), fmtFixed(r.Lo, d), fmtFixed(r.Hi, d))
	case r.N > 0:
		return fmt.Sprintf("%s× (%d pairs, no CI)", r.number(), r.N)
	}
	return r.Short()
}

// Short formats the ratio alone, as pages, tables and charts all write
// a speedup: "1.79×". Its digits match its interval: no decimal finer
// than the interval's half-width (100.9 ± 12 is "101×", 1.79 ± 0.3 is
// "1.8×"), and at most the digits sigDecimals keeps.
func (r Ratio) Short() string {
	if math.IsNaN(r.Center) {
		return "–"
	}
	return r.number() + "×"
}

func (r Ratio) number() string { return fmtFixed(r.Center, r.decimals()) }

// decimals is how many decimals the ratio's interval supports.
func (r Ratio) decimals() int {
	d := sigDecimals(r.Center)
	if !r.CI {
		return d
	}
	h := max(r.Hi-r.Center, r.Center-r.Lo)
	if h <= 0 || math.IsNaN(h) || math.IsInf(h, 0) {
		return d
	}
	return min(d, max(0, int(math.Ceil(-math.Log10(h)))))
}

// sigDecimals keeps three significant digits, at most two decimals,
// down to 0.1, and two significant digits below: 1.93, 12.4, 101,
// 0.048, 0.0031.
func sigDecimals(f float64) int {
	switch a := math.Abs(f); {
	case a >= 100:
		return 0
	case a >= 10:
		return 1
	case a >= 0.1 || a == 0 || math.IsNaN(a):
		return 2
	default:
		return min(8, 1-int(math.Floor(math.Log10(a))))
	}
}

func fmtFixed(f float64, decimals int) string { return strconv.FormatFloat(f, 'f', decimals, 64) }

// Divide returns a over b: the center is the ratio of medians, the bounds
// the most pessimistic and optimistic ratios of their intervals.
func Divide(a, b Summary) Ratio {
	return Ratio{Center: a.Center / b.Center, Lo: a.Lo / b.Hi, Hi: a.Hi / b.Lo, CI: a.CI && b.CI}
}

// Parallelism is the number of tasks that can run at once: the smallest of
// the cores, the model's workers and its GOMAXPROCS (procs, when pinned),
// where each is known (above zero).
func Parallelism(cores, workers, procs int) int {
	p := cores
	for _, n := range []int{workers, procs} {
		if n > 0 && n < p {
			p = n
		}
	}
	return max(p, 1)
}

// Efficiency is speedup divided by parallelism: 1 when p tasks at once ran
// p times faster.
func Efficiency(speedup float64, p int) float64 { return speedup / float64(p) }

// Kinds of workload, from their measured CPU use.
const (
	KindCPU     = "cpu"
	KindIO      = "io"
	KindUnknown = "unknown"
)

// CPUBound is the CPU use of the sequential run, in cores, at or above
// which a workload counts as CPU-bound: busy computing at least half the
// time. The concbench command's recommend classifies with it too.
const CPUBound = 0.5

// Classify names a workload's kind from the cpu-cores its sequential run
// measured: CPU-bound when its one task at a time kept a core busy at
// least half the time, IO-bound when it mostly waited.
func Classify(sequentialCPU Summary, ok bool) string {
	switch {
	case !ok:
		return KindUnknown
	case sequentialCPU.Center >= CPUBound:
		return KindCPU
	}
	return KindIO
}
