package workloads

import (
	"context"
	"fmt"
)

// A Stage is one step of a staged task: it gets the output of the stage
// before it (nil for the first stage) and returns its own; the last stage
// returns the task's Result. Like a Task, it is safe to call from many
// goroutines at once.
type Stage func(ctx context.Context, i int, in any) (any, error)

// Compose returns the task that runs stages one after another on the same
// index, each on the output of the one before: the plain Task of a staged
// workload, so that every model runs it and gets the same digest.
func Compose(stages ...Stage) Task {
	return func(ctx context.Context, i int) (Result, error) {
		var v any
		for _, s := range stages {
			var err error
			if v, err = s(ctx, i, v); err != nil {
				return Result{}, err
			}
		}
		r, ok := v.(Result)
		if !ok {
			return Result{}, fmt.Errorf("last stage returned %T, want a workloads.Result", v)
		}
		return r, nil
	}
}
