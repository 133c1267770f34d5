// Package benchkey names what the measuring side and the reporting side of
// concbench share: the keys of benchmark names, the units of their
// metrics, the name of the baseline model, and the table of model knobs
// with the one rule that turns a model's knobs into how many of its tasks
// are under way at once.
//
// It imports nothing from this module, so that bench, cmd, models and
// report can all import it while report still imports neither models nor
// workloads: report reads only benchmark names, and this package says what
// their keys mean.
package benchkey

import (
	"runtime"
	"slices"
	"strconv"
)

// Keys of benchmark names, which read
// Benchmark<Group>/workload=…/model=…/<knobs>/tasks=…/<workload parameters>.
const (
	Workload = "workload"
	Model    = "model"
	Tasks    = "tasks"
	// Load is BenchmarkOpenLoop's offered load, in percent of the
	// capacity measured for the pool at the same workers; Seed seeds its
	// arrival times.
	Load = "load"
	Seed = "seed"
)

// Sequential is the model that every speedup divides by, and whose digest
// every other model's must equal.
const Sequential = "sequential"

// ModelOrder lists the models in the order of the models table
// (models.All, which its test holds to this list): the one order in
// which pages, tables, charts and the json and csv documents list
// models, since a results file holds them in the shuffled order its
// rounds ran. The report places a model it does not know after these.
var ModelOrder = []string{
	Sequential, "spawn", "pool", "semaphore", "errgroup", "chanpool", "conc", "pinned", "gil", "pipeline", "ants", "pond", "process", "exec",
}

// ModelRank is m's place in ModelOrder, or len(ModelOrder) for a model
// not listed: a sort key.
func ModelRank(m string) int {
	if i := slices.Index(ModelOrder, m); i >= 0 {
		return i
	}
	return len(ModelOrder)
}

// Units of the benchmarks' metrics, as the results files write them.
const (
	UnitNsPerOp    = "ns/op"       // wall time of one batch
	UnitMBps       = "MB/s"        // input bytes per second
	UnitTasksps    = "tasks/s"     // tasks completed per second
	UnitCPUCores   = "cpu-cores"   // CPU seconds per wall second, children included
	UnitFloorRatio = "floor-ratio" // batch time over the least time its tasks' latency allows
	UnitP50        = "p50-task-ns" // median task latency
	UnitP99        = "p99-task-ns" // 99th percentile task latency
	UnitNsPerTask  = "ns/task"     // dispatch cost per task
	// UnitNetNsPerTask is ns/task less sequential's, paired batch by
	// batch: the model's cost without the harness's. It can be below
	// zero by noise.
	UnitNetNsPerTask = "net-ns/task"
	UnitOpsps        = "op/s" // batches per second, derived from ns/op
	// Allocation and the runtime, per sample. B/op and allocs/op are the
	// testing package's own (b.ReportAllocs); concbench run counts them
	// the same way, from runtime.MemStats. They count this process only,
	// not worker processes.
	UnitBPerOp      = "B/op"            // bytes allocated per batch
	UnitAllocsPerOp = "allocs/op"       // heap allocations per batch
	UnitGCCPUPct    = "gc-cpu-pct"      // GC CPU time over GOMAXPROCS × wall time, in percent (runtime/metrics)
	UnitGCCycles    = "gc-cycles/op"    // completed GC cycles per batch
	UnitPeakGs      = "peak-goroutines" // the most goroutines seen at once during the sample
	// Sojourn times run from a task's arrival (or the batch's start) to
	// its end: service time plus the wait for a worker.
	UnitP50Sojourn  = "p50-sojourn-ns"
	UnitP99Sojourn  = "p99-sojourn-ns"
	UnitP999Sojourn = "p999-sojourn-ns"
	// The open-loop benchmark's own units: requests per run that
	// completed, and that were dropped or timed out; the most heap
	// seen in use; the pool's measured capacity, the rate offered and
	// the rate the requests were handed to the model at, in requests
	// per second; the client's deadline per request.
	UnitCompleted = "completed/op"
	UnitDropped   = "dropped/op"
	UnitPeakHeap  = "peak-heap-B"
	UnitCapacity  = "capacity-rps"
	UnitOffered   = "offered-rps"
	UnitAchieved  = "achieved-rps"
	UnitTimeout   = "timeout-ns"
	// UnitCPUPerTask is the client's CPU time per task, in microseconds:
	// the efficiency figure for waiting work, where cpu-cores is small.
	UnitCPUPerTask = "cpu-us/task"
	// UnitServerCPUCores is the CPU seconds per wall second of the
	// servers the tasks talk to, when they run in a process of their own.
	UnitServerCPUCores = "server-cpu-cores"
	// UnitTimerOvershoot is how late the runtime's timers fire at the
	// workload's latency: the median measured wait minus the asked one,
	// one wait at a time. The floor a batch can reach is
	// ceil(N/C) × (L + overshoot), not ceil(N/C) × L.
	UnitTimerOvershoot = "timer-overshoot-ns"

	// BenchmarkFootprint's, per task held blocked at once: the memory
	// it adds (resident, children's proportional share included), the
	// runtime's split of it, the time to start it, and how many fit in
	// a GiB; threads counts the OS threads of the process and its
	// children while they are held.
	UnitRSSPerTask    = "rss-B/task"
	UnitStackPerTask  = "stack-B/task"
	UnitHeapPerTask   = "heap-B/task"
	UnitCreatePerTask = "create-ns/task"
	UnitTasksPerGiB   = "tasks/GiB"
	UnitThreads       = "threads"
)

