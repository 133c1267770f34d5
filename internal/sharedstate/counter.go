package sharedstate

import (
	"sync"
	"sync/atomic"
)

type mutexCounter struct {
	mu sync.Mutex
	n  int64
}

func (c *mutexCounter) Add(_ int, n int64) {
	c.mu.Lock()
	c.n += n
	c.mu.Unlock()
}

func (c *mutexCounter) Total() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func (c *mutexCounter) Close() {}

type atomicCounter struct{ n atomic.Int64 }

func (c *atomicCounter) Add(_ int, n int64) { c.n.Add(n) }
func (c *atomicCounter) Total() int64       { return c.n.Load() }
func (c *atomicCounter) Close()             {}

// channelCounter's value lives in one goroutine, which applies the updates
// sent to it one at a time. Total asks it for the value, behind every
// update sent before.
type channelCounter struct {
	updates chan int64
	totals  chan chan int64
	done    chan struct{}
}

func newChannelCounter() Counter {
	c := &channelCounter{updates: make(chan int64, 256), totals: make(chan chan int64), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		var n int64
		for {
			select {
			case d, ok := <-c.updates:
				if !ok {
					return
				}
				n += d
			case reply := <-c.totals:
				// Apply what was sent before the question first.
				for len(c.updates) > 0 {
					n += <-c.updates
				}
				reply <- n
			}
		}
	}()
	return c
}

func (c *channelCounter) Add(_ int, n int64) { c.updates <- n }

func (c *channelCounter) Total() int64 {
	reply := make(chan int64)
	c.totals <- reply
	return <-reply
}

// Close stops the owner; no Add may follow.
func (c *channelCounter) Close() {
	close(c.updates)
	<-c.done
}

type paddedInt64 struct {
	n atomic.Int64
	_ [cacheLine - 8]byte
}

// shardedCounter gives each worker a part of its own, on a cache line of
// its own, so that adds never contend; Total sums the parts.
type shardedCounter struct{ parts []paddedInt64 }

func newShardedCounter() Counter { return &shardedCounter{parts: make([]paddedInt64, shards)} }

func (c *shardedCounter) Add(worker int, n int64) { c.parts[uint(worker)%shards].n.Add(n) }

func (c *shardedCounter) Total() int64 {
	var sum int64
	for i := range c.parts {
		sum += c.parts[i].n.Load()
	}
	return sum
}

func (c *shardedCounter) Close() {}
