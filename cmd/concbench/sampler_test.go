package main

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/concbench/concbench/bench"
)

// TestSamplerOrder: every round holds every benchmark once; a block's
// benchmarks (one group and workload) run together; and over the rounds
// the blocks, and the models within one, take every position.
func TestSamplerOrder(t *testing.T) {
	suite := bench.Suite(true)
	s := &sampler{seed: 7}
	first := map[string]map[int]bool{} // model of the gzip block → its positions
	// With 14 models in a block, a model misses the last place of 200
	// shuffles with odds of (13/14)^200, about 4e-7.
	const rounds = 200
	for range rounds {
		var names []string
		for _, block := range s.order(slices.Clone(suite)) {
			key := blockKey(block[0])
			for pos, b := range block {
				if blockKey(b) != key {
					t.Fatalf("block %s holds %s", key, b.FullName())
				}
				names = append(names, b.FullName())
				if key == "BenchmarkModels/gzip" {
					model := b.Name[strings.Index(b.Name, "model="):]
					if first[model] == nil {
						first[model] = map[int]bool{}
					}
					first[model][pos] = true
				}
			}
		}
		want := bench.Names(true)
		slices.Sort(want)
		slices.Sort(names)
		if !slices.Equal(names, want) {
			t.Fatalf("a round ran %d benchmarks, want each of the %d once", len(names), len(want))
		}
	}
	if len(first) < 3 {
		t.Fatalf("the gzip block has %d models", len(first))
	}
	for model, pos := range first {
		if !pos[0] || !pos[len(first)-1] {
			t.Errorf("%s never ran first or never last in its block over %d rounds: positions %v", model, rounds, pos)
		}
	}
	var zero sampler
	got := zero.order(slices.Clone(suite))
	var flat []bench.Benchmark
	for _, b := range got {
		flat = append(flat, b...)
	}
	if flat[0].FullName() != suite[0].FullName() {
		t.Errorf("the zero sampler reordered the suite: first %s, want %s", flat[0].FullName(), suite[0].FullName())
	}
}

func TestSamplerConfigLines(t *testing.T) {
	var b strings.Builder
	s := newSampler()
	if err := s.header(&b); err != nil || !strings.HasPrefix(b.String(), "order-seed: ") {
		t.Errorf("header %q, %v", b.String(), err)
	}
	b.Reset()
	s.guard.Retakes, s.guard.Kept = 3, 1
	if err := s.footer(&b); err != nil || b.String() != "retakes: 3 retaken, 1 kept disturbed\n" {
		t.Errorf("footer %q, %v", b.String(), err)
	}
	b.Reset()
	var zero sampler
	if zero.header(&b) != nil || zero.footer(&b) != nil || b.Len() != 0 {
		t.Errorf("the zero sampler wrote %q", b.String())
	}
}

// TestRunProfileMeasures: a measuring profile writes its order seed, the
// calibration and its retakes, and every sample of every benchmark.
func TestRunProfileMeasures(t *testing.T) {
	p := fakeProfile
	p.measures = true
	var out bytes.Buffer
	n, err := runProfile(context.Background(), &out, io.Discard, p, fakeSuite(nil), true)
	if err != nil || n != 4 {
		t.Fatalf("runProfile: %d results, err %v; want 4, nil", n, err)
	}
	results, cfg := readBench(t, out.Bytes())
	var names []string
	for _, r := range results {
		names = append(names, r.name)
	}
	slices.Sort(names)
	if want := []string{"Fake/case=a", "Fake/case=a", "Fake/case=b", "Fake/case=b"}; !slices.Equal(names, want) {
		t.Errorf("results %v, want %v in some order", names, want)
	}
	for _, k := range []string{"order-seed", "calibration-sha256-ns", "calibration-memory-ns", "cpu-family"} {
		if cfg[k] == "" {
			t.Errorf("no %s: line", k)
		}
	}
	if !strings.Contains(out.String(), "\nretakes: ") {
		t.Error("no retakes: line")
	}
}
