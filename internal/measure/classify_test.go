package measure

import (
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/report"
)

// delayed sets each sample of m to have waited for a CPU for share of
// its wall time.
func delayed(m *Measurement, share float64) *Measurement {
	for i := range m.Samples {
		s := &m.Samples[i]
		s.RunDelay, s.Delayed = time.Duration(share*float64(s.Wall)), true
	}
	return m
}

// TestClassifyUnderLoad: a computing sequential run that a neighbour
// keeps off the CPU half the time keeps 0.45 cores busy, below the
// CPU-bound line, but asks for 0.98: it is CPU-bound. Waiting work asks
// for little, loaded or not. Without the kernel's run delay the kind
// falls back on the cores kept busy.
func TestClassifyUnderLoad(t *testing.T) {
	for _, tc := range []struct {
		name       string
		cpu, delay float64
		reported   bool
		want       string
	}{
		{"computing, idle machine", 0.99, 0.005, true, report.KindCPU},
		{"computing, loaded machine", 0.45, 0.53, true, report.KindCPU},
		{"waiting, idle machine", 0.04, 0.001, true, report.KindIO},
		{"waiting, loaded machine", 0.03, 0.12, true, report.KindIO},
		{"computing, loaded, no schedstat", 0.45, 0, false, report.KindIO},
		{"computing, idle, no schedstat", 0.99, 0, false, report.KindCPU},
	} {
		seq := paired("sequential", 0, tc.cpu, 100)
		if tc.reported {
			delayed(seq, tc.delay)
		}
		ms := []*Measurement{seq, paired("pool", 2, 2*tc.cpu, 190)}
		r := Recommend(ms)
		if r.Kind != tc.want {
			t.Errorf("%s: kind %s (demand %.2f), want %s", tc.name, r.Kind, r.SequentialDemand, tc.want)
		}
		if kind, _, _ := classify(seq); kind != r.Kind {
			t.Errorf("%s: the contest classifies %s, the advice %s", tc.name, kind, r.Kind)
		}
		waited := strings.Contains(r.Why[0], "waiting for a CPU")
		if want := tc.reported && tc.delay >= waitedNote; waited != want {
			t.Errorf("%s: the first reason %q; want it to say it waited for a CPU: %v", tc.name, r.Why[0], want)
		}
	}
}
