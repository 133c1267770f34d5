package workloads

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/concbench/concbench/internal/leakcheck"
)

// TestMain fails the package's tests if any leaves a goroutine behind (a
// server's handlers, a client's connections, a task still running) or a
// server process.
func TestMain(m *testing.M) {
	// The IO workloads run their servers in this binary, started again.
	ServeIfServer()
	leakcheck.Main(m)
}

// runTasks runs tasks 0..n-1 of task on c goroutines, as a pool would, and
// returns the results in index order and the first error.
func runTasks(ctx context.Context, task Task, n, c int) ([]Result, error) {
	results := make([]Result, n)
	var next atomic.Int64
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				r, err := task(ctx, i)
				if err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return
				}
				results[i] = r
			}
		})
	}
	wg.Wait()
	return results, first
}
