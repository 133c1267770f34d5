package workloads

import "context"

// An IOHook is told when a task starts and stops waiting on IO. A runner
// that treats waiting differently from computing (the gil model, through
// the bench package) puts one in the task's context; WaitIO calls it.
type IOHook interface {
	BeginIO()
	EndIO()
}

type ioHookKey struct{}

// WithIOHook returns a copy of ctx that carries h.
func WithIOHook(ctx context.Context, h IOHook) context.Context {
	return context.WithValue(ctx, ioHookKey{}, h)
}

// WaitIO calls wait, which blocks on IO (a network round trip, a disk read,
// a timer), and tells the hook in ctx, if any, that the task waits
// meanwhile. IO workloads wrap every wait of theirs in it, and nothing
// else: what runs outside wait counts as computing. Without a hook it costs
// one context lookup.
func WaitIO(ctx context.Context, wait func() error) error {
	h, _ := ctx.Value(ioHookKey{}).(IOHook)
	if h == nil {
		return wait()
	}
	h.BeginIO()
	defer h.EndIO()
	return wait()
}
