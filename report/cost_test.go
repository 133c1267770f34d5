package report

import (
	"path/filepath"
	"strings"
	"testing"
)

var costFile = filepath.Join("testdata", "amd-epyc-2c-cost", "20261201-223500-go-test.txt")

func pt(t, center, lo float64, ideal int) GrainPoint {
	return GrainPoint{TaskTime: t, Speedup: Ratio{Center: center, Lo: lo, Hi: center * 1.1, CI: true}, Ideal: ideal}
}

// TestBreakEven holds the rule to synthetic curves whose answer is known.
func TestBreakEven(t *testing.T) {
	for _, tc := range []struct {
		name       string
		points     []GrainPoint
		pays, near float64
	}{
		{"pays from the third, near from the fourth", []GrainPoint{pt(1e-7, 0.2, 0.1, 2), pt(4e-7, 0.8, 0.7, 2), pt(16e-7, 1.5, 1.2, 2), pt(64e-7, 1.9, 1.8, 2), pt(256e-7, 1.95, 1.9, 2)}, 16e-7, 64e-7},
		{"a lucky point among losses is no break-even", []GrainPoint{pt(1e-7, 1.5, 1.1, 2), pt(4e-7, 0.9, 0.8, 2), pt(16e-7, 1.3, 1.05, 2)}, 16e-7, 0},
		{"interval starting exactly at 1 pays", []GrainPoint{pt(1e-6, 1.2, 1.0, 2)}, 1e-6, 0},
		{"never", []GrainPoint{pt(1e-6, 0.5, 0.4, 2), pt(4e-6, 1.2, 0.95, 2)}, 0, 0},
		{"from the start", []GrainPoint{pt(1e-6, 1.9, 1.5, 2), pt(4e-6, 1.95, 1.8, 2)}, 1e-6, 1e-6},
		{"none", nil, 0, 0},
	} {
		pays, near := BreakEven(tc.points)
		if pays != tc.pays || near != tc.near {
			t.Errorf("%s: BreakEven = %g, %g; want %g, %g", tc.name, pays, near, tc.pays, tc.near)
		}
	}
}

// TestGranularityAnalysis checks the analysis of a real run: every model
// but sequential has a curve over the eight lengths, in ascending order,
// each point paired with the sequential run of its own batch.
func TestGranularityAnalysis(t *testing.T) {
	a := Analyze(mustRead(t, costFile))
	if len(a.Granularity) < 10 {
		t.Fatalf("%d granularity curves, want one per model", len(a.Granularity))
	}
	for _, c := range a.Granularity {
		if c.Model == ModelSequential || len(c.Points) != 8 {
			t.Errorf("curve %s with %d points", c.Model, len(c.Points))
		}
		for i, p := range c.Points {
			if i > 0 && p.TaskTime <= c.Points[i-1].TaskTime {
				t.Errorf("%s: task times not ascending at %d", c.Model, i)
			}
			ideal := 2 // workers = cores = 2; pinned runs under GOMAXPROCS=1
			if c.Model == "pinned" {
				ideal = 1
			}
			if p.Speedup.N != 6 || p.Ideal != ideal {
				t.Errorf("%s: point %+v, want 6 pairs and ideal %d", c.Model, p, ideal)
			}
		}
		pays, near := BreakEven(c.Points)
		if pays != c.Pays || near != c.Near {
			t.Errorf("%s: break-even %g, %g, BreakEven says %g, %g", c.Model, c.Pays, c.Near, pays, near)
		}
	}
	// The shortest tasks last about 250ns, the longest about 4ms.
	p := a.Granularity[0].Points
	if first, last := p[0].TaskTime, p[len(p)-1].TaskTime; first < 100e-9 || first > 1e-6 || last < 2e-3 || last > 10e-3 {
		t.Errorf("task lengths from %g to %g s", first, last)
	}
}

func TestFootprintAnalysis(t *testing.T) {
	a := Analyze(mustRead(t, costFile))
	got := map[string]*Footprint{}
	for _, f := range a.Footprints {
		got[f.Model] = f
	}
	spawn, proc := got["spawn"], got["process"]
	if spawn == nil || proc == nil || len(spawn.Holds) != 2 || spawn.Holds[0].Tasks != 1000 || spawn.Holds[1].Tasks != 10000 {
		t.Fatalf("footprints %v", a.Footprints)
	}
	// The sanity figures: a parked goroutine 2 to 8 KiB at 10^4,
	// a worker process megabytes.
	if r := spawn.Holds[1].RSS.Center; r < 2<<10 || r > 8<<10 {
		t.Errorf("spawn at 10^4: %g B per task", r)
	}
	if r := proc.Holds[0].RSS.Center; r < 256<<10 {
		t.Errorf("process: %g B per worker", r)
	}
}

func TestGranularityGuide(t *testing.T) {
	a := &Analysis{Granularity: []*GrainCurve{
		{Model: "pool", Points: []GrainPoint{pt(1e-6, 1.2, 1.1, 2), pt(4e-6, 1.9, 1.8, 2)}, CI: true},
		{Model: "exec", Points: []GrainPoint{pt(1e-6, 0.01, 0.01, 2), pt(4e-6, 0.02, 0.01, 2)}, CI: true},
	}}
	for _, c := range a.Granularity {
		c.Pays, c.Near = BreakEven(c.Points)
	}
	g := GranularityGuide(a)
	for _, want := range []string{"tasks under 1.00 µs: stay sequential or batch them", "pool pays from 1.00 µs and reaches 90% of ideal from 4.00 µs", "not up to 4.00 µs: exec"} {
		if !strings.Contains(g, want) {
			t.Errorf("guide %q lacks %q", g, want)
		}
	}
	if GranularityGuide(&Analysis{}) != "" {
		t.Error("a guide line without granularity results")
	}
}

// TestHTMLCostCharts: the HTML page draws both cost charts from the same
// analysis, every point tied to its samples.
func TestHTMLCostCharts(t *testing.T) {
	hb := newHTMLBuilder(Analyze(mustRead(t, costFile)))
	found := map[string]int{}
	for _, ch := range hb.data.Charts {
		for _, p := range ch.Panels {
			for _, s := range p.Series {
				for _, pt := range s.Points {
					if pt.Cell == 0 || pt.Y <= 0 || pt.X <= 0 {
						t.Errorf("%s: point %+v", ch.Name, pt)
					}
					found[ch.Name]++
				}
			}
		}
	}
	if found["granularity"] < 8*10 || found["footprint"] < 10 {
		t.Errorf("points per chart %v", found)
	}
}
