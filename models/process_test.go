package models

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// testTasks are the specs this test binary's workers know: the in-process
// tests' tasks, and faults that only a separate process can survive. A
// spec's at=N or every=N parameter picks the tasks that take the named
// path; the others compute square. Without either, every task does.
var testTasks = map[string]Task{
	"square": square,
	"fail":   func(context.Context, int) (Result, error) { return Result{}, errors.New("boom") },
	"panic":  func(context.Context, int) (Result, error) { panic("kaboom") },
	"block": func(ctx context.Context, _ int) (Result, error) {
		<-ctx.Done()
		return Result{}, ctx.Err()
	},
	"hang": func(context.Context, int) (Result, error) {
		time.Sleep(time.Hour) // ignores its context
		return Result{}, nil
	},
	"exit": func(context.Context, int) (Result, error) {
		fmt.Fprintln(os.Stderr, "dying on purpose")
		os.Exit(3)
		return Result{}, nil
	},
	"crash": func(context.Context, int) (Result, error) {
		go func() { panic("crash in a goroutine") }()
		time.Sleep(time.Hour)
		return Result{}, nil
	},
	"kill": func(context.Context, int) (Result, error) {
		if p, err := os.FindProcess(os.Getpid()); err == nil {
			p.Kill()
		}
		time.Sleep(time.Hour)
		return Result{}, nil
	},
	"stdout": func(ctx context.Context, i int) (Result, error) {
		// What a frame of a wrong result looks like, and some text.
		fake := message{Kind: kindResult, Index: i, Digest: 12345}
		os.Stdout.Write(appendFrame(nil, &fake))
		fmt.Printf("task %d says hello on stdout\n", i)
		return square(ctx, i)
	},
	"garbage": func(context.Context, int) (Result, error) {
		os.NewFile(resultsFD, "results").Write([]byte{0, 0, 0, 3, 99, 1, 2})
		time.Sleep(time.Hour)
		return Result{}, nil
	},
	"oversize": func(context.Context, int) (Result, error) {
		os.NewFile(resultsFD, "results").Write([]byte{0xff, 0xff, 0xff, 0xff})
		time.Sleep(time.Hour)
		return Result{}, nil
	},
	"nap": func(ctx context.Context, i int) (Result, error) {
		time.Sleep(20 * time.Millisecond)
		return square(ctx, i)
	},
	"spin": func(ctx context.Context, i int) (Result, error) {
		// Spend 20ms of CPU, whatever else runs on the machine.
		for t0 := CPUTime(); CPUTime()-t0 < spinCPU; {
		}
		return square(ctx, i)
	},
}

const spinCPU = 20 * time.Millisecond

// testBuild is this test binary's Builder.
func testBuild(_ context.Context, s Spec) (Task, func() error, error) {
	fault, ok := testTasks[s.Workload]
	if !ok {
		return nil, nil, fmt.Errorf("unknown test spec %q", s.Workload)
	}
	at, every, mark := -1, 0, ""
	for _, kv := range s.Params {
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.Atoi(v)
		switch {
		case err == nil && k == "at":
			at = n
		case err == nil && k == "every":
			every = n
		case k == "mark":
			// Leave a file named after this worker: proof that it
			// prepared; and one for each task it runs.
			mark = v
			if err := os.WriteFile(filepath.Join(mark, strconv.Itoa(os.Getpid())), nil, 0o600); err != nil {
				return nil, nil, err
			}
		default:
			return nil, nil, fmt.Errorf("parameter %q: want at=N, every=N or mark=DIR", kv)
		}
	}
	all := at < 0 && every == 0
	return func(ctx context.Context, i int) (Result, error) {
		if mark != "" {
			name := fmt.Sprintf("%d-task-%d", os.Getpid(), i)
			if err := os.WriteFile(filepath.Join(mark, name), nil, 0o600); err != nil {
				return Result{}, err
			}
		}
		if all || i == at || (every > 0 && i%every == 0) {
			return fault(ctx, i)
		}
		return square(ctx, i)
	}, nil, nil
}

func spec(name string, params ...string) Spec { return Spec{Workload: name, Params: params} }

