// Package models schedules a batch of tasks under one concurrency model.
//
// A model runs a Job: n tasks, each a call task(ctx, i) for an index i in
// [0, n). It never knows which workload it runs; it only sees the Result a
// task returns (the bytes it processed and a digest of its output). Every
// model folds those results into a Batch whose Digest does not depend on the
// order in which tasks finished, so two models did the same work exactly when
// their digests are equal.
//
// The models are listed in one table, All. Each is a small type in a file of
// its own:
//
//	sequential  one task after another on the calling goroutine
//	spawn       one goroutine per task
//	pool        W long-lived workers fed batches by a channel, claiming indices
//	semaphore   a goroutine per task, at most W in flight (x/sync/semaphore)
//	errgroup    a goroutine per task, at most W in flight (x/sync/errgroup)
//	chanpool    W goroutines per batch ranging over a channel of indices
//	conc        github.com/sourcegraph/conc's pool of at most W goroutines
//	pinned      the pool, run with GOMAXPROCS set to P and then restored
//	gil         the pool under one lock, released while a task waits on IO
//	pipeline    a producer, then F workers on a job's first stage and P on
//	            each later one, joined by channels
//	ants        github.com/panjf2000/ants/v2, one Submit per task
//	pond        github.com/alitto/pond/v2, one Go per task
//	process     P worker processes fed task indices over pipes
//	exec        one process per task, at most W at once
//
// A Job may describe its Task as Stages, steps that pass a value from one
// to the next; the pipeline runs each on workers of its own, the others
// call Task. A Job may also ask for its results as they come: OnResult
// receives them on one goroutine, in completion order (AsCompleted, like
// as_completed) or in index order (InOrder, like ThreadPoolExecutor.map).
// A model that treats IO waits apart from computing passes an IOWaiter to
// its tasks through their context.
//
// A Job is closed-loop by default: all its tasks are there when the batch
// starts. Job.Arrive makes it open-loop, requests arriving over time: the
// model hands out task i only once Arrive has returned for it, so a model
// that starts a goroutine per task starts none early, and a pool's queue
// is the tasks that have arrived and wait for a worker.
//
// Failure is uniform across models. A task that returns an error or panics
// fails the batch: the batch context is cancelled, tasks not yet started are
// counted as cancelled, and Run returns a *TaskError naming the first task
// that failed. A panic is recovered and reported with its stack; it never
// takes the process down. With Job.KeepGoing the batch runs every task and
// reports the first failure at the end. Cancelling the caller's context stops
// the batch promptly: no task starts after it, and Run returns once the tasks
// already running have returned.
//
// The process and exec models run tasks in other processes, which cannot
// receive a closure: they ship Job.Spec instead, and each worker rebuilds
// the task. A
// binary that runs it calls ServeIfWorker first thing in main (or TestMain)
// with a Builder that turns a Spec into a Task. A worker that dies fails the
// task it was running with a *WorkerError; it never hangs the batch.
//
// Every Batch accounts for each task exactly once:
// Tasks == Succeeded + Failed + Cancelled.
package models
