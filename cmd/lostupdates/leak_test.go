package main

import (
	"testing"

	"github.com/concbench/concbench/internal/leakcheck"
)

func TestMain(m *testing.M) { leakcheck.Main(m) }
