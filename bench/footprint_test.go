package bench

import (
	"context"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/internal/procmem"
	"github.com/concbench/concbench/models"
)

// BenchmarkFootprint holds N tasks blocked at once under each model with
// N workers, and reports per task the memory they add (rss-B/task, child
// processes' Pss included; stack-B/task and heap-B/task from the runtime),
// the time to get them all blocked (create-ns/task), tasks/GiB, and the
// OS threads while they wait. One op is one hold cycle.
func BenchmarkFootprint(b *testing.B) { runGroup(b, "BenchmarkFootprint") }

// TestFootprintLeavesNothing runs a hold cycle under every model of the
// benchmark and requires that, once it returns, no goroutine it started
// runs on and no child process lives.
func TestFootprintLeavesNothing(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("BenchmarkFootprint reads /proc")
	}
	for _, c := range FootprintCases(true) {
		t.Run(c.Name(), func(t *testing.T) {
			before := runtime.NumGoroutine()
			fp, err := HoldCycle(context.Background(), c.Model, c.Tasks)
			if err != nil {
				t.Fatal(err)
			}
			if fp.RSS <= 0 || fp.Create <= 0 || fp.Threads < 1 {
				t.Errorf("footprint %+v: want memory, time and threads above zero", fp)
			}
			deadline := time.Now().Add(5 * time.Second)
			for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if n := runtime.NumGoroutine(); n > before {
				t.Errorf("%d goroutines after the cycle, %d before", n, before)
			}
			if kids := procmem.Children(os.Getpid()); len(kids) > 0 {
				t.Errorf("child processes left: %v", kids)
			}
		})
	}
}

// TestFootprintGoroutine checks the figure the Go documentation leads one
// to expect: a parked goroutine holds a stack of a few KiB.
func TestFootprintGoroutine(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("BenchmarkFootprint reads /proc")
	}
	fp, err := HoldCycle(context.Background(), "spawn", 5000)
	if err != nil {
		t.Fatal(err)
	}
	if fp.Stack < 1<<10 || fp.Stack > 16<<10 || fp.RSS < 1<<10 || fp.RSS > 64<<10 {
		t.Errorf("spawn holding 5000 tasks: %+v; want 1 to 16 KiB of stack and 1 to 64 KiB resident per task", fp)
	}
}

func TestFootprintRefusesBoundedModels(t *testing.T) {
	_, err := HoldCycle(context.Background(), "pinned", 100)
	if err != nil && !strings.Contains(err.Error(), "cannot hold") {
		t.Fatalf("pinned: %v", err)
	}
	if _, err := models.Lookup("sequential"); err == nil {
		if _, err := HoldCycle(context.Background(), "sequential", 100); err == nil || !strings.Contains(err.Error(), "cannot hold") {
			t.Errorf("sequential holding 100: %v, want an error saying it cannot hold them", err)
		}
	}
}

func TestHoldTaskBadParams(t *testing.T) {
	for _, params := range [][]string{nil, {"addr=10.0.0.1:80"}, {"addr=localhost"}, {"host=127.0.0.1:80"}} {
		if _, err := holdTask(params); err == nil || !strings.Contains(err.Error(), "addr=127.0.0.1:PORT") {
			t.Errorf("holdTask(%q) = %v", params, err)
		}
	}
}