// newProcess starts a process model that the test closes, checking that
// Close succeeds and leaves no worker running.
func newProcess(t *testing.T, workers int) *Process {
	t.Helper()
	p, err := NewProcess(workers)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		var started []*worker
		for _, w := range p.workers {
			started = append(started, w)
		}
		if err := p.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		for _, w := range started {
			if w.cmd.ProcessState == nil || running(w.pid) {
				t.Errorf("worker %d (pid %d) still runs after Close", w.id, w.pid)
			}
		}
	})
	return p
}

// eachRemote runs f on every model of All that runs specs in processes of
// its own (Entry.Remote), each built with workers workers and closed when
// the test ends; after Close no process of the model may be left running.
func eachRemote(t *testing.T, workers int, f func(t *testing.T, m Model)) {
	t.Helper()
	for _, e := range All {
		if !e.Remote {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			var m Model
			if e.Name == "process" {
				m = newProcess(t, workers)
			} else {
				var err error
				if m, err = e.New(Options{Workers: workers}); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { closeModel(t, m) })
			}
			if m.Name() != e.Name {
				t.Errorf("Name() = %q, table says %q", m.Name(), e.Name)
			}
			f(t, m)
		})
	}
}

func closeModel(t *testing.T, m Model) {
	t.Helper()
	if c, ok := m.(interface{ Close() error }); ok {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
}

// tasksFor caps a test batch of n tasks for m: exec starts a process per
// task, so its batches stay small enough for a loaded machine.
func tasksFor(m Model, n int) int {
	if _, ok := m.(*Exec); ok {
		return min(n, 24)
	}
	return n
}

// pidsOf returns the worker pids of a process model, nil for others.
func pidsOf(m Model) []int {
	if p, ok := m.(*Process); ok {
		return p.pids()
	}
	return nil
}

// runWithin runs a batch and fails the test if it takes longer than limit:
// a fault must never hang a batch.
func runWithin(t *testing.T, limit time.Duration, ctx context.Context, m Model, job Job) (Batch, error) {
	t.Helper()
	type outcome struct {
		b   Batch
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		b, err := m.Run(ctx, job)
		done <- outcome{b, err}
	}()
	select {
	case o := <-done:
		return o.b, o.err
	case <-time.After(limit):
		t.Fatalf("Run did not return within %v", limit)
		return Batch{}, nil
	}
}

func sequential(t *testing.T, n int) Batch {
	t.Helper()
	want, err := Sequential{}.Run(context.Background(), Job{N: n, Task: square})
	if err != nil {
		t.Fatal(err)
	}
	return want
}

func TestProcessEveryTaskOnce(t *testing.T) {
	eachRemote(t, 3, func(t *testing.T, p Model) {
		n := tasksFor(p, 500)
		want := sequential(t, n)
		for range 3 { // later batches reuse the prepared spec
			b, err := p.Run(context.Background(), Job{N: n, Spec: spec("square"), TaskTimes: true})
			if err != nil {
				t.Fatal(err)
			}
			checkWholeBatch(t, b, want, n)
		}
	})
}

// TestProcessEveryWorkerPrepares runs a batch of fewer tasks than workers,
// as a warm-up does: when it returns, every worker must have prepared the
// spec, or the next batch would time a worker building the workload.
func TestProcessEveryWorkerPrepares(t *testing.T) {
	const workers = 3
	p := newProcess(t, workers)
	dir := t.TempDir()
	if _, err := p.Run(context.Background(), Job{N: 1, Spec: spec("square", "mark="+dir)}); err != nil {
		t.Fatal(err)
	}
	if got := marks(t, dir, false); len(got) != workers {
		t.Errorf("%d of %d workers prepared the spec of a 1-task batch", len(got), workers)
	}
}

// TestProcessSmallBatchSpreads runs a batch of as many tasks as workers:
// each worker must run one, rather than the first taking them all.
func TestProcessSmallBatchSpreads(t *testing.T) {
	const workers = 3
	p := newProcess(t, workers)
	dir := t.TempDir()
	if _, err := p.Run(context.Background(), Job{N: workers, Spec: spec("square", "mark="+dir)}); err != nil {
		t.Fatal(err)
	}
	ran := map[string]int{}
	for _, name := range marks(t, dir, true) {
		pid, _, _ := strings.Cut(name, "-")
		ran[pid]++
	}
	if len(ran) != workers {
		t.Errorf("tasks per worker %v: want each of %d workers to run one", ran, workers)
	}
}

// marks lists the files that the mark parameter left in dir: those of
// tasks, or those of preparations.
func marks(t *testing.T, dir string, tasks bool) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.Contains(e.Name(), "-task-") == tasks {
			names = append(names, e.Name())
		}
	}
	return names
}

