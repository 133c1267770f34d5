package bench

import (
	"runtime"
	"runtime/metrics"
	"time"
)

// peakHeapMetric is the heap held by objects, live or not yet swept.
const peakHeapMetric = "/memory/classes/heap/objects:bytes"

// A peaks samples the process's goroutines and heap every millisecond
// until stop, keeping the largest of each. A sample costs about a
// microsecond (a goroutine count and one runtime/metrics read), and the
// sampler is one goroutine more than the work has. Peaks between two
// samples go unseen.
type peaks struct {
	done chan struct{}
	out  chan [2]uint64
}

func startPeaks() *peaks {
	p := &peaks{done: make(chan struct{}), out: make(chan [2]uint64, 1)}
	go func() {
		s := []metrics.Sample{{Name: peakHeapMetric}}
		var gs, heap uint64
		sample := func() {
			gs = max(gs, uint64(runtime.NumGoroutine()))
			metrics.Read(s)
			if s[0].Value.Kind() == metrics.KindUint64 {
				heap = max(heap, s[0].Value.Uint64())
			}
		}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			sample()
			select {
			case <-t.C:
			case <-p.done:
				sample()
				p.out <- [2]uint64{gs, heap}
				return
			}
		}
	}()
	return p
}

// stop ends the sampling and returns the peak goroutines and heap bytes.
func (p *peaks) stop() (int, uint64) {
	close(p.done)
	v := <-p.out
	return int(v[0]), v[1]
}
