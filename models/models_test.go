package models

import (
	"context"
	"errors"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/internal/leakcheck"
)

// TestMain first serves as a process model worker if started as one (see
// testBuild), or as the parent of workers that TestProcessNoOrphans kills.
// After the tests it fails the run if a goroutine, a child process or a
// temporary file is left behind.
func TestMain(m *testing.M) {
	ServeIfWorker(testBuild)
	if os.Getenv(orphanParentEnv) != "" {
		orphanParent()
	}
	leakcheck.Main(m)
}

// each builds every in-process model with the given options and runs f on
// it. The process model runs Job.Spec in other processes, where these tests'
// closures cannot go; process_test.go tests it, and exec, with specs
// instead (eachRemote).
func each(t *testing.T, o Options, f func(t *testing.T, m Model)) {
	t.Helper()
	for _, e := range All {
		if e.Remote {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			m, err := e.New(o)
			if err != nil {
				t.Fatal(err)
			}
			if c, ok := m.(interface{ Close() error }); ok {
				t.Cleanup(func() {
					if err := c.Close(); err != nil {
						t.Error(err)
					}
				})
			}
			if m.Name() != e.Name {
				t.Errorf("Name() = %q, table says %q", m.Name(), e.Name)
			}
			f(t, m)
		})
	}
}

func square(_ context.Context, i int) (Result, error) {
	return Result{Bytes: int64(i), Digest: uint64(i * i)}, nil
}

func TestEveryTaskOnce(t *testing.T) {
	const n = 500
	want, err := Sequential{}.Run(context.Background(), Job{N: n, Task: square})
	if err != nil {
		t.Fatal(err)
	}
	each(t, Options{Workers: 7}, func(t *testing.T, m Model) {
		calls := make([]atomic.Int32, n)
		task := func(ctx context.Context, i int) (Result, error) {
			calls[i].Add(1)
			return square(ctx, i)
		}
		b, err := m.Run(context.Background(), Job{N: n, Task: task, TaskTimes: true})
		if err != nil {
			t.Fatal(err)
		}
		for i := range calls {
			if c := calls[i].Load(); c != 1 {
				t.Fatalf("task %d ran %d times", i, c)
			}
		}
		checkWholeBatch(t, b, want, n)
	})
}

func TestEmptyBatch(t *testing.T) {
	each(t, Options{}, func(t *testing.T, m Model) {
		b, err := m.Run(context.Background(), Job{N: 0, Task: square})
		if err != nil || b.Tasks != 0 || b.Digest != (Digest{}) {
			t.Errorf("Run(0 tasks) = %+v, %v", b, err)
		}
	})
}

func TestBadJob(t *testing.T) {
	each(t, Options{}, func(t *testing.T, m Model) {
		if _, err := m.Run(context.Background(), Job{N: -1, Task: square}); err == nil || !strings.Contains(err.Error(), "-1") {
			t.Errorf("N=-1: err = %v, want one naming -1", err)
		}
		if _, err := m.Run(context.Background(), Job{N: 3}); err == nil {
			t.Error("nil task: no error")
		}
	})
}

func TestTaskError(t *testing.T) {
	boom := errors.New("boom")
	each(t, Options{Workers: 4}, func(t *testing.T, m Model) {
		task := func(ctx context.Context, i int) (Result, error) {
			if i == 37 {
				return Result{}, boom
			}
			return square(ctx, i)
		}
		b, err := m.Run(context.Background(), Job{N: 100, Task: task})
		var te *TaskError
		if !errors.As(err, &te) || te.Index != 37 || !errors.Is(err, boom) {
			t.Fatalf("err = %v, want task 37's error", err)
		}
		if got := err.Error(); got != "task 37: boom" {
			t.Errorf("message %q", got)
		}
		checkAccounting(t, b, 100)
		if b.Failed != 1 {
			t.Errorf("%d failed, want 1", b.Failed)
		}
	})
}

func TestKeepGoing(t *testing.T) {
	each(t, Options{Workers: 3}, func(t *testing.T, m Model) {
		var ran atomic.Int32
		task := func(ctx context.Context, i int) (Result, error) {
			ran.Add(1)
			if i%10 == 0 {
				return Result{}, errors.New("every tenth")
			}
			return square(ctx, i)
		}
		b, err := m.Run(context.Background(), Job{N: 100, Task: task, KeepGoing: true})
		if err == nil {
			t.Fatal("no error")
		}
		if ran.Load() != 100 || b.Failed != 10 || b.Succeeded != 90 || b.Cancelled != 0 {
			t.Errorf("ran %d, batch %+v: want all 100 run, 10 failed", ran.Load(), b)
		}
	})
}

