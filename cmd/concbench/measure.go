package main

import "github.com/concbench/concbench/internal/measure"

// The command measures with package measure; these are its names here.
type (
	measurement = measure.Measurement
	sample      = measure.Sample
	combination = measure.Combination
	plan        = measure.Plan
)
