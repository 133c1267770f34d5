package resultfile

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/internal/leakcheck"
	"golang.org/x/perf/benchfmt"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv("RESULTFILE_TEST_WRITER"); dir != "" {
		writer(dir)
	}
	leakcheck.Main(m)
}

// writer is the process that TestKilledWriterNeverLeavesAPartialFile kills:
// it writes a results file line by line, slowly, and commits it.
func writer(dir string) {
	f, err := Create(dir, "run.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, line := range strings.SplitAfter(sampleRun, "\n") {
		f.WriteString(line)
		time.Sleep(200 * time.Microsecond)
	}
	if _, err := f.Commit(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

var sampleRun = func() string {
	var b strings.Builder
	b.WriteString("machine: test\ncommit: abc\ngoos: linux\n")
	for i := range 100 {
		fmt.Fprintf(&b, "BenchmarkModels/workload=w%d/model=pool-2 \t 10\t %d ns/op\n", i, 1000+i)
	}
	return b.String()
}()

// TestKilledWriterNeverLeavesAPartialFile kills a writing process at random
// moments. Whatever survives under the results name must be the whole run:
// a reader sees all of it or nothing.
func TestKilledWriterNeverLeavesAPartialFile(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	complete, absent := 0, 0
	var whole time.Duration // how long an uninterrupted writer takes
	for round := range 16 {
		dir := t.TempDir()
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), "RESULTFILE_TEST_WRITER="+dir)
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if round == 0 {
			if err := cmd.Wait(); err != nil {
				t.Fatalf("writer: %v", err)
			}
			whole = time.Since(start)
		} else {
			time.Sleep(time.Duration(r.Int64N(int64(whole))))
			cmd.Process.Kill()
			cmd.Wait()
		}

		data, err := os.ReadFile(filepath.Join(dir, "run.txt"))
		if os.IsNotExist(err) && round > 0 {
			absent++
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != sampleRun {
			t.Fatalf("round %d: run.txt holds %d of %d bytes", round, len(data), len(sampleRun))
		}
		n := 0
		rd := benchfmt.NewReader(bytes.NewReader(data), "run.txt")
		for rd.Scan() {
			if _, ok := rd.Result().(*benchfmt.Result); ok {
				n++
			}
		}
		if rd.Err() != nil || n != 100 {
			t.Fatalf("round %d: %d results, err %v", round, n, rd.Err())
		}
		complete++
	}
	t.Logf("%d rounds found the whole file, %d found none", complete, absent)
}
