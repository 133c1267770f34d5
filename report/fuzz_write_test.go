package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// seedRuns adds the real results files of testdata as seeds, each with a
// plain and a hostile machine name.
func seedRuns(f *testing.F, paths ...string) {
	f.Helper()
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "amd-epyc-2c")
		f.Add(data, hostile)
	}
	f.Add([]byte("instrumented: none\ncommit: a|b\nBenchmarkModels/workload=x</b>/model=pool`-2 \t 1\t 100 ns/op\nPASS\n"), "m")
}

// FuzzPage writes the page and the index of arbitrary results text under
// an arbitrary machine name: whatever the input, neither panics, each
// table row has its table's number of cells, and no raw HTML or script
// link gets through.
func FuzzPage(f *testing.F) {
	seedRuns(f, smokeFile, quickFile)
	f.Fuzz(func(t *testing.T, data []byte, machine string) {
		run, err := Read(bytes.NewReader(data), "fuzz.txt")
		if err != nil || run.Incomplete != "" {
			return
		}
		run.Machine = machine
		pg := NewPage(run, nil)
		checkMarkdown(t, string(pg.Markdown(filepath.Join("results", machine))))
		var b bytes.Buffer
		m := &Machine{Name: machine, Runs: []*Run{run}, Shown: run}
		compare(&b, []*Machine{m})
		checkMarkdown(t, b.String())
	})
}

// FuzzCharts draws every chart of arbitrary results text, and its sweep
// chart where it reads as a sweep, as SVG: whatever the input, drawing
// never panics and the SVG is well-formed XML.
func FuzzCharts(f *testing.F) {
	sweeps, _ := filepath.Glob(filepath.Join("testdata", "sweeps", "*.txt"))
	seedRuns(f, append([]string{smokeFile, quickFile}, sweeps...)...)
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		run, err := Read(bytes.NewReader(data), "fuzz.txt")
		if err != nil || run.Incomplete != "" {
			return
		}
		charts, _ := Charts(Analyze(run))
		for _, over := range []string{OverWorkers, OverGOMAXPROCS} {
			if s, err := ReadSweep(run, over); err == nil {
				charts = append(charts, s.Chart(name))
			}
		}
		for _, ch := range charts {
			svg := vgsvg.New(ch.Width, ch.Height)
			ch.Draw(draw.New(svg))
			var b bytes.Buffer
			if _, err := svg.WriteTo(&b); err != nil {
				t.Fatalf("%s: %v", ch.Name, err)
			}
			if err := wellFormed(b.Bytes()); err != nil {
				t.Errorf("%s: the SVG is not well-formed XML: %v", ch.Name, err)
			}
		}
	})
}

// wellFormed reads doc as XML to its end.
func wellFormed(doc []byte) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
