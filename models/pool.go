package models

import (
	"context"
	"errors"
	"sync"
)

// A Pool is a fixed set of long-lived worker goroutines fed over one
// channel: the counterpart of ThreadPoolExecutor. The workers start in
// NewPool, so a batch pays only for handing out its tasks; several batches
// may share the pool at once.
//
// What travels over the channel is the batch, offered once per worker (or
// once per task, if it has fewer tasks than the pool has workers). A worker
// that takes it claims the batch's task indices one at a time, in
// increasing order, with an atomic counter, until none are left. So a batch
// costs at most W channel hand-offs and a task one atomic add: on no-op
// tasks (BenchmarkOverhead, the medians of two runs on a 2-core VM) 87 to
// 96ns per task in all, where sending each index over the channel cost
// about 440ns, most of it goroutines parking and waking as the channel
// filled and emptied. Claiming keeps the balance of one index per
// hand-off: no worker holds tasks that another could run. The price is
// fairness between batches: workers stay with the batch they took until
// its indices run out, so batches sharing the pool run mostly one after
// another rather than interleaved.
//
// Use NewPool; the zero value is not usable: its Run returns an error.
type Pool struct {
	workers int
	work    chan *batch

	mu     sync.RWMutex // guards closed against sends on a closed channel
	closed bool
	wg     sync.WaitGroup
}

// NewPool starts workers goroutines (at least one) and returns their pool.
// Close stops them.
func NewPool(workers int) *Pool {
	workers = max(workers, 1)
	p := &Pool{workers: workers, work: make(chan *batch, workers)}
	for range workers {
		p.wg.Go(func() {
			for b := range p.work {
				for i := b.claim(); i < len(b.slots); i = b.claim() {
					b.exec(i)
				}
				b.done.Done()
			}
		})
	}
	return p
}

func (*Pool) Name() string { return "pool" }

// Workers returns the number of worker goroutines.
func (p *Pool) Workers() int { return p.workers }

var errClosed = errors.New("pool is closed")

func (p *Pool) Run(ctx context.Context, job Job) (Batch, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.work == nil {
		return Batch{}, errZero("Pool", "NewPool")
	}
	if p.closed {
		return Batch{}, errClosed
	}
	return runBatch(ctx, job, func(b *batch) {
		offers := min(p.workers, job.N)
		b.done.Add(offers)
		for k := range offers {
			select {
			case p.work <- b:
			case <-b.ctx.Done():
				// Workers that took the batch run out its indices (exec
				// returns at once now); if none took it, its tasks never
				// ran and count as cancelled.
				b.done.Add(k - offers)
				b.done.Wait()
				return
			}
		}
		b.done.Wait()
	})
}

// Close stops the workers once the batches in flight have finished.
func (p *Pool) Close() error {
	p.mu.Lock()
	if !p.closed && p.work != nil {
		p.closed = true
		close(p.work)
	}
	p.mu.Unlock()
	p.wg.Wait()
	return nil
}
