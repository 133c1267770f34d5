package workloads

import (
	"context"
	"testing"
	"time"
)

// maxPlausibleRate is faster than any core reads memory: 200 GB/s. A task
// that claims to process its input faster than this did not read it.
const maxPlausibleRate = 200e9 // bytes per second

// TestWorkNotFolded times real-sized CPU tasks and fails if any finishes
// faster than reading its input could take: the guard against a task whose
// work a compiler or a cache folded away. It bounds the time from below only,
// so a slow or busy machine cannot make it fail.
func TestWorkNotFolded(t *testing.T) {
	for _, e := range All {
		w := e.New()
		if w.Kind() != CPU {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			p, err := w.Prepare(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if p.Close != nil {
				defer p.Close()
			}
			p.Task(context.Background(), 0) // warm: encoders, caches
			for i := range 3 {
				start := time.Now()
				r, err := p.Task(context.Background(), i)
				took := time.Since(start)
				if err != nil {
					t.Fatal(err)
				}
				floor := time.Duration(float64(r.Bytes) / maxPlausibleRate * 1e9)
				if took < floor {
					t.Errorf("task %d processed %d bytes in %v, under the %v that reading them takes at 200 GB/s", i, r.Bytes, took, floor)
				}
			}
		})
	}
}
