package report

import (
	"slices"
	"strings"
	"testing"
)

// TestOverheadRows: from a run with net costs, the chart's rows are every
// model but sequential, cheapest net cost first, the pools Go code uses
// among them; a model whose net cost is not above zero is set apart.
func TestOverheadRows(t *testing.T) {
	a := Analyze(mustRead(t, overheadFile))
	drawn, free := overheadRows(a)
	var names []string
	for i, c := range drawn {
		names = append(names, c.M.Model)
		if !c.HasNet {
			t.Errorf("%s: no net cost read", c.M.Model)
		}
		if i > 0 && c.Net.Center < drawn[i-1].Net.Center {
			t.Errorf("%s (%v ns) after %s (%v ns): want cheapest first", c.M.Model, c.Net.Center, drawn[i-1].M.Model, drawn[i-1].Net.Center)
		}
	}
	for _, want := range []string{"errgroup", "conc", "chanpool", "ants", "pond", "pool", "exec"} {
		if !slices.Contains(names, want) {
			t.Errorf("rows %v lack %s", names, want)
		}
	}
	if slices.Contains(names, ModelSequential) || len(drawn)+len(free) != len(a.Overhead)-1 {
		t.Errorf("rows %v and apart %d of %d costs: want every model but sequential", names, len(free), len(a.Overhead))
	}
	if names[len(names)-1] != "exec" {
		t.Errorf("rows %v: want exec, a process per task, dearest", names)
	}

	// A net cost at or below zero is noise around the harness's: apart.
	cheap := &Cost{M: &Measurement{Bench: Bench{Model: "pool"}}, PerTask: Summary{Center: 70}, Net: Summary{Center: -2}, HasNet: true}
	dear := &Cost{M: &Measurement{Bench: Bench{Model: "spawn"}}, PerTask: Summary{Center: 700}, Net: Summary{Center: 630, Lo: 600, Hi: 660}, HasNet: true}
	seq := &Cost{M: &Measurement{Bench: Bench{Model: ModelSequential}}, PerTask: Summary{Center: 68}, Net: Summary{Center: 1}, HasNet: true}
	syn := &Analysis{Run: &Run{}, Cores: 2, Overhead: []*Cost{seq, dear, cheap}}
	drawn, free = overheadRows(syn)
	if len(drawn) != 1 || drawn[0] != dear || len(free) != 1 || free[0] != cheap {
		t.Errorf("drawn %v, apart %v: want spawn drawn and pool apart", drawn, free)
	}
	ch, why := overheadChart(syn, &palettes{})
	if ch == nil {
		t.Fatal(why)
	}
	for _, want := range []string{"sequential's (68.0 ns per task", "not drawn: pool", "Cheapest first"} {
		if !strings.Contains(ch.Caption, want) {
			t.Errorf("caption %q lacks %q", ch.Caption, want)
		}
	}
}

// TestOverheadNetChart: the chart of net costs says so in its title and
// axis, names every model it draws, and labels each with its gross cost.
func TestOverheadNetChart(t *testing.T) {
	a := Analyze(mustRead(t, overheadFile))
	ch := charts(t, a)["overhead"]
	if ch == nil {
		t.Fatal("not drawn")
	}
	texts := drawn(t, ch)
	want := []string{"net of the harness", "time per task beyond sequential's (lower is better, log scale)", " gross)", " ms (", "1 ms"}
	rows, _ := overheadRows(a)
	for _, c := range rows {
		want = append(want, c.M.Model)
	}
	for _, w := range want {
		if !hasText(texts, w) {
			t.Errorf("no text %q among %q", w, texts)
		}
	}
	if slices.Contains(texts, ModelSequential) {
		t.Errorf("sequential drawn: its net cost is zero by construction")
	}
}
