package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// cancelOnResult is a stderr that cancels the command's context as soon
// as -v prints the first result: an interrupt at a known point, with the
// rest of the run still to go.
type cancelOnResult struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	cancel context.CancelFunc
}

func (w *cancelOnResult) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if bytes.Contains(p, []byte("Benchmark")) {
		w.cancel()
	}
	return w.buf.Write(p)
}

// TestInterrupt cancels each measuring command's context after its first
// sample, with minutes of measuring left: the command returns at once
// with context.Canceled, prints what it measured, and leaves no goroutine
// (worker, server, model) running and no file behind.
func TestInterrupt(t *testing.T) {
	// 30 samples of at least 100ms for each combination: minutes, unless
	// the interrupt stops it.
	slow := []string{"-short", "-param", "latency=5ms", "-count", "30", "-time", "100ms", "-v"}
	for _, tc := range []struct {
		name string
		args []string
		want []string // in stdout
		rows []string // one of them in stdout: the combination measured first, which the shuffled order picks
	}{
		{"run", []string{"run", "-workload", "http", "-model", "pool", "-compare"}, []string{"Medians of 1 sample"}, []string{"\nsequential ", "\npool (workers="}},
		{"sweep", []string{"sweep", "-workload", "http", "-over", "workers", "-values", "1,2"}, nil, sweepRows},
		{"recommend", []string{"recommend", "-workload", "http", "-model", "pool,semaphore"}, nil, []string{"\nsequential ", "\npool ", "\nsemaphore "}},
		{"bench format", []string{"run", "-workload", "http", "-model", "pool", "-format", "bench"}, nil, []string{"BenchmarkRun/workload=http/model=sequential/", "BenchmarkRun/workload=http/model=pool/"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := goleak.IgnoreCurrent()
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stderr := &cancelOnResult{cancel: cancel}
			var stdout bytes.Buffer
			args := append(tc.args, slow...)
			if tc.name == "sweep" {
				args = append(args, "-o", dir)
			}
			done := make(chan error, 1)
			go func() { done <- run(ctx, &stdout, stderr, args) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(time.Minute):
				t.Fatal("still running a minute after the interrupt")
			}
			if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "interrupted after measuring 1 combination") {
				t.Errorf("err = %v, want an interruption after one combination", err)
			}
			for _, want := range tc.want {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			if n := rowsIn(stdout.String(), tc.rows); n != 1 {
				t.Errorf("stdout holds %d of the rows %q, want the one measured:\n%s", n, tc.rows, stdout.String())
			}
			if strings.Contains(stdout.String(), "PASS") || strings.Contains(stdout.String(), "\nUse ") || strings.Contains(stdout.String(), "Every batch did the same work") {
				t.Errorf("an interrupted run claims to have finished:\n%s", stdout.String())
			}
			if files := filesUnder(t, dir); len(files) != 0 {
				t.Errorf("left %v", files)
			}
			goleak.VerifyNone(t, before)
		})
	}
}

// sweepRows are the rows of an http sweep over workers 1,2 by the pool:
// the sequential reference and each point.
var sweepRows = []string{"\n-        sequential ", "\n1        pool ", "\n2        pool "}

// rowsIn counts the rows that out holds.
func rowsIn(out string, rows []string) int {
	n := 0
	for _, r := range rows {
		if strings.Contains(out, r) {
			n++
		}
	}
	return n
}
