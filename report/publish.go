package report

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A Machine is one machine's runs: the results files of one folder that
// ran on the same host (SameHost). A folder whose runs came from hosts
// whose calibrations differ is split: its first host keeps the folder's
// name, the others are named "<folder>/host-N" and get pages below it.
type Machine struct {
	Name  string
	Runs  []*Run
	Shown *Run // the run its page shows (see Choose), or nil when none is complete
}

// Folder is the results folder that m's runs are in.
func (m *Machine) Folder() string { return folderOf(m.Name) }

// profileRank orders profiles for Choose: a full run beats a quick one,
// which beats any other.
var profileRank = map[string]int{"full": 2, "quick": 1}

// Choose returns the run a machine's page shows: the newest complete
// full-profile run, else the newest complete quick run, else the newest
// complete run of any profile. Newest is by the date line, then by file
// name, which starts with the date. It returns nil when no run is complete.
func Choose(runs []*Run) *Run {
	var best *Run
	for _, r := range runs {
		if r.Incomplete != "" {
			continue
		}
		if best == nil || cmp.Or(
			cmp.Compare(profileRank[r.Profile()], profileRank[best.Profile()]),
			r.Date().Compare(best.Date()),
			cmp.Compare(filepath.Base(r.File), filepath.Base(best.File))) > 0 {
			best = r
		}
	}
	return best
}

// Machines groups runs by machine folder and, within a folder, by host,
// in order of first appearance, and chooses the run each machine's page
// shows.
func Machines(runs []*Run) []*Machine {
	var folders []string
	byFolder := map[string][]*Run{}
	for _, r := range runs {
		if _, ok := byFolder[r.Machine]; !ok {
			folders = append(folders, r.Machine)
		}
		byFolder[r.Machine] = append(byFolder[r.Machine], r)
	}
	var out []*Machine
	for _, f := range folders {
		for k, g := range splitHosts(byFolder[f]) {
			out = append(out, &Machine{Name: hostName(f, k), Runs: g, Shown: Choose(g)})
		}
	}
	return out
}

// ResultsFiles lists the results files (*.txt) of a results tree: those in
// root's machine folders, sorted. A missing root holds none. Folders are
// listed, not globbed, so that no name is read as a pattern; a symbolic
// link to a folder is not followed.
func ResultsFiles(root string) ([]string, error) {
	machines, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var files []string
	for _, m := range machines {
		if !m.IsDir() {
			continue
		}
		in, err := FolderFiles(filepath.Join(root, m.Name()))
		if err != nil {
			return nil, err
		}
		files = append(files, in...)
	}
	slices.Sort(files)
	return files, nil
}

// FolderFiles lists the results files in dir: the names ending in .txt
// that do not start with '.', sorted. ReadFile refuses those that are not
// regular files.
func FolderFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".txt") && !strings.HasPrefix(e.Name(), ".") {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	return files, nil
}

// WritePage writes m's page into root/<m.Name>/: README.md and the charts
// of the run it shows, removing chart files that this run cannot draw so
// that no stale chart survives. It returns the page.
func WritePage(root string, m *Machine) (*Page, error) {
	if m.Shown == nil {
		return nil, fmt.Errorf("%s: no complete run to show", m.Name)
	}
	var others []*Run
	for _, r := range m.Runs {
		if r != m.Shown {
			others = append(others, r)
		}
	}
	pg := NewPage(m.Shown, others)
	return pg, pg.write(filepath.Join(root, m.Name))
}

// RunPageDir is where WriteRunPage writes the page of one run: beside its
// machine's page, in runs/<the results file's name without .txt>/.
func RunPageDir(root string, run *Run) string {
	return filepath.Join(root, run.Machine, "runs", strings.TrimSuffix(filepath.Base(run.File), ".txt"))
}

// WriteRunPage writes the page of run, complete, into RunPageDir, with
// the verdicts of published beside its own when published is another
// run. It leaves the machine's page, its charts and the index as they
// are: a newcomer's run does not replace what was published.
func WriteRunPage(root string, run, published *Run) (*Page, error) {
	if run.Incomplete != "" {
		return nil, fmt.Errorf("%s: incomplete, not charted: %s", run.File, run.Incomplete)
	}
	pg := NewPage(run, nil)
	if published != run {
		pg.Published = published
	}
	return pg, pg.write(RunPageDir(root, run))
}

