package sysinfo

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// A Load is one reading of the whole machine's CPU accounting: what a
// sample's own CPU time cannot show, such as a neighbour's process or a
// hypervisor that gave the core to another guest. The zero value is a
// reading with nothing known (OK false). A reading costs two small file
// reads, about 20 µs.
type Load struct {
	At time.Time
	// Busy is the CPU time all processes used since boot, over every
	// CPU, interrupts left out; Steal the time the hypervisor ran something else while this
	// guest had work.
	Busy, Steal time.Duration
	// Pressure is the share of the last 10 s in which some runnable task
	// waited for a CPU (/proc/pressure/cpu "some avg10", 0 to 100), or
	// -1 where the kernel does not report it.
	Pressure float64
	OK       bool // /proc/stat was read
}

// clockTick is USER_HZ, the unit of /proc/stat: 100 on every Linux
// architecture Go supports.
const clockTick = 10 * time.Millisecond

// ReadLoad reads the machine's load now.
func ReadLoad() Load {
	var stat, pressure string
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		stat = string(b)
	}
	if b, err := os.ReadFile("/proc/pressure/cpu"); err == nil {
		pressure = string(b)
	}
	return LoadFrom(stat, pressure, time.Now())
}

// LoadFrom is the Load that the texts of /proc/stat and
// /proc/pressure/cpu give at the time at; an empty or unreadable stat
// gives OK false, an empty pressure -1.
func LoadFrom(stat, pressure string, at time.Time) Load {
	l := Load{At: at, Pressure: -1}
	line, _, _ := strings.Cut(stat, "\n")
	l.Busy, l.Steal, l.OK = parseStat(line)
	if pressure != "" {
		l.Pressure = parsePressure(pressure)
	}
	return l
}

// parseStat reads the "cpu" line of /proc/stat: user nice system idle
// iowait irq softirq steal guest guest_nice, in clock ticks. Guest time
// is already inside user and nice. Busy leaves out interrupt time: the
// kernel's softirqs carry our own loopback traffic, which no process's
// rusage counts, so counting them would blame our IO on a neighbour.
func parseStat(line string) (busy, steal time.Duration, ok bool) {
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, 0, false
	}
	tick := func(i int) time.Duration {
		n, err := strconv.ParseUint(f[i], 10, 64)
		if err != nil {
			ok = false
		}
		return time.Duration(n) * clockTick
	}
	ok = true
	busy = tick(1) + tick(2) + tick(3)
	steal = tick(8)
	return busy, steal, ok
}

func parsePressure(text string) float64 {
	for _, line := range strings.Split(text, "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 || fields[0] != "some" {
			continue
		}
		for _, kv := range fields[1:] {
			if v, ok := strings.CutPrefix(kv, "avg10="); ok {
				if p, err := strconv.ParseFloat(v, 64); err == nil {
					return p
				}
			}
		}
	}
	return -1
}

// Interference is what disturbed an interval, in cores' worth: 0.5 is
// half a core taken for the whole interval.
type Interference struct {
	Steal  float64 // time the hypervisor gave away
	Others float64 // CPU used by processes other than ours
	// Pressure is the later reading's Pressure.
	Pressure float64
}

// Since returns the interference between prev and l, given own, the CPU
// time our process and its children used in between (a batch's CPU). It
// is zero when either reading failed or no time passed.
func (l Load) Since(prev Load, own time.Duration) Interference {
	wall := l.At.Sub(prev.At)
	if !l.OK || !prev.OK || wall <= 0 {
		return Interference{Pressure: l.Pressure}
	}
	cores := func(d time.Duration) float64 { return max(0, d.Seconds()/wall.Seconds()) }
	return Interference{
		Steal:    cores(l.Steal - prev.Steal),
		Others:   cores(l.Busy - prev.Busy - own),
		Pressure: l.Pressure,
	}
}
