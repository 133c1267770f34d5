package concbench_test

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench"
	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/internal/leakcheck"
	"github.com/concbench/concbench/models"
)

// An order is what the work encodes: a realistic record with nested
// structs, strings and numbers.
type order struct {
	ID       int       `json:"id"`
	Customer string    `json:"customer"`
	Placed   time.Time `json:"placed"`
	Items    []item    `json:"items"`
	Total    float64   `json:"total"`
}

type item struct {
	SKU      string  `json:"sku"`
	Quantity int     `json:"quantity"`
	Price    float64 `json:"price"`
}

// encodeOrders is the work: task i JSON-encodes the i-th slice of 200
// orders. The inputs come from a fixed seed, so that a worker process of
// the process model builds the same ones.
func encodeOrders() bench.Work {
	const perTask = 200
	rng := rand.New(rand.NewPCG(1, 2))
	inputs := make([][]order, bench.DefaultTasks)
	for i := range inputs {
		inputs[i] = make([]order, perTask)
		for j := range inputs[i] {
			o := order{ID: i*perTask + j, Customer: "customer-" + strconv.Itoa(rng.IntN(10000)),
				Placed: time.Date(2026, 1, 1, 0, 0, rng.IntN(1e7), 0, time.UTC)}
			for range 1 + rng.IntN(5) {
				it := item{SKU: fmt.Sprintf("SKU-%06d", rng.IntN(1e6)), Quantity: 1 + rng.IntN(9), Price: float64(rng.IntN(10000)) / 100}
				o.Items = append(o.Items, it)
				o.Total += float64(it.Quantity) * it.Price
			}
			inputs[i][j] = o
		}
	}
	return bench.Work{
		Name:   "encode-orders",
		Params: []string{"orders=" + strconv.Itoa(perTask)},
		Task: func(ctx context.Context, i int) (models.Result, error) {
			out, err := json.Marshal(inputs[i])
			if err != nil {
				return models.Result{}, err
			}
			h := fnv.New64a()
			h.Write(out)
			return models.Result{Bytes: int64(len(out)), Digest: h.Sum64()}, nil
		},
	}
}

// TestMain registers the work, so that the process model can run it: its
// worker processes run this test binary again, and ServeIfWorker turns
// them into workers that rebuild the work by its name.
func TestMain(m *testing.M) {
	bench.ServeIfWorker(encodeOrders())
	leakcheck.Main(m)
}

// BenchmarkEncodeOrders runs the work under every model:
//
//	go test -run '^$' -bench EncodeOrders -count 10 > new.txt
//	benchstat -col /model new.txt
func BenchmarkEncodeOrders(b *testing.B) {
	bench.Compare(b, encodeOrders())
}

// Recommend measures the work under every model and says which to use.
// The numbers, and so the advice, depend on the machine: rec.Model names
// the model, rec.Why gives the reasons, and rec.WriteText prints it all as
// concbench recommend does.
func ExampleRecommend() {
	rec, err := concbench.Recommend(context.Background(), encodeOrders(), concbench.Options{Count: 6, MinTime: time.Millisecond})
	if err != nil {
		fmt.Println(err)
		return
	}
	var measured []string
	for _, r := range rec.Results {
		measured = append(measured, r.Model)
	}
	fmt.Println("measured:", strings.Join(measured, " "))
	fmt.Println("verdict:", rec.Resolved, rec.Model != "" && len(rec.Why) > 0)
	// Output:
	// measured: sequential spawn pool semaphore errgroup chanpool conc pinned gil pipeline ants pond process exec
	// verdict: true true
}
