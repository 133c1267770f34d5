package concbench_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/perf/benchfmt"

	"github.com/concbench/concbench"
	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/models"
)

// TestCompareOutput runs BenchmarkEncodeOrders, the README's example, in a
// fresh test binary and reads its output with benchfmt: one result per
// model, named by key=value parts that benchstat pivots, with every unit.
func TestCompareOutput(t *testing.T) {
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$", "-test.bench=^BenchmarkEncodeOrders$", "-test.benchtime=1x", "-test.short")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, stderr.Bytes())
	}
	seen := map[string]bool{}
	r := benchfmt.NewReader(bytes.NewReader(out), "bench.txt")
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.SyntaxError:
			t.Errorf("%v", rec)
		case *benchfmt.Result:
			base, parts := rec.Name.Parts()
			keys := map[string]string{}
			for _, p := range parts {
				if p[0] == '-' {
					continue // GOMAXPROCS, which benchstat reads as /gomaxprocs
				}
				k, v, ok := strings.Cut(strings.TrimPrefix(string(p), "/"), "=")
				if !ok {
					t.Errorf("%s: part %q is not key=value", rec.Name, p)
				}
				keys[k] = v
			}
			if string(base) != "EncodeOrders" || keys["workload"] != "encode-orders" || keys["orders"] != "200" || keys["tasks"] != "8" {
				t.Errorf("%s: want EncodeOrders/workload=encode-orders/…/tasks=8/orders=200", rec.Name)
			}
			for _, unit := range []string{"sec/op", "B/s", "tasks/s", "cpu-cores"} {
				if v, ok := rec.Value(unit); !ok || v <= 0 {
					t.Errorf("%s: %s = %v, %v; want a positive value", rec.Name, unit, v, ok)
				}
			}
			seen[keys["model"]] = true
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	for _, e := range models.All {
		if !seen[e.Name] {
			t.Errorf("no result for model %s in:\n%s", e.Name, out)
		}
	}
}

func TestRecommendWriteText(t *testing.T) {
	rec, err := concbench.Recommend(t.Context(), encodeOrders(), concbench.Options{Models: []string{"pool", "spawn"}, Count: 3, MinTime: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Results) != 3 || rec.Results[0].Model != "sequential" || rec.Results[0].Speedup != 1 || rec.Resolved {
		t.Fatalf("results %+v: want sequential, pool and spawn, sequential first at speedup 1, no verdict from 3 samples", rec.Results)
	}
	if !slices.Contains([]string{"sequential", "pool", "spawn"}, rec.Model) || !strings.HasPrefix(rec.Name, "workload=encode-orders/model="+rec.Model) {
		t.Errorf("model %q name %q: want one of those measured", rec.Model, rec.Name)
	}
	for _, r := range rec.Results {
		if r.Samples != 3 || !(r.Lo <= r.TasksPerSec && r.TasksPerSec <= r.Hi) || r.CI {
			t.Errorf("%+v: want 3 samples, the median within their range, no CI from 3", r)
		}
	}
	var b strings.Builder
	if err := rec.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"encode-orders (cpu): orders=200, 64 tasks a batch", "TASKS/S", "SPEEDUP", "\nNo verdict.", "encode-orders is ", "Run again with -count 6 or more"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
}

func TestRecommendBadInput(t *testing.T) {
	good := encodeOrders()
	unregistered := good
	unregistered.Name = "not-registered"
	for _, tc := range []struct {
		name string
		work bench.Work
		opts concbench.Options
		want string
	}{
		{"no name", bench.Work{Task: good.Task}, concbench.Options{}, "Name is required"},
		{"bad name", bench.Work{Name: "Encode/Orders", Task: good.Task}, concbench.Options{}, `work "Encode/Orders": want a name of lower-case letters`},
		{"built-in name", bench.Work{Name: "zstd", Task: good.Task}, concbench.Options{}, `a built-in workload has that name`},
		{"no task", bench.Work{Name: "x"}, concbench.Options{}, "Task is required"},
		{"bad param", bench.Work{Name: "x", Task: good.Task, Params: []string{"n"}}, concbench.Options{}, `param "n": want key=value`},
		{"unknown model", good, concbench.Options{Models: []string{"poool"}}, `unknown model "poool"`},
		{"only sequential", good, concbench.Options{Models: []string{"sequential"}}, "want at least one model besides sequential"},
		{"process unregistered", unregistered, concbench.Options{Models: []string{"process"}}, "needs work not-registered registered with bench.ServeIfWorker"},
		{"count", good, concbench.Options{Count: -1}, "Count=-1: want 1 to 1000"},
		{"workers", good, concbench.Options{Workers: -2}, "Workers=-2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := concbench.Recommend(context.Background(), tc.work, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestRecommendLeavesOutProcess checks that a work that is not registered
// is measured under every model but process.
func TestRecommendLeavesOutProcess(t *testing.T) {
	w := encodeOrders()
	w.Name, w.Tasks = "not-registered", 4
	rec, err := concbench.Recommend(t.Context(), w, concbench.Options{Count: 1, MinTime: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rec.Results {
		got = append(got, r.Model)
	}
	var want []string
	for _, e := range models.All {
		if !e.Remote {
			want = append(want, e.Name)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("measured %q, want %q", got, want)
	}
}

// TestReadmeExample: the README's "Your own work" code is this package's
// example, line for line, so that what the README shows is what the tests
// run.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Your own work\n")
	if !ok {
		t.Fatal(`README.md has no section "Your own work"`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := 0
	for _, part := range strings.Split(section, "```go\n")[1:] {
		code, _, _ := strings.Cut(part, "```")
		rest := string(example)
		for line := range strings.SplitSeq(code, "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			i := strings.Index(rest, line+"\n")
			if i < 0 {
				t.Errorf("README line %q is not in example_test.go (in that order)", line)
				break
			}
			rest = rest[i+len(line):]
		}
		blocks++
	}
	if blocks < 3 {
		t.Errorf("%d Go blocks in the README's section, want the work, its benchmark and the Recommend call", blocks)
	}
}
