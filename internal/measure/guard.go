package measure

import (
	"slices"
	"time"

	"github.com/concbench/concbench/internal/sysinfo"
)

// A Guard watches the machine around every sample and says when one was
// disturbed: its probe, timed just before it, ran slower than the run's
// median probe by more than ProbeSlack, or during it the hypervisor
// stole, or other processes used, more CPU than MaxSteal or MaxOthers.
// A disturbed sample is retaken, at most MaxRetakes times in a row. A
// neighbour's load slows a sample without showing in the sample's own
// CPU time: the probe and the machine-wide counters are what see it.
//
// The zero value is not usable: use NewGuard. A guard costs one probe
// (about 3 ms, single-threaded) and two reads of /proc per sample, and
// 32 MiB for the probe's memory walk.
type Guard struct {
	ProbeSlack float64 // 0.25: a probe 25% slower than the median
	MaxSteal   float64 // cores' worth of steal during the sample: 0.05
	MaxOthers  float64 // cores' worth of other processes' CPU: 0.25
	MaxRetakes int     // retakes of one sample before it is kept as it is: 3
	// MaxShare bounds all retakes to this share of the samples kept so
	// far (0.5), so that load that never lets up costs a run half again
	// its time, not four times: past it, disturbed samples are kept,
	// marked.
	MaxShare float64

	probe  func() sysinfo.ProbeTime
	probes []sysinfo.ProbeTime
	// Retakes counts the samples taken again, Kept the disturbed samples
	// kept because they were still disturbed after MaxRetakes.
	Retakes, Kept int
}

// NewGuard returns a guard with the thresholds above, and its probe.
func NewGuard() *Guard {
	return &Guard{ProbeSlack: 0.25, MaxSteal: 0.05, MaxOthers: 0.25, MaxRetakes: 3, MaxShare: 0.5, probe: sysinfo.NewProbe().Run}
}

// Retake says whether a disturbed sample is taken again: on its
// attempt-th retake (from 0), with kept samples kept so far. It counts
// the answer in Retakes or Kept.
func (g *Guard) Retake(attempt, kept int) bool {
	if attempt < g.MaxRetakes && float64(g.Retakes) < g.MaxShare*float64(kept+minProbes) {
		g.Retakes++
		return true
	}
	g.Kept++
	return false
}

// minProbes is how many probes the guard has timed before it trusts
// their median.
const minProbes = 5

// A Watch is the state of the machine around one sample.
type Watch struct {
	Probe        sysinfo.ProbeTime
	Interference sysinfo.Interference
	before       sysinfo.Load
}

// Before probes the machine before a sample.
func (g *Guard) Before() Watch {
	p := g.probe()
	g.probes = append(g.probes, p)
	return Watch{Probe: p, before: sysinfo.ReadLoad()}
}

// After reads the machine after a sample that used cpu (its process's
// and its children's), and says whether the sample was disturbed, and
// why.
func (g *Guard) After(w *Watch, cpu time.Duration) (disturbed bool, why string) {
	w.Interference = sysinfo.ReadLoad().Since(w.before, cpu)
	switch {
	case len(g.probes) >= minProbes && w.Probe.Total() > time.Duration(float64(g.Calibration().Total())*(1+g.ProbeSlack)):
		return true, "slow probe"
	case w.Interference.Steal > g.MaxSteal:
		return true, "steal"
	case w.Interference.Others > g.MaxOthers:
		return true, "other processes"
	}
	return false, ""
}

// Calibration is the median of the probes so far: the machine's speed
// on this run, which a results file records to tell hosts apart.
func (g *Guard) Calibration() sysinfo.ProbeTime {
	if len(g.probes) == 0 {
		return sysinfo.ProbeTime{}
	}
	return sysinfo.Median(slices.Clone(g.probes))
}
