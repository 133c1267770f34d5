package models

import (
	"context"
	"testing"
	"time"
)

// napTask sleeps 1ms and then squares i: tasks that queue for workers.
func napTask(ctx context.Context, i int) (Result, error) {
	time.Sleep(time.Millisecond)
	return square(ctx, i)
}

// TestSojournAtLeastService runs tasks that queue behind two workers under
// every model (process with the spec of the same task): each task's sojourn
// time, from the batch's start to its end, is at least its service time,
// and for a queue some tasks wait well beyond it.
func TestSojournAtLeastService(t *testing.T) {
	const n = 24
	job := Job{N: n, Task: napTask, Spec: Spec{Workload: "nap"}, TaskTimes: true,
		Stages: []Stage{
			func(ctx context.Context, i int, _ any) (any, error) { time.Sleep(time.Millisecond); return nil, nil },
			func(ctx context.Context, i int, _ any) (any, error) { return square(ctx, i) },
		}}
	for _, e := range All {
		t.Run(e.Name, func(t *testing.T) {
			m, err := e.New(Options{Workers: 2, Fetch: 2, Parse: 1})
			if err != nil {
				t.Fatal(err)
			}
			if c, ok := m.(interface{ Close() error }); ok {
				defer c.Close()
			}
			b, err := m.Run(context.Background(), job)
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Sojourns) != n || len(b.Latencies) != n {
				t.Fatalf("%d sojourns and %d service times, want %d each", len(b.Sojourns), len(b.Latencies), n)
			}
			var longest time.Duration
			for i := range n {
				if b.Sojourns[i] < b.Latencies[i] {
					t.Errorf("task %d: sojourn %v below its service time %v", i, b.Sojourns[i], b.Latencies[i])
				}
				if b.Sojourns[i] > b.Wall {
					t.Errorf("task %d: sojourn %v beyond the batch's wall time %v", i, b.Sojourns[i], b.Wall)
				}
				longest = max(longest, b.Sojourns[i])
			}
			// Sequential and gil run one at a time, the others two (spawn
			// all at once, but its sleeps still end no sooner than 1ms).
			if longest < time.Millisecond {
				t.Errorf("longest sojourn %v: below one task's sleep", longest)
			}
		})
	}
	b, err := Sequential{}.Run(context.Background(), Job{N: n, Task: napTask})
	if err != nil || b.Sojourns != nil || b.Latencies != nil {
		t.Errorf("without TaskTimes: %d sojourns, %d service times, %v; want none", len(b.Sojourns), len(b.Latencies), err)
	}
}

// TestServerCPU: a job's ServerCPU is read around the batch, and the
// difference is the batch's.
func TestServerCPU(t *testing.T) {
	calls := 0
	job := Job{N: 4, Task: square, ServerCPU: func() time.Duration {
		calls++
		return time.Duration(calls) * 3 * time.Millisecond
	}}
	p := NewPool(2)
	defer p.Close()
	b, err := p.Run(context.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2 || b.ServerCPU != 3*time.Millisecond {
		t.Errorf("ServerCPU called %d times, batch's %v; want 2 and 3ms", calls, b.ServerCPU)
	}
}
