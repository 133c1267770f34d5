package main

import (
	"context"
	"io"
	"time"

	"github.com/concbench/concbench/internal/pyrun"
)

// pythonRun measures the Python harness after the Go matrix, into the same
// results file, at the profile's sample count and time: smoke one batch at
// the -short sizes, quick 3 samples of 0.1s, full 10 of 0.3s. Without
// python3 it writes why it skipped and carries on.
func pythonRun(ctx context.Context, w, stderr io.Writer, profile, interpreter string) error {
	opt := pyrun.Options{Python: interpreter, Stderr: stderr}
	switch profile {
	case "smoke":
		opt.Short, opt.Count = true, 1
	case "quick":
		// MinPairs samples, so that Python's own verdicts resolve.
		opt.Count, opt.Benchtime = 6, 100*time.Millisecond
	default:
		opt.Count, opt.Benchtime = 10, 300*time.Millisecond
	}
	return pyrun.Run(ctx, w, opt)
}
