// Package sharedstate holds the tutorial's Lock lesson as data structures:
// a counter and a map of counts that many goroutines update at once, each
// kept exact in one of four ways, listed in the table Syncs:
//
//	mutex    one sync.Mutex around the value
//	atomic   sync/atomic: an atomic.Int64, or a sync.Map of them
//	channel  one goroutine owns the value; the others send it updates
//	sharded  the value split into cache-line-padded parts, each updated
//	         on its own, summed when read
//
// Every structure is safe for concurrent Add calls and loses no update;
// the race detector runs its tests. Without any of these, updates are lost
// (see cmd/lostupdates), and Go's map stops the program with a fatal error
// when written from two goroutines at once.
package sharedstate
