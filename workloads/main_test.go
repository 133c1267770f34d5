package workloads

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no test leaves a goroutine behind: a prepared
// workload's Close must stop its servers and connections.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
