package bench

import (
	"context"
	"slices"
	"testing"
)

// BenchmarkScaling runs the scaling sweeps of the CPU workloads: the pool
// at each workers count, and pinned at each GOMAXPROCS value, with the same
// metrics as BenchmarkModels. Divided by the workload's sequential run, they
// give the speedup curves.
func BenchmarkScaling(b *testing.B) { runGroup(b, "BenchmarkScaling") }

// TestScalingDigests holds the sweeps' cases, whose options the main matrix
// does not use (one worker, GOMAXPROCS above 1), to the sequential digest.
func TestScalingDigests(t *testing.T) {
	for _, c := range Scaling(true) {
		t.Run(c.Name(), func(t *testing.T) {
			r, err := Setup(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if _, err := r.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestLadder(t *testing.T) {
	for _, tc := range []struct {
		top  int
		want []int
	}{
		{0, nil},
		{1, []int{1}},
		{2, []int{1, 2}},
		{4, []int{1, 2, 4}},
		{6, []int{1, 2, 4, 6}},
		{32, []int{1, 2, 4, 8, 16, 32}},
	} {
		if got := Ladder(tc.top); !slices.Equal(got, tc.want) {
			t.Errorf("Ladder(%d) = %v, want %v", tc.top, got, tc.want)
		}
	}
}
