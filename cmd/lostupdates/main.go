// Command lostupdates shows why shared state needs synchronising: several
// goroutines add one to a plain int64 many times, and the total comes out
// short, because two goroutines read the same old value and both write it
// back plus one: one of the two updates is lost. The same count through each of the synchronised counters
// of package sharedstate comes out exact.
//
// Usage:
//
//	go run ./cmd/lostupdates [-workers W] [-n N]
//
// The unsynchronised counter is a data race on purpose, so this command has
// no test that the race detector would run. With GOMAXPROCS=1 it may lose
// nothing: the goroutines then rarely interleave inside an increment.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/concbench/concbench/internal/sharedstate"
)

func main() {
	if err := run(os.Stdout, os.Stderr, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "lostupdates:", err)
		}
		os.Exit(2)
	}
}

// maxUpdates bounds workers × n, so that a typo does not run for hours.
const maxUpdates = 1 << 32

func run(stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("lostupdates", flag.ContinueOnError)
	fs.SetOutput(stderr)
	workers := fs.Int("workers", 4, "goroutines adding at once")
	n := fs.Int("n", 1_000_000, "increments per goroutine")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *workers < 1 || *workers > 1024 {
		return fmt.Errorf("-workers %d: want 1 to 1024", *workers)
	}
	if *n < 1 || int64(*workers)*int64(*n) > maxUpdates {
		return fmt.Errorf("-n %d: want 1 or more, and at most %d updates in all", *n, int64(maxUpdates))
	}
	want := int64(*workers) * int64(*n)
	fmt.Fprintf(stdout, "%d goroutines each add 1, %d times; GOMAXPROCS=%d; want %d\n\n", *workers, *n, runtime.GOMAXPROCS(0), want)

	t0 := time.Now()
	got := unsynchronised(*workers, *n)
	report(stdout, "unsynchronised", got, want, time.Since(t0))
	for _, s := range sharedstate.Syncs {
		c := s.NewCounter()
		t0 := time.Now()
		var wg sync.WaitGroup
		for w := range *workers {
			wg.Go(func() {
				for range *n {
					c.Add(w, 1)
				}
			})
		}
		wg.Wait()
		report(stdout, s.Name, c.Total(), want, time.Since(t0))
		c.Close()
	}
	fmt.Fprintln(stdout, "\nA Go map written from two goroutines at once does worse: the runtime\nstops the program with \"fatal error: concurrent map writes\".")
	return nil
}

func report(w io.Writer, name string, got, want int64, took time.Duration) {
	verdict := "exact"
	if got != want {
		verdict = fmt.Sprintf("lost %d updates (%.1f%%)", want-got, 100*float64(want-got)/float64(want))
	}
	fmt.Fprintf(w, "%-15s %12d  %-30s %v\n", name, got, verdict, took.Round(time.Microsecond))
}

// unsynchronised adds without any synchronisation: it reads the counter,
// computes the new value and writes it back, and between the read and the
// write another goroutine's update can come and be overwritten. This is
// the bug the demonstration is about. A bare counter++ has the same bug in
// a window one instruction wide (x86 INC on memory is not atomic without a
// LOCK prefix), so it loses fewer updates, but it loses them.
func unsynchronised(workers, n int) int64 {
	var counter int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range n {
				v := counter
				counter = plusOne(v)
			}
		})
	}
	wg.Wait()
	return counter
}

// plusOne stands for any work between reading shared state and writing it
// back, such as checking a balance before withdrawing from it.
//
//go:noinline
func plusOne(v int64) int64 { return v + 1 }
