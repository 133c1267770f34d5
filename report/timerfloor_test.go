package report

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

// withOvershoot adds a timer-overshoot-ns of 1ms to the fixture's sweep
// lines, whose latency is 5ms.
func withOvershoot(t *testing.T) *Analysis {
	t.Helper()
	sweep := regexp.MustCompile(`(?m)^(BenchmarkConcurrency/.*)$`)
	run, err := Read(strings.NewReader(sweep.ReplaceAllString(ioFixture, "$1\t 1000000 timer-overshoot-ns")), "io.txt")
	if err != nil || len(run.Problems) > 0 {
		t.Fatalf("err %v problems %v", err, run.Problems)
	}
	return Analyze(run)
}

// TestTimerFloor: the timer-adjusted floor is the ideal floor with each of
// the ceil(N/C) rounds taking L + overshoot: at 8 workers, 64 tasks of 5ms
// are 8 rounds, and a 1ms overshoot slows each round by 5/6.
func TestTimerFloor(t *testing.T) {
	a := withOvershoot(t)
	c := a.IO[0]
	pt := c.Points[1]
	if pt.X() != 8 || !pt.HasFloor || !pt.HasTimerFloor {
		t.Fatalf("point x=%d floor %v timer floor %v", pt.X(), pt.HasFloor, pt.HasTimerFloor)
	}
	// Per sample: floor = tasks/s × floor-ratio; L = ns/op ÷ floor-ratio ÷ 8.
	adj := func(nsop, tps, fr float64) float64 {
		l := nsop / fr / 8
		return tps * fr * l / (l + 1e6)
	}
	want := (adj(42e6, 1524, 1.05) + adj(43e6, 1488, 1.07)) / 2
	if math.Abs(pt.TimerFloor.Center-want) > 1e-6*want || pt.TimerFloor.Center >= pt.Floor.Center {
		t.Errorf("timer floor %v, want %v, below the floor %v", pt.TimerFloor.Center, want, pt.Floor.Center)
	}
	plain := Analyze(mustReadText(t, ioFixture)).IO[0].Points[1]
	if plain.HasTimerFloor {
		t.Errorf("a run without timer-overshoot-ns has a timer-adjusted floor")
	}
}

// TestIOChartTimerFloor: with overshoots measured the IO chart draws and
// names both floors and says what the second is; without, only the first.
func TestIOChartTimerFloor(t *testing.T) {
	ch := charts(t, withOvershoot(t))["io"]
	if ch == nil {
		t.Fatal("IO chart not drawn")
	}
	texts := drawn(t, ch)
	for _, want := range []string{"latency floor", "timer-adjusted floor"} {
		if !hasText(texts, want) {
			t.Errorf("no text %q among %q", want, texts)
		}
	}
	if !strings.Contains(ch.Caption, "ceil(N/C) × (L + overshoot)") {
		t.Errorf("caption %q does not explain the timer-adjusted floor", ch.Caption)
	}
	plain := charts(t, Analyze(mustReadText(t, ioFixture)))["io"]
	if hasText(drawn(t, plain), "timer-adjusted floor") || strings.Contains(plain.Caption, "overshoot") {
		t.Errorf("a run without timer-overshoot-ns draws a timer-adjusted floor")
	}
}

func mustReadText(t *testing.T, text string) *Run {
	t.Helper()
	run, err := Read(strings.NewReader(text), "io.txt")
	if err != nil {
		t.Fatal(err)
	}
	return run
}
