package bench

import (
	"fmt"
	"sync"
	"testing"

	"github.com/concbench/concbench/internal/sharedstate"
)

// sharedKeys is the number of keys the map benchmarks update: update j
// adds one to key j%sharedKeys.
const sharedKeys = 1024

// BenchmarkSharedState measures the tutorial's Lock lesson: Workers
// goroutines share b.N updates of one counter or map, kept exact by a
// mutex, atomics, an owning goroutine or shards. One op is one update.
// After the timed part, the final counts must be exact or the benchmark
// fails.
func BenchmarkSharedState(b *testing.B) {
	for _, c := range SharedStateCases() {
		b.Run(c.Name(), func(b *testing.B) { benchShared(b, c) })
	}
}

func benchShared(b *testing.B, c SharedStateCase) {
	s, err := sharedstate.Lookup(c.Sync)
	if err != nil {
		b.Fatal(err)
	}
	var (
		counter sharedstate.Counter
		m       sharedstate.Map
	)
	switch c.Structure {
	case "counter":
		counter = s.NewCounter()
		defer counter.Close()
	case "map":
		m = s.NewMap()
		defer m.Close()
	default:
		b.Fatalf("structure %q: want counter or map", c.Structure)
	}

	n := b.N
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := range c.Workers {
		lo, hi := w*n/c.Workers, (w+1)*n/c.Workers
		wg.Go(func() {
			if counter != nil {
				for range hi - lo {
					counter.Add(w, 1)
				}
				return
			}
			for j := lo; j < hi; j++ {
				m.Add(w, j%sharedKeys, 1)
			}
		})
	}
	wg.Wait()
	b.StopTimer()

	if counter != nil {
		if got := counter.Total(); got != int64(n) {
			b.Fatalf("counter = %d after %d updates", got, n)
		}
		return
	}
	if err := checkCounts(m.Counts(), n); err != nil {
		b.Fatal(err)
	}
}

// checkCounts checks that counts holds n updates spread as key j%sharedKeys.
func checkCounts(counts map[int]int64, n int) error {
	keys := min(n, sharedKeys)
	if len(counts) != keys {
		return fmt.Errorf("%d keys after %d updates, want %d", len(counts), n, keys)
	}
	for k, got := range counts {
		want := int64(n / sharedKeys)
		if k < n%sharedKeys {
			want++
		}
		if got != want {
			return fmt.Errorf("key %d counted %d after %d updates, want %d", k, got, n, want)
		}
	}
	return nil
}
