package bench

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"testing"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/workloads"
)

// SpinSpec names the task of BenchmarkGranularity for the models that
// rebuild tasks from a Spec; its one parameter is iters=N.
var SpinSpec = models.Spec{Workload: "spin"}

// spin returns a task that runs iters rounds of xorshift from a state
// seeded by its index: a CPU task whose length is a parameter, about a
// nanosecond a round, which the compiler cannot fold since both the
// rounds and the seed are known only when it runs. It touches no memory,
// so that its cost does not depend on caches, and allocates nothing.
func spin(iters int) models.Task {
	return func(_ context.Context, i int) (models.Result, error) {
		x := uint64(i)*0x9e3779b97f4a7c15 | 1
		for range iters {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
		}
		return models.Result{Digest: x}, nil
	}
}

// spinTask rebuilds spin from its parameters, for BuildTask.
func spinTask(params []string) (models.Task, error) {
	if len(params) != 1 {
		return nil, fmt.Errorf("%s: want one parameter %s=N, got %q", SpinSpec.Workload, benchkey.Iters, params)
	}
	v, ok := cutKey(params[0], benchkey.Iters)
	n, err := strconv.Atoi(v)
	if !ok || err != nil || n < 1 || n > maxIters {
		return nil, fmt.Errorf("%s: parameter %q: want %s=N, N from 1 to %d", SpinSpec.Workload, params[0], benchkey.Iters, maxIters)
	}
	return spin(n), nil
}

// maxIters bounds a spin task at a few seconds.
const maxIters = 1 << 32

func cutKey(kv, key string) (string, bool) {
	if len(kv) > len(key) && kv[:len(key)] == key && kv[len(key)] == '=' {
		return kv[len(key)+1:], true
	}
	return "", false
}

// GranularitySteps lists BenchmarkGranularity's task sizes in rounds of
// spin: from 128 (about 250ns on a 2-core EPYC VM, at about 2ns a round)
// to 2Mi (about 4ms) in steps of 4, and every other step, 16 apart, under
// -short.
func GranularitySteps(short bool) []int {
	var steps []int
	for n := 128; n <= 2<<20; n *= 4 {
		steps = append(steps, n)
	}
	if short {
		var s []int
		for k := 0; k < len(steps); k += 2 {
			s = append(s, steps[k])
		}
		return s
	}
	return steps
}

// granularityWork is the least work of one batch, in spin rounds (about
// a millisecond): small tasks come in batches large enough that a model's
// cost per batch (waking its workers, a semaphore) is spread over many
// tasks, and what remains is its cost per task. Under -short a batch is
// 16 times smaller.
const granularityWork = 1 << 20

// granularityTasks is the number of tasks of a batch of tasks of iters
// rounds. Models that start a process per task (or hand each to a worker
// process) take the fewest tasks that still give every core several,
// lest a batch of thousands take minutes; they are compared with a
// sequential run of the same batch.
func granularityTasks(iters int, remote, short bool) int {
	least := 8 * runtime.GOMAXPROCS(0)
	work := granularityWork
	if short {
		least, work = 2*runtime.GOMAXPROCS(0), work/16
	}
	if remote {
		return least
	}
	return max(least, work/iters)
}

// A GranularityCase is one cell of BenchmarkGranularity: spin tasks of
// Iters rounds, Tasks of them a batch, under Model at its default options
// (workers = GOMAXPROCS).
type GranularityCase struct {
	Model string
	Iters int
	Tasks int
}

// Name returns the case's sub-benchmark name, as Case.Name would:
// workload=spin/model=…/<knobs>/tasks=…/iters=….
func (g GranularityCase) Name() string { return g.resolved().Name() }

func (g GranularityCase) resolved() Resolved {
	e, _ := models.Lookup(g.Model)
	return Resolved{Case: Case{
		Workload: SpinSpec.Workload,
		Params:   []string{benchkey.Iters + "=" + strconv.Itoa(g.Iters)},
		Model:    g.Model,
		Options:  DefaultOptions(),
		Tasks:    g.Tasks,
	}, Entry: e}
}

// GranularityCases lists BenchmarkGranularity's cells: at each step of
// GranularitySteps, every model of models.All (sequential at each batch
// size that another model runs, so that each has its paired reference).
func GranularityCases(short bool) []GranularityCase {
	var cases []GranularityCase
	for _, iters := range GranularitySteps(short) {
		seen := map[int]bool{}
		var rest []GranularityCase
		for _, e := range models.All {
			if e.Name == benchkey.Sequential {
				continue
			}
			n := granularityTasks(iters, remote(e), short)
			if !seen[n] {
				seen[n] = true
				cases = append(cases, GranularityCase{Model: benchkey.Sequential, Iters: iters, Tasks: n})
			}
			rest = append(rest, GranularityCase{Model: e.Name, Iters: iters, Tasks: n})
		}
		cases = append(cases, rest...)
	}
	return cases
}

// bench is the body of BenchmarkGranularity: one op is one batch, with
// the metrics of BenchmarkModels, after an untimed warm-up batch; the
// digest is checked against a sequential run.
func (g GranularityCase) bench(ctx context.Context, b *testing.B) error {
	c := g.resolved()
	if c.Entry.New == nil {
		return fmt.Errorf("unknown model %q", g.Model)
	}
	spec := SpinSpec
	spec.Params = c.Params
	r := &Runner{Case: c, Kind: workloads.CPU}
	r.Job = models.Job{N: g.Tasks, Task: spin(g.Iters), Spec: spec}
	r, err := r.start(ctx)
	if err != nil {
		return err
	}
	return r.bench(ctx, b)
}

// remote reports whether e runs its tasks in processes of its own.
func remote(e models.Entry) bool { return e.Remote }
