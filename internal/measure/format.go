package measure

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/benchkey"
)

// Describe names the case's model and knobs for people: "pool (workers=2)".
func Describe(c bench.Resolved) string {
	knobs := c.Knobs().Pairs()
	if len(knobs) == 0 {
		return c.Model
	}
	return c.Model + " (" + strings.Join(knobs, ", ") + ")"
}

// Human formats a metric for a table: three significant digits, or the
// duration for ns/op.
func Human(m *Measurement, unit string) string {
	if !m.Has(unit) {
		return "-"
	}
	v := m.Median(unit)
	switch unit {
	case benchkey.UnitNsPerOp, benchkey.UnitP50, benchkey.UnitP99:
		return RoundDuration(time.Duration(v)).String()
	}
	return Sig3(v)
}

// Sig3 formats v with three significant digits, without exponent.
func Sig3(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	digits := max(0, 2-int(math.Floor(math.Log10(math.Abs(v)))))
	return strconv.FormatFloat(v, 'f', digits, 64)
}

// RoundDuration keeps three significant digits of d.
func RoundDuration(d time.Duration) time.Duration {
	for unit := time.Duration(1); unit < time.Hour; unit *= 10 {
		if d < 1000*unit {
			return d.Round(unit)
		}
	}
	return d.Round(time.Second)
}

// Spread is how far the throughput's samples (or, from 6 samples on, its
// 95% confidence interval) reach from the median, in percent.
func Spread(m *Measurement) string {
	if len(m.Samples) < 2 {
		return "-"
	}
	return fmt.Sprintf("±%.0f%%", 100*RelSpread(m))
}

// RelSpread is Spread as a fraction of the median.
func RelSpread(m *Measurement) float64 {
	s := m.Summary(benchkey.UnitTasksps)
	return max(s.Center-s.Lo, s.Hi-s.Center) / s.Center
}

// Plural writes n and noun, with an s unless n is 1.
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
