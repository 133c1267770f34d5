package sharedstate

import (
	"strings"
	"sync"
	"testing"

	"github.com/concbench/concbench/internal/leakcheck"
)

func TestMain(m *testing.M) { leakcheck.Main(m) }

const (
	workers = 8
	adds    = 2000 // per worker
	keys    = 100
)

// hammer runs workers goroutines that each call add adds times, worker w's
// j-th call with key (w*adds+j)%keys, and reads in the middle of it.
func hammer(add func(worker, key int), read func()) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for j := range adds {
				add(w, (w*adds+j)%keys)
				if w == 0 && j == adds/2 {
					read()
				}
			}
		})
	}
	wg.Wait()
}

func TestCountersAreExact(t *testing.T) {
	for _, s := range Syncs {
		t.Run(s.Name, func(t *testing.T) {
			c := s.NewCounter()
			defer c.Close()
			hammer(func(w, _ int) { c.Add(w, 1) }, func() {
				if n := c.Total(); n < adds/2 || n > workers*adds {
					t.Errorf("Total in the middle = %d", n)
				}
			})
			if n := c.Total(); n != workers*adds {
				t.Errorf("Total = %d after %d adds", n, workers*adds)
			}
		})
	}
}

func TestMapsAreExact(t *testing.T) {
	for _, s := range Syncs {
		t.Run(s.Name, func(t *testing.T) {
			m := s.NewMap()
			defer m.Close()
			hammer(func(w, key int) { m.Add(w, key, 2) }, func() { m.Counts() })
			counts := m.Counts()
			if len(counts) != keys {
				t.Fatalf("%d keys, want %d", len(counts), keys)
			}
			for k, n := range counts {
				if want := int64(2 * workers * adds / keys); n != want {
					t.Errorf("key %d counted %d, want %d", k, n, want)
				}
			}
			counts[0] = -1 // a copy: changing it changes nothing
			if m.Counts()[0] == -1 {
				t.Error("Counts returned the map itself")
			}
		})
	}
}

func TestLookup(t *testing.T) {
	if _, err := Lookup("spinlock"); err == nil || !strings.Contains(err.Error(), `"spinlock"`) || !strings.Contains(err.Error(), "sharded") {
		t.Errorf("Lookup(spinlock) = %v", err)
	}
	if s, err := Lookup("atomic"); err != nil || s.Name != "atomic" {
		t.Errorf("Lookup(atomic) = %v, %v", s.Name, err)
	}
}
