package bench

import (
	"context"
	"testing"

	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/workloads"
)

// TestDigests runs every workload under every model, and the IO sweep, at
// -short sizes, and requires each batch's digest to equal the sequential
// model's: the promise that every model does exactly the same work.
func TestDigests(t *testing.T) {
	for _, c := range append(Matrix(true), Sweep(true)...) {
		t.Run(c.Name(), func(t *testing.T) {
			r, err := Setup(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				// A worker process that ended badly shows here.
				if err := r.Close(); err != nil {
					t.Error(err)
				}
			}()
			b, err := r.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if b.Succeeded != c.Tasks || b.Digest.Count != c.Tasks {
				t.Errorf("batch %+v: want %d tasks succeeded", b, c.Tasks)
			}
		})
	}
}

// TestDigestsDiffer guards the guard: the reference digest must change when
// the work changes, or TestDigests would pass vacuously.
func TestDigestsDiffer(t *testing.T) {
	// The two fanout handlers send the same bytes, one backend call at a
	// time or all at once: their digests must be equal.
	same := map[string]string{"fanout-concurrent": "fanout-serial"}
	seen := map[models.Digest]string{}
	for _, e := range workloads.All {
		c := Case{Workload: e.Name, Model: "sequential", Tasks: ShortTasks, Short: true}
		r, err := Setup(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		other, dup := seen[r.Want]
		switch twin, ok := same[e.Name]; {
		case ok && other != twin:
			t.Errorf("%s's digest %v differs from %s's: they should do the same work", e.Name, r.Want, twin)
		case !ok && dup:
			t.Errorf("%s and %s have the same digest %v", e.Name, other, r.Want)
		}
		seen[r.Want] = e.Name

		// Dropping or repeating a task must change the digest.
		skip := r.Job
		skip.Task = func(ctx context.Context, i int) (models.Result, error) {
			if i == 1 {
				i = 0
			}
			return r.Job.Task(ctx, i)
		}
		b, err := models.Sequential{}.Run(context.Background(), skip)
		r.Close() // after the run: an IO workload's server must still be up
		if err != nil {
			t.Fatal(err)
		}
		if b.Digest == r.Want {
			t.Errorf("%s: running task 0 in place of task 1 left the digest unchanged", e.Name)
		}
	}
}

// TestSpinDigests holds every model's batch of spin tasks, in and out of
// process, to the sequential digest, and the digest to the task's length.
// It runs before the fault tests, as TestDigests does: pond stops its
// pools through a package-wide pool whose WaitGroup keeps the synctest
// bubble that first used it, and a Close outside it after that is fatal.
func TestSpinDigests(t *testing.T) {
	ctx := context.Background()
	want, err := models.Sequential{}.Run(ctx, models.Job{N: 8, Task: spin(100)})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := models.Sequential{}.Run(ctx, models.Job{N: 8, Task: spin(101)})
	if other.Digest == want.Digest {
		t.Fatal("spin(100) and spin(101) give the same digest")
	}
	for _, e := range models.All {
		t.Run(e.Name, func(t *testing.T) {
			m, err := e.New(DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			defer CloseModel(m)
			job := models.Job{N: 8, Task: spin(100), Spec: models.Spec{Workload: SpinSpec.Workload, Params: []string{"iters=100"}}}
			got, err := m.Run(ctx, job)
			if err != nil {
				t.Fatal(err)
			}
			if got.Digest != want.Digest {
				t.Errorf("digest %v, want %v", got.Digest, want.Digest)
			}
		})
	}
}
