package measure

import (
	"fmt"
	"testing"
	"time"

	"github.com/concbench/concbench/internal/sysinfo"
)

// machine scripts the counters a guard reads: a /proc/stat whose cpu
// line it advances by each sample's busy time and steal, in clock ticks
// of 10 ms, and our own processes' CPU.
type machine struct {
	at          time.Time
	busy, steal int // ticks
	own         time.Duration
}

func (m *machine) load() sysinfo.Load {
	stat := fmt.Sprintf("cpu  %d 0 0 100000 0 0 0 %d 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\n", m.busy, m.steal)
	return sysinfo.LoadFrom(stat, "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", m.at)
}

// sample advances the machine by one second in which our processes used
// own cores, other processes others, and the hypervisor stole steal.
func (m *machine) sample(own, others, steal float64) {
	m.at = m.at.Add(time.Second)
	m.busy += int(100 * (own + others))
	m.steal += int(100 * steal)
	m.own += time.Duration(own * float64(time.Second))
}

func loadGuard(m *machine) *Guard {
	g := NewGuard()
	g.probe = func() sysinfo.ProbeTime { return sysinfo.ProbeTime{SHA256: time.Millisecond} }
	g.load = m.load
	g.ownCPU = func() time.Duration { return m.own }
	return g
}

func watch(g *Guard, m *machine, key string, own, others, steal float64) (bool, string) {
	w := g.Before(key)
	m.sample(own, others, steal)
	return g.After(&w)
}

// TestGuardStealOfWaitingWork: waiting work on a VM is charged steal for
// its vCPU's wake-ups, 0.1 to 0.5 cores' worth in every sample (as
// measured for http and file on the 2-core EPYC guest, where compute
// samples saw none). That is the kind's normal state: none of its
// samples is retaken, while a jump to several times it is, and so is
// steal in compute samples, whose normal is zero.
func TestGuardStealOfWaitingWork(t *testing.T) {
	m := &machine{at: time.Unix(1e9, 0)}
	g := loadGuard(m)
	io := []float64{0.13, 0.10, 0.31, 0.19, 0.33, 0.13, 0.07, 0.24, 0.10, 0.19, 0.49, 0.44, 0.32, 0.29, 0.26, 0.24, 0.22, 0.51, 0.20, 0.27}
	for i, s := range io {
		if bad, why := watch(g, m, "BenchmarkModels/http", 0.3, 0, s); bad {
			t.Errorf("io sample %d, steal %.2f among its kind's usual 0.1 to 0.5: disturbed (%s)", i, s, why)
		}
	}
	if bad, why := watch(g, m, "BenchmarkModels/http", 0.3, 0, 1.5); !bad || why != "steal" {
		t.Errorf("io sample with 1.5 cores stolen: disturbed %v (%q), want steal", bad, why)
	}
	for i := range 10 {
		if bad, why := watch(g, m, "BenchmarkModels/sha256", 2, 0, 0); bad {
			t.Errorf("compute sample %d without steal: disturbed (%s)", i, why)
		}
	}
	if bad, why := watch(g, m, "BenchmarkModels/sha256", 1.8, 0, 0.2); !bad || why != "steal" {
		t.Errorf("compute sample with 0.2 cores stolen: disturbed %v (%q), want steal", bad, why)
	}
}

// TestGuardOwnProcesses: the CPU of the processes we started (a loopback
// server, worker processes) is ours; a neighbour's is not.
func TestGuardOwnProcesses(t *testing.T) {
	m := &machine{at: time.Unix(1e9, 0)}
	g := loadGuard(m)
	if bad, why := watch(g, m, "k", 1.9, 0, 0); bad {
		t.Errorf("our processes using 1.9 cores, nobody else: disturbed (%s)", why)
	}
	if bad, why := watch(g, m, "k", 1.2, 0.7, 0); !bad || why != "other processes" {
		t.Errorf("a neighbour using 0.7 cores: disturbed %v (%q), want other processes", bad, why)
	}
}
