package models

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestOnResult runs every model with each Order: every succeeded task's
// result arrives once, in index order when asked, from calls that never
// overlap, all before Run returns.
func TestOnResult(t *testing.T) {
	const n = 300
	for _, order := range []Order{AsCompleted, InOrder} {
		t.Run(order.String(), func(t *testing.T) {
			each(t, Options{Workers: 4, Fetch: 3, Parse: 2}, func(t *testing.T, m Model) {
				// Tasks finish out of order: some take longer than others.
				task := func(ctx context.Context, i int) (Result, error) {
					if i%7 == 0 {
						time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
					}
					if i%10 == 3 {
						return Result{}, errors.New("every tenth fails")
					}
					return square(ctx, i)
				}
				var got []int
				var inside exclusive
				var sum Digest
				job := Job{N: n, Task: task, KeepGoing: true, Order: order, OnResult: func(i int, r Result) {
					inside.enter()
					defer inside.leave()
					got = append(got, i)
					sum.Add(i, r)
				}}
				b, err := m.Run(context.Background(), job)
				if err == nil || b.Succeeded != n-n/10 {
					t.Fatalf("batch %+v, err %v: want %d succeeded and an error", b, err, n-n/10)
				}
				if len(got) != b.Succeeded || sum != b.Digest {
					t.Errorf("delivered %d results with digest %v; the batch has %d with %v", len(got), sum, b.Succeeded, b.Digest)
				}
				seen := map[int]bool{}
				for k, i := range got {
					if seen[i] || i%10 == 3 {
						t.Fatalf("result %d delivered twice, or for a failed task", i)
					}
					seen[i] = true
					if order == InOrder && k > 0 && got[k-1] >= i {
						t.Fatalf("result %d after %d: not in index order", i, got[k-1])
					}
				}
				if p := inside.peak.Load(); p != 1 {
					t.Errorf("%d OnResult calls at once, want 1", p)
				}
			})
		})
	}
}

// TestInOrderWaits checks that ordering holds results back: with task 0
// the slowest, nothing is delivered before it finishes, while AsCompleted
// delivers the others first.
func TestInOrderWaits(t *testing.T) {
	for _, order := range []Order{AsCompleted, InOrder} {
		p := NewPool(4)
		release := make(chan struct{})
		var delivered atomic.Int32
		task := func(ctx context.Context, i int) (Result, error) {
			if i == 0 {
				<-release
			}
			return square(ctx, i)
		}
		var first atomic.Int32
		first.Store(-1)
		job := Job{N: 20, Task: task, Order: order, OnResult: func(i int, r Result) {
			first.CompareAndSwap(-1, int32(i))
			if delivered.Add(1) == 19 && order == AsCompleted {
				close(release)
			}
		}}
		if order == InOrder {
			go func() {
				// Give the other tasks time to finish, then let 0 go.
				time.Sleep(20 * time.Millisecond)
				close(release)
			}()
		}
		if _, err := p.Run(context.Background(), job); err != nil {
			t.Fatal(err)
		}
		p.Close()
		if f := first.Load(); (order == InOrder) != (f == 0) {
			t.Errorf("%v: first result delivered was %d", order, f)
		}
	}
}

func TestOnResultPanic(t *testing.T) {
	each(t, Options{Workers: 2}, func(t *testing.T, m Model) {
		b, err := m.Run(context.Background(), Job{N: 20, Task: square, OnResult: func(i int, r Result) {
			if i == 4 {
				panic("consumer broke")
			}
		}})
		var pe *PanicError
		if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "OnResult: panic: consumer broke") {
			t.Errorf("err = %v, want the consumer's panic", err)
		}
		if b.Succeeded != 20 {
			t.Errorf("batch %+v: the tasks should all have run", b)
		}
	})
}

// TestInOrderPastUnrunTasks: a task that never ran (the batch ended first)
// holds no result back for good; those after it are delivered, in order,
// once the batch ends.
func TestInOrderPastUnrunTasks(t *testing.T) {
	var got []int
	job := Job{N: 5, Task: square, Order: InOrder, OnResult: func(i int, r Result) { got = append(got, i) }}
	b, err := runBatch(context.Background(), job, func(b *batch) {
		b.exec(3)
		b.exec(1)
	})
	if err == nil || !strings.Contains(err.Error(), "lost 3 of 5") || b.Succeeded != 2 {
		t.Fatalf("batch %+v, err %v", b, err)
	}
	if len(got) != 2 || got[0] != 1 || got[1] != 3 {
		t.Errorf("delivered %v, want [1 3]", got)
	}
}