func TestPanicBecomesError(t *testing.T) {
	each(t, Options{Workers: 2}, func(t *testing.T, m Model) {
		task := func(ctx context.Context, i int) (Result, error) {
			if i == 5 {
				panic("kaboom")
			}
			return square(ctx, i)
		}
		b, err := m.Run(context.Background(), Job{N: 20, Task: task})
		var te *TaskError
		var pe *PanicError
		if !errors.As(err, &te) || te.Index != 5 || !errors.As(err, &pe) {
			t.Fatalf("err = %v, want a panic in task 5", err)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "task 5: panic: kaboom") || !strings.Contains(msg, "models_test.go") {
			t.Errorf("message does not name the task, the value and the stack:\n%s", msg)
		}
		checkAccounting(t, b, 20)
	})
}

// TestCancel cancels a batch whose tasks block until cancelled: Run must
// return promptly, start no task after the cancellation, and account for
// every task.
func TestCancel(t *testing.T) {
	each(t, Options{Workers: 4}, func(t *testing.T, m Model) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var started atomic.Int32
		first := make(chan struct{})
		task := func(ctx context.Context, i int) (Result, error) {
			if started.Add(1) == 1 {
				close(first)
			}
			<-ctx.Done()
			return Result{}, ctx.Err()
		}
		go func() {
			<-first
			cancel()
		}()
		done := make(chan struct{})
		var b Batch
		var err error
		go func() {
			defer close(done)
			b, err = m.Run(ctx, Job{N: 1000, Task: task})
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
		if b.Succeeded != 0 || b.Failed != 0 {
			t.Errorf("batch %+v: every task should count as cancelled", b)
		}
		// Tasks already handed out may start; a batch of 1000 must not run on.
		if n := started.Load(); n > 16 && m.Name() != "spawn" {
			t.Errorf("%d tasks started, although the batch was cancelled once the first had", n)
		}
	})
}

// checkWholeBatch checks a batch of n tasks, timed one by one, that all
// succeeded and did the same work as want, the sequential run.
func checkWholeBatch(t *testing.T, b, want Batch, n int) {
	t.Helper()
	if b.Digest != want.Digest || b.Bytes != want.Bytes {
		t.Errorf("digest %v bytes %d, sequential gave %v bytes %d", b.Digest, b.Bytes, want.Digest, want.Bytes)
	}
	if b.Tasks != n || b.Succeeded != n || b.Failed != 0 || b.Cancelled != 0 {
		t.Errorf("accounting %+v", b)
	}
	if len(b.Latencies) != n {
		t.Errorf("%d latencies, want %d", len(b.Latencies), n)
	}
	if b.Wall <= 0 {
		t.Errorf("wall time %v", b.Wall)
	}
}

func checkAccounting(t *testing.T, b Batch, n int) {
	t.Helper()
	if b.Tasks != n || b.Succeeded+b.Failed+b.Cancelled != n {
		t.Errorf("batch %+v: submitted %d != succeeded+failed+cancelled", b, n)
	}
}

// TestConcurrencyBound checks that the bounded models never run more than
// Workers tasks at once and that spawn does run them all at once.
func TestConcurrencyBound(t *testing.T) {
	const workers, n = 3, 24
	each(t, Options{Workers: workers, Procs: 2}, func(t *testing.T, m Model) {
		var mu sync.Mutex
		inFlight, peak := 0, 0
		release := make(chan struct{})
		// Bounded models never have all n in flight, so their tasks stop
		// waiting after a moment; spawn's wait for the last to start, which
		// can take a while on a busy machine.
		wait := time.Millisecond
		if m.Name() == "spawn" {
			wait = 10 * time.Second
		}
		task := func(ctx context.Context, i int) (Result, error) {
			mu.Lock()
			inFlight++
			peak = max(peak, inFlight)
			reached := inFlight
			mu.Unlock()
			if reached == n {
				close(release) // only spawn gets here
			}
			select {
			case <-release:
			case <-time.After(wait):
			}
			mu.Lock()
			inFlight--
			mu.Unlock()
			return square(ctx, i)
		}
		if _, err := m.Run(context.Background(), Job{N: n, Task: task}); err != nil {
			t.Fatal(err)
		}
		switch m.Name() {
		case "spawn":
			if peak != n {
				t.Errorf("peak %d tasks in flight, want all %d", peak, n)
			}
		case "sequential":
			if peak != 1 {
				t.Errorf("peak %d tasks in flight, want 1", peak)
			}
		default:
			if peak > workers {
				t.Errorf("peak %d tasks in flight, want at most %d", peak, workers)
			}
		}
	})
}

func TestPinnedRestoresGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	p := NewPinned(1, 4)
	defer p.Close()
	var inside atomic.Int32
	task := func(ctx context.Context, i int) (Result, error) {
		inside.Store(int32(runtime.GOMAXPROCS(0)))
		if i == 2 {
			panic("still restores")
		}
		return square(ctx, i)
	}
	if _, err := p.Run(context.Background(), Job{N: 8, Task: task}); err == nil {
		t.Fatal("panic not reported")
	}
	if got := inside.Load(); got != 1 {
		t.Errorf("GOMAXPROCS inside the batch = %d, want 1", got)
	}
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Errorf("GOMAXPROCS after the batch = %d, want 3 restored", got)
	}
}

// TestPoolClosed checks every model that holds workers: Close may be
// called twice, and Run after Close fails instead of hanging or panicking.
func TestPoolClosed(t *testing.T) {
	for _, e := range All {
		m, err := e.New(Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		c, ok := m.(interface{ Close() error })
		if !ok {
			continue
		}
		if err := c.Close(); err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		if err := c.Close(); err != nil {
			t.Fatalf("%s: second Close: %v", e.Name, err)
		}
		if _, err := m.Run(context.Background(), Job{N: 1, Task: square}); err == nil {
			t.Errorf("%s: Run after Close: no error", e.Name)
		}
	}
}

// TestPoolShared runs batches from several goroutines on one pool at once.
func TestPoolShared(t *testing.T) {
	p := NewPool(3)
	defer p.Close()
	want, _ := Sequential{}.Run(context.Background(), Job{N: 200, Task: square})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			b, err := p.Run(context.Background(), Job{N: 200, Task: square})
			if err != nil || b.Digest != want.Digest {
				t.Errorf("shared pool: %v, digest %v want %v", err, b.Digest, want.Digest)
			}
		})
	}
	wg.Wait()
}

// TestOptionsRejected: every knob's value below zero or above its Max is
// an error naming key=value, from every model that checks its options.
func TestOptionsRejected(t *testing.T) {
	for _, k := range benchkey.Knobs {
		for _, bad := range []int{-1, k.Max + 1} {
			var o Options
			*o.knob(k) = bad
			want := k.Key + "=" + strconv.Itoa(bad)
			for _, name := range []string{"pool", "semaphore", "pinned", "gil", "pipeline", "ants", "pond"} {
				e, _ := Lookup(name)
				if _, err := e.New(o); err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("%s %+v: err = %v, want one naming %s", name, o, err, want)
				}
			}
		}
	}
}

// TestKnobTable: the knob table and Options describe the same fields, and
// every model a knob names exists, so that a knob is added by a field and
// a row, and a typo in either fails here.
func TestKnobTable(t *testing.T) {
	typ := reflect.TypeFor[Options]()
	if typ.NumField() != len(benchkey.Knobs) {
		t.Errorf("Options has %d fields, benchkey.Knobs %d rows", typ.NumField(), len(benchkey.Knobs))
	}
	for _, k := range benchkey.Knobs {
		f, ok := typ.FieldByName(k.Name)
		if !ok || f.Type.Kind() != reflect.Int {
			t.Errorf("knob %s: Options has no int field %s", k.Key, k.Name)
			continue
		}
		if k.Key != strings.ToLower(k.Name) || k.Doc == "" || k.DefaultDoc == "" || k.Default == nil || k.Default() < 1 || k.Max < k.Default() {
			t.Errorf("knob %s: incomplete row %+v", k.Key, k)
		}
		if len(k.Models) == 0 {
			t.Errorf("knob %s: no model takes it", k.Key)
		}
		for _, m := range k.Models {
			if _, err := Lookup(m); err != nil {
				t.Errorf("knob %s: %v", k.Key, err)
			}
		}
		// Each field is its own: setting it through the table sets that
		// field and no other.
		var o Options
		*o.knob(k) = 7
		if v := reflect.ValueOf(o).FieldByName(k.Name).Int(); v != 7 || o == (Options{}) {
			t.Errorf("knob %s: set %d", k.Key, v)
		}
	}
}