// Iters is the key of BenchmarkGranularity's task size: the iterations of
// a loop that the compiler cannot fold, a few nanoseconds each.
const Iters = "iters"

// A Knob is one setting of the models: a field of models.Options, a key of
// benchmark names, and maybe a flag of the concbench command.
type Knob struct {
	Name string // the models.Options field that holds it
	Key  string // its key in benchmark names: key=value
	Doc  string
	// Default is the value that zero stands for, and DefaultDoc says it
	// for people.
	Default    func() int
	DefaultDoc string
	// Max is the largest value accepted, far above any useful one: it
	// catches a typo before a model starts millions of goroutines. The
	// least is 1.
	Max int
	// Flag is the concbench flag that sets the knob, "" when none does
	// and the knob keeps its Default. Two knobs may share a flag.
	Flag string
	// Models lists the models that take the knob, by name; a benchmark
	// name carries the knob only for them.
	Models []string
}

// Keys of the knobs, in the order of Knobs.
const (
	Workers = "workers"
	Procs   = "procs"
	Fetch   = "fetch"
	Parse   = "parse"
)

func gomaxprocs() int { return runtime.GOMAXPROCS(0) }
func one() int        { return 1 }

// Knobs lists every knob, in the order benchmark names carry them. It is
// the only place a knob is described: models, bench, the command and the
// report all walk it.
var Knobs = [...]Knob{
	{
		// Max reaches 2^20 for BenchmarkFootprint, which holds a million
		// tasks blocked under a pool of as many workers.
		Name: "Workers", Key: Workers, Flag: Workers,
		Doc:     "worker goroutines of pool, chanpool, pinned, gil, ants, pond and conc; goroutines in flight for semaphore and errgroup; worker processes for process, and processes at once for exec",
		Default: gomaxprocs, DefaultDoc: "GOMAXPROCS", Max: 1 << 20,
		Models: []string{"pool", "semaphore", "errgroup", "chanpool", "conc", "pinned", "gil", "ants", "pond", "process", "exec"},
	},
	{
		Name: "Procs", Key: Procs, Flag: Procs,
		Doc:     "the GOMAXPROCS value pinned runs under; 1 is the single-threaded scheduler that mirrors an asyncio event loop",
		Default: one, DefaultDoc: "1", Max: 1 << 10,
		Models: []string{"pinned"},
	},
	{
		// -workers sets the fetchers too: the first stage is where the
		// crawler waits, so it is the pipeline's counterpart of workers.
		Name: "Fetch", Key: Fetch, Flag: Workers,
		Doc:     "workers on a pipeline's first stage (the crawler's fetchers)",
		Default: gomaxprocs, DefaultDoc: "GOMAXPROCS", Max: 1 << 16,
		Models: []string{"pipeline"},
	},
	{
		Name: "Parse", Key: Parse,
		Doc:     "workers on each later stage of a pipeline (the crawler's parsers)",
		Default: gomaxprocs, DefaultDoc: "GOMAXPROCS", Max: 1 << 16,
		Models: []string{"pipeline"},
	},
}

