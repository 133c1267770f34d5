package sharedstate

import (
	"maps"
	"sync"
	"sync/atomic"
)

type mutexMap struct {
	mu sync.Mutex
	m  map[int]int64
}

func (m *mutexMap) Add(_, key int, n int64) {
	m.mu.Lock()
	m.m[key] += n
	m.mu.Unlock()
}

func (m *mutexMap) Counts() map[int]int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.m)
}

func (m *mutexMap) Close() {}

// atomicMap keeps an atomic.Int64 per key in a sync.Map: a key's first Add
// stores its counter, later ones add to it without a lock.
type atomicMap struct{ m sync.Map }

func (m *atomicMap) Add(_, key int, n int64) {
	v, ok := m.m.Load(key)
	if !ok {
		v, _ = m.m.LoadOrStore(key, new(atomic.Int64))
	}
	v.(*atomic.Int64).Add(n)
}

func (m *atomicMap) Counts() map[int]int64 {
	out := map[int]int64{}
	m.m.Range(func(k, v any) bool {
		out[k.(int)] = v.(*atomic.Int64).Load()
		return true
	})
	return out
}

func (m *atomicMap) Close() {}

type mapUpdate struct {
	key int
	n   int64
}

// channelMap's map lives in one goroutine, which applies the updates sent
// to it one at a time.
type channelMap struct {
	updates chan mapUpdate
	reads   chan chan map[int]int64
	done    chan struct{}
}

func newChannelMap() Map {
	m := &channelMap{updates: make(chan mapUpdate, 256), reads: make(chan chan map[int]int64), done: make(chan struct{})}
	go func() {
		defer close(m.done)
		counts := map[int]int64{}
		for {
			select {
			case u, ok := <-m.updates:
				if !ok {
					return
				}
				counts[u.key] += u.n
			case reply := <-m.reads:
				for len(m.updates) > 0 {
					u := <-m.updates
					counts[u.key] += u.n
				}
				reply <- maps.Clone(counts)
			}
		}
	}()
	return m
}

func (m *channelMap) Add(_, key int, n int64) { m.updates <- mapUpdate{key, n} }

func (m *channelMap) Counts() map[int]int64 {
	reply := make(chan map[int]int64)
	m.reads <- reply
	return <-reply
}

// Close stops the owner; no Add may follow.
func (m *channelMap) Close() {
	close(m.updates)
	<-m.done
}

// A mapShard is one part of a sharded map, padded so that two shards'
// locks do not share a cache line.
type mapShard struct {
	mu sync.Mutex
	m  map[int]int64
	_  [cacheLine - 16]byte
}

// shardedMap splits the keys over shards, each with its own lock: two
// goroutines contend only when their keys fall in the same shard.
type shardedMap struct{ shards []mapShard }

func newShardedMap() Map {
	m := &shardedMap{shards: make([]mapShard, shards)}
	for i := range m.shards {
		m.shards[i].m = map[int]int64{}
	}
	return m
}

func (m *shardedMap) Add(_, key int, n int64) {
	s := &m.shards[uint(key)%shards]
	s.mu.Lock()
	s.m[key] += n
	s.mu.Unlock()
}

func (m *shardedMap) Counts() map[int]int64 {
	out := map[int]int64{}
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		maps.Copy(out, s.m)
		s.mu.Unlock()
	}
	return out
}

func (m *shardedMap) Close() {}
