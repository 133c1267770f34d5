package bench

import (
	"runtime"
	"slices"
	"strconv"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/internal/sharedstate"
	"github.com/concbench/concbench/models"
)

// PipelineSweep returns the crawl workload under the pipeline model at
// several numbers of fetch and parse workers: the tutorial's crawler
// tuned. Fetching waits on the server, so more fetchers help long after
// more parsers stop helping.
func PipelineSweep(short bool) []Case {
	tasks, fetches := DefaultTasks, []int{1, 4, 16}
	if short {
		tasks, fetches = ShortTasks, []int{1, 4}
	}
	var cases []Case
	for _, fetch := range fetches {
		for _, parse := range dedup(1, runtime.GOMAXPROCS(0)) {
			o := DefaultOptions()
			o.Fetch, o.Parse = fetch, parse
			cases = append(cases, Case{Workload: "crawl", Model: "pipeline", Options: o, Tasks: tasks, Short: short})
		}
	}
	return cases
}

// GILSweep returns the GIL lesson as cases: a CPU workload (sha256) and an
// IO-dominated one (crawl with 1 KiB pages, whose tasks mostly wait on the
// server), each under sequential, pool and gil at GOMAXPROCS and at 64
// workers. gil should run the first about as fast as sequential and the
// second about as fast as the pool.
func GILSweep(short bool) []Case {
	tasks := DefaultTasks
	if short {
		tasks = ShortTasks
	}
	var cases []Case
	for _, w := range []struct {
		name   string
		params []string
	}{{"sha256", nil}, {"crawl", []string{"size=1KiB"}}} {
		cases = append(cases, Case{Workload: w.name, Params: w.params, Model: benchkey.Sequential, Options: DefaultOptions(), Tasks: tasks, Short: short})
		for _, workers := range dedup(runtime.GOMAXPROCS(0), 64) {
			for _, m := range []string{"pool", "gil"} {
				o := DefaultOptions()
				o.Workers = workers
				cases = append(cases, Case{Workload: w.name, Params: w.params, Model: m, Options: o, Tasks: tasks, Short: short})
			}
		}
	}
	return cases
}

// A GatherCase is one cell of BenchmarkGather: the pool running Task
// ("noop": the cost per task of gathering; "skewed": tasks that wait 1ms,
// every eighth 10ms, so tasks finish out of order) with results gathered as
// Gather says ("none": no OnResult; "completed" or "ordered": the
// models.Order).
type GatherCase struct {
	Task    string
	Gather  string
	Workers int
}

func (g GatherCase) Name() string {
	return "model=pool/workers=" + strconv.Itoa(g.Workers) + "/task=" + g.Task + "/gather=" + g.Gather
}

// GatherCases lists BenchmarkGather's cases.
func GatherCases() []GatherCase {
	var cases []GatherCase
	for _, task := range []string{"noop", "skewed"} {
		for _, gather := range []string{"none", models.AsCompleted.String(), models.InOrder.String()} {
			cases = append(cases, GatherCase{Task: task, Gather: gather, Workers: runtime.GOMAXPROCS(0)})
		}
	}
	return cases
}

// A SharedStateCase is one cell of BenchmarkSharedState: Workers
// goroutines updating a Structure ("counter" or "map") kept exact by Sync
// (a name in sharedstate.Syncs).
type SharedStateCase struct {
	Structure string
	Sync      string
	Workers   int
}

func (s SharedStateCase) Name() string {
	return "structure=" + s.Structure + "/sync=" + s.Sync + "/workers=" + strconv.Itoa(s.Workers)
}

// SharedStateCases lists BenchmarkSharedState's cases: one goroutine (no
// contention), one per core, and four per core.
func SharedStateCases() []SharedStateCase {
	var cases []SharedStateCase
	for _, structure := range []string{"counter", "map"} {
		for _, s := range sharedstate.Syncs {
			for _, w := range dedup(1, runtime.GOMAXPROCS(0), 4*runtime.GOMAXPROCS(0)) {
				cases = append(cases, SharedStateCase{Structure: structure, Sync: s.Name, Workers: w})
			}
		}
	}
	return cases
}

// dedup returns the distinct values of vs, in increasing order.
func dedup(vs ...int) []int {
	slices.Sort(vs)
	return slices.Compact(vs)
}
