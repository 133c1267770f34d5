// Package python holds the Python harness, concbench.py: the tutorial's own
// concurrency models (threads, thread and process pools, asyncio) in
// CPython's standard library, run by concbench on the same inputs as the Go
// models. The script is embedded so that an installed concbench carries it;
// internal/pyrun writes it to a temporary directory and runs it.
package python

import _ "embed"

// Script is the text of concbench.py.
//
//go:embed concbench.py
var Script []byte
