package report

import (
	"bytes"
	"math"
	"os"
	"strings"
	"testing"
)

// FuzzRead feeds arbitrary text to Read. Whatever the input, Read returns
// an error or a run, never panics; every skipped line is named by file:line;
// every value it keeps is finite and positive (or a zero count); and a run
// it keeps can be analysed. Crashers it finds go to testdata/fuzz/FuzzRead,
// which plain go test replays.
func FuzzRead(f *testing.F) {
	smoke, err := os.ReadFile(smokeFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(smoke)
	f.Add([]byte("instrumented: none\nBenchmarkModels/workload=x/model=pool-2 \t 1\t 100 ns/op\nPASS\n"))
	f.Add([]byte("BenchmarkModels/workload=x/model=sequential 1 NaN ns/op\n"))
	f.Add([]byte("BenchmarkX 1 1 ns/op 2\n"))
	f.Add([]byte("instrumented: race\nBenchmarkA 1 1 ns/op\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		run, err := Read(bytes.NewReader(data), "fuzz.txt")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.txt") {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		for _, p := range run.Problems {
			if !strings.HasPrefix(p.Error(), "fuzz.txt:") {
				t.Errorf("problem %q does not start with file:line", p)
			}
		}
		for _, m := range run.Benchmarks {
			for unit, vs := range m.Values {
				for _, v := range vs {
					if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
						t.Errorf("%s kept %s = %v", m.Name(), unit, v)
					}
				}
			}
		}
		if run.Incomplete == "" {
			Analyze(run)
		}
	})
}
