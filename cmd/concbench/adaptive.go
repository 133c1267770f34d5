package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/internal/measure"
	"github.com/concbench/concbench/report"
)

// An adaptive plan extends a profile's rounds for its headline
// comparisons, the BenchmarkModels block of each workload: after the
// profile's own rounds, a workload whose verdict is not settled (its
// chosen model's paired speedup known within measure.TargetHalfWidth,
// by the page's own verdict rule) gets one more round of its block, in a
// shuffled order, until it settles or its time budget, the plan's total
// or MaxRounds is spent. A workload that does not settle is listed in the
// results file as unresolved, and its page gives no verdict. The zero
// value extends nothing.
type adaptive struct {
	group     string        // the headline group: BenchmarkModels
	benchtime string        // -benchtime of the extra samples
	perCell   time.Duration // what one workload's extra rounds may take
	total     time.Duration // what all the extra rounds may take
	maxRounds int           // extra rounds of one workload at most
}

// fullAdaptive is the full profile's: TestFullProfileTime estimates the
// full profile at about 56 minutes on the 2-core machine (53 of Go
// benchmarks, 3 of Python), so the extra rounds get 4 minutes in all,
// 30 s a workload: one more round of stdgzip, several of xxh3.
var fullAdaptive = adaptive{group: "BenchmarkModels", benchtime: "300ms", perCell: 30 * time.Second, total: 4 * time.Minute, maxRounds: 20}

// unsettled returns the workloads of the results text whose verdicts are
// not settled, by the page's verdict rule.
func unsettled(results []byte) []string {
	run, err := report.Read(bytes.NewReader(results), "adaptive")
	if err != nil {
		return nil
	}
	var out []string
	for _, w := range report.Analyze(run).Workloads {
		if !settled(w.Verdict) && !slices.Contains(out, w.Name) {
			out = append(out, w.Name)
		}
	}
	return out
}

// settled reports whether v is a verdict whose speedup is known within
// measure.TargetHalfWidth of its median either side: the criterion that
// recommend's adaptive rounds use.
func settled(v report.Verdict) bool {
	sp := v.Speedup
	return v.Resolved && sp.CI && (sp.Hi-sp.Lo)/2 <= measure.TargetHalfWidth*sp.Center
}

// extend runs the extra rounds. results holds what the profile wrote so
// far; each extra result line goes to w and to results. It returns the
// workloads still unsettled at the end.
func (a adaptive) extend(ctx context.Context, suite []bench.Benchmark, s *sampler, w io.Writer, results *bytes.Buffer, width int) ([]string, error) {
	if a.group == "" {
		return nil, nil
	}
	if err := setBenchtime(a.benchtime); err != nil {
		return nil, err
	}
	spent := map[string]time.Duration{}
	rounds := map[string]int{}
	var all time.Duration
	for {
		open := unsettled(results.Bytes())
		var next []string
		for _, wl := range open {
			if spent[wl] < a.perCell && rounds[wl] < a.maxRounds && all < a.total {
				next = append(next, wl)
			}
		}
		if len(next) == 0 {
			return open, nil
		}
		for _, wl := range next {
			var block []bench.Benchmark
			for _, b := range suite {
				if b.Group == a.group && blockKey(b) == a.group+"/"+wl {
					block = append(block, b)
				}
			}
			start := time.Now()
			for _, blk := range s.order(block) {
				for _, b := range s.samples(blk, 1) {
					line, err := s.sample(ctx, b)
					if err != nil {
						return nil, err
					}
					text := fmt.Sprintf("%-*s\t%s\n", width, line.name, line.result)
					results.WriteString(text)
					if _, err := io.WriteString(w, text); err != nil {
						return nil, err
					}
				}
			}
			d := time.Since(start)
			spent[wl] += d
			all += d
			rounds[wl]++
		}
	}
}

// unresolvedLine is the configuration line that lists the unsettled
// workloads; empty for none.
func unresolvedLine(workloads []string) string {
	if len(workloads) == 0 {
		return ""
	}
	return fmt.Sprintf("%s: %s\n", report.ConfigUnresolved, strings.Join(workloads, " "))
}
