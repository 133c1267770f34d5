package bench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/concbench/concbench/models"
)

// Test-only specs that the bench test binary builds as a process model
// worker (see testBuild): the same tasks every in-process model gets as
// closures.
var (
	faultSpec = models.Spec{Workload: "test-faults"}
	blockSpec = models.Spec{Workload: "test-block"}
)

// testBuild is BuildTask plus the test-only specs.
func testBuild(ctx context.Context, spec models.Spec) (models.Task, func() error, error) {
	switch spec.Workload {
	case faultSpec.Workload:
		return faultyTask, nil, nil
	case blockSpec.Workload:
		return blockingTask, nil, nil
	}
	return BuildTask(ctx, spec)
}

// faultyTask fails three tasks in each hundred, each its own way: task
// 17 (mod 100) panics, 42 returns an error, 73 runs past its own deadline.
func faultyTask(ctx context.Context, i int) (models.Result, error) {
	switch i % 100 {
	case 17:
		panic(fmt.Sprintf("injected panic in task %d", i))
	case 42:
		return models.Result{}, fmt.Errorf("injected error in task %d", i)
	case 73:
		tctx, cancel := context.WithTimeout(ctx, time.Millisecond)
		defer cancel()
		<-tctx.Done()
		return models.Result{}, fmt.Errorf("task %d: %w", i, tctx.Err())
	}
	return models.Result{Bytes: 1, Digest: uint64(i) * 31}, nil
}

// blockingTask waits for its context: a task that is still running, or
// still queued, when a batch is cancelled.
func blockingTask(ctx context.Context, i int) (models.Result, error) {
	<-ctx.Done()
	return models.Result{}, ctx.Err()
}

// eachModel builds every model in models.All with two workers (one fetch
// and one parse worker for the pipeline) and runs f on it.
func eachModel(t *testing.T, f func(t *testing.T, m models.Model)) {
	for _, e := range models.All {
		t.Run(e.Name, func(t *testing.T) {
			m, err := e.New(models.Options{Workers: 2, Procs: 1, Fetch: 1, Parse: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := CloseModel(m); err != nil {
					t.Error(err)
				}
			}()
			f(t, m)
		})
	}
}

// TestFaultAccounting injects a panic, an error and a timeout into every
// hundred tasks, under every model, and checks that each task is counted
// exactly once: submitted = succeeded + failed + cancelled.
func TestFaultAccounting(t *testing.T) {
	const n = 300
	job := models.Job{N: n, Task: faultyTask, Spec: faultSpec}
	eachModel(t, func(t *testing.T, m models.Model) {
		// Run to the end: exactly the nine injected faults fail.
		keep := job
		keep.KeepGoing = true
		b, err := m.Run(context.Background(), keep)
		var te *models.TaskError
		if !errors.As(err, &te) || !slices.Contains([]int{17, 42, 73}, te.Index%100) {
			t.Errorf("KeepGoing: err = %v, want an injected fault's TaskError", err)
		}
		if b.Tasks != n || b.Succeeded != n-9 || b.Failed != 9 || b.Cancelled != 0 {
			t.Errorf("KeepGoing: batch %+v: want %d succeeded, 9 failed, none cancelled", counts(b), n-9)
		}

		// Stop at the first fault: whatever ran, every task is accounted.
		b, err = m.Run(context.Background(), job)
		if !errors.As(err, &te) {
			t.Errorf("err = %v, want a TaskError", err)
		}
		if b.Tasks != n || b.Succeeded+b.Failed+b.Cancelled != n || b.Failed < 1 {
			t.Errorf("batch %+v: submitted %d != succeeded + failed + cancelled, or nothing failed", counts(b), n)
		}
	})
}

func counts(b models.Batch) string {
	return fmt.Sprintf("tasks %d = succeeded %d + failed %d + cancelled %d", b.Tasks, b.Succeeded, b.Failed, b.Cancelled)
}

// TestCancelQueuedReturnsPromptly cancels a batch of 1000 blocking tasks
// while most of them are still queued. The in-process models run in a
// synctest bubble, whose clock moves only when every goroutine waits: Run
// must return at the very instant of the cancellation, with no timer or
// task left to wait for. Some models get a real-time bound instead: process
// and exec (Entry.Remote), whose workers are real processes, and gil, whose waiting workers block on
// a sync.Mutex, which synctest does not count as waiting.
func TestCancelQueuedReturnsPromptly(t *testing.T) {
	const n, cancelAt = 1000, time.Second
	check := func(t *testing.T, b models.Batch, err error) {
		t.Helper()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if b.Tasks != n || b.Succeeded != 0 || b.Failed != 0 || b.Cancelled != n {
			t.Errorf("batch %+v: want all %d cancelled", counts(b), n)
		}
	}
	for _, e := range models.All {
		t.Run(e.Name, func(t *testing.T) {
			o := models.Options{Workers: 2, Procs: 1, Fetch: 1, Parse: 1}
			job := models.Job{N: n, Task: blockingTask, Spec: blockSpec}
			if e.Remote || e.Name == "gil" {
				m, err := e.New(o)
				if err != nil {
					t.Fatal(err)
				}
				defer CloseModel(m)
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(100*time.Millisecond, cancel)
				start := time.Now()
				b, err := m.Run(ctx, job)
				if took := time.Since(start); took > 10*time.Second {
					t.Errorf("Run returned %v after the cancellation", took-100*time.Millisecond)
				}
				check(t, b, err)
				return
			}
			synctest.Test(t, func(t *testing.T) {
				m, err := e.New(o)
				if err != nil {
					t.Fatal(err)
				}
				defer CloseModel(m)
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(cancelAt, cancel)
				start := time.Now()
				b, err := m.Run(ctx, job)
				if took := time.Since(start); took != cancelAt {
					t.Errorf("Run returned %v after the start, want exactly at the cancellation (%v)", took, cancelAt)
				}
				check(t, b, err)
			})
		})
	}
}
