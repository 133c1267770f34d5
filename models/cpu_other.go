//go:build !unix

package models

import "time"

// CPUTime returns zero where getrusage is not available: cpu-cores then
// reads as zero rather than as a wrong number.
func CPUTime() time.Duration { return 0 }
