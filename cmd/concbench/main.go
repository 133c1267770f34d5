// Command concbench measures which concurrency model fits which work, on
// this machine.
//
// Usage:
//
//	concbench <command> [flags]
//
// Commands:
//
//	list       the workloads, with their kind and parameters, and the models
//	run        measure one workload under one model
//	sweep      measure a workload at several worker counts or GOMAXPROCS, into a results file and a chart
//	recommend  measure a workload under every model and say which to use, and why
//	bench      run a profile of the benchmark matrix into a new results file
//	report     turn results files into statistics, charts and a page per machine
//
// Run "concbench <command> -h" for a command's flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/models"
)

// A command is one subcommand of concbench.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, stdout, stderr io.Writer, args []string) error
}

// commands lists the subcommands, in the order help shows them.
var commands = []command{
	{"list", "the workloads, with their kind and parameters, and the models", runList},
	{"run", "measure one workload under one model", runCase},
	{"sweep", "measure a workload at several worker counts or GOMAXPROCS, into a results file and a chart", runSweep},
	{"recommend", "measure a workload under every model and say which to use, and why", runRecommend},
	{"bench", "run a profile of the benchmark matrix into a new results file", runBench},
	{"report", "turn results files into statistics, charts and a page per machine", runReport},
}

func main() {
	// The process model runs this binary again as its workers.
	models.ServeIfWorker(bench.BuildTask)
	os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr))
}

// cli runs the command under a context that SIGINT and SIGTERM cancel,
// reports its error and returns the exit status.
func cli(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signalContext()
	defer stop()
	err := run(ctx, stdout, stderr, args)
	if err != nil {
		fmt.Fprintln(stderr, "concbench:", err)
	}
	return exitCode(ctx, err)
}

// run is the whole command, callable from tests.
func run(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return usageError{"no command given"}
		}
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(ctx, stdout, stderr, args[1:])
			if errors.Is(err, flag.ErrHelp) {
				return nil // the flag package has printed the help
			}
			return err
		}
	}
	names := commandNames()
	msg := fmt.Sprintf("unknown command %q (have %s)", args[0], strings.Join(names, ", "))
	if near := nearest(args[0], names); len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, " or ") + "?"
	}
	return usageError{msg}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: concbench <command> [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"concbench <command> -h\" for a command's flags.")
}

func commandNames() []string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return names
}

// A usageError is bad input on the command line; main exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// newFlagSet returns a FlagSet that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("concbench "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses args, turning a flag error into a usageError. It reports
// flag.ErrHelp as is, so that -h exits cleanly.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}
