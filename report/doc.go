// Package report turns concbench results files into statistics, charts and
// a page that can be published.
//
// It reads only the Go benchmark format text that the bench package's
// benchmarks print and `concbench bench` saves; it imports neither the
// workloads nor the models nor the benchmarks, so that any results file, from
// any machine or any commit, can be reported. The text is the contract.
//
// # Reading
//
// ReadFile reads one results file with golang.org/x/perf/benchfmt and splits
// each benchmark name with a benchproc projection into a Bench: its group
// (BenchmarkModels gives "Models"), workload=, model=, the model's knobs
// (workers=, procs=, and the pipeline's fetch= and parse=: every key of
// benchkey.Knobs), the GOMAXPROCS suffix, and the rest of the name (the
// workload's parameters, such as tasks=64/size=1MiB). Results with equal
// Benches are samples of one benchmark. Bench.Concurrency turns the knobs
// and tasks= into the tasks in flight (a sweep's X, an IO floor) and the
// goroutines that can compute (the P of an efficiency) by the rule the
// measuring side uses, benchkey.ConcurrencyOf. The file's configuration lines (machine, cores, commit,
// profile, date, go, instrumented, and go test's goos, goarch, cpu) describe
// the run.
//
// Reading is strict about honesty and lenient about noise:
//
//   - A run whose binary was built with -race or -cover (its instrumented:
//     line is not "none") is refused with an *InstrumentedError: its numbers
//     measure the instrumentation.
//   - A malformed result line, a value that is not finite or not above zero
//     (B/op, allocs/op, gc-cpu-pct and gc-cycles/op may be zero, and
//     net-ns/task, a difference, below zero), and a line that is neither a result,
//     a configuration line nor go test's own output, become Problems that
//     name file:line; the rest of the file is still used.
//   - A run with no valid results, with a failure (FAIL, panic, a benchmark
//     that left GOMAXPROCS changed), without the PASS line that ends a
//     finished run, or without an instrumented: line, is Incomplete: it is
//     listed, never charted.
//
// # Statistics
//
// Summarize gives the median of a benchmark's samples and its 95%
// confidence interval, from benchmath's distribution-free method; with
// fewer than 6 samples there is no interval, and the smallest and largest
// sample stand in for it (the page says which). It flags samples whose
// coefficient of variation exceeds 5% and outliers more than 3 scaled
// median absolute deviations from the median.
//
// Analyze derives, for each workload of the main matrix (BenchmarkModels):
//
//   - throughput in MB/s, else tasks/s, else batches per second from ns/op;
//   - speedup: the median of paired ratios, sample i of a model over sample
//     i of the sequential model for the same workload, parameters and
//     GOMAXPROCS (the same round of a run), from ns/op, with its 95%
//     confidence interval (PairedRatio);
//   - efficiency: speedup over the parallelism p = min(cores, workers,
//     procs), where a goroutine-per-task model's workers are its tasks;
//   - the shortfall split, speedup = (cores kept busy ÷ sequential's) ×
//     (sequential's CPU per task ÷ the model's), and a disturbed baseline
//     when the model's CPU per task is more than 3% below sequential's;
//   - the kind, CPU- or IO-bound, from the cpu-cores that the sequential run
//     measured: at least half a core busy is CPU-bound;
//   - the verdict (Decide): the best model only when paired sign tests
//     against every other model, Holm-corrected across the page, say so;
//     otherwise the set that cannot be told apart and the preferred one;
//     stay sequential unless the choice's interval starts at 1.10×.
//
// It also gathers the sweeps: BenchmarkScaling's pool at each workers count
// and pinned at each GOMAXPROCS (procs=), BenchmarkConcurrency's IO
// throughput at each concurrency, and BenchmarkOverhead's ns/task. An IO
// benchmark's floor-ratio metric is its batch time over the least time the
// tasks' own latency allows (1 = at the floor), so throughput × floor-ratio
// is the rate the floor allows, which the IO chart draws.
//
// # Charts and pages
//
// Charts draws, with gonum.org/v1/plot, each chart a run's data allows,
// each titled with its units and the machine: the decision chart (CPU use
// against best speedup, one labelled point per workload), throughput by
// model for each workload with whiskers, speedup against workers, speedup
// against GOMAXPROCS, IO throughput against concurrency with its latency
// floor, and dispatch overhead per task on a log scale. A chart without data
// is Missing, with the reason, which the page prints in its place.
//
// WritePage writes a machine's folder: README.md (the machine, a decision
// guide in plain words, the charts as PNG with SVG links, benchstat-style
// tables, noisy measurements, skipped lines) and every chart as SVG and
// PNG, and index.html: the same page as one self-contained HTML file (style,
// script and data inline, nothing fetched) whose charts page.js draws from
// embedded JSON, each model toggled from the legend, values on hover, every
// table sortable and any cell's samples one click away; html/template
// escapes every name in it. Choose picks the run a page shows among a machine's files: the newest
// complete full-profile run, else the newest complete quick run. WriteIndex
// writes the index of all machines, comparing their best models, as
// README.md and index.html.
//
// # Sweeps
//
// ReadSweep reads what `concbench sweep` writes: one workload at several
// values of workers (the name's workers=) or GOMAXPROCS (its -N suffix),
// under one or more models, beside one model=sequential run. Each point's
// speedup divides by that run, and its ideal is what a perfect scheduler
// would reach: min(cores, workers, GOMAXPROCS, procs) for CPU-bound work,
// tasks / ceil(tasks / concurrency) for IO-bound work, whose tasks wait in
// rounds. Sweep.Chart draws the speedups against the swept setting, one
// line per model with its ideal dashed.
//
// Reading costs time linear in the file; reporting a quick-profile run,
// charts included, takes about half a second on a 2-core machine.
package report
