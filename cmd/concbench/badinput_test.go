package main

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestBadInput: every bad value gives a usageError (exit status 2) whose
// one-line message names the value and what is allowed, before anything
// is measured.
func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string // all in the message
	}{
		// Unknown workload or model: the valid names, and the nearest.
		{[]string{"run", "-workload", "regx-alt", "-model", "pool"}, []string{`-workload "regx-alt": unknown workload (have zstd-fastest, `, "crawl)", `did you mean regex-alt?`}},
		{[]string{"run", "-workload", "regex", "-model", "pool"}, []string{`-workload "regex"`, "did you mean regex-prefix or regex-alt?"}},
		{[]string{"run", "-workload", "HTTP", "-model", "pool"}, []string{`-workload "HTTP"`, "did you mean http?"}},
		{[]string{"run", "-workload", "quantum", "-model", "pool"}, []string{`-workload "quantum": unknown workload (have `}},
		{[]string{"run", "-workload", "xxh3", "-model", "pol"}, []string{`-model "pol": unknown model (have sequential, spawn, pool,`, "did you mean pool?"}},
		{[]string{"run", "-workload", "xxh3", "-model", "semafore"}, []string{`-model "semafore"`, "did you mean semaphore?"}},
		{[]string{"sweep", "-workload", "xxh3", "-over", "workers", "-model", "pool,smeaphore"}, []string{`-model "smeaphore"`, "did you mean semaphore?"}},
		{[]string{"recommend", "-workload", "xxh3", "-models", "pool,pinnned"}, []string{`-models "pinnned"`, "did you mean pinned?"}},
		{[]string{"recommend", "-workload", "zstd-fast"}, []string{`-workload "zstd-fast"`, "did you mean zstd-fastest?"}},
		{[]string{"sweep", "-workload", "shaa256", "-over", "workers"}, []string{`-workload "shaa256"`, "did you mean sha256?"}},
		{[]string{"run", "-model", "pool"}, []string{"-workload: required; have zstd-fastest"}},
		{[]string{"run", "-workload", "xxh3"}, []string{"-model: required; have sequential"}},

		// Workers and other counts out of range.
		{[]string{"run", "-workload", "xxh3", "-model", "pool", "-workers", "0"}, []string{"-workers 0: want 1 to 1048576"}},
		{[]string{"run", "-workload", "xxh3", "-model", "pool", "-workers", "-3"}, []string{"-workers -3: want 1 to 1048576"}},
		{[]string{"run", "-workload", "xxh3", "-model", "pool", "-workers", "2000000"}, []string{"-workers 2000000: want 1 to 1048576"}},
		{[]string{"recommend", "-workload", "http", "-workers", "0"}, []string{"-workers 0: want 1 to 1048576"}},
		{[]string{"run", "-workload", "xxh3", "-model", "pool", "-workers", "many"}, []string{`-workers "many": want a whole number`}},
		{[]string{"run", "-workload", "xxh3", "-model", "pool", "-time", "soon"}, []string{`-time "soon": want a duration, such as 100ms`}},
		{[]string{"run", "-workload", "xxh3", "-model", "pool", "-short=maybe"}, []string{`-short "maybe": want true or false`}},
		{[]string{"run", "-workload", "xxh3", "-modle", "pool"}, []string{"-modle: concbench run has no such flag (have -compare, -count,", "did you mean -model?"}},
		{[]string{"run", "-workload", "xxh3", "-model", "pool", "-tasks", "0"}, []string{"-tasks 0: want 1 to 1048576"}},
		{[]string{"run", "-workload", "xxh3", "-model", "pool", "-tasks", "99999999"}, []string{"-tasks 99999999: want 1 to 1048576"}},
		{[]string{"run", "-workload", "xxh3", "-model", "pinned", "-procs", "0"}, []string{"-procs 0: want 1 to 1024"}},
		{[]string{"run", "-workload", "xxh3", "-model", "pinned", "-procs", "5000"}, []string{"-procs 5000: want 1 to 1024"}},
		{[]string{"run", "-workload", "xxh3", "-model", "pool", "-count", "0"}, []string{"-count 0: want 1 to 1000"}},
		{[]string{"run", "-workload", "xxh3", "-model", "pool", "-time", "-1s"}, []string{"-time -1s: want 0 to 1h"}},
		{[]string{"run", "-workload", "xxh3", "-model", "spawn", "-workers", "4"}, []string{"-workers 4: model spawn has no workers"}},
		{[]string{"run", "-workload", "xxh3", "-model", "pool", "-procs", "2"}, []string{"-procs 2: model pool has no procs", "; pinned takes it"}},
		{[]string{"sweep", "-workload", "xxh3", "-over", "workers", "-values", "1,0"}, []string{`-values "1,0": "0" is not a whole number from 1 to 1048576`}},
		{[]string{"sweep", "-workload", "xxh3", "-over", "workers", "-values", "1,lots"}, []string{`"lots" is not a whole number`}},
		{[]string{"sweep", "-workload", "xxh3", "-over", "gomaxprocs", "-values", "2,4096"}, []string{`"4096" is not a whole number from 1 to 1024`}},

		// Unknown parameters and malformed values.
		{[]string{"run", "-workload", "regex-alt", "-model", "pool", "-param", "colour=red"}, []string{"-param colour=red: workload regex-alt: ", `unknown parameter "colour" (have size, pattern)`}},
		{[]string{"run", "-workload", "regex-alt", "-model", "pool", "-param", "size=big"}, []string{"-param size=big", `size "big": want bytes, such as 4096, 64KiB or 1MiB`}},
		{[]string{"run", "-workload", "regex-alt", "-model", "pool", "-param", "size=0"}, []string{"-param size=0", "out of range: want 1 to"}},
		{[]string{"run", "-workload", "regex-alt", "-model", "pool", "-param", "pattern=star"}, []string{"-param pattern=star", `"star": want one of prefix, alt`}},
		{[]string{"run", "-workload", "http", "-model", "pool", "-param", "latency=soon"}, []string{"-param latency=soon", `"soon": want a duration`}},
		{[]string{"run", "-workload", "http", "-model", "pool", "-param", "latency"}, []string{`-param latency: workload http: parameter "latency": want key=value`}},
		{[]string{"recommend", "-workload", "file", "-param", "fsync=maybe"}, []string{"-param fsync=maybe", `"maybe": want true or false`}},

		// Flags of the commands themselves.
		{[]string{"run", "-workload", "xxh3", "-model", "pool", "-format", "xml"}, []string{`-format "xml": want text, json, csv, bench`}},
		{[]string{"list", "-format", "bench"}, []string{`-format "bench": want text, json, csv`}},
		{[]string{"list", "extra"}, []string{`unexpected argument "extra"`}},
		{[]string{"sweep", "-workload", "xxh3"}, []string{"-over: required; want workers or gomaxprocs"}},
		{[]string{"sweep", "-workload", "xxh3", "-over", "threads"}, []string{`-over "threads": want workers or gomaxprocs`}},
		{[]string{"sweep", "-workload", "xxh3", "-over", "workers", "-model", "spawn"}, []string{"-model spawn: it has no workers to sweep; sweeping workers takes pool, semaphore"}},
		{[]string{"sweep", "-workload", "xxh3", "-over", "workers", "-workers", "4"}, []string{"-workers 4: a sweep over workers sets them"}},
		{[]string{"sweep", "-workload", "xxh3", "-over", "gomaxprocs", "-model", "pinned", "-procs", "2"}, []string{"-procs 2: a sweep over GOMAXPROCS runs pinned at procs = GOMAXPROCS"}},
		{[]string{"sweep", "-workload", "xxh3", "-over", "workers", "-model", "pool,"}, []string{`-model "pool,": want model names separated by commas`}},
		{[]string{"recommend", "-workload", "xxh3", "-models", "sequential"}, []string{`-models "sequential": want at least one model besides sequential`}},
		{[]string{"recommend", "-workload", "xxh3", "-model", "sequential"}, []string{`-model "sequential": want at least one model besides sequential`}},
		{[]string{"recommend", "-workload", "xxh3", "-model", "pool,pinnned"}, []string{`-model "pinnned"`, "did you mean pinned?"}},
	} {
		name := strings.Join(tc.args, " ")
		t.Run(name, func(t *testing.T) {
			stdout, _, err := runCmd(t, tc.args...)
			var u usageError
			if !errors.As(err, &u) {
				t.Fatalf("err = %v, want a usage error", err)
			}
			msg := err.Error()
			for _, want := range tc.want {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("message %q is more than one line", msg)
			}
			if stdout != "" {
				t.Errorf("stdout %q: bad input measures nothing", stdout)
			}
		})
	}
}

func TestNearest(t *testing.T) {
	names := []string{"sequential", "spawn", "pool", "semaphore", "pinned", "regex-prefix", "regex-alt", "s2", "sha256"}
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"pol", []string{"pool"}},
		{"pool", []string{"pool"}}, // an exact name is its own prefix
		{"regex", []string{"regex-prefix", "regex-alt"}},
		{"SPAWN", []string{"spawn"}},
		{"s3", []string{"s2"}},
		{"quantum", nil},
		{"x", nil},
		{"", nil},
	} {
		if got := nearest(tc.name, names); !slices.Equal(got, tc.want) {
			t.Errorf("nearest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"pool", "pool", 0}, {"", "abc", 3}, {"pol", "pool", 1},
		{"smeaphore", "semaphore", 1}, {"benhc", "bench", 1}, {"kitten", "sitting", 3},
		{"ab", "ba", 1}, {"abc", "ca", 3},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := editDistance(tc.b, tc.a); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.b, tc.a, got, tc.want)
		}
	}
}
