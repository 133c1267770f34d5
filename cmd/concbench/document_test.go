package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/concbench/concbench/benchkey"
	"github.com/concbench/concbench/internal/measure"
	"github.com/concbench/concbench/report"
)

// schemaFile is the documented schema of the json format.
var schemaFile = filepath.Join("..", "..", "docs", "schema", "run.schema.json")

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	f, err := os.Open(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource(schemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(schemaID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSchema validates the json output of every command that measures
// against docs/schema/run.schema.json.
func TestSchema(t *testing.T) {
	schema := compileSchema(t)
	for _, args := range [][]string{
		{"run", "-workload", "xxh3", "-model", "pinned", "-compare"},
		{"run", "-workload", "http", "-model", "pool", "-count", "6", "-param", "latency=1ms"},
		{"recommend", "-workload", "regex-prefix", "-model", "pool,spawn"},
		{"recommend", "-workload", "crawl", "-model", "pipeline,pool", "-count", "6", "-param", "latency=1ms"},
		{"sweep", "-workload", "sha256", "-over", "workers", "-values", "1,2", "-o", t.TempDir()},
	} {
		t.Run(strings.Join(args[:3], " "), func(t *testing.T) {
			out, stderr, err := runCmd(t, append(append(args, "-format", "json"), quick...)...)
			// A race-built binary measures but saves no sweep, and says so.
			if err != nil && !(raceEnabled && args[0] == "sweep") {
				t.Fatalf("concbench %s: %v\n%s", strings.Join(args, " "), err, stderr)
			}
			v, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(v); err != nil {
				t.Errorf("%v\n%s", err, out)
			}
		})
	}
}

// TestSchemaRejects checks that the schema can fail: documents with a
// field gone, a figure as a string, or a k=v string for the knobs.
func TestSchemaRejects(t *testing.T) {
	schema := compileSchema(t)
	out := runQuick(t, "run", "-workload", "xxh3", "-model", "pool", "-compare", "-format", "json")
	for _, tc := range []struct {
		name   string
		break_ func(d map[string]any)
	}{
		{"no schema version", func(d map[string]any) { delete(d, "schema_version") }},
		{"no commit", func(d map[string]any) { delete(d, "commit") }},
		{"no fingerprint", func(d map[string]any) { delete(d["machine"].(map[string]any), "fingerprint") }},
		{"median as text", func(d map[string]any) { metric0(d)["median"] = "12.5" }},
		{"no interval method", func(d map[string]any) { delete(metric0(d)["interval"].(map[string]any), "method") }},
		{"knobs as k=v", func(d map[string]any) { result(d, 1)["knobs"] = []any{"workers=2"} }},
		{"unknown unit", func(d map[string]any) { metric0(d)["unit"] = "furlongs" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d map[string]any
			if err := json.Unmarshal([]byte(out), &d); err != nil {
				t.Fatal(err)
			}
			tc.break_(d)
			b, _ := json.Marshal(d)
			v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err := schema.Validate(v); err == nil {
				t.Errorf("a document with %s passed", tc.name)
			}
		})
	}
}

func result(d map[string]any, i int) map[string]any {
	return d["results"].([]any)[i].(map[string]any)
}

func metric0(d map[string]any) map[string]any {
	return result(d, 0)["metrics"].([]any)[0].(map[string]any)
}

// TestFormatsRoundTrip measures once, prints the measurements as text,
// json and csv, and rebuilds every cell of the text table from the json
// document and from the csv rows, with the table's own formatting.
func TestFormatsRoundTrip(t *testing.T) {
	for _, args := range [][]string{
		{"-workload", "xxh3", "-count", "3"},
		{"-workload", "http", "-count", "6", "-param", "latency=1ms"}, // a confidence interval; floor and task latencies
	} {
		t.Run(args[1], func(t *testing.T) {
			fs := newFlagSet("run")
			var tf targetFlags
			tf.register(fs, 1, 0)
			var of outputFlags
			of.register(fs)
			tgt, err := parseTarget(fs, append([]string{"-short", "-time", "0"}, args...), &tf, &of)
			if err != nil {
				t.Fatal(err)
			}
			ms, err := tgt.measureModels(context.Background(), io.Discard, io.Discard, of, []string{"sequential", "pool", "pinned"})
			if err != nil {
				t.Fatal(err)
			}
			base := ms[0]
			var text, js, cs bytes.Buffer
			for format, w := range map[string]*bytes.Buffer{formatText: &text, formatJSON: &js, formatCSV: &cs} {
				if err := printRun(w, format, ms, base, true); err != nil {
					t.Fatal(err)
				}
			}
			head, rows := parseTable(t, text.String())

			var d document
			if err := json.Unmarshal(js.Bytes(), &d); err != nil {
				t.Fatal(err)
			}
			fromJSON := func(i int, unit string) (float64, interval, bool) {
				for _, m := range d.Results[i].Metrics {
					if m.Unit == unit {
						return m.Median, m.Interval, true
					}
				}
				return 0, interval{}, false
			}
			checkTable(t, "json", head, rows, len(d.Results), fromJSON, func(i int) string {
				p := d.Results[i].Speedup.Paired
				return speedupCell(i, report.Ratio{Center: p.Median, Lo: p.Interval.Lo, Hi: p.Interval.Hi, CI: p.Interval.Kind == intervalCI, N: p.Pairs})
			})

			records, err := csv.NewReader(&cs).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			col := map[string]int{}
			for i, h := range records[0] {
				col[h] = i
			}
			var names []string
			byCell := map[string]map[string][]string{} // name -> unit -> row
			for _, r := range records[1:] {
				name := r[col["name"]]
				if byCell[name] == nil {
					names = append(names, name)
					byCell[name] = map[string][]string{}
				}
				byCell[name][r[col["unit"]]] = r
			}
			float := func(s string) float64 {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil {
					t.Fatalf("csv field %q: %v", s, err)
				}
				return v
			}
			fromCSV := func(i int, unit string) (float64, interval, bool) {
				r, ok := byCell[names[i]][unit]
				if !ok {
					return 0, interval{}, false
				}
				return float(r[col["median"]]), interval{Lo: float(r[col["lo"]]), Hi: float(r[col["hi"]]), Kind: r[col["interval"]]}, true
			}
			checkTable(t, "csv", head, rows, len(names), fromCSV, func(i int) string {
				r := byCell[names[i]][benchkey.UnitTasksps]
				return speedupCell(i, report.Ratio{Center: float(r[col["speedup_paired"]]), Lo: float(r[col["speedup_lo"]]), Hi: float(r[col["speedup_hi"]]),
					CI: r[col["speedup_interval"]] == intervalCI, N: len(strings.Fields(r[col["values"]]))})
			})
		})
	}
}

// speedupCell is the SPEEDUP cell of row i, from its paired ratio: the
// reference, first, shows 1.00×.
func speedupCell(i int, r report.Ratio) string {
	if i == 0 {
		return "1.00×"
	}
	return r.String()
}

// parseTable returns the text table's header and rows, split into cells.
func parseTable(t *testing.T, text string) ([]string, [][]string) {
	t.Helper()
	lines := strings.Split(text, "\n")
	gap := regexp.MustCompile(`\s{2,}`)
	// The table follows the line that describes the target and a blank one.
	var table [][]string
	for _, l := range lines[2:] {
		if l == "" {
			break
		}
		table = append(table, gap.Split(strings.TrimSpace(l), -1))
	}
	if len(table) < 2 {
		t.Fatalf("no table in:\n%s", text)
	}
	return table[0], table[1:]
}

// checkTable rebuilds every cell of the table's rows from median, the
// median and interval of result i in a unit, and speedup, result i's.
func checkTable(t *testing.T, format string, head []string, rows [][]string, n int,
	median func(i int, unit string) (float64, interval, bool), speedup func(i int) string) {
	t.Helper()
	if n != len(rows) {
		t.Fatalf("%s: %d results, the table has %d rows", format, n, len(rows))
	}
	units := map[string]string{"BATCH": benchkey.UnitNsPerOp, "MB/S": benchkey.UnitMBps, "TASKS/S": benchkey.UnitTasksps, "CPU-CORES": benchkey.UnitCPUCores,
		"FLOOR×": benchkey.UnitFloorRatio, "P50 TASK": benchkey.UnitP50, "P99 TASK": benchkey.UnitP99}
	for i, row := range rows {
		if len(row) != len(head) {
			t.Fatalf("row %q: %d cells under %d heads", row, len(row), len(head))
		}
		for j, h := range head {
			var want string
			switch h {
			case "MODEL":
				continue
			case "SPEEDUP":
				want = speedup(i)
			case "±CI95", "±RANGE":
				v, iv, _ := median(i, benchkey.UnitTasksps)
				want = fmt.Sprintf("±%.0f%%", 100*max(v-iv.Lo, iv.Hi-v)/v)
				if kind := map[string]string{"±CI95": intervalCI, "±RANGE": intervalRange}[h]; iv.Kind != kind {
					t.Errorf("%s: row %d: interval %q under %s", format, i, iv.Kind, h)
				}
			default:
				unit, ok := units[h]
				if !ok {
					t.Fatalf("column %q: not known to this test", h)
				}
				v, _, ok := median(i, unit)
				if !ok {
					t.Errorf("%s: row %d lacks %s, which the table shows as %q", format, i, unit, row[j])
					continue
				}
				want = measure.Sig3(v)
				if unit == benchkey.UnitNsPerOp || unit == benchkey.UnitP50 || unit == benchkey.UnitP99 {
					want = measure.RoundDuration(time.Duration(v)).String()
				}
			}
			if row[j] != want {
				t.Errorf("%s: row %d, %s: the table shows %q, the figures give %q", format, i, h, row[j], want)
			}
		}
	}
}
