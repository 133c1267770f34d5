package models

import "context"

// An IOWaiter is told when a task starts and stops waiting on IO. A model
// that treats waiting differently from computing (gil) puts one in the
// context it passes to each task; the task calls BeginIO before it blocks
// on the network, a disk or a timer, and EndIO once it may compute again.
// Calls come in pairs and may nest or overlap when a task waits on several
// things at once.
type IOWaiter interface {
	BeginIO()
	EndIO()
}

type ioWaiterKey struct{}

// WithIOWaiter returns a copy of ctx that carries w.
func WithIOWaiter(ctx context.Context, w IOWaiter) context.Context {
	return context.WithValue(ctx, ioWaiterKey{}, w)
}

// IOWaiterFrom returns the IOWaiter that ctx carries, or nil. Most models
// pass none, and then a task's IO waits cost it this one lookup.
func IOWaiterFrom(ctx context.Context) IOWaiter {
	w, _ := ctx.Value(ioWaiterKey{}).(IOWaiter)
	return w
}
