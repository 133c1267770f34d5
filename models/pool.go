package models

import (
	"context"
	"errors"
	"sync"
)

// A Pool is a fixed set of long-lived worker goroutines fed task indices over
// one channel: the counterpart of ThreadPoolExecutor. The workers start in
// NewPool, so a batch pays only for handing out its indices; several batches
// may share the pool at once.
type Pool struct {
	workers int
	work    chan item

	mu     sync.RWMutex // guards closed against sends on a closed channel
	closed bool
	wg     sync.WaitGroup
}

// An item is one task of one batch.
type item struct {
	b *batch
	i int
}

// NewPool starts workers goroutines (at least one) and returns their pool.
// Close stops them.
func NewPool(workers int) *Pool {
	workers = max(workers, 1)
	p := &Pool{workers: workers, work: make(chan item, workers)}
	for range workers {
		p.wg.Go(func() {
			for it := range p.work {
				it.b.exec(it.i)
				it.b.done.Done()
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
	if p.closed {
		return Batch{}, errClosed
	}
	return runBatch(ctx, job, func(b *batch) {
		b.done.Add(job.N)
		for i := range job.N {
			select {
			case p.work <- item{b, i}:
			case <-b.ctx.Done():
				b.done.Add(i - job.N) // indices i.. were never sent
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
	if !p.closed {
		p.closed = true
		close(p.work)
	}
	p.mu.Unlock()
	p.wg.Wait()
	return nil
}
