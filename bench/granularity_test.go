package bench

import (
	"slices"
	"strings"
	"testing"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/models"
)

// BenchmarkGranularity runs tasks of a set length, from about 250ns to
// about 4ms in steps of 4 (spin rounds, iters=), under every model at
// workers = GOMAXPROCS: divided by sequential's, the speedups show from
// which task size each model pays. One op is one batch.
func BenchmarkGranularity(b *testing.B) { runGroup(b, "BenchmarkGranularity") }

// TestGranularityCases checks the sweep's shape: every model at every
// step, each beside a sequential run of the same batch, and the steps 4
// apart from 128 to 2Mi rounds.
func TestGranularityCases(t *testing.T) {
	if got, want := GranularitySteps(false), []int{128, 512, 2 << 10, 8 << 10, 32 << 10, 128 << 10, 512 << 10, 2 << 20}; !slices.Equal(got, want) {
		t.Errorf("steps %v, want %v", got, want)
	}
	for _, short := range []bool{true, false} {
		cases := GranularityCases(short)
		refs := map[[2]int]bool{}
		for _, c := range cases {
			if c.Model == benchkey.Sequential {
				refs[[2]int{c.Iters, c.Tasks}] = true
			}
		}
		for _, iters := range GranularitySteps(short) {
			for _, e := range models.All {
				i := slices.IndexFunc(cases, func(c GranularityCase) bool { return c.Model == e.Name && c.Iters == iters })
				if i < 0 {
					t.Errorf("short=%v: no case of %s at iters=%d", short, e.Name, iters)
					continue
				}
				if c := cases[i]; !refs[[2]int{c.Iters, c.Tasks}] {
					t.Errorf("short=%v: %s has no sequential run of the same batch", short, c.Name())
				}
			}
		}
	}
	name := GranularityCase{Model: "pool", Iters: 128, Tasks: 64}.Name()
	if !strings.HasPrefix(name, "workload=spin/model=pool/workers=") || !strings.HasSuffix(name, "/tasks=64/iters=128") {
		t.Errorf("name %q", name)
	}
}

func TestSpinTaskBadParams(t *testing.T) {
	for _, params := range [][]string{nil, {"iters=0"}, {"iters=x"}, {"rounds=5"}, {"iters=1", "iters=2"}, {"iters=99999999999"}} {
		if _, err := spinTask(params); err == nil || !strings.Contains(err.Error(), "iters") {
			t.Errorf("spinTask(%q) = %v, want an error naming iters", params, err)
		}
	}
	if _, err := spinTask([]string{"iters=5"}); err != nil {
		t.Error(err)
	}
}
