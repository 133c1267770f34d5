package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/internal/measure"
)

// A sampler takes the samples of a profile's rounds in the bench
// command. Each round runs its benchmarks in an order of its own, drawn
// from seed, in blocks: the benchmarks of one group and workload, whose
// models the report compares with each other, stay together, so that
// sample i of a model lies next to sample i of its sequential
// reference; blocks and the benchmarks within them are shuffled, so that
// no model always runs first or last. With a guard, every sample is
// probed and taken again when the machine disturbed it. The zero value
// runs in go test's order, unguarded: what a profile that measures
// nothing (smoke) wants.
type sampler struct {
	seed  uint64
	guard *measure.Guard
	round int
	kept  int // samples kept so far, which bound the guard's retakes
}

// newSampler returns the sampler of a profile that measures: seeded from
// the clock, guarded.
func newSampler() *sampler {
	return &sampler{seed: uint64(time.Now().UnixNano()) | 1, guard: measure.NewGuard()}
}

// Config keys the sampler writes into a results file.
const (
	configSeed    = "order-seed" // the seed of every round's order
	configRetakes = "retakes"    // samples taken again, then kept disturbed
)

// header writes the configuration lines that say how the samples were
// ordered; nothing for the zero sampler.
func (s *sampler) header(w io.Writer) error {
	if s.seed == 0 {
		return nil
	}
	_, err := fmt.Fprintf(w, "%s: %d\n", configSeed, s.seed)
	return err
}

// footer writes how many samples the guard took again, before PASS.
func (s *sampler) footer(w io.Writer) error {
	if s.guard == nil {
		return nil
	}
	_, err := fmt.Fprintf(w, "%s: %d retaken, %d kept disturbed\n", configRetakes, s.guard.Retakes, s.guard.Kept)
	return err
}

// order returns the benchmarks of the next round, in its order, grouped
// into blocks.
func (s *sampler) order(bs []bench.Benchmark) [][]bench.Benchmark {
	var blocks [][]bench.Benchmark
	index := map[string]int{}
	for _, b := range bs {
		k := blockKey(b)
		i, ok := index[k]
		if !ok {
			i = len(blocks)
			index[k] = i
			blocks = append(blocks, nil)
		}
		blocks[i] = append(blocks[i], b)
	}
	if s.seed != 0 {
		rng := rand.New(rand.NewPCG(s.seed, uint64(s.round)))
		rng.Shuffle(len(blocks), func(i, j int) { blocks[i], blocks[j] = blocks[j], blocks[i] })
		for _, b := range blocks {
			rng.Shuffle(len(b), func(i, j int) { b[i], b[j] = b[j], b[i] })
		}
	}
	s.round++
	return blocks
}

// samples lists the samples of a block to take, count of each: in go
// test's order (each benchmark's samples one after another) for the zero
// sampler; else sample k of each benchmark before sample k+1 of any, so
// that the k-th samples of the models a block compares lie side by side.
func (s *sampler) samples(block []bench.Benchmark, count int) []bench.Benchmark {
	var out []bench.Benchmark
	if s.seed == 0 {
		for _, b := range block {
			for range count {
				out = append(out, b)
			}
		}
		return out
	}
	for range count {
		out = append(out, block...)
	}
	return out
}

// blockKey is the group and workload of a benchmark: the benchmarks the
// report compares with one another.
func blockKey(b bench.Benchmark) string {
	key := b.Group
	if _, rest, ok := strings.Cut("/"+b.Name, "/workload="); ok {
		w, _, _ := strings.Cut(rest, "/")
		key += "/" + w
	}
	return key
}

// sample measures b once, as measureBenchmark does, taking it again while
// the guard finds the machine disturbed and allows a retake.
func (s *sampler) sample(ctx context.Context, b bench.Benchmark) (resultText, error) {
	if s.guard == nil {
		return measureBenchmark(ctx, b)
	}
	kept := s.kept
	s.kept++
	for attempt := 0; ; attempt++ {
		w := s.guard.Before(blockKey(b))
		line, err := measureBenchmark(ctx, b)
		if err != nil {
			return line, err
		}
		if disturbed, _ := s.guard.After(&w); !disturbed || !s.guard.Retake(attempt, kept) {
			return line, nil
		}
	}
}