// TestEntryValues: a model's values carry only the knobs it takes, so a
// benchmark name shows the pipeline's fetch and parse but not its unused
// workers, and spawn shows none.
func TestEntryValues(t *testing.T) {
	o := Options{Workers: 3, Procs: 2, Fetch: 5, Parse: 7}
	for _, tc := range []struct {
		model string
		want  string
	}{
		{benchkey.Sequential, ""},
		{"spawn", ""},
		{"pool", "workers=3"},
		{"pinned", "workers=3/procs=2"},
		{"pipeline", "fetch=5/parse=7"},
	} {
		e, err := Lookup(tc.model)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(e.Values(o).Pairs(), "/"); got != tc.want {
			t.Errorf("%s: values %q, want %q", tc.model, got, tc.want)
		}
	}
}

// TestConcurrency: tasks in flight and goroutines that can compute, per
// model, for a batch of 10.
func TestConcurrency(t *testing.T) {
	o := Options{Workers: 4, Procs: 2, Fetch: 3, Parse: 5}
	for _, tc := range []struct {
		model              string
		o                  Options
		inFlight, runnable int
	}{
		{benchkey.Sequential, o, 1, 1},
		{"spawn", o, 10, 10},
		{"pool", o, 4, 4},
		{"pool", Options{Workers: 64}, 10, 10}, // no more than the batch
		{"semaphore", o, 4, 4},
		{"errgroup", o, 4, 4},
		{"chanpool", o, 4, 4},
		{"conc", o, 4, 4},
		{"pinned", o, 4, 2}, // four workers, two threads
		{"gil", o, 4, 4},
		{"pipeline", o, 3, 8}, // waits in its 3 fetchers; fetchers and parsers compute
		{"process", o, 4, 4},
		{"exec", o, 4, 4},
	} {
		e, err := Lookup(tc.model)
		if err != nil {
			t.Fatal(err)
		}
		if c := e.Concurrency(tc.o, 10); c.InFlight != tc.inFlight || c.Runnable != tc.runnable {
			t.Errorf("%s %+v: %+v, want in flight %d, runnable %d", tc.model, tc.o, c, tc.inFlight, tc.runnable)
		}
	}
	// Zero options are read as their defaults.
	e, _ := Lookup("pool")
	if c := e.Concurrency(Options{}, 1<<20); c.InFlight != runtime.GOMAXPROCS(0) {
		t.Errorf("pool at defaults: %+v, want GOMAXPROCS=%d in flight", c, runtime.GOMAXPROCS(0))
	}
}

func TestNames(t *testing.T) {
	names := Names()
	if len(names) != len(All) || names[0] != benchkey.Sequential || !slices.Contains(names, "pipeline") {
		t.Errorf("Names() = %v", names)
	}
}

func TestLookup(t *testing.T) {
	if _, err := Lookup("poool"); err == nil || !strings.Contains(err.Error(), `"poool"`) || !strings.Contains(err.Error(), "pool") {
		t.Errorf("Lookup(poool) = %v", err)
	}
}

func TestDigest(t *testing.T) {
	var a, b, c Digest
	for i := range 10 {
		a.Add(i, Result{Bytes: 1, Digest: uint64(i)})
	}
	for i := 9; i >= 0; i-- {
		b.Add(i, Result{Bytes: 1, Digest: uint64(i)})
	}
	if a != b {
		t.Errorf("order changed the digest: %v vs %v", a, b)
	}
	// Swapping two results between indices must change it.
	for i := range 10 {
		d := uint64(i)
		switch i {
		case 3:
			d = 4
		case 4:
			d = 3
		}
		c.Add(i, Result{Bytes: 1, Digest: d})
	}
	if c == a {
		t.Error("swapping results 3 and 4 left the digest unchanged")
	}
}

// TestAllInReportOrder holds the models table to benchkey.ModelOrder,
// the order in which reports list models: a model added here must be
// added there, at the same place.
func TestAllInReportOrder(t *testing.T) {
	var names []string
	for _, e := range All {
		names = append(names, e.Name)
	}
	if !slices.Equal(names, benchkey.ModelOrder) {
		t.Errorf("models.All is %q, benchkey.ModelOrder %q: list the models in benchkey.ModelOrder in the order of All", names, benchkey.ModelOrder)
	}
}
