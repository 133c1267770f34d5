package bench

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/workloads"
)

func ioWorkloads() []string {
	var names []string
	for _, e := range workloads.All {
		if e.New().Kind() == workloads.IO {
			names = append(names, e.Name)
		}
	}
	return names
}

func TestConcurrency(t *testing.T) {
	for _, tc := range []struct {
		c    Case
		want int
	}{
		{Case{Model: "sequential", Tasks: 256, Options: models.Options{Workers: 64}}, 1},
		{Case{Model: "spawn", Tasks: 256, Options: models.Options{Workers: 64}}, 256},
		{Case{Model: "pool", Tasks: 256, Options: models.Options{Workers: 64}}, 64},
		{Case{Model: "pool", Tasks: 8, Options: models.Options{Workers: 64}}, 8},
		{Case{Model: "semaphore", Tasks: 256, Options: models.Options{Workers: 16}}, 16},
		{Case{Model: "pinned", Tasks: 256, Options: models.Options{Workers: 4, Procs: 1}}, 4},
		{Case{Model: "pipeline", Tasks: 256, Options: models.Options{Workers: 2, Fetch: 64, Parse: 2}}, 64},
		{Case{Model: "gil", Tasks: 256, Options: models.Options{Workers: 64}}, 64},
	} {
		r, _ := tc.c.Resolve() // no workload: the model alone decides
		if got := r.Concurrency().InFlight; got != tc.want {
			t.Errorf("%s workers=%d tasks=%d: concurrency %d, want %d", tc.c.Model, tc.c.Options.Workers, tc.c.Tasks, got, tc.want)
		}
	}
}

// TestFloor checks ceil(N/C) x L: IO workloads have a floor, CPU ones none.
func TestFloor(t *testing.T) {
	for _, tc := range []struct {
		c    Case
		want time.Duration
	}{
		{Case{Workload: "http", Model: "pool", Tasks: 10, Options: models.Options{Workers: 4}, Params: []string{"latency=3ms"}}, 9 * time.Millisecond},
		{Case{Workload: "http", Model: "sequential", Tasks: 10, Params: []string{"latency=3ms"}}, 30 * time.Millisecond},
		{Case{Workload: "http", Model: "spawn", Tasks: 10, Params: []string{"latency=3ms"}}, 3 * time.Millisecond},
		{Case{Workload: "fanout-serial", Model: "pool", Tasks: 4, Options: models.Options{Workers: 4}, Params: []string{"latency=3ms", "db-latency=1ms"}}, 4 * time.Millisecond},
		{Case{Workload: "fanout-concurrent", Model: "pool", Tasks: 4, Options: models.Options{Workers: 2}, Params: []string{"latency=3ms", "db-latency=1ms"}}, 6 * time.Millisecond},
		{Case{Workload: "xxh3", Model: "pool", Tasks: 4, Options: models.Options{Workers: 2}, Short: true}, 0},
	} {
		r, err := Setup(context.Background(), tc.c)
		if err != nil {
			t.Fatal(err)
		}
		if r.Floor != tc.want {
			t.Errorf("%s: floor %v, want %v", tc.c.Name(), r.Floor, tc.want)
		}
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	}
	r, err := Setup(context.Background(), Case{Workload: "file", Model: "pool", Tasks: 8, Options: models.Options{Workers: 2}, Short: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Floor <= 0 {
		t.Errorf("file: floor %v, want four times the time of a task run alone", r.Floor)
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 200; i++ {
		ds = append(ds, time.Duration(i))
	}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{0.5, 100}, {0.99, 198}, {1, 200}, {0, 1}} {
		if got := Percentile(ds, tc.p); got != tc.want {
			t.Errorf("Percentile(1..200, %v) = %v, want %v", tc.p, got, tc.want)
		}
	}
	if got := Percentile([]time.Duration{7}, 0.99); got != 7 {
		t.Errorf("percentile of one = %v", got)
	}
}

// TestIOTimeoutFailsTheBenchmark: a server slower than the timeout makes
// the reference run fail, naming the timeout, rather than giving a fast
// batch of failed tasks.
func TestIOTimeoutFailsTheBenchmark(t *testing.T) {
	for _, name := range []string{"http", "fanout-concurrent"} {
		c := Case{Workload: name, Model: "pool", Tasks: 4, Options: models.Options{Workers: 4}, Short: true, Params: []string{"latency=10s", "timeout=20ms"}}
		r, err := Setup(context.Background(), c)
		var te *models.TaskError
		if !errors.As(err, &te) || !strings.Contains(err.Error(), "timeout") {
			t.Errorf("%s: Setup err = %v, want a task's timeout", name, err)
		}
		if r != nil {
			r.Close()
		}
	}
}

// TestIOCancel cancels a batch of each IO workload under each concurrent
// model while tasks are in flight: task 3 cancels the batch as it starts.
// Run returns context.Canceled, no goroutine is left once the runner is
// closed, and the file workload leaves no file.
func TestIOCancel(t *testing.T) {
	for _, name := range ioWorkloads() {
		for _, model := range []string{"spawn", "pool", "semaphore", "pinned"} {
			t.Run(name+"/"+model, func(t *testing.T) {
				before := goleak.IgnoreCurrent()
				dir := t.TempDir()
				c := Case{Workload: name, Model: model, Tasks: 64, Options: models.Options{Workers: 4, Procs: 1}, Short: true}
				if name == "file" {
					c.Params = []string{"dir=" + dir}
				}
				r, err := Setup(context.Background(), c)
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				job := r.Job
				job.Task = func(ctx context.Context, i int) (models.Result, error) {
					if i == 3 {
						cancel()
					}
					return r.Job.Task(ctx, i)
				}
				b, err := r.Model.Run(ctx, job)
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v, want context.Canceled", err)
				}
				if b.Cancelled == 0 || b.Failed != 0 || b.Tasks != b.Succeeded+b.Cancelled {
					t.Errorf("batch %+v: want cancelled tasks, none failed, all accounted for", b)
				}
				if err := r.Close(); err != nil {
					t.Error(err)
				}
				goleak.VerifyNone(t, before)
				if left, _ := os.ReadDir(dir); len(left) != 0 {
					t.Errorf("the run left %d entries in %s", len(left), dir)
				}
			})
		}
	}
}
