package bench

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/internal/leakcheck"
	"github.com/concbench/concbench/models"
)

// TestServerProcessEndsWithBenchmark sets up IO cases as a benchmark does,
// under pool and under process: one server process serves each (the
// process model's workers share it rather than start their own), its CPU
// is reported apart from the client's, and once the runner is closed no
// process is left, server or worker.
func TestServerProcessEndsWithBenchmark(t *testing.T) {
	for _, c := range []Case{
		{Workload: "http", Model: "pool", Tasks: 16, Options: models.Options{Workers: 4}, Short: true},
		{Workload: "fanout-serial", Model: "process", Tasks: 16, Options: models.Options{Workers: 3}, Short: true},
		{Workload: "crawl", Model: "process", Tasks: 16, Options: models.Options{Workers: 2}, Short: true},
	} {
		t.Run(c.Workload+"/"+c.Model, func(t *testing.T) {
			r, err := Setup(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.WarmUp(context.Background()); err != nil {
				r.Close()
				t.Fatal(err)
			}
			var tl Tally
			for range 3 {
				b, err := r.Run(context.Background())
				if err != nil {
					r.Close()
					t.Fatal(err)
				}
				tl.Add(b)
			}
			servers, workers := childKinds()
			if err := r.Close(); err != nil {
				t.Error(err)
			}
			wantWorkers := 0
			if c.Model == "process" {
				wantWorkers = c.Options.Workers
			}
			if servers != 1 || workers != wantWorkers {
				t.Errorf("%d server processes and %d workers, want 1 and %d", servers, workers, wantWorkers)
			}
			if v := tl.Value(benchkey.UnitServerCPUCores, c.Tasks, r.Floor); !(v > 0) {
				t.Errorf("server-cpu-cores = %v, want it above zero", v)
			}
			for _, p := range r.Params() {
				if strings.HasPrefix(p, "addr=") && p != "addr=" {
					t.Errorf("Params %q carry the server's address, which is no parameter of the run", r.Params())
				}
			}
			if left := leakcheck.Children(os.Getpid()); len(left) != 0 {
				t.Errorf("processes %v left after the benchmark's runner closed", left)
			}
		})
	}
}

// childKinds counts this process's children that are server processes and
// those that are process model workers, by their arguments.
func childKinds() (servers, workers int) {
	for _, pid := range leakcheck.Children(os.Getpid()) {
		cmdline, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
		args := strings.Split(string(cmdline), "\x00")
		if len(args) > 1 && args[1] == "-concbench.server" {
			servers++
		} else if len(args) > 1 && args[1] == "-concbench.worker" {
			workers++
		}
	}
	return servers, workers
}
