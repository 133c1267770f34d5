// Package measure measures workloads and works under models in rounds, and
// turns the measurements into a verdict: which model to use, and why. The
// concbench command and the concbench package's Recommend share it, so a
// work of the user's own gets the same rules and words as a built-in
// workload.
package measure

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"slices"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/internal/sysinfo"
	"github.com/concbench/concbench/report"
	"github.com/concbench/concbench/workloads"
)

// A Plan says how long to measure each combination: Count samples, each
// of whole batches run back to back until MinTime has passed, at least
// one. The zero value takes one sample of one batch, in the order given,
// unguarded.
type Plan struct {
	Count   int
	MinTime time.Duration
	// Seed, when not 0, shuffles the order of the combinations in each
	// round (round r uses Seed+r), so that no model always runs first or
	// last; 0 keeps the order given.
	Seed uint64
	// Guard, when set, probes the machine around every sample and
	// retakes the disturbed ones.
	Guard *Guard
	// Done, when set, is asked after each round from the Count-th on
	// whether the measurements suffice; rounds go on until it says yes or
	// MaxCount rounds are taken. Nil stops at Count.
	Done     func(ms []*Measurement) bool
	MaxCount int
	// Budget, when not 0, also stops the rounds after Count once this
	// much time has passed since the first.
	Budget time.Duration
}

// order returns the order of n combinations in round r.
func (p Plan) order(n, r int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if p.Seed != 0 {
		rng := rand.New(rand.NewPCG(p.Seed+uint64(r), 0x636f6e63))
		rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	return order
}

// A Measurement is one combination measured: its samples, as many as were
// finished when it stopped. The zero value has no samples; its methods
// that summarise need at least one. Each summary sorts a copy of the
// samples: microseconds for the counts a command takes.
type Measurement struct {
	Case       bench.Resolved
	Kind       workloads.Kind
	Params     []string // every workload parameter, key=value, as it ran
	GOMAXPROCS int
	Floor      time.Duration // least batch time that the tasks' latency allows; zero for CPU work
	Samples    []Sample
	// Retakes counts the samples the Guard took again.
	Retakes int
}

// A Sample is batches run back to back, summed. The zero value is no
// batch at all, which All never records.
type Sample struct {
	bench.Tally // Latencies sorted
	// Watch is the machine around the sample, and Disturbed why the
	// Guard still found it disturbed after its last retake; both are
	// empty without a Guard.
	Watch     Watch
	Disturbed string
	// RunDelay is the time this process's threads spent runnable but
	// waiting for a CPU during the sample (sysinfo.RunDelay); Delayed is
	// false where the kernel does not report it.
	RunDelay time.Duration
	Delayed  bool
}

// A Combination is one Case to measure, under a GOMAXPROCS of its own
// (0: as the process has it). Work, when not nil, is the task the Case
// measures, in place of a built-in workload of that name. The zero value
// names no workload, and All fails to set it up.
type Combination struct {
	Case       bench.Case
	GOMAXPROCS int
	Work       *bench.Work
}

// Progress hears of a measurement as it goes: Start when a set-up
// (setup true) or a sample begins, Step when it has ended. The calls come
// from the goroutine that measures.
type Progress interface {
	Start(m *Measurement, setup bool)
	Step(m *Measurement)
}

// quiet is the Progress that tells no one.
type quiet struct{}

func (quiet) Start(*Measurement, bool) {}
func (quiet) Step(*Measurement)        {}

// All measures the combinations in rounds: first it sets each up
// (the sequential reference run, the model's start-up, an untimed warm-up
// batch), then it takes one sample of each in turn, p.Count times (or as
// p.Done says), so that a burst of load from elsewhere on the machine
// spreads over all of them instead of landing on one, and sample i of
// each is paired with sample i of the others. With p.Seed each round
// runs in its own order; with p.Guard a disturbed sample is taken again. Set-up and warm-up stay out of the numbers,
// as in the benchmarks. It tells mt of each set-up as it starts, and of
// each set-up and sample as it ends; a nil mt tells no one.
//
// Every model and workload is closed before it returns, on every path, so
// that worker goroutines, processes and servers end with the measurement.
// On an error, and on cancellation, it returns what it measured so far
// with the error; a sample cut short keeps its whole batches.
func All(ctx context.Context, combos []Combination, p Plan, mt Progress) (ms []*Measurement, err error) {
	if mt == nil {
		mt = quiet{}
	}
	runners := make([]*bench.Runner, 0, len(combos))
	defer func() {
		for _, r := range runners {
			err = errors.Join(err, r.Close())
		}
	}()
	for _, c := range combos {
		// For a Work, Resolve finds no workload of its name, but the
		// model's entry, which is what describing the case needs.
		rc, rerr := c.Case.Resolve()
		m := &Measurement{Case: rc}
		ms = append(ms, m)
		mt.Start(m, true)
		var r *bench.Runner
		err := under(c.GOMAXPROCS, func() error {
			m.GOMAXPROCS = runtime.GOMAXPROCS(0)
			var err error
			switch {
			case c.Work != nil:
				r, err = bench.SetupWork(ctx, c.Case, *c.Work)
			case rerr != nil:
				err = rerr
			default:
				r, err = rc.Setup(ctx)
			}
			if err != nil {
				return err
			}
			runners = append(runners, r)
			return r.WarmUp(ctx)
		})
		if err != nil {
			return ms, err
		}
		m.Kind, m.Params, m.Floor = r.Kind, r.Params(), r.Floor
		mt.Step(m)
	}
	start, kept := time.Now(), 0
	for round := 0; ; round++ {
		for _, i := range p.order(len(runners), round) {
			m := ms[i]
			mt.Start(m, false)
			for attempt := 0; ; attempt++ {
				s, err := sample(ctx, runners[i], combos[i], p)
				if s.Batches > 0 && err == nil && p.Guard != nil {
					if disturbed, why := p.Guard.After(&s.Watch); disturbed {
						if p.Guard.Retake(attempt, kept) {
							m.Retakes++
							continue
						}
						s.Disturbed = why
					}
				}
				if s.Batches > 0 {
					m.add(s)
					kept++
				}
				if err != nil {
					return ms, err
				}
				break
			}
			mt.Step(m)
		}
		taken := round + 1
		spent := p.Budget > 0 && time.Since(start) >= p.Budget
		if taken >= max(1, p.Count) && (p.Done == nil || taken >= p.MaxCount || spent || p.Done(ms)) {
			return ms, nil
		}
	}
}

// sample takes one sample of r: whole batches until p.MinTime has
// passed, under c's GOMAXPROCS, probed first when p has a Guard, with
// what the runtime did meanwhile (bench.Probe). The
// samples of one workload are of a kind, which the guard compares.
func sample(ctx context.Context, r *bench.Runner, c Combination, p Plan) (Sample, error) {
	var s Sample
	if p.Guard != nil {
		s.Watch = p.Guard.Before(c.Case.Workload)
	}
	d0, ok0 := sysinfo.RunDelay()
	err := under(c.GOMAXPROCS, func() error {
		// Allocations are counted as testing counts them for B/op and
		// allocs/op: runtime.MemStats before and after the batches.
		probe := r.Probe(true)
		defer probe.End(&s.Tally)
		for s.Batches == 0 || s.Wall < p.MinTime {
			b, err := r.Run(ctx)
			if err != nil {
				return err
			}
			s.Add(b)
		}
		return nil
	})
	if d1, ok1 := sysinfo.RunDelay(); ok0 && ok1 {
		s.RunDelay, s.Delayed = max(0, d1-d0), true
	}
	return s, err
}

// under calls f with GOMAXPROCS set to n, and restores it; n = 0 leaves it
// as it is.
func under(n int, f func() error) error {
	if n > 0 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(n))
	}
	return f()
}

