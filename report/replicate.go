package report

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
)

// Configuration keys of a run's calibration: the fastest time, in ns, of
// each part of a fixed single-threaded probe (hashing, then a memory
// walk) over several runs at the start (sysinfo.Calibrate).
const (
	ConfigCalibrationSHA256 = "calibration-sha256-ns"
	ConfigCalibrationMemory = "calibration-memory-ns"
)

// HostTolerance is how far apart two runs' calibrations may lie and still
// come from one machine: 20%. Hosts sold under one CPU name have differed
// by 1.5× on hashing; beyond this margin their numbers are never pooled,
// nor is one chosen over the other as "the newest".
const HostTolerance = 0.20

// Calibration returns the run's probe medians in ns, ok false when the
// run predates calibration or its values do not parse.
func (r *Run) Calibration() (sha256, memory float64, ok bool) {
	s, err1 := strconv.ParseFloat(r.Config[ConfigCalibrationSHA256], 64)
	m, err2 := strconv.ParseFloat(r.Config[ConfigCalibrationMemory], 64)
	if err1 != nil || err2 != nil || s <= 0 || m <= 0 {
		return 0, 0, false
	}
	return s, m, true
}

// SameHost reports whether two runs of one machine folder ran on the same
// host: both calibrated within HostTolerance on the probe's hashing, or
// both uncalibrated (which cannot be told apart). The memory walk is
// recorded but not compared: memory bandwidth is shared with every other
// guest of the host, and its fastest time still varies by half again
// between runs on one machine.
func SameHost(a, b *Run) bool {
	as, _, aok := a.Calibration()
	bs, _, bok := b.Calibration()
	if aok != bok {
		return false
	}
	return !aok || math.Max(as, bs)/math.Min(as, bs) <= 1+HostTolerance
}

// hostDiff describes how far b's calibration lies from a's, for a page
// that compares the two: "hashing 1.52× slower, memory walk 1.08× faster".
func hostDiff(a, b *Run) string {
	as, am, aok := a.Calibration()
	bs, bm, bok := b.Calibration()
	if !aok || !bok {
		return "one of the two runs has no calibration"
	}
	part := func(name string, x, y float64) string {
		if y >= x {
			return fmt.Sprintf("%s %.2f× slower", name, y/x)
		}
		return fmt.Sprintf("%s %.2f× faster", name, x/y)
	}
	return part("hashing", as, bs) + ", " + part("memory walk", am, bm)
}

// A Replication compares two runs' verdicts, workload by workload.
type Replication struct {
	A, B *Run
	Rows []ReplicationRow
}

// A ReplicationRow is one workload's verdict in each run.
type ReplicationRow struct {
	Workload string
	A, B     Verdict
	// Replicated is Replicated(A, B); Decided is false when either
	// verdict is unresolved, which replicates nothing.
	Replicated, Decided bool
}

// Replicate compares the verdicts of a and b on the workloads both ran.
func Replicate(a, b *Run) *Replication {
	aa, ab := Analyze(a), Analyze(b)
	rep := &Replication{A: a, B: b}
	for _, wa := range aa.Workloads {
		for _, wb := range ab.Workloads {
			if wa.Name != wb.Name || wa.Params != wb.Params || wa.GOMAXPROCS != wb.GOMAXPROCS {
				continue
			}
			rep.Rows = append(rep.Rows, ReplicationRow{
				Workload: workloadLabel(wa, aa), A: wa.Verdict, B: wb.Verdict,
				Replicated: Replicated(wa.Verdict, wb.Verdict),
				Decided:    wa.Verdict.Resolved && wb.Verdict.Resolved,
			})
		}
	}
	return rep
}

// Rate returns how many decided workloads replicated, and of how many.
func (rep *Replication) Rate() (replicated, decided int) {
	for _, r := range rep.Rows {
		if r.Decided {
			decided++
			if r.Replicated {
				replicated++
			}
		}
	}
	return replicated, decided
}

// previous returns the newest complete run among others that has the same
// profile as run, ran on the same host and is older: the run whose
// verdicts run's should repeat. Nil when there is none.
func previous(run *Run, others []*Run) *Run {
	var prev *Run
	for _, o := range others {
		if o == run || o.Incomplete != "" || o.Profile() != run.Profile() || !SameHost(o, run) || !olderThan(o, run) {
			continue
		}
		if prev == nil || olderThan(prev, o) {
			prev = o
		}
	}
	return prev
}

func olderThan(a, b *Run) bool {
	if c := a.Date().Compare(b.Date()); c != 0 {
		return c < 0
	}
	return filepath.Base(a.File) < filepath.Base(b.File)
}

// mark says in a word whether the row's verdict replicated.
func (r ReplicationRow) mark() string {
	switch {
	case !r.Decided:
		return "– (no verdict)"
	case r.Replicated:
		return "yes"
	}
	return "no"
}

// markdown writes the replication table under title.
func (rep *Replication) markdown(b *bytes.Buffer, title, intro string) {
	fmt.Fprintf(b, "## %s\n\n%s\n\n", title, intro)
	n, of := rep.Rate()
	fmt.Fprintf(b, "| workload | %s | %s | replicated |\n| --- | --- | --- | --- |\n",
		mdEscape(filepath.Base(rep.A.File)), mdEscape(filepath.Base(rep.B.File)))
	for _, r := range rep.Rows {
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", mdEscape(r.Workload), mdEscape(r.A.Sentence()), mdEscape(r.B.Sentence()), r.mark())
	}
	fmt.Fprintf(b, "\n%d of %d workloads with a verdict in both runs replicated", n, of)
	if undecided := len(rep.Rows) - of; undecided > 0 {
		fmt.Fprintf(b, "; %d had no verdict in one of them", undecided)
	}
	b.WriteString(". A verdict replicates when each run's choice lies in the other's set of models that cannot be told apart, and the advice to stay sequential is the same.\n\n")
}

// replicationText is the index's cell for a machine: "12 of 14".
func replicationText(m *Machine) string {
	if m.Shown == nil {
		return "–"
	}
	prev := previous(m.Shown, m.Runs)
	if prev == nil {
		return "one run"
	}
	n, of := Replicate(m.Shown, prev).Rate()
	return fmt.Sprintf("%d of %d", n, of)
}

// hostName names the k-th host (from 0) of a machine folder: the first
// keeps the folder's name, later ones get a sub-page.
func hostName(folder string, k int) string {
	if k == 0 {
		return folder
	}
	return folder + "/host-" + strconv.Itoa(k+1)
}

// splitHosts groups a folder's runs by host (SameHost with each group's
// first run), in order of first appearance.
func splitHosts(runs []*Run) [][]*Run {
	var groups [][]*Run
	for _, r := range runs {
		placed := false
		for i, g := range groups {
			if SameHost(g[0], r) {
				groups[i] = append(groups[i], r)
				placed = true
				break
			}
		}
		if !placed {
			groups = append(groups, []*Run{r})
		}
	}
	return groups
}

// folderOf returns the results folder of a machine name: hosts split off
// a folder write their pages below it.
func folderOf(name string) string {
	folder, _, _ := strings.Cut(name, "/")
	return folder
}
