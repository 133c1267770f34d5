package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

// stopSignals are the signals that stop a command's work cleanly: its
// files are discarded, its children stopped, and it exits 128 plus the
// signal's number, as a shell reports a command that the signal ended.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// A signalled error is the cause of a context that a signal cancelled.
type signalled struct{ sig syscall.Signal }

func (s signalled) Error() string { return "stopped by " + s.sig.String() }

// signalContext returns a context that the first of stopSignals cancels,
// with a signalled cause. A second signal acts as if none were handled:
// the process ends at once.
func signalContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, stopSignals...)
	go func() {
		select {
		case s := <-sigs:
			cancel(signalled{s.(syscall.Signal)})
		case <-ctx.Done():
		}
		signal.Stop(sigs)
	}()
	return ctx, func() { cancel(context.Canceled) }
}

// exitCode is the status the command exits with after err: 0, 2 for a
// usage error, 128 plus the signal for a signalled stop (130 for SIGINT,
// 143 for SIGTERM), else 1.
func exitCode(ctx context.Context, err error) int {
	var s signalled
	switch {
	case err == nil:
		return 0
	case errors.As(err, new(usageError)):
		return 2
	case errors.As(context.Cause(ctx), &s) && errors.Is(err, context.Canceled):
		return 128 + int(s.sig)
	case errors.Is(err, context.Canceled):
		return 130
	}
	return 1
}

// childWait is how long a child has, after its interrupt, to clean up and
// exit before it is killed.
const childWait = 5 * time.Second

// stopGently makes cmd, made with exec.CommandContext, interrupt its child
// when the context is done rather than kill it, so that the child can
// remove what it made (a bench test binary run with -bin, its temporary
// files); a child still running childWait later is killed.
func stopGently(cmd *exec.Cmd) {
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = childWait
}
