package sharedstate

import (
	"fmt"
	"slices"
)

// A Counter is an int64 that goroutines add to at once.
type Counter interface {
	// Add adds n. worker identifies the calling goroutine (0, 1, ...), so
	// that a sharded counter can give each its own part; any value is
	// correct.
	Add(worker int, n int64)
	// Total returns the sum of every Add that returned before it was called.
	Total() int64
	// Close releases what the counter holds (the channel's goroutine).
	Close()
}

// A Map counts per key, with goroutines adding at once.
type Map interface {
	// Add adds n to key's count; worker is as for Counter.Add.
	Add(worker, key int, n int64)
	// Counts returns a copy of every count, after every Add that returned
	// before it was called.
	Counts() map[int]int64
	Close()
}

// A Sync is one way of keeping shared state exact.
type Sync struct {
	Name       string
	Doc        string
	NewCounter func() Counter
	NewMap     func() Map
}

// Syncs lists the ways, in the order reports show them.
var Syncs = []Sync{
	{"mutex", "one sync.Mutex around the value", func() Counter { return &mutexCounter{} }, func() Map { return &mutexMap{m: map[int]int64{}} }},
	{"atomic", "sync/atomic: an atomic.Int64; for the map, a sync.Map of them", func() Counter { return &atomicCounter{} }, func() Map { return &atomicMap{} }},
	{"channel", "one goroutine owns the value; the others send it their updates", newChannelCounter, newChannelMap},
	{"sharded", "the value split into padded parts updated on their own, summed when read", newShardedCounter, newShardedMap},
}

// Lookup returns the Sync named name.
func Lookup(name string) (Sync, error) {
	if i := slices.IndexFunc(Syncs, func(s Sync) bool { return s.Name == name }); i >= 0 {
		return Syncs[i], nil
	}
	names := make([]string, len(Syncs))
	for i, s := range Syncs {
		names[i] = s.Name
	}
	return Sync{}, fmt.Errorf("unknown sync %q (have %v)", name, names)
}

// shards is the number of parts of a sharded structure: more than the
// goroutines of any benchmark, so that in a counter each has its own.
const shards = 64

// cacheLine pads parts apart, so that two cores updating neighbouring
// parts do not fight over one cache line.
const cacheLine = 64
