//go:build race

package main

// raceEnabled says whether the race detector is compiled in.
const raceEnabled = true
