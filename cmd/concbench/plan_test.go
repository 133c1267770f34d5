package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/bench"
)

// recordedQuick is a quick run of this suite on the 2-core EPYC guest
// (make report took 9m01s, 264 of its samples retaken): its ns/op are
// the batch times the estimates below start from.
var recordedQuick = filepath.Join("..", "..", "results", "amd-epyc-2c", "20261201-205623-quick.txt")

// addCostRecord adds to recorded the batch times of BenchmarkGranularity
// and BenchmarkFootprint, which are newer than the records: from a run of
// theirs on the same guest. A footprint sample holds its tasks twice (an
// untimed cycle warms the runtime first), so its batch counts double.
func addCostRecord(t *testing.T, recorded map[string]time.Duration) {
	cost, _ := batchTimes(t, recordedCost)
	for name, d := range cost {
		if strings.HasPrefix(name, "BenchmarkFootprint/") {
			d *= 2
		}
		if _, ok := recorded[name]; !ok {
			recorded[name] = d
		}
	}
}

// recordedCost is a run of BenchmarkGranularity and BenchmarkFootprint
// (6 samples, -benchtime 1x) on the same guest.
var recordedCost = filepath.Join("..", "..", "report", "testdata", "amd-epyc-2c-cost", "20261201-223500-go-test.txt")

// batchTimes reads each benchmark's median ns/op, and the time the
// Python harness's samples took, from a results file.
func batchTimes(t *testing.T, path string) (map[string]time.Duration, time.Duration) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	suffix := regexp.MustCompile(`-\d+$`)
	all := map[string][]float64{}
	var python time.Duration
	s := bufio.NewScanner(f)
	s.Buffer(nil, 1<<20)
	for s.Scan() {
		fs := strings.Fields(s.Text())
		if len(fs) < 4 || !strings.HasPrefix(fs[0], "Benchmark") || fs[3] != "ns/op" {
			continue
		}
		n, err1 := strconv.Atoi(fs[1])
		ns, err2 := strconv.ParseFloat(fs[2], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		if strings.HasPrefix(fs[0], "BenchmarkPython/") {
			python += time.Duration(float64(n) * ns)
			continue
		}
		name := suffix.ReplaceAllString(fs[0], "")
		all[name] = append(all[name], ns)
	}
	out := map[string]time.Duration{}
	for name, v := range all {
		slices.Sort(v)
		out[name] = time.Duration(v[len(v)/2])
	}
	return out, python
}

// batchOf returns the batch time of the benchmark name: recorded, else
// (a model or group newer than the record) the same workload's pool
// cell, or process's for exec, else the group's longest recorded batch.
func batchOf(recorded map[string]time.Duration, name string) time.Duration {
	if d, ok := recorded[name]; ok {
		return d
	}
	like := regexp.MustCompile(`/model=[a-z]+/`)
	for _, stand := range []string{"/model=pool/", "/model=process/"} {
		if d, ok := recorded[like.ReplaceAllString(name, stand)]; ok && (stand == "/model=pool/") != strings.Contains(name, "/model=exec/") {
			return d
		}
	}
	group, _, _ := strings.Cut(name, "/")
	var most time.Duration
	for n, d := range recorded {
		if strings.HasPrefix(n, group+"/") {
			most = max(most, d)
		}
	}
	if most == 0 {
		most = 100 * time.Millisecond
	}
	return most
}

// sampleCost is what one sample of a benchmark whose batch takes batch
// costs at benchtime bt: testing.Benchmark runs 1 batch, then predicts
// (1.2 times the rate it saw, at most 100 times as many) until a run
// lasts bt; every run repeats the set-up, which costs about a quarter of
// a batch (the warm-up round) and 5 ms; the guard's probe another 5 ms.
// bt 0 is one batch (-benchtime 1x).
func sampleCost(batch, bt time.Duration) time.Duration {
	setup := batch/4 + 5*time.Millisecond
	n, last := 1, 0
	total := 5 * time.Millisecond
	for {
		d := time.Duration(n) * batch
		total += d + setup
		if d >= bt || bt == 0 {
			return total
		}
		last = n
		n = int(float64(bt) * float64(last) / float64(max(d, 1)))
		n += n / 5
		n = max(min(n, 100*last), last+1)
	}
}

// estimate is how long the Go benchmarks of profile p take, from the
// recorded batch times, retakes left out.
func estimate(p profile, recorded map[string]time.Duration) time.Duration {
	var total time.Duration
	for _, r := range p.runs {
		bt, err := time.ParseDuration(r.benchtime)
		if err != nil {
			bt = 0 // a count, such as 1x
		}
		for _, b := range bench.Suite(r.short) {
			if name := b.FullName(); matchBench(r.bench, name) && !skipBench(r.skip, name) {
				total += time.Duration(r.count) * sampleCost(batchOf(recorded, name), bt)
			}
		}
	}
	return total
}

// TestQuickProfileTime estimates make report's quick profile from the
// recorded batch times. The estimate is checked against the record
// itself: the profile as it was then, plus the record's Python samples
// and its 264 retakes at the average sample's cost, must come to its
// measured 9m01s within 10%. The quick profile now must then stay within
// quickBudget, Go benchmarks and Python harness together.
func TestQuickProfileTime(t *testing.T) {
	recorded, python := batchTimes(t, recordedQuick)
	var thenGo time.Duration
	samples := 0
	for name, batch := range recorded {
		if strings.HasPrefix(name, "BenchmarkConcurrency/") && strings.HasSuffix(name, "/workers=1") {
			continue
		}
		thenGo += 3 * sampleCost(batch, 100*time.Millisecond)
		samples += 3
	}
	retakes := 264 * thenGo / time.Duration(samples)
	if got, measured := thenGo+python+retakes, 9*time.Minute+time.Second; got < measured*9/10 || got > measured*11/10 {
		t.Errorf("the recorded run, estimated: %v (Go %v, Python %v, retakes %v); it took %v", got.Round(time.Second), thenGo.Round(time.Second), python.Round(time.Second), retakes.Round(time.Second), measured)
	}
	addCostRecord(t, recorded)
	p, _ := lookupProfile("quick")
	now := estimate(p, recorded)
	t.Logf("quick profile: Go benchmarks %v, Python %v (recorded), against the recorded plan's %v", now.Round(time.Second), python.Round(time.Second), thenGo.Round(time.Second))
	if now+python > quickBudget {
		t.Errorf("quick profile estimated at %v (Go %v, Python %v): over its budget of %v", (now + python).Round(time.Second), now.Round(time.Second), python.Round(time.Second), quickBudget)
	}
}

// quickBudget is what the quick profile's measuring may take: 5m30s.
// It is not yet the 5 minutes that make report as a whole should take:
// the report's own step and the retakes come on top, and so does every
// benchmark added since the record (each told to cost under 30 s). At
// the matrix's batch sizes (64 CPU tasks of up to 1 MiB, 256 IO tasks of
// 10 ms) the 14 models' BenchmarkModels, stdgzip left out, cost about 3
// minutes at 3 samples: getting under 5 takes smaller quick batches.
const quickBudget = 5*time.Minute + 30*time.Second
