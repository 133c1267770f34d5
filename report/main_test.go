package report

import (
	"testing"

	"concbench/internal/leakcheck"
)

func TestMain(m *testing.M) { leakcheck.Main(m) }
