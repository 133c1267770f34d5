package bench

import (
	"flag"
	"fmt"
	"testing"

	"github.com/concbench/concbench/internal/leakcheck"
	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/workloads"
)

func TestMain(m *testing.M) {
	// The process model runs this binary again as its workers, and the
	// IO workloads as their server processes.
	workloads.ServeIfServer()
	models.ServeIfWorker(testBuild)
	flag.Parse()
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		// A file configuration line, so that a report can refuse numbers
		// from an instrumented build.
		fmt.Printf("instrumented: %s\n", instrumented())
		for _, kv := range RunConfig() {
			fmt.Printf("%s: %s\n", kv[0], kv[1])
		}
	}
	// No goroutine, child process or temporary file may outlive the tests.
	leakcheck.Main(m)
}

// instrumented names the instrumentation compiled into this binary, which
// slows it down: "race", "cover", both, or "none".
func instrumented() string {
	switch {
	case raceEnabled && testing.CoverMode() != "":
		return "race,cover"
	case raceEnabled:
		return "race"
	case testing.CoverMode() != "":
		return "cover"
	}
	return "none"
}
