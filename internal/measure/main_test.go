package measure

import (
	"testing"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/internal/leakcheck"
)

func TestMain(m *testing.M) {
	// The process model runs this binary again as its workers.
	bench.ServeIfWorker()
	leakcheck.Main(m)
}
