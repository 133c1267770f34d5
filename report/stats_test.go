package report

import (
	"math"
	"slices"
	"testing"
)

func TestSummarize(t *testing.T) {
	ten := []float64{101, 99, 100, 102, 98, 100, 101, 99, 100, 103}
	for _, tc := range []struct {
		name     string
		values   []float64
		center   float64
		ci       bool
		lo, hi   float64 // checked when !ci: the sample range
		noisy    bool
		outliers []float64
	}{
		{"one sample", []float64{5}, 5, false, 5, 5, false, nil},
		{"three samples: range, no CI", []float64{12, 10, 11}, 11, false, 10, 12, true, nil},
		{"ten quiet samples: CI", ten, 100, true, 0, 0, false, nil},
		{"an outlier", append(slices.Clone(ten[:9]), 130), 100, true, 0, 0, true, []float64{130}},
		{"equal samples", []float64{7, 7, 7, 7, 7, 7}, 7, true, 0, 0, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Summarize(tc.values)
			if s.N != len(tc.values) || s.Center != tc.center || s.CI != tc.ci {
				t.Fatalf("got %+v, want n=%d center %v ci %v", s, len(tc.values), tc.center, tc.ci)
			}
			if !tc.ci && (s.Lo != tc.lo || s.Hi != tc.hi) {
				t.Errorf("range [%v, %v], want [%v, %v]", s.Lo, s.Hi, tc.lo, tc.hi)
			}
			if tc.ci && !(s.Lo <= s.Center && s.Center <= s.Hi && s.Lo < s.Hi || s.Lo == s.Hi && s.Lo == s.Center) {
				t.Errorf("CI [%v, %v] does not hold the median %v", s.Lo, s.Hi, s.Center)
			}
			if s.Noisy() != tc.noisy || !slices.Equal(s.Outliers, tc.outliers) {
				t.Errorf("noisy %v (cv %.3f) outliers %v, want %v %v", s.Noisy(), s.CV, s.Outliers, tc.noisy, tc.outliers)
			}
		})
	}
	// Summarize must not reorder its caller's slice.
	v := []float64{3, 1, 2}
	Summarize(v)
	if !slices.Equal(v, []float64{3, 1, 2}) {
		t.Errorf("Summarize sorted its input: %v", v)
	}
}

func TestSummaryMapSwapsBounds(t *testing.T) {
	s := Summarize([]float64{1e6, 2e6, 4e6}).Map(func(ns float64) float64 { return 1e9 / ns })
	if s.Center != 500 || s.Lo != 250 || s.Hi != 1000 {
		t.Errorf("mapped %+v, want 500 in [250, 1000]", s)
	}
}

func TestDivide(t *testing.T) {
	a := Summary{Center: 200, Lo: 190, Hi: 210, CI: true}
	b := Summary{Center: 100, Lo: 95, Hi: 105, CI: true}
	r := Divide(a, b)
	if r.Center != 2 || math.Abs(r.Lo-190.0/105) > 1e-12 || math.Abs(r.Hi-210.0/95) > 1e-12 || !r.CI {
		t.Errorf("Divide = %+v", r)
	}
	b.CI = false
	if Divide(a, b).CI {
		t.Error("a ratio with one range is not a confidence interval")
	}
}

func TestParallelismEfficiency(t *testing.T) {
	for _, tc := range []struct {
		cores, workers, procs int
		speedup               float64
		p                     int
		eff                   float64
	}{
		{cores: 2, workers: 2, speedup: 2, p: 2, eff: 1},
		{cores: 2, workers: 8, speedup: 1.5, p: 2, eff: 0.75},
		{cores: 16, workers: 4, procs: 2, speedup: 1, p: 2, eff: 0.5},
		{cores: 8, workers: 1, speedup: 0.9, p: 1, eff: 0.9},
		{cores: 4, workers: 0, procs: 0, speedup: 2, p: 4, eff: 0.5},
	} {
		p := Parallelism(tc.cores, tc.workers, tc.procs)
		if p != tc.p || math.Abs(Efficiency(tc.speedup, p)-tc.eff) > 1e-12 {
			t.Errorf("%+v: p=%d efficiency=%v", tc, p, Efficiency(tc.speedup, p))
		}
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		cpu  float64
		ok   bool
		want string
	}{
		{1.0, true, KindCPU}, {0.5, true, KindCPU}, {0.49, true, KindIO}, {0.02, true, KindIO}, {1, false, KindUnknown},
	} {
		if got := Classify(Summary{Center: tc.cpu}, tc.ok); got != tc.want {
			t.Errorf("Classify(%v, %v) = %s, want %s", tc.cpu, tc.ok, got, tc.want)
		}
	}
}

// TestRatioShort: one format for every speedup, its digits no finer
// than its interval.
func TestRatioShort(t *testing.T) {
	for _, tc := range []struct {
		r           Ratio
		short, long string
	}{
		{Ratio{Center: 1.7912, Lo: 1.70, Hi: 1.88, CI: true}, "1.79×", "1.79× [1.70, 1.88]"},
		{Ratio{Center: 1.79, Lo: 1.5, Hi: 2.1, CI: true}, "1.8×", "1.8× [1.5, 2.1]"},
		{Ratio{Center: 100.92, Lo: 89, Hi: 113, CI: true}, "101×", "101× [89, 113]"},
		{Ratio{Center: 12.44, Lo: 12.40, Hi: 12.47, CI: true}, "12.4×", "12.4× [12.4, 12.5]"},
		{Ratio{Center: 2, Lo: 2, Hi: 2, CI: true}, "2.00×", "2.00× [2.00, 2.00]"},
		{Ratio{Center: 1.93, Lo: 1.5, Hi: 2.5, N: 3}, "1.93×", "1.93× (3 pairs, no CI)"},
		{Ratio{Center: 0.0031}, "0.0031×", "0.0031×"},
		{Ratio{Center: 0.048}, "0.048×", "0.048×"},
		{Ratio{Center: math.NaN()}, "–", "–"},
	} {
		if got := tc.r.Short(); got != tc.short {
			t.Errorf("%+v: Short %q, want %q", tc.r, got, tc.short)
		}
		if got := tc.r.String(); got != tc.long {
			t.Errorf("%+v: String %q, want %q", tc.r, got, tc.long)
		}
	}
}
