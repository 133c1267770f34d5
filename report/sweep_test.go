package report

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Real sweeps, as concbench sweep wrote them on a 2-core machine.
var (
	cpuSweepFile   = filepath.Join("testdata", "sweeps", "20261127-205140-sweep-regex-prefix-workers.txt")
	ioSweepFile    = filepath.Join("testdata", "sweeps", "20261127-205145-sweep-http-workers.txt")
	procsSweepFile = filepath.Join("testdata", "sweeps", "20261127-205154-sweep-sha256-gomaxprocs.txt")
)

func TestReadSweep(t *testing.T) {
	for _, tc := range []struct {
		file, over string
		workload   string
		kind       string
		models     []string
		xs         []int     // of every curve
		ideal      []float64 // of the first curve, at xs
	}{
		// CPU-bound: the ideal is the tasks that can compute at once,
		// min(cores, workers); pinned runs on one thread, so 1 throughout.
		{cpuSweepFile, OverWorkers, "regex-prefix", KindCPU, []string{"pool", "pinned"}, []int{1, 2, 4}, []float64{1, 2, 2}},
		// IO-bound: 256 tasks at concurrency C take ceil(256/C) rounds.
		{ioSweepFile, OverWorkers, "http", KindIO, []string{"pool", "semaphore"}, []int{1, 16, 256}, []float64{1, 16, 256}},
		// GOMAXPROCS 4 on 2 cores computes no more than GOMAXPROCS 2.
		{procsSweepFile, OverGOMAXPROCS, "sha256", KindCPU, []string{"spawn", "pool", "pinned"}, []int{1, 2, 4}, []float64{1, 2, 2}},
	} {
		t.Run(tc.workload, func(t *testing.T) {
			s, err := ReadSweep(mustRead(t, tc.file), tc.over)
			if err != nil {
				t.Fatal(err)
			}
			if s.Workload != tc.workload || s.Kind != tc.kind || s.Base == nil || s.Base.M.Model != ModelSequential {
				t.Errorf("workload %q kind %q base %v, want %q %q and the sequential run", s.Workload, s.Kind, s.Base, tc.workload, tc.kind)
			}
			var models []string
			for _, c := range s.Curves {
				models = append(models, c.Model)
				var xs []int
				for _, p := range c.Points {
					xs = append(xs, p.X)
					want := p.Cell.Throughput.Center / s.Base.Throughput.Center
					if math.Abs(p.Speedup.Center-want) > 1e-9 || !(p.Speedup.Lo <= p.Speedup.Center && p.Speedup.Center <= p.Speedup.Hi) {
						t.Errorf("%s at %d: speedup %+v, want %v within its bounds", c.Model, p.X, p.Speedup, want)
					}
				}
				if !slices.Equal(xs, tc.xs) {
					t.Errorf("%s: x %v, want %v", c.Model, xs, tc.xs)
				}
			}
			if !slices.Equal(models, tc.models) {
				t.Errorf("models %v, want %v", models, tc.models)
			}
			var ideal []float64
			for _, p := range s.Curves[0].Points {
				ideal = append(ideal, p.Ideal)
			}
			if !slices.Equal(ideal, tc.ideal) {
				t.Errorf("ideal %v, want %v", ideal, tc.ideal)
			}
		})
	}
}

func TestReadSweepPinnedIdeal(t *testing.T) {
	s, err := ReadSweep(mustRead(t, cpuSweepFile), OverWorkers)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range s.Curves[1].Points {
		if p.Ideal != 1 {
			t.Errorf("pinned (procs=1) at %d workers: ideal %v, want 1", p.X, p.Ideal)
		}
	}
}

// TestReadSweepRejects: a file that is not one sweep says why.
func TestReadSweepRejects(t *testing.T) {
	text, err := os.ReadFile(cpuSweepFile)
	if err != nil {
		t.Fatal(err)
	}
	var noSequential, onlySequential, renamed []string
	for _, line := range strings.SplitAfter(string(text), "\n") {
		isSeq := strings.Contains(line, "/model=sequential/")
		if !isSeq {
			noSequential = append(noSequential, line)
		}
		if !strings.HasPrefix(line, "Benchmark") || isSeq {
			onlySequential = append(onlySequential, line)
		}
		if strings.HasPrefix(line, "Benchmark") {
			renamed = append(renamed, strings.Replace(line, "workload=regex-prefix", "workload=regex-alt", 1))
		}
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name, text, over, want string
	}{
		{"over", string(text), "threads", `sweep over "threads": want workers or gomaxprocs`},
		{"two-workloads", string(text) + strings.Join(renamed, ""), OverWorkers, "a sweep shows one workload and parameter set"},
		{"no-sequential", strings.Join(noSequential, ""), OverWorkers, "no model=sequential result"},
		{"only-sequential", strings.Join(onlySequential, ""), OverWorkers, "nothing was swept"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".txt")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadSweep(mustRead(t, path), tc.over)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSweepChart(t *testing.T) {
	for _, tc := range []struct {
		file, over string
		texts      []string // title, axis labels, legend entries
		log        bool
	}{
		{cpuSweepFile, OverWorkers, []string{"regex-prefix (tasks=64/size=64KiB): speedup over sequential by workers", "workers", "speedup (×)", "pool", "pool: ideal", "pinned", "pinned: ideal"}, false},
		{ioSweepFile, OverWorkers, []string{"http (tasks=256/size=2KiB/latency=2ms)", "speedup (×), log scale", "semaphore: ideal", "256"}, true},
		{procsSweepFile, OverGOMAXPROCS, []string{"by gomaxprocs", "GOMAXPROCS (OS threads running Go code)", "spawn", "spawn: ideal"}, false},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			s, err := ReadSweep(mustRead(t, tc.file), tc.over)
			if err != nil {
				t.Fatal(err)
			}
			ch := s.Chart("sweep")
			texts := drawn(t, ch)
			for _, want := range append(tc.texts, "AMD EPYC, 2 cores") {
				if !hasText(texts, want) {
					t.Errorf("no text %q among %q", want, texts)
				}
			}
			if got := strings.Contains(ch.Caption, "logarithmic"); got != tc.log {
				t.Errorf("caption %q: says logarithmic %v, want %v", ch.Caption, got, tc.log)
			}
			if !strings.Contains(ch.Caption, "whiskers: smallest to largest sample") {
				t.Errorf("caption %q does not say what the whiskers show", ch.Caption)
			}
			if ch.Name != "sweep" || ch.Legend == nil || len(ch.Tiles) != 1 {
				t.Errorf("chart %q, legend %v, %d rows of plots: want one plot with a legend", ch.Name, ch.Legend, len(ch.Tiles))
			}
		})
	}
}

// TestSweepChartWrites: the chart goes to name.svg and name.png.
func TestSweepChartWrites(t *testing.T) {
	s, err := ReadSweep(mustRead(t, cpuSweepFile), OverWorkers)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := s.Chart("regex").Write(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"regex.svg", "regex.png"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}