// Lookup returns the knob whose key is key.
func Lookup(key string) (Knob, bool) {
	i := index(key)
	if i < 0 {
		return Knob{}, false
	}
	return Knobs[i], true
}

func index(key string) int {
	return slices.IndexFunc(Knobs[:], func(k Knob) bool { return k.Key == key })
}

// Takes reports whether the model named model takes knob k.
func (k Knob) Takes(model string) bool { return slices.Contains(k.Models, model) }

// Values holds one value per knob, in the order of Knobs; zero means the
// knob is unset (absent from a benchmark name). It is comparable, so a
// struct that holds it can be a map key.
type Values [len(Knobs)]int

// Get returns the value of the knob whose key is key, 0 when it is unset
// or there is no such knob.
func (v Values) Get(key string) int {
	if i := index(key); i >= 0 {
		return v[i]
	}
	return 0
}

// Set sets the knob whose key is key; it reports false, changing
// nothing, when there is no such knob.
func (v *Values) Set(key string, n int) bool {
	i := index(key)
	if i < 0 {
		return false
	}
	v[i] = n
	return true
}

// Pairs returns the set knobs as key=value, in the order of Knobs: the
// part of a benchmark name that they make.
func (v Values) Pairs() []string {
	var kvs []string
	for i, k := range Knobs {
		if v[i] != 0 {
			kvs = append(kvs, k.Key+"="+strconv.Itoa(v[i]))
		}
	}
	return kvs
}

// Concurrency says how many of a batch's tasks a model has under way at
// once, in the two senses that differ for a pipeline.
type Concurrency struct {
	// InFlight counts the tasks that can wait at once: the latency floor
	// of waiting work, the X of a concurrency sweep and the size of a
	// warm-up batch. A pipeline's waiting stage is its first (fetch), so
	// its tasks in flight are its fetchers: a parser never waits on the
	// network, and counting parsers would promise a floor the pipeline
	// cannot reach.
	InFlight int
	// Runnable counts the goroutines that can compute at once, which is
	// what a CPU speedup is divided by to give an efficiency. For a
	// pipeline that is its fetchers plus its parsers: both stages compute
	// at the same time, so counting the fetchers alone would let
	// efficiency pass 1. It is capped by procs, the GOMAXPROCS a model
	// pins, but not by the machine's cores (see report.Parallelism).
	Runnable int
}

// ConcurrencyOf returns the concurrency of a batch of tasks under the
// model named model, whose knobs are v (only those it takes, as its
// benchmark name carries them). It is the one rule the suite uses: the
// sequential model runs one task at a time; a model with workers runs
// that many, or with fetchers as many as its first stage has; a model
// without either (spawn) runs the whole batch at once.
func ConcurrencyOf(model string, v Values, tasks int) Concurrency {
	tasks = max(tasks, 1)
	in := tasks
	switch {
	case model == Sequential:
		in = 1
	case v.Get(Workers) > 0:
		in = min(v.Get(Workers), tasks)
	case v.Get(Fetch) > 0:
		in = min(v.Get(Fetch), tasks)
	}
	run := in
	if p := v.Get(Parse); p > 0 {
		run += min(p, tasks)
	}
	if p := v.Get(Procs); p > 0 {
		run = min(run, p)
	}
	return Concurrency{InFlight: in, Runnable: run}
}
