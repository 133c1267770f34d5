package measure

import (
	"slices"
	"time"

	"github.com/concbench/concbench/internal/sysinfo"
	"github.com/concbench/concbench/models"
)

// A Guard watches the machine around every sample and says when one was
// disturbed: its probe, timed just before it, ran slower than the run's
// median probe by more than ProbeSlack, or during it the hypervisor
// stole, or other processes used, more CPU than the sample's kind
// usually sees (see After). A disturbed sample is retaken, at most
// MaxRetakes times in a row. A neighbour's load slows a sample without
// showing in the sample's own CPU time: the probe and the machine-wide
// counters are what see it.
//
// Two readings are the machine's normal state, not a disturbance, and
// the guard allows for them. A probe right after a sample that mostly
// waited runs slow (a woken vCPU, caches the sample's allocations
// evicted): a slow probe is timed again at once, and the faster kept,
// since a neighbour slows both. And a virtual machine's vCPU that idles
// and wakes hundreds of times a second, as under waiting work, is
// charged steal for every wake-up: steal is judged against the samples
// of the same kind (the key given to Before), not against zero. Our own
// processes, the live worker processes and servers this process
// started, count as ours, not as other processes.
//
// The zero value is not usable: use NewGuard. A guard costs one probe
// (about 3 ms, single-threaded; two when the first is slow), reads of
// /proc (the machine's counters and this process's descendants) per
// sample, and 32 MiB for the probe's memory walk.
type Guard struct {
	ProbeSlack float64 // 0.25: a probe 25% slower than the median
	// MaxSteal is steal, in cores' worth during the sample, beyond three times
	// the usual steal of the sample's kind: 0.05. The usual steal is the
	// median of that kind's readings so far: zero for compute, which
	// leaves 0.05; 0.1 to 0.3 for waiting work on a VM, whose wake-ups
	// the hypervisor charges, and whose steal varies that much from
	// sample to sample.
	MaxSteal   float64
	MaxOthers  float64 // cores' worth of other processes' CPU: 0.25
	MaxRetakes int     // retakes of one sample before it is kept as it is: 3
	// MaxShare bounds all retakes to this share of the samples kept so
	// far (0.5), so that load that never lets up costs a run half again
	// its time, not four times: past it, disturbed samples are kept,
	// marked.
	MaxShare float64

	probe  func() sysinfo.ProbeTime
	load   func() sysinfo.Load  // the machine's counters
	ownCPU func() time.Duration // our process's CPU, its waited-for children's and its live descendants'
	probes []sysinfo.ProbeTime
	steal  map[string][]float64 // steal readings by kind of sample
	// Retakes counts the samples taken again, Kept the disturbed samples
	// kept because they were still disturbed after MaxRetakes, Reprobes
	// the probes timed again because the first ran slow.
	Retakes, Kept, Reprobes int
}

// NewGuard returns a guard with the thresholds above, and its probe.
func NewGuard() *Guard {
	return &Guard{ProbeSlack: 0.25, MaxSteal: 0.05, MaxOthers: 0.25, MaxRetakes: 3, MaxShare: 0.5,
		probe: sysinfo.NewProbe().Run, load: sysinfo.ReadLoad, ownCPU: ownCPU, steal: map[string][]float64{}}
}

// ownCPU is the CPU time of this process and every process it started.
func ownCPU() time.Duration { return models.CPUTime() + sysinfo.DescendantsCPU() }

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
	key          string
	before       sysinfo.Load
	cpu          time.Duration
}

// Before probes the machine before a sample of the kind key (the
// samples compared with one another, such as one group and workload),
// and reads its counters.
func (g *Guard) Before(key string) Watch {
	p := g.probe()
	if g.slow(p) {
		// A transient slows one probe, a neighbour both.
		g.Reprobes++
		q := g.probe()
		p = sysinfo.ProbeTime{SHA256: min(p.SHA256, q.SHA256), Memory: min(p.Memory, q.Memory)}
	}
	g.probes = append(g.probes, p)
	return Watch{Probe: p, key: key, before: g.load(), cpu: g.ownCPU()}
}

// slow reports whether p is slower than the run's median probe by more
// than ProbeSlack, once the median is known.
func (g *Guard) slow(p sysinfo.ProbeTime) bool {
	return len(g.probes) >= minProbes && p.Total() > time.Duration(float64(g.Calibration().Total())*(1+g.ProbeSlack))
}

// After reads the machine after the sample that w watched, and says
// whether it was disturbed, and why.
func (g *Guard) After(w *Watch) (disturbed bool, why string) {
	w.Interference = g.load().Since(w.before, g.ownCPU()-w.cpu)
	steal := w.Interference.Steal
	g.steal[w.key] = append(g.steal[w.key], steal)
	switch {
	case g.slow(w.Probe):
		return true, "slow probe"
	case steal > g.stealLimit(w.key):
		return true, "steal"
	case w.Interference.Others > g.MaxOthers:
		return true, "other processes"
	}
	return false, ""
}

// stealLimit is the steal above which a sample of kind key is disturbed:
// three times the kind's median steal so far (this reading included), plus
// MaxSteal.
func (g *Guard) stealLimit(key string) float64 {
	return 3*median(slices.Clone(g.steal[key])) + g.MaxSteal
}

// median returns the median of xs, which it sorts; 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// Calibration is the median of the probes so far: the machine's speed
// on this run, which a results file records to tell hosts apart.
func (g *Guard) Calibration() sysinfo.ProbeTime {
	if len(g.probes) == 0 {
		return sysinfo.ProbeTime{}
	}
	return sysinfo.Median(slices.Clone(g.probes))
}
