package bench_test

import (
	"context"
	"hash/fnv"
	"strconv"
	"testing"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/models"
)

// square is a work of one's own: task i squares i, and the digest is the
// hash of the result. Real work prepares its inputs before, outside the
// timed batches, from a fixed seed.
var square = bench.Work{
	Name: "square",
	Task: func(ctx context.Context, i int) (models.Result, error) {
		h := fnv.New64a()
		h.Write([]byte(strconv.Itoa(i * i)))
		return models.Result{Digest: h.Sum64()}, nil
	},
}

// Compare goes in a benchmark of a _test.go file of your own. It runs the
// work under every model as sub-benchmarks named
// workload=square/model=<model>/…, which benchstat pivots:
//
//	go test -run '^$' -bench Square -count 10 > new.txt
//	benchstat -col /model new.txt
func ExampleCompare() {
	_ = func(b *testing.B) { // func BenchmarkSquare(b *testing.B)
		bench.Compare(b, square)
	}
}

// ServeIfWorker registers works for the process model, whose worker
// processes run the same binary again and rebuild the task by its name.
// Call it first thing in TestMain (or main) with every work to measure
// under process; Compare leaves process out for a work not registered.
func ExampleServeIfWorker() {
	_ = func(m *testing.M) { // func TestMain(m *testing.M)
		bench.ServeIfWorker(square)
		m.Run()
	}
}