func TestProcessEntry(t *testing.T) {
	e, err := Lookup("process")
	if err != nil {
		t.Fatal(err)
	}
	m, err := e.New(Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer m.(*Process).Close()
	if m.Name() != "process" || m.(*Process).Workers() != 2 {
		t.Errorf("built %s with %d workers, want process with 2", m.Name(), m.(*Process).Workers())
	}
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{Workers: -1}, "workers=-1"},
		{Options{Workers: MaxProcessWorkers + 1}, "workers=1025"},
	} {
		if _, err := e.New(tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want one naming %s", tc.o, err, tc.want)
		}
	}
}

func TestProcessBadJob(t *testing.T) {
	eachRemote(t, 1, func(t *testing.T, p Model) { testBadSpecJob(t, p) })
}

func testBadSpecJob(t *testing.T, p Model) {
	if _, err := p.Run(context.Background(), Job{N: -1, Spec: spec("square")}); err == nil || !strings.Contains(err.Error(), "-1") {
		t.Errorf("N=-1: err = %v, want one naming -1", err)
	}
	if _, err := p.Run(context.Background(), Job{N: 3, Task: square}); err == nil || !strings.Contains(err.Error(), "no spec") {
		t.Errorf("no spec: err = %v", err)
	}
	huge := spec("square", strings.Repeat("x", maxFrame))
	if _, err := p.Run(context.Background(), Job{N: 3, Spec: huge}); err == nil || !strings.Contains(err.Error(), "bytes encoded") {
		t.Errorf("huge spec: err = %v", err)
	}
	b, err := p.Run(context.Background(), Job{N: 0, Spec: spec("square")})
	if err != nil || b.Tasks != 0 || b.Digest != (Digest{}) {
		t.Errorf("Run(0 tasks) = %+v, %v", b, err)
	}
	// A spec the worker cannot build fails the tasks with the builder's error.
	b, err = p.Run(context.Background(), Job{N: 4, Spec: spec("nosuch")})
	if err == nil || !strings.Contains(err.Error(), `preparing workload nosuch: unknown test spec "nosuch"`) {
		t.Errorf("unknown spec: err = %v", err)
	}
	checkAccounting(t, b, 4)
}

func TestProcessTaskError(t *testing.T) {
	eachRemote(t, 4, func(t *testing.T, p Model) {
		n, at := tasksFor(p, 100), tasksFor(p, 100)*3/8
		b, err := p.Run(context.Background(), Job{N: n, Spec: spec("fail", "at="+strconv.Itoa(at))})
		var te *TaskError
		if !errors.As(err, &te) || te.Index != at {
			t.Fatalf("err = %v, want task %d's error", err, at)
		}
		if got, want := err.Error(), fmt.Sprintf("task %d: boom", at); got != want {
			t.Errorf("message %q, want %q", got, want)
		}
		checkAccounting(t, b, n)
		if b.Failed != 1 {
			t.Errorf("%d failed, want 1", b.Failed)
		}
	})
}

// TestProcessSpecChanges runs batches whose specs differ only in a
// parameter: each must run its own.
func TestProcessSpecChanges(t *testing.T) {
	p := newProcess(t, 2)
	for _, at := range []int{3, 4, 3} {
		_, err := p.Run(context.Background(), Job{N: 10, Spec: spec("fail", "at="+strconv.Itoa(at))})
		var te *TaskError
		if !errors.As(err, &te) || te.Index != at {
			t.Errorf("at=%d: err = %v, want task %d's error", at, err, at)
		}
	}
}

func TestProcessKeepGoing(t *testing.T) {
	eachRemote(t, 3, func(t *testing.T, p Model) {
		n := tasksFor(p, 100) / 10 * 10
		b, err := p.Run(context.Background(), Job{N: n, Spec: spec("fail", "every=10"), KeepGoing: true})
		if err == nil {
			t.Fatal("no error")
		}
		if b.Failed != n/10 || b.Succeeded != n-n/10 || b.Cancelled != 0 {
			t.Errorf("batch %+v: want all %d run, %d failed", b, n, n/10)
		}
	})
}

