package main

import (
	"testing"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/internal/leakcheck"
	"github.com/concbench/concbench/models"
)

// TestMain serves as a process model worker when started as one, as the
// command does. Otherwise it runs the tests and fails the run if one leaves
// a goroutine, a child process or a temporary file behind.
func TestMain(m *testing.M) {
	models.ServeIfWorker(bench.BuildTask)
	leakcheck.Main(m)
}
