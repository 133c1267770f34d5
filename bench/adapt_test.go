package bench

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/workloads"
)

// countingWaiter counts the IO waits a model is told about.
type countingWaiter struct{ begins, ends atomic.Int32 }

func (w *countingWaiter) BeginIO() { w.begins.Add(1) }
func (w *countingWaiter) EndIO()   { w.ends.Add(1) }

// TestAdaptBridgesIOWaits: a workload's WaitIO reaches the IOWaiter a
// model put in the context, through Adapt and AdaptStages alike.
func TestAdaptBridgesIOWaits(t *testing.T) {
	waits := func(ctx context.Context, i int) (workloads.Result, error) {
		err := workloads.WaitIO(ctx, func() error { return nil })
		return workloads.Result{Bytes: 1, Digest: uint64(i)}, err
	}
	stage := func(ctx context.Context, i int, _ any) (any, error) { return waits(ctx, i) }

	w := &countingWaiter{}
	ctx := models.WithIOWaiter(context.Background(), w)
	r, err := Adapt(waits)(ctx, 7)
	if err != nil || r != (models.Result{Bytes: 1, Digest: 7}) {
		t.Fatalf("Adapt: %+v, %v", r, err)
	}
	v, err := AdaptStages([]workloads.Stage{stage})[0](ctx, 8, nil)
	if err != nil || v != (models.Result{Bytes: 1, Digest: 8}) {
		t.Fatalf("AdaptStages: %#v, %v: want a models.Result", v, err)
	}
	if b, e := w.begins.Load(), w.ends.Load(); b != 2 || e != 2 {
		t.Errorf("waiter told of %d begins and %d ends, want 2 of each", b, e)
	}
	// Without a waiter, the workload's hook is absent too.
	plain := func(ctx context.Context, i int) (workloads.Result, error) {
		var seen bool
		workloads.WaitIO(ctx, func() error { seen = models.IOWaiterFrom(ctx) != nil; return nil })
		if seen {
			return workloads.Result{}, errors.New("hook without a waiter")
		}
		return workloads.Result{}, nil
	}
	if _, err := Adapt(plain)(context.Background(), 0); err != nil {
		t.Error(err)
	}
}

// TestPipelineRunsStages: for every staged workload, the pipeline model
// gets the sequential digest from the stages alone, with Task made to
// fail, so it cannot have fallen back to Task and the stages compose to
// the same work.
func TestPipelineRunsStages(t *testing.T) {
	staged := 0
	for _, e := range workloads.All {
		c := Case{Workload: e.Name, Model: "pipeline", Options: DefaultOptions(), Tasks: ShortTasks, Short: true}
		r, err := Setup(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Job.Stages) == 0 {
			r.Close()
			continue
		}
		staged++
		r.Job.Task = func(context.Context, int) (models.Result, error) {
			return models.Result{}, errors.New("Task called")
		}
		_, err = r.Run(context.Background())
		r.Close()
		if err != nil {
			t.Errorf("%s: %v", e.Name, err)
		}
	}
	if staged == 0 {
		t.Error("no workload has stages")
	}
}

// TestNamesMatchBenchmarks checks that the lists behind Names give unique
// names, with the knobs each model has.
func TestNamesMatchBenchmarks(t *testing.T) {
	seen := map[string]bool{}
	for _, n := range Names(false) {
		if seen[n] {
			t.Errorf("%s listed twice", n)
		}
		seen[n] = true
	}
	for _, want := range []string{
		"BenchmarkModels/workload=crawl/model=pipeline/fetch=",
		"BenchmarkModels/workload=sha256/model=gil/workers=",
		"BenchmarkModels/workload=sha256/model=ants/workers=",
		"BenchmarkModels/workload=sha256/model=pond/workers=",
		"BenchmarkGather/model=pool/workers=",
		"BenchmarkSharedState/structure=map/sync=sharded/workers=1",
		"BenchmarkPipeline/workload=crawl/model=pipeline/fetch=16/parse=1/tasks=64",
		"BenchmarkGIL/workload=crawl/model=gil/workers=64/tasks=64/size=1KiB",
		"BenchmarkGIL/workload=sha256/model=sequential/tasks=64/size=1MiB",
	} {
		found := false
		for n := range seen {
			if len(n) >= len(want) && n[:len(want)] == want {
				found = true
			}
		}
		if !found {
			t.Errorf("no benchmark named %s...", want)
		}
	}
}