func TestProcessPanicBecomesError(t *testing.T) {
	eachRemote(t, 2, func(t *testing.T, p Model) { testPanicBecomesError(t, p) })
}

func testPanicBecomesError(t *testing.T, p Model) {
	b, err := p.Run(context.Background(), Job{N: 20, Spec: spec("panic", "at=5")})
	var te *TaskError
	var pe *PanicError
	if !errors.As(err, &te) || te.Index != 5 || !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a panic in task 5", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "task 5: panic: kaboom") || !strings.Contains(msg, "process_test.go") {
		t.Errorf("message does not name the task, the value and the stack:\n%s", msg)
	}
	checkAccounting(t, b, 20)
	// A recovered panic leaves the worker serving.
	pids := pidsOf(p)
	if _, err := p.Run(context.Background(), Job{N: 20, Spec: spec("square")}); err != nil {
		t.Fatal(err)
	}
	if got := pidsOf(p); fmt.Sprint(got) != fmt.Sprint(pids) {
		t.Errorf("workers %v were replaced by %v after a recovered panic", pids, got)
	}
}

// TestProcessCancel cancels a batch whose tasks block until cancelled: Run
// must return promptly, account for every task, and leave the workers, which
// did stop their tasks, running.
func TestProcessCancel(t *testing.T) {
	eachRemote(t, 2, testCancel)
}

func testCancel(t *testing.T, p Model) {
	pids := pidsOf(p)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	b, err := runWithin(t, 10*time.Second, ctx, p, Job{N: 1000, Spec: spec("block")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	checkAccounting(t, b, 1000)
	if b.Succeeded != 0 || b.Failed != 0 {
		t.Errorf("batch %+v: every task should count as cancelled", b)
	}
	if got := pidsOf(p); fmt.Sprint(got) != fmt.Sprint(pids) {
		t.Errorf("workers %v were replaced by %v, although they stopped when told", pids, got)
	}
	// A cancelled context stops a batch waiting for its turn, too.
	if _, err := p.Run(ctx, Job{N: 1, Spec: spec("square")}); err == nil {
		t.Error("Run with a cancelled context: no error")
	}
}

// TestProcessWorkerDies kills a worker in the middle of task 5 in three ways.
// The batch must fail promptly, naming the task, the exit status and the
// worker's last words; a batch that keeps going must run every other task,
// those whose results died with the worker included; and the next batch
// must run on a new worker.
func TestProcessWorkerDies(t *testing.T) {
	const n = 20
	want := sequential(t, n)
	for _, tc := range []struct {
		spec    string
		workers int
		status  string
		output  string
	}{
		// With one worker, task 5 is in the middle of a run whose earlier
		// results have not been sent yet.
		{"exit", 1, "exit status 3", "dying on purpose"},
		{"crash", 2, "exit status 2", "panic: crash in a goroutine"},
		{"kill", 1, "signal: killed", ""},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			eachRemote(t, tc.workers, func(t *testing.T, p Model) {
				for _, keepGoing := range []bool{false, true} {
					b, err := runWithin(t, 20*time.Second, context.Background(), p, Job{N: n, Spec: spec(tc.spec, "at=5"), KeepGoing: keepGoing})
					var te *TaskError
					var we *WorkerError
					if !errors.As(err, &te) || te.Index != 5 || !errors.As(err, &we) {
						t.Fatalf("err = %v, want a worker error for task 5", err)
					}
					msg := err.Error()
					for _, s := range []string{"task 5: worker", " died with " + tc.status, tc.output} {
						if !strings.Contains(msg, s) {
							t.Errorf("message lacks %q:\n%s", s, msg)
						}
					}
					checkAccounting(t, b, n)
					if keepGoing && (b.Failed != 1 || b.Succeeded != n-1) {
						t.Errorf("keep going: batch %+v, want only task 5 failed", b)
					}
					if running(we.PID) {
						t.Errorf("dead worker %d still runs", we.PID)
					}
				}
				b, err := p.Run(context.Background(), Job{N: n, Spec: spec("square")})
				if err != nil || b.Digest != want.Digest {
					t.Errorf("batch after the deaths: %v, digest %v want %v", err, b.Digest, want.Digest)
				}
			})
		})
	}
}

