package bench

import (
	"context"
	"fmt"

	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/workloads"
)

// BuildTask rebuilds the task that spec names: the worker side of the
// process model, which cannot be handed a closure. It looks the workload up,
// sets every parameter the spec carries (Setup puts them all there, so a
// shrunken workload stays shrunken) and prepares it. Binaries that run the
// process model pass it to models.ServeIfWorker first thing.
//
// The specs named by NoopSpec, SpinSpec and HoldSpec are not workloads:
// they are the tasks of BenchmarkOverhead, BenchmarkGranularity and
// BenchmarkFootprint.
func BuildTask(ctx context.Context, spec models.Spec) (models.Task, func() error, error) {
	if spec.Workload == NoopSpec.Workload {
		if len(spec.Params) > 0 {
			return nil, nil, fmt.Errorf("%s takes no parameters, got %q", spec.Workload, spec.Params)
		}
		return noop, nil, nil
	}
	if spec.Workload == HoldSpec.Workload {
		t, err := holdTask(spec.Params)
		return t, nil, err
	}
	if spec.Workload == SpinSpec.Workload {
		t, err := spinTask(spec.Params)
		return t, nil, err
	}
	w, err := workloads.Lookup(spec.Workload)
	if err != nil {
		return nil, nil, err
	}
	if err := workloads.Configure(w, spec.Params); err != nil {
		return nil, nil, fmt.Errorf("workload %s: %w", spec.Workload, err)
	}
	p, err := w.Prepare(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("workload %s: %w", spec.Workload, err)
	}
	return Adapt(p.Task), p.Close, nil
}

// NoopSpec names noop for models that run a Spec instead of a Task.
var NoopSpec = models.Spec{Workload: "noop"}

// noop is a task that does nothing but return a result that depends on i,
// so that a benchmark of it measures the cost of handing out and gathering
// tasks.
func noop(_ context.Context, i int) (models.Result, error) {
	return models.Result{Digest: uint64(i)}, nil
}
