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
//	version    the version and commit this binary was built from, and its Go version
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
	"regexp"
	"strings"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/workloads"
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
	{"version", "the version and commit this binary was built from, and its Go version", runVersion},
}

func main() {
	// The process model runs this binary again as its workers, and the
	// IO workloads as their server processes.
	workloads.ServeIfServer()
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

// run is the whole command, callable from tests. Help, asked for in any
// of the usual ways, goes to stdout; so does a command's usage, for
// "concbench help CMD" and "concbench CMD -h".
func run(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	if len(args) == 0 {
		return usageError{fmt.Sprintf("no command given: want one of %s (concbench help says what each does)", strings.Join(commandNames(), ", "))}
	}
	switch args[0] {
	case "-version", "--version":
		args = append([]string{"version"}, args[1:]...)
	case "help", "-h", "-help", "--help":
		if args[0] != "help" || len(args) == 1 {
			usage(stdout)
			return nil
		}
		if len(args) > 2 {
			return usageError{fmt.Sprintf("help %s: want one command", strings.Join(args[1:], " "))}
		}
		c, err := lookupCommand(args[1])
		if err != nil {
			return err
		}
		args = []string{c.name, "-h"}
	}
	c, err := lookupCommand(args[0])
	if err != nil {
		return err
	}
	err = c.run(ctx, stdout, stderr, args[1:])
	if h, ok := errors.AsType[helpRequest](err); ok {
		h.fs.SetOutput(stdout)
		h.fs.Usage()
		return nil
	}
	return err
}

// lookupCommand returns the command named name; an unknown name is a
// usageError that lists the commands and suggests the nearest.
func lookupCommand(name string) (command, error) {
	for _, c := range commands {
		if c.name == name {
			return c, nil
		}
	}
	names := commandNames()
	msg := fmt.Sprintf("unknown command %q (have %s)", name, strings.Join(names, ", "))
	if near := nearest(name, names); len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, " or ") + "?"
	}
	return command{}, usageError{msg}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: concbench <command> [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"concbench help <command>\" or \"concbench <command> -h\" for a command's flags.")
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

// newFlagSet returns a FlagSet that prints nothing itself: parse turns
// its errors into one-line usageErrors, and -h into a helpRequest, whose
// usage run prints on stdout. A command's Usage writes to fs.Output() and
// lists the flags with printFlags.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("concbench "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// A helpRequest is -h, -help or --help given to a command: run prints the
// command's usage on stdout and exits 0.
type helpRequest struct{ fs *flag.FlagSet }

func (h helpRequest) Error() string { return h.fs.Name() + ": help requested" }
func (h helpRequest) Unwrap() error { return flag.ErrHelp }

// parse parses args, which must all be flags, as parseFlags does.
func parse(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// parseFlags parses args, turning a flag error into a usageError that
// names the flag and the command's flags, and -h into a helpRequest.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return helpRequest{fs}
		}
		if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -"); ok {
			return unknownFlag(fs, name)
		}
		if m := invalidValue.FindStringSubmatch(err.Error()); m != nil {
			if f := fs.Lookup(m[2]); f != nil {
				if want, ok := flagWants[fmt.Sprintf("%T", f.Value)]; ok {
					return usageError{fmt.Sprintf("-%s %s: want %s", m[2], m[1], want)}
				}
			}
		}
		return usageError{fmt.Sprintf("%s (concbench help %s lists its flags)", err, strings.TrimPrefix(fs.Name(), "concbench "))}
	}
	return nil
}

// invalidValue matches the flag package's error for a value that does
// not parse: the value, quoted, and the flag's name.
var invalidValue = regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:-|flag -)(\S+): `)

// flagWants says what each kind of flag value takes, by its type.
var flagWants = map[string]string{
	"*flag.intValue":      "a whole number",
	"*flag.uintValue":     "a whole number, 0 or more",
	"*flag.float64Value":  "a number",
	"*flag.durationValue": "a duration, such as 100ms or 2s",
	"*flag.boolValue":     "true or false",
}

// unknownFlag is the error for a flag that fs does not define: it lists
// the command's flags and suggests the nearest.
func unknownFlag(fs *flag.FlagSet, name string) error {
	var names []string
	fs.VisitAll(func(f *flag.Flag) {
		if !isHidden(f) {
			names = append(names, f.Name)
		}
	})
	msg := fmt.Sprintf("-%s: %s has no such flag (have -%s)", name, fs.Name(), strings.Join(names, ", -"))
	if near := nearest(strings.TrimLeft(name, "-"), names); len(near) > 0 {
		msg += "; did you mean -" + strings.Join(near, " or -") + "?"
	}
	return usageError{msg}
}

// hiddenUsage marks a flag as an old spelling that still works but that
// printFlags leaves out; its usage names the flag it stands for.
const hiddenUsage = "hidden: the old spelling of -"

// alias defines old as a hidden second name for the flag named name.
func alias(fs *flag.FlagSet, old, name string) {
	fs.Var(fs.Lookup(name).Value, old, hiddenUsage+name)
}

func isHidden(f *flag.Flag) bool { return strings.HasPrefix(f.Usage, hiddenUsage) }

// printFlags prints fs's flags as fs.PrintDefaults does, without the
// hidden ones.
func printFlags(fs *flag.FlagSet) {
	shown := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	shown.SetOutput(fs.Output())
	fs.VisitAll(func(f *flag.Flag) {
		if !isHidden(f) {
			shown.Var(f.Value, f.Name, f.Usage)
			shown.Lookup(f.Name).DefValue = f.DefValue
		}
	})
	shown.PrintDefaults()
}

// givenName returns which of a flag's names the command line used: old,
// when it was given, else name.
func givenName(fs *flag.FlagSet, name, old string) string {
	used := name
	fs.Visit(func(f *flag.Flag) {
		if f.Name == old {
			used = old
		}
	})
	return used
}