// write writes the page's README.md and charts into dir, all or none of
// them, replacing only files that report wrote.
func (pg *Page) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	readme := filepath.Join(dir, "README.md")
	if err := ownsPage(readme); err != nil {
		return err
	}
	s := stage{owned: ownsFolder(dir)}
	defer s.abort()
	for _, ch := range pg.Charts {
		if err := ch.stageIn(&s, dir); err != nil {
			return fmt.Errorf("chart %s: %w", ch.Name, err)
		}
	}
	if err := s.add(readme, bytes.NewReader(append([]byte(pageHeader), pg.Markdown(dir)...))); err != nil {
		return err
	}
	if err := stageHTML(&s, filepath.Join(dir, HTMLName), pg.HTML); err != nil {
		return err
	}
	if err := s.add(filepath.Join(dir, TablesFile), bytes.NewReader(append([]byte(pageHeader), pg.Tables(dir)...))); err != nil {
		return err
	}
	if s.owned {
		for _, miss := range pg.Missing {
			for _, ext := range []string{".svg", ".png"} {
				if err := os.Remove(filepath.Join(dir, miss.Name+ext)); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return err
				}
			}
		}
	}
	return s.commit()
}

// Published returns the run a machine folder publishes for a newcomer's
// run to be compared with: the run Choose takes among the folder's other
// runs, or nil.
func Published(folder []*Run, run *Run) *Run {
	var others []*Run
	for _, r := range folder {
		if r != run {
			others = append(others, r)
		}
	}
	return Choose(others)
}

// WriteIndex writes root/README.md: every machine with a page, its run,
// and the best model for each workload side by side.
func WriteIndex(root string, machines []*Machine) error {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	index := filepath.Join(root, "README.md")
	if err := ownsPage(index); err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString(pageHeader + "# concbench results\n\n")
	b.WriteString("One folder per machine: its raw results files (Go benchmark format, readable by benchstat), and a page with charts and a decision guide. " +
		"A page shows the machine's newest complete full-profile run, else its newest quick one.\n\n")
	var shown []*Machine
	for _, m := range machines {
		if m.Shown != nil {
			shown = append(shown, m)
		}
	}
	if len(shown) == 0 {
		b.WriteString("No machine has a complete run yet: `make report` makes one.\n\n")
	} else {
		b.WriteString("| machine | CPU | cores | profile | date | commit | Go | verdicts replicated |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n")
		for _, m := range shown {
			r := m.Shown
			fmt.Fprintf(&b, "| [%s](%s/README.md) | %s | %d | %s (%s) | %s | %s | %s | %s |\n", mdEscape(m.Name), mdLink(m.Name),
				mdEscape(orUnknown(r.Config["cpu"])), r.Cores(), mdEscape(r.Profile()), samples(r.Samples()),
				mdEscape(orUnknown(r.Config["date"])), mdEscape(orUnknown(r.Config["commit"])), mdEscape(orUnknown(r.Config["go"])),
				mdEscape(replicationText(m)))
		}
		b.WriteString("\nVerdicts replicated: of the workloads with a verdict in both, how many the shown run and the machine's previous complete run of the same profile agree on.\n")
		b.WriteString("\n")
		compare(&b, shown)
	}
	var skipped, plain []string
	for _, m := range machines {
		for _, r := range m.Runs {
			if r.Incomplete != "" {
				skipped = append(skipped, fmt.Sprintf("- %s/%s: %s", mdEscape(m.Name), mdEscape(filepath.Base(r.File)), mdEscape(r.Incomplete)))
				plain = append(plain, m.Name+"/"+filepath.Base(r.File)+": "+r.Incomplete)
			}
		}
	}
	if len(skipped) > 0 {
		b.WriteString("## Incomplete runs, not shown\n\n" + strings.Join(skipped, "\n") + "\n")
	}
	s := stage{owned: true}
	defer s.abort()
	if err := s.add(index, bytes.NewReader(b.Bytes())); err != nil {
		return err
	}
	if err := stageHTML(&s, filepath.Join(root, HTMLName), func() ([]byte, error) { return indexHTML(shown, plain) }); err != nil {
		return err
	}
	return s.commit()
}

// compare writes the best model of each workload on each machine.
func compare(b *bytes.Buffer, machines []*Machine) {
	var workloads []string
	analyses := make([]*Analysis, len(machines))
	for i, m := range machines {
		analyses[i] = Analyze(m.Shown)
		for _, w := range analyses[i].Workloads {
			if !slices.Contains(workloads, w.Name) {
				workloads = append(workloads, w.Name)
			}
		}
	}
	if len(workloads) == 0 {
		return
	}
	b.WriteString("## Best model per workload\n\nThe model that ran each workload fastest on each machine, and its speedup over one task at a time.\n\n| workload |")
	for i, m := range machines {
		fmt.Fprintf(b, " %s (%d cores) |", mdEscape(m.Name), analyses[i].Cores)
	}
	b.WriteString("\n| --- |" + strings.Repeat(" --- |", len(machines)) + "\n")
	for _, name := range workloads {
		fmt.Fprintf(b, "| %s |", mdEscape(name))
		for _, a := range analyses {
			cell := "–"
			for _, w := range a.Workloads {
				if w.Name == name && w.Verdict.Resolved {
					cell = mdEscape(verdictLabel(w))
					if !math.IsNaN(w.Verdict.Speedup.Center) {
						cell += " " + w.Verdict.Speedup.String()
					}
					break
				}
			}
			fmt.Fprintf(b, " %s |", cell)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}
