//go:build !unix

package workloads

import "time"

// selfCPU returns zero where getrusage is not available: server-cpu-cores
// is then left out rather than wrong.
func selfCPU() time.Duration { return 0 }
