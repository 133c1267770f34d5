package models_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"time"

	"github.com/concbench/concbench/models"
)

// square is a task whose result depends only on its index, as every
// workload's does.
func square(_ context.Context, i int) (models.Result, error) {
	return models.Result{Bytes: 1, Digest: uint64(i * i)}, nil
}

// A model is looked up by name, built with its options, run on a batch and
// closed. Its digest equals the sequential model's: the same work was done.
func Example() {
	e, err := models.Lookup("pool")
	if err != nil {
		log.Fatal(err)
	}
	m, err := e.New(models.Options{Workers: 4})
	if err != nil {
		log.Fatal(err)
	}
	if c, ok := m.(io.Closer); ok {
		defer c.Close()
	}
	job := models.Job{N: 100, Task: square}
	b, err := m.Run(context.Background(), job)
	if err != nil {
		log.Fatal(err)
	}
	want, _ := models.Sequential{}.Run(context.Background(), job)
	fmt.Println(m.Name(), b.Succeeded, "tasks,", b.Bytes, "bytes")
	fmt.Println("digest", b.Digest, "same as sequential:", b.Digest == want.Digest)
	// Output:
	// pool 100 tasks, 100 bytes
	// digest 100:b339807ea26b48aececfd2668a2428e6 same as sequential: true
}

// OnResult with InOrder hands results over in index order, as
// ThreadPoolExecutor.map does, however the tasks finish.
func ExampleJob_inOrder() {
	m := models.NewPool(3)
	defer m.Close()
	job := models.Job{N: 5, Task: square, Order: models.InOrder, OnResult: func(i int, r models.Result) {
		fmt.Println(i, r.Digest)
	}}
	if _, err := m.Run(context.Background(), job); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 0 0
	// 1 1
	// 2 4
	// 3 9
	// 4 16
}

// A failing task fails the batch: Run returns a *TaskError naming it, and
// the batch still accounts for every task.
func ExampleTaskError() {
	job := models.Job{N: 10, Task: func(ctx context.Context, i int) (models.Result, error) {
		if i == 3 {
			return models.Result{}, fmt.Errorf("input %d is corrupt", i)
		}
		return square(ctx, i)
	}}
	b, err := models.Sequential{}.Run(context.Background(), job)
	fmt.Println(err)
	fmt.Println(b.Succeeded, "succeeded,", b.Failed, "failed,", b.Cancelled, "cancelled")
	// Output:
	// task 3: input 3 is corrupt
	// 3 succeeded, 1 failed, 6 cancelled
}

// The zero value of a model built by a constructor refuses to run, rather
// than blocking; the zero Semaphore runs GOMAXPROCS tasks at once.
func ExampleSemaphore() {
	b, err := models.Semaphore{}.Run(context.Background(), models.Job{N: 8, Task: square})
	fmt.Println(b.Succeeded, err)
	_, err = (&models.Pool{}).Run(context.Background(), models.Job{N: 8, Task: square})
	fmt.Println(err)
	// Output:
	// 8 <nil>
	// a zero Pool cannot run tasks: build it with models.NewPool
}

// A binary that runs the process model serves as its worker first thing in
// main (or TestMain): in a worker process ServeIfWorker never returns, and
// elsewhere it returns at once. The Builder turns the Spec a worker is sent
// into the task to run; this one knows a single spec.
func ExampleServeIfWorker() {
	models.ServeIfWorker(func(ctx context.Context, s models.Spec) (models.Task, func() error, error) {
		if s.Workload != "square" || len(s.Params) > 0 {
			return nil, nil, fmt.Errorf("unknown spec %s %q", s.Workload, s.Params)
		}
		return square, nil, nil
	})
	// The program proper: parse flags, build models, run batches.
}

// The process model ships a Spec, not a closure, to worker processes that
// re-execute this binary. This package's test binary serves its workers
// with a Builder (see TestMain) that builds the spec "square" into the task
// i → Result{Bytes: i, Digest: i²}.
func ExampleProcess() {
	p, err := models.NewProcess(2)
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	b, err := p.Run(context.Background(), models.Job{N: 100, Spec: models.Spec{Workload: "square"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Workers(), "workers ran", b.Succeeded, "tasks of", b.Bytes, "bytes, digest", b.Digest)
	// Output:
	// 2 workers ran 100 tasks of 4950 bytes, digest 100:db0b598295c752a3646242d9edd688e7
}

// An open-loop batch: requests arrive over time rather than all at once.
// Arrive returns at task i's arrival, here every 2ms, and spawn starts
// task i's goroutine only then; the batch lasts until the last arrival
// has been served.
func ExampleJob_arrive() {
	start := time.Now()
	job := models.Job{N: 5, Task: square, Arrive: func(ctx context.Context, i int) time.Time {
		at := start.Add(time.Duration(i) * 2 * time.Millisecond)
		select {
		case <-time.After(time.Until(at)):
		case <-ctx.Done():
		}
		return at
	}}
	b, err := models.Spawn{}.Run(context.Background(), job)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(b.Succeeded, "tasks; lasted past the last arrival:", time.Since(start) >= 8*time.Millisecond)
	// Output: 5 tasks; lasted past the last arrival: true
}
