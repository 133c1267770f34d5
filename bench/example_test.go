package bench_test

import (
	"context"
	"fmt"
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

// Arrival times for an open-loop run: 200 requests offered at 400 per
// second, seeded, so that a run can be repeated exactly. The last arrives
// at 200/400 s; the gaps between them are random.
func ExamplePoissonArrivals() {
	at := bench.PoissonArrivals(200, 400, 1)
	again := bench.PoissonArrivals(200, 400, 1)
	fmt.Println(len(at), "arrivals, the last at", at[len(at)-1], "- same seed, same times:", at[17] == again[17])
	// Output: 200 arrivals, the last at 500ms - same seed, same times: true
}
