package bench

import (
	"slices"
	"sync"
	"time"
)

// timerProbes is how many waits TimerOvershoot takes the median of.
const timerProbes = 11

// overshoots caches TimerOvershoot per wait: a process measures each
// latency once (11 waits of 10ms: 0.11s).
var overshoots sync.Map // time.Duration -> time.Duration

// TimerOvershoot returns how late the runtime's timers fire for a wait of
// d, the median over timerProbes waits one after another (one in flight,
// C=1) of the measured wait minus d, as the IO servers wait (a timer and
// a select). It is measured once per d and process, outside any timing,
// in the measuring process: the server process runs the same runtime on
// the same kernel.
//
// A batch cannot beat its ideal floor ceil(N/C) × L, and in practice not
// ceil(N/C) × (L + overshoot) either: on Linux the runtime waits for its
// timers in epoll_wait, whose timeout counts whole milliseconds, so a
// wait is rounded up and a 10ms wait often ends up to 1ms late. See
// golang/go#53824 (use epoll_pwait2, with nanosecond timeouts, where the
// kernel has it) and golang/go#44343 (netpoll's 1ms resolution behind
// late sleeps).
func TimerOvershoot(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	if o, ok := overshoots.Load(d); ok {
		return o.(time.Duration)
	}
	late := make([]time.Duration, timerProbes)
	for i := range late {
		t0 := time.Now()
		t := time.NewTimer(d)
		select {
		case <-t.C:
		}
		late[i] = time.Since(t0) - d
	}
	slices.Sort(late)
	o := max(0, late[len(late)/2])
	overshoots.Store(d, o)
	return o
}