func (m *Measurement) add(s Sample) {
	slices.Sort(s.Latencies)
	m.Samples = append(m.Samples, s)
}

// Units lists the units m has, in the order the benchmarks write them
// (bench.Tally.Units).
func (m *Measurement) Units() []string {
	var first bench.Tally
	if len(m.Samples) > 0 {
		first = m.Samples[0].Tally
	}
	return first.Units(m.Floor)
}

// Value returns one sample's value in unit, as the benchmarks compute it
// (bench.Tally.Value).
func (m *Measurement) Value(s Sample, unit string) float64 {
	return s.Tally.Value(unit, m.Case.Tasks, m.Floor)
}

// Values returns m's samples in unit.
func (m *Measurement) Values(unit string) []float64 {
	vs := make([]float64, len(m.Samples))
	for i, s := range m.Samples {
		vs[i] = m.Value(s, unit)
	}
	return vs
}

// Summary returns the median of m's samples in unit, with their spread.
func (m *Measurement) Summary(unit string) report.Summary {
	return report.Summarize(m.Values(unit))
}

// Demand returns the median, over m's samples, of the cores its work
// asked for: CPU time plus the time its threads waited for a CPU, over
// wall time. Unlike cpu-cores, load from elsewhere does not lower it: a
// task that computes and is kept off the CPU by a neighbour waits
// runnable, and the wait counts. ok is false where a sample lacks the
// run delay (a kernel without schedstat).
func (m *Measurement) Demand() (s report.Summary, ok bool) {
	vs := make([]float64, len(m.Samples))
	for i, x := range m.Samples {
		if !x.Delayed || x.Wall <= 0 {
			return report.Summary{}, false
		}
		vs[i] = (x.CPU + x.RunDelay).Seconds() / x.Wall.Seconds()
	}
	return report.Summarize(vs), len(vs) > 0
}

// Median returns the median of m's samples in unit.
func (m *Measurement) Median(unit string) float64 { return m.Summary(unit).Center }

// Has reports whether m has values in unit.
func (m *Measurement) Has(unit string) bool {
	return len(m.Samples) > 0 && slices.Contains(m.Units(), unit)
}

// Batches returns the number of batches over all samples.
func (m *Measurement) Batches() int {
	n := 0
	for _, s := range m.Samples {
		n += s.Batches
	}
	return n
}

// Speedup returns m's throughput over base's, in tasks per second, as
// the verdict reads it: the median of the paired ratios, sample i of m
// over sample i of base (taken in the same round), with its 95%
// confidence interval (report.PairedRatio). Both ran the same tasks, as
// their digests prove, so this is also the ratio of bytes per second.
func (m *Measurement) Speedup(base *Measurement) report.Ratio {
	return report.PairedRatio(m.Values(benchkey.UnitTasksps), base.Values(benchkey.UnitTasksps))
}

// MedianRatio returns the ratio of m's and base's median throughputs:
// what a speedup was before samples were paired, which the json keeps.
func (m *Measurement) MedianRatio(base *Measurement) float64 {
	return m.Median(benchkey.UnitTasksps) / base.Median(benchkey.UnitTasksps)
}
