package models

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// threeStages is square split in three: the index, then its square, then
// the Result. calls counts each stage's calls.
func threeStages(calls *[3]atomic.Int32) []Stage {
	return []Stage{
		func(_ context.Context, i int, in any) (any, error) {
			calls[0].Add(1)
			if in != nil {
				return nil, errors.New("first stage got input")
			}
			return i, nil
		},
		func(_ context.Context, i int, in any) (any, error) {
			calls[1].Add(1)
			return in.(int) * in.(int), nil
		},
		func(_ context.Context, i int, in any) (any, error) {
			calls[2].Add(1)
			return Result{Bytes: int64(i), Digest: uint64(in.(int))}, nil
		},
	}
}

// TestStagedJob runs a job whose Task is the composition of its stages
// under every model: all give the sequential digest, the pipeline by
// calling each stage once per task, the others by calling Task.
func TestStagedJob(t *testing.T) {
	const n = 300
	want, _ := Sequential{}.Run(context.Background(), Job{N: n, Task: square})
	each(t, Options{Workers: 3, Fetch: 4, Parse: 2}, func(t *testing.T, m Model) {
		var calls [3]atomic.Int32
		var taskCalls atomic.Int32
		job := Job{N: n, Stages: threeStages(&calls), TaskTimes: true}
		job.Task = func(ctx context.Context, i int) (Result, error) {
			taskCalls.Add(1)
			return square(ctx, i)
		}
		b, err := m.Run(context.Background(), job)
		if err != nil {
			t.Fatal(err)
		}
		if b.Digest != want.Digest || b.Succeeded != n || len(b.Latencies) != n {
			t.Errorf("batch %+v, want digest %v", b, want.Digest)
		}
		staged := m.Name() == "pipeline"
		for k := range calls {
			if got, wantCalls := calls[k].Load(), map[bool]int32{true: n, false: 0}[staged]; got != wantCalls {
				t.Errorf("stage %d called %d times, want %d", k, got, wantCalls)
			}
		}
		if got, wantCalls := taskCalls.Load(), map[bool]int32{true: 0, false: n}[staged]; got != wantCalls {
			t.Errorf("Task called %d times, want %d", got, wantCalls)
		}
	})
}

// TestPipelineStageCounts checks that one, two and three stages all run,
// and that each stage runs on at most its own number of workers.
func TestPipelineStageCounts(t *testing.T) {
	const n = 40
	want, _ := Sequential{}.Run(context.Background(), Job{N: n, Task: square})
	for stages := 1; stages <= 3; stages++ {
		var peaks [3]exclusive
		job := Job{N: n, Task: square}
		for k := range stages {
			job.Stages = append(job.Stages, func(ctx context.Context, i int, in any) (any, error) {
				peaks[k].enter()
				defer peaks[k].leave()
				time.Sleep(100 * time.Microsecond)
				if k == stages-1 {
					return square(ctx, i)
				}
				return nil, nil
			})
		}
		b, err := Pipeline{Fetch: 3, Parse: 2}.Run(context.Background(), job)
		if err != nil || b.Digest != want.Digest {
			t.Fatalf("%d stages: %v, digest %v want %v", stages, err, b.Digest, want.Digest)
		}
		for k := range stages {
			limit := int32(2)
			if k == 0 {
				limit = 3
			}
			if p := peaks[k].peak.Load(); p > limit {
				t.Errorf("%d stages: stage %d ran %d at once, want at most %d", stages, k, p, limit)
			}
		}
	}
}

func TestPipelineStageFailure(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name  string
		stage Stage
		want  string
	}{
		{"error", func(context.Context, int, any) (any, error) { return nil, boom }, "task 17: boom"},
		{"panic", func(context.Context, int, any) (any, error) { panic("kaboom") }, "task 17: panic: kaboom"},
		{"wrong type", func(context.Context, int, any) (any, error) { return 42, nil }, "task 17: last stage returned int, want a models.Result"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			last := func(ctx context.Context, i int, in any) (any, error) {
				if i == 17 {
					return tc.stage(ctx, i, in)
				}
				return square(ctx, i)
			}
			first := func(_ context.Context, i int, _ any) (any, error) { return i, nil }
			job := Job{N: 100, Task: square, Stages: []Stage{first, last}}
			b, err := Pipeline{Fetch: 2, Parse: 2}.Run(context.Background(), job)
			var te *TaskError
			if !errors.As(err, &te) || te.Index != 17 || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one starting %q", err, tc.want)
			}
			checkAccounting(t, b, 100)
			if b.Failed != 1 {
				t.Errorf("%d failed, want 1", b.Failed)
			}
		})
	}
}

// TestPipelineCancel cancels a staged batch whose second stage blocks until
// cancelled: Run returns, every channel drains and every task is counted.
func TestPipelineCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var fetched atomic.Int32
	first := func(_ context.Context, i int, _ any) (any, error) {
		if fetched.Add(1) == 5 {
			cancel()
		}
		return i, nil
	}
	block := func(ctx context.Context, i int, in any) (any, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	done := make(chan struct{})
	var b Batch
	var err error
	go func() {
		defer close(done)
		b, err = Pipeline{Fetch: 2, Parse: 2}.Run(ctx, Job{N: 1000, Task: square, Stages: []Stage{first, block, block}})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10s of cancellation")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	checkAccounting(t, b, 1000)
	if b.Cancelled != 1000 {
		t.Errorf("batch %+v: want every task cancelled", b)
	}
	if n := fetched.Load(); n > 20 {
		t.Errorf("%d tasks fetched, although the batch was cancelled at the fifth", n)
	}
}

func TestNilStage(t *testing.T) {
	each(t, Options{}, func(t *testing.T, m Model) {
		_, err := m.Run(context.Background(), Job{N: 1, Task: square, Stages: []Stage{nil}})
		if err == nil || !strings.Contains(err.Error(), "stage 1 of 1 is nil") {
			t.Errorf("err = %v, want one naming the nil stage", err)
		}
	})
}
