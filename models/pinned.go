package models

import (
	"context"
	"runtime"
	"sync"
)

// Pinned runs a pool with GOMAXPROCS set to P, the procs of NewPinned, for
// the length of each batch, then restores the previous value. With P=1 it
// is Go's version of
// an asyncio event loop: one OS thread runs Go code, and the netpoller waits
// on IO for every goroutine at once.
//
// GOMAXPROCS is process-wide, so batches of a Pinned model are serialised,
// and nothing else in the process should change GOMAXPROCS meanwhile.
//
// A task costs what it costs on the pool; a batch adds two GOMAXPROCS
// calls, each of which stops the world: 95 to 111ns per no-op task in
// batches of 1000 (BenchmarkOverhead, the medians of two runs on a 2-core
// VM).
//
// Use NewPinned; the zero value is not usable: its Run returns an error.
type Pinned struct {
	procs int
	pool  *Pool
	mu    sync.Mutex
}

// NewPinned starts a pool of workers goroutines (at least one) that will
// run under GOMAXPROCS=procs (at least one). Close stops it.
func NewPinned(procs, workers int) *Pinned {
	return &Pinned{procs: max(procs, 1), pool: NewPool(workers)}
}

func (*Pinned) Name() string { return "pinned" }

func (p *Pinned) Run(ctx context.Context, job Job) (Batch, error) {
	if p.pool == nil {
		return Batch{}, errZero("Pinned", "NewPinned")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(p.procs))
	return p.pool.Run(ctx, job)
}

// Close stops the pool's workers.
func (p *Pinned) Close() error {
	if p.pool == nil {
		return nil
	}
	return p.pool.Close()
}