// TestProcessBadFrames has a worker write a malformed frame to its results
// descriptor: the parent must fail the task, kill the worker and say why.
func TestProcessBadFrames(t *testing.T) {
	for _, tc := range []struct{ spec, want string }{
		{"garbage", "unknown message kind 99"},
		{"oversize", "exceeds the maximum"},
	} {
		eachRemote(t, 1, func(t *testing.T, p Model) {
			_, err := runWithin(t, 20*time.Second, context.Background(), p, Job{N: 4, Spec: spec(tc.spec, "at=2")})
			var te *TaskError
			var we *WorkerError
			if !errors.As(err, &te) || te.Index != 2 || !errors.As(err, &we) {
				t.Fatalf("err = %v, want a worker error for task 2", err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "signal: killed") {
				t.Errorf("message lacks %q or the kill:\n%s", tc.want, err)
			}
		})
	}
}

// TestProcessHungWorker runs a task that ignores its context: when the
// batch's context ends its worker must be killed, and the batch return.
func TestProcessHungWorker(t *testing.T) {
	eachRemote(t, 2, testHungWorker)
}

func testHungWorker(t *testing.T, p Model) {
	before := pidsOf(p)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	b, err := runWithin(t, 20*time.Second, ctx, p, Job{N: 8, Spec: spec("hang", "at=3")})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	checkAccounting(t, b, 8)
	if b.Failed != 0 {
		t.Errorf("batch %+v: the killed task counts as cancelled, not failed", b)
	}
	if haveProc() && before != nil {
		killed := 0
		for _, pid := range before {
			if !running(pid) {
				killed++
			}
		}
		if killed != 1 {
			t.Errorf("%d of the workers %v are gone, want the hung one", killed, before)
		}
	}
	want := sequential(t, 8)
	if b, err := p.Run(context.Background(), Job{N: 8, Spec: spec("square")}); err != nil || b.Digest != want.Digest {
		t.Errorf("batch after the kill: %v, digest %v want %v", err, b.Digest, want.Digest)
	}
}

// TestProcessStdout has every task print, frames included, to stdout:
// the results must not change.
func TestProcessStdout(t *testing.T) {
	eachRemote(t, 2, func(t *testing.T, p Model) {
		n := tasksFor(p, 50)
		want := sequential(t, n)
		b, err := p.Run(context.Background(), Job{N: n, Spec: spec("stdout")})
		if err != nil || b.Digest != want.Digest {
			t.Errorf("%v, digest %v want %v", err, b.Digest, want.Digest)
		}
	})
}

// TestProcessCPU checks that the workers' CPU time counts in Batch.CPU: each
// task spends 20ms of CPU in a worker, so the batch used at least that much.
func TestProcessCPU(t *testing.T) {
	const n = 8
	eachRemote(t, 2, func(t *testing.T, p Model) {
		b, err := p.Run(context.Background(), Job{N: n, Spec: spec("spin")})
		if err != nil {
			t.Fatal(err)
		}
		if b.CPU < n*spinCPU {
			t.Errorf("batch CPU %v, want at least the %v its tasks spent in the workers", b.CPU, n*spinCPU)
		}
	})
}

// TestProcessShared runs batches from several goroutines at once: they take
// turns and each gets its own results.
func TestProcessShared(t *testing.T) {
	want := sequential(t, 200)
	p := newProcess(t, 2)
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			b, err := p.Run(context.Background(), Job{N: 200, Spec: spec("square")})
			if err != nil || b.Digest != want.Digest {
				t.Errorf("shared: %v, digest %v want %v", err, b.Digest, want.Digest)
			}
		})
	}
	wg.Wait()
}

