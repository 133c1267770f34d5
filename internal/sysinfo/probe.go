package sysinfo

import (
	"crypto/sha256"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// A Probe is a fixed piece of single-threaded work, timed before every
// sample: its time says how fast this machine is at that moment. The
// median over a run is the machine's calibration; a probe much slower
// than that median means a neighbour took the core, and the sample next
// to it is retaken. The zero value is not usable: use NewProbe. A probe
// holds 32 MiB for its memory walk and takes about 3 ms to run (1.5 ms of
// hashing, 1.5 ms of walking) on a 2.4 GHz EPYC core.
type Probe struct {
	buf   []byte   // hashed: 256 KiB, from L2
	chain []uint32 // a random cycle through 32 MiB: each step misses the caches
	steps int
	// at is where the walk goes on from: each run walks words the runs
	// before it left cold, for a thousand runs before the cycle repeats.
	at uint32
	mu sync.Mutex
}

// A ProbeTime is one run of a Probe.
type ProbeTime struct {
	SHA256 time.Duration // hashing, bound by the core's arithmetic
	Memory time.Duration // a dependent walk, bound by memory latency
}

// Total is the whole probe's time.
func (p ProbeTime) Total() time.Duration { return p.SHA256 + p.Memory }

var (
	probeOnce sync.Once
	probe     *Probe
)

// NewProbe returns the process's probe, built on first use (about 100 ms
// to lay out its memory walk).
func NewProbe() *Probe {
	probeOnce.Do(func() {
		const words = 32 << 20 / 4
		p := &Probe{buf: make([]byte, 256<<10), chain: make([]uint32, words), steps: 1 << 13}
		rng := rand.New(rand.NewPCG(1, 2)) // the same walk on every machine
		for i := range p.buf {
			p.buf[i] = byte(rng.Uint32())
		}
		// Sattolo's shuffle: one cycle through every word.
		perm := make([]uint32, words)
		for i := range perm {
			perm[i] = uint32(i)
		}
		for i := words - 1; i > 0; i-- {
			j := rng.IntN(i)
			perm[i], perm[j] = perm[j], perm[i]
		}
		for i := range perm {
			p.chain[perm[i]] = perm[(i+1)%words]
		}
		probe = p
	})
	return probe
}

// probeSink keeps the probe's results alive, so that the compiler
// cannot drop the work.
var probeSink uint64

// Run times the probe once, on the calling goroutine. Calls are
// serialised: two probes at once would slow each other.
func (p *Probe) Run() ProbeTime {
	p.mu.Lock()
	defer p.mu.Unlock()
	var t ProbeTime
	start := time.Now()
	var sum [32]byte
	for range 8 {
		sum = sha256.Sum256(p.buf)
		p.buf[0] ^= sum[0]
	}
	t.SHA256 = time.Since(start)
	start = time.Now()
	i := p.at
	for range p.steps {
		i = p.chain[i]
	}
	t.Memory = time.Since(start)
	p.at = i
	probeSink += uint64(sum[2])
	return t
}

// Median returns the median of each part of times, which must not be
// empty.
func Median(times []ProbeTime) ProbeTime {
	med := func(part func(ProbeTime) time.Duration) time.Duration {
		d := make([]time.Duration, len(times))
		for i, t := range times {
			d[i] = part(t)
		}
		slices.Sort(d)
		return d[len(d)/2]
	}
	return ProbeTime{
		SHA256: med(func(t ProbeTime) time.Duration { return t.SHA256 }),
		Memory: med(func(t ProbeTime) time.Duration { return t.Memory }),
	}
}

// Calibrate runs the probe n times (at least once) and returns the
// fastest time of each part: the machine's speed, which a results file
// records so that runs on hosts that differ are told apart. The fastest,
// not the median, because load from elsewhere only ever adds time: on a
// machine that is busy now the median measures the load, the fastest
// still the host. Eleven runs take about 35 ms.
func Calibrate(n int) ProbeTime {
	p := NewProbe()
	best := p.Run()
	for range max(1, n) - 1 {
		t := p.Run()
		best.SHA256, best.Memory = min(best.SHA256, t.SHA256), min(best.Memory, t.Memory)
	}
	return best
}
