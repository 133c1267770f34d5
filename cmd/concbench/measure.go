package main

import "github.com/concbench/concbench/internal/measure"

// The command measures with package measure; these are its names here.
type (
	measurement = measure.Measurement
	sample      = measure.Sample
	combination = measure.Combination
	plan        = measure.Plan
)

const (
	unitNsPerOp    = measure.UnitNsPerOp
	unitMBps       = measure.UnitMBps
	unitTasksps    = measure.UnitTasksps
	unitCPUCores   = measure.UnitCPUCores
	unitFloorRatio = measure.UnitFloorRatio
	unitP50        = measure.UnitP50
	unitP99        = measure.UnitP99
)
