package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/concbench/concbench/report"
)

func runReport(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlagSet("report")
	out := fs.String("o", "results", "write the pages under `DIR`: DIR/<machine>/README.md, its charts, and DIR/README.md")
	only := fs.String("run", "", "write only the page of this results `FILE`, in DIR/<machine>/runs/<file>/, with its verdicts beside the published run's; the machine's page, its charts and the index stay as they are")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: concbench report [-o DIR] [FILE|FOLDER]...\n\n"+
			"Reads results files (the Go benchmark format that concbench bench writes) and\n"+
			"writes, for each machine, a page with statistics, charts and a decision guide.\n"+
			"A file's machine is the folder it is in (results/<machine>/<file>.txt).\n"+
			"A folder stands for the results files in it. With several runs of one machine,\n"+
			"the page shows the newest complete full-profile run, else the newest quick one.\n"+
			"With no arguments it reports every machine folder under DIR.\n\nFlags:")
		printFlags(fs)
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}

	if *out == "" {
		return usageError{`-o "": want the folder to write the pages under, such as results`}
	}
	if *only != "" {
		if len(fs.Args()) > 0 {
			return usageError{fmt.Sprintf("-run %s: names the one run to report; drop the other arguments (%s)", *only, strings.Join(fs.Args(), " "))}
		}
		return reportRun(stdout, stderr, *out, *only)
	}
	files, err := inputFiles(*out, fs.Args())
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no results files in %s: run `make report` (or concbench bench) to make one, or name a results file", *out)
	}
	var runs []*report.Run
	var unread []error           // files skipped whole
	skipped := map[string]bool{} // and their names
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		run, err := report.ReadFile(f)
		if err != nil {
			fmt.Fprintln(stderr, "concbench: skipped file:", err)
			unread = append(unread, err)
			skipped[f] = true
			continue
		}
		printProblems(stderr, run)
		runs = append(runs, run)
	}

	machines := report.Machines(runs)
	var incomplete []string
	written := 0
	for _, m := range machines {
		for _, r := range m.Runs {
			if r.Incomplete != "" {
				incomplete = append(incomplete, fmt.Sprintf("%s: incomplete, not charted: %s", r.File, r.Incomplete))
			}
		}
		if m.Shown == nil {
			continue
		}
		if _, err := report.WritePage(*out, m); err != nil {
			return err
		}
		written++
		fmt.Fprintln(stdout, filepath.Join(*out, m.Name, "README.md"))
		if newest := newestRun(m.Runs); newest != m.Shown && len(fs.Args()) > 0 {
			fmt.Fprintf(stderr, "concbench: %s shows %s (%s profile), not the newest file %s (%s profile)\n",
				m.Name, filepath.Base(m.Shown.File), m.Shown.Profile(), filepath.Base(newest.File), newest.Profile())
		}
	}
	for _, s := range incomplete {
		fmt.Fprintln(stderr, "concbench:", s)
	}
	if written == 0 {
		return fmt.Errorf("nothing to report: no complete run among %d results file(s)%s", len(files), unreadNote(unread))
	}
	if err := writeIndex(*out, machines, skipped, stderr); err != nil {
		return err
	}
	fmt.Fprintln(stdout, filepath.Join(*out, "README.md"))
	if len(unread) > 0 {
		return fmt.Errorf("the other pages are written, but%s", unreadNote(unread))
	}
	return nil
}

// reportRun writes the page of the results file at path, beside the
// page of its machine folder, comparing it with the run that folder
// publishes.
func reportRun(stdout, stderr io.Writer, root, path string) error {
	folder, err := inputFiles(root, []string{filepath.Dir(path)})
	if err != nil {
		return err
	}
	var runs []*report.Run
	var run *report.Run
	for _, f := range folder {
		r, err := report.ReadFile(f)
		if err != nil {
			return err
		}
		if same, _ := sameFile(f, path); same {
			run = r
			printProblems(stderr, r)
		}
		runs = append(runs, r)
	}
	if run == nil {
		return usageError{fmt.Sprintf("-run %s: want a results file (*.txt) in a machine folder", path)}
	}
	pg, err := report.WriteRunPage(root, run, report.Published(runs, run))
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, filepath.Join(report.RunPageDir(root, run), "README.md"))
	if pg.Published != nil {
		fmt.Fprintf(stderr, "concbench: the page compares this run with the published %s\n", filepath.Base(pg.Published.File))
	}
	return nil
}

func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

// maxProblemLines is how many skipped lines report prints for one file;
// the rest it counts.
const maxProblemLines = 10

// printProblems prints the first skipped lines of run, then how many more.
func printProblems(stderr io.Writer, run *report.Run) {
	for i, p := range run.Problems {
		if i == maxProblemLines {
			break
		}
		fmt.Fprintln(stderr, "concbench: skipped", p)
	}
	if more := len(run.Problems) + run.MoreProblems - maxProblemLines; more > 0 {
		fmt.Fprintf(stderr, "concbench: skipped %d more lines of %s\n", more, run.File)
	}
}

// unreadNote describes the files that could not be read.
func unreadNote(unread []error) string {
	switch len(unread) {
	case 0:
		return ""
	case 1:
		return "; 1 file skipped: " + unread[0].Error()
	}
	return fmt.Sprintf("; %d files skipped, the first: %v", len(unread), unread[0])
}

// newestRun returns the run with the latest date, then file name.
func newestRun(runs []*report.Run) *report.Run {
	return slices.MaxFunc(runs, func(a, b *report.Run) int {
		return cmp.Or(a.Date().Compare(b.Date()), strings.Compare(filepath.Base(a.File), filepath.Base(b.File)))
	})
}

// inputFiles expands the arguments: a folder stands for its *.txt files;
// no arguments stand for every machine folder under root. A file named
// twice is read once.
func inputFiles(root string, args []string) ([]string, error) {
	if len(args) == 0 {
		return report.ResultsFiles(root)
	}
	var files []string
	seen := map[string]bool{}
	add := func(f string) {
		if abs, err := filepath.Abs(f); err == nil && !seen[abs] {
			seen[abs] = true
			files = append(files, f)
		}
	}
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			add(a)
			continue
		}
		in, err := report.FolderFiles(a)
		if err != nil {
			return nil, err
		}
		if len(in) == 0 {
			return nil, fmt.Errorf("%s: no results files (*.txt) in this folder", a)
		}
		for _, f := range in {
			add(f)
		}
	}
	return files, nil
}

// writeIndex writes root/README.md over the machines just reported and
// every other machine folder under root, whose files are read again; one
// that cannot be read is left out of the index with a warning, unless it
// is among those skipped already.
func writeIndex(root string, machines []*report.Machine, skipped map[string]bool, stderr io.Writer) error {
	all := slices.Clone(machines)
	files, err := report.ResultsFiles(root)
	if err != nil {
		return err
	}
	var others []*report.Run
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f))
		if skipped[f] || slices.ContainsFunc(machines, func(m *report.Machine) bool { return m.Folder() == name }) {
			continue
		}
		run, err := report.ReadFile(f)
		if err != nil {
			fmt.Fprintln(stderr, "concbench: left out of the index:", err)
			continue
		}
		others = append(others, run)
	}
	all = append(all, report.Machines(others)...)
	slices.SortStableFunc(all, func(a, b *report.Machine) int { return strings.Compare(a.Name, b.Name) })
	return report.WriteIndex(root, all)
}