func TestProcessClosed(t *testing.T) {
	p, err := NewProcess(2)
	if err != nil {
		t.Fatal(err)
	}
	pids := p.pids()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range pids {
		if running(pid) {
			t.Errorf("worker %d still runs after Close", pid)
		}
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := p.Run(context.Background(), Job{N: 1, Spec: spec("square")}); err == nil {
		t.Error("Run on a closed model: no error")
	}
}

// TestProcessNotAWorker starts workers from binaries that cannot serve:
// one that does not exist, and one that exits at once without greeting.
func TestProcessNotAWorker(t *testing.T) {
	if _, err := startProcess("/nonexistent/concbench", 1); err == nil || !strings.Contains(err.Error(), "/nonexistent/concbench") {
		t.Errorf("missing binary: err = %v, want one naming it", err)
	}
	exe, err := exec.LookPath("true")
	if err != nil {
		t.Skip("no true command here")
	}
	_, err = startProcess(exe, 2)
	if err == nil || !strings.Contains(err.Error(), "before its greeting") || !strings.Contains(err.Error(), "ServeIfWorker") {
		t.Errorf("binary that is not a worker: err = %v", err)
	}
}

// orphanParentEnv makes this test binary start a process model, print its
// workers' pids and wait to be killed: see TestProcessNoOrphans.
const orphanParentEnv = "CONCBENCH_TEST_ORPHAN_PARENT"

func orphanParent() {
	p, err := NewProcess(2)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	pids := p.pids()
	// Leave both workers inside tasks that ignore their context.
	go p.Run(context.Background(), Job{N: 2, Spec: spec("hang")})
	time.Sleep(200 * time.Millisecond)
	fmt.Println(strings.Trim(fmt.Sprint(pids), "[]"))
	time.Sleep(time.Minute) // the test kills it long before
	os.Exit(1)
}

// TestProcessNoOrphans kills a parent with SIGKILL, so that it cannot close
// anything, while its workers run tasks that ignore their context: they
// must see their input end and exit by themselves.
func TestProcessNoOrphans(t *testing.T) {
	if !haveProc() {
		t.Skip("no /proc here")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), orphanParentEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	var pids []int
	for _, f := range strings.Fields(line) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	if err != nil || len(pids) != 2 {
		t.Fatalf("parent said %q (%v), want two pids", line, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, pid := range pids {
		for running(pid) {
			if time.Now().After(deadline) {
				t.Fatalf("worker %d still runs 10s after its parent was killed", pid)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

func haveProc() bool {
	_, err := os.Stat("/proc/self/stat")
	return err == nil
}

// running reports whether process pid exists and is not a zombie. Where
// there is no /proc it can only tell that it has been waited for.
func running(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	_, after, ok := strings.Cut(string(stat), ") ")
	return ok && !strings.HasPrefix(after, "Z")
}

// BenchmarkProcessRoundTrip runs batches of one trivial task on one worker:
// ns/op is a single task's round trip to a worker process and back, with
// nothing to share it with, plus the cost of a batch.
func BenchmarkProcessRoundTrip(b *testing.B) {
	p, err := NewProcess(1)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	job := Job{N: 1, Spec: spec("square")}
	for b.Loop() {
		if _, err := p.Run(context.Background(), job); err != nil {
			b.Fatal(err)
		}
	}
}

// TestProcessStoppedWorker stops a worker with SIGSTOP in the middle of a
// batch: the watchdog kills it once it has sent nothing for the stall
// time, and the batch fails naming the worker, its pid, the task and that
// the process was stopped; the next batch runs on a new worker.
func TestProcessStoppedWorker(t *testing.T) {
	p := newProcess(t, 2)
	p.stallWait = time.Second
	stopped := p.workers[1].pid
	go func() {
		time.Sleep(300 * time.Millisecond)
		syscall.Kill(stopped, syscall.SIGSTOP)
	}()
	start := time.Now()
	_, err := runWithin(t, 20*time.Second, context.Background(), p, Job{N: 400, Spec: spec("nap")})
	var se *StallError
	var te *TaskError
	if !errors.As(err, &se) || !errors.As(err, &te) {
		t.Fatalf("err = %v, want a StallError for a task", err)
	}
	want := fmt.Sprintf("task %d: worker 1 (pid %d) made no progress for ", te.Index, stopped)
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), fmt.Sprintf(" in task %d", te.Index)) {
		t.Errorf("message %q lacks %q", err, want)
	}
	if haveProc() && !strings.Contains(err.Error(), "(its process was stopped)") {
		t.Errorf("message %q does not say the process was stopped", err)
	}
	t.Log(err)
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the stall took %v to be noticed, with a stall time of 1s", took)
	}
	if running(stopped) {
		t.Errorf("the stopped worker %d still exists", stopped)
	}
	want2 := sequential(t, 40)
	if b, err := p.Run(context.Background(), Job{N: 40, Spec: spec("square")}); err != nil || b.Digest != want2.Digest {
		t.Errorf("batch after the stall: %v, digest %v want %v", err, b.Digest, want2.Digest)
	}
}
