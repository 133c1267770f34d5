package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"strings"
	"testing"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/workloads"
)

func TestList(t *testing.T) {
	stdout, _, err := runCmd(t, "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range workloads.All {
		w := e.New()
		line := lineWith(stdout, e.Name+" ")
		if line == "" {
			t.Errorf("no line for workload %s", e.Name)
			continue
		}
		for _, want := range append(workloads.Encode(w), w.Kind().String(), e.Doc) {
			if !strings.Contains(line, want) {
				t.Errorf("workload line %q lacks %q", line, want)
			}
		}
	}
	for _, m := range models.All {
		if line := lineWith(stdout, m.Name+" "); !strings.Contains(line, m.Doc) {
			t.Errorf("model %s: line %q lacks its doc", m.Name, line)
		}
	}
}

// lineWith returns the first line of text that starts with prefix.
func lineWith(text, prefix string) string {
	for line := range strings.SplitSeq(text, "\n") {
		if strings.HasPrefix(line, prefix) {
			return line
		}
	}
	return ""
}

func TestListJSON(t *testing.T) {
	stdout, _, err := runCmd(t, "list", "-format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var l listing
	if err := json.Unmarshal([]byte(stdout), &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Workloads) != len(workloads.All) || len(l.Models) != len(models.All) {
		t.Fatalf("%d workloads and %d models, want %d and %d", len(l.Workloads), len(l.Models), len(workloads.All), len(models.All))
	}
	http := l.Workloads[0]
	for _, w := range l.Workloads {
		if w.Name == "http" {
			http = w
		}
	}
	if http.Name != "http" || http.Kind != "io" || len(http.Params) == 0 || http.Params[0] != (paramInfo{"latency", "10ms", "the server's delay before each answer"}) {
		t.Errorf("http: %+v", http)
	}
	for _, m := range l.Models {
		if m.Name == "pinned" && strings.Join(m.Knobs, ",") != "workers,procs" {
			t.Errorf("pinned knobs %v", m.Knobs)
		}
		if m.Name == "pipeline" && strings.Join(m.Knobs, ",") != "fetch" {
			t.Errorf("pipeline knobs %v: want fetch alone, which -workers sets (parse follows GOMAXPROCS)", m.Knobs)
		}
	}
}

// TestListKnobsCanBeSet: every knob that list offers has a flag of run
// that sets it, and that flag changes the knob in the benchmark name.
func TestListKnobsCanBeSet(t *testing.T) {
	fs := newFlagSet("run")
	var tf targetFlags
	tf.register(fs, 1, 0)
	for _, m := range newListing().Models {
		for _, k := range m.Knobs {
			kn, _ := benchkey.Lookup(k)
			flagName := kn.Flag
			if flagName == "" || fs.Lookup(flagName) == nil {
				t.Errorf("model %s: list offers knob %s, which no flag of run sets", m.Name, k)
				continue
			}
			tgt, err := parseTarget(newFlagSetWith(t, "run", &tf), []string{"-workload", "xxh3", "-" + flagName, "3"}, &tf, &outputFlags{format: formatText})
			if err != nil {
				t.Fatal(err)
			}
			if name := tgt.caseFor(m.Name, tgt.knobs[benchkey.Workers]).Name(); !strings.Contains(name, "/"+k+"=3/") {
				t.Errorf("model %s: -%s 3 gives %s, want %s=3 in it", m.Name, flagName, name, k)
			}
		}
	}
}

// newFlagSetWith returns a fresh FlagSet of command name with tf's
// flags registered on it, tf reset to their defaults.
func newFlagSetWith(t *testing.T, name string, tf *targetFlags) *flag.FlagSet {
	t.Helper()
	*tf = targetFlags{}
	fs := newFlagSet(name)
	tf.register(fs, 1, 0)
	return fs
}

func TestListCSV(t *testing.T) {
	stdout, _, err := runCmd(t, "list", "-format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(workloads.All)+len(models.All) || strings.Join(rows[0], ",") != "what,name,kind,parameters,doc" {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	if got := strings.Join(rows[1][:4], ","); got != "workload,zstd-fastest,cpu,size=1MiB level=fastest" {
		t.Errorf("first workload row %q", got)
	}
	last := models.All[len(models.All)-1]
	if got, want := strings.Join(rows[len(rows)-1], ","), "model,"+last.Name+",,workers,"+last.Doc; got != want {
		t.Errorf("last model row %q, want %q", got, want)
	}
}
