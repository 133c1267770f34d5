package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/workloads"
)

// listing is what list prints, in the json format.
type listing struct {
	Workloads []workloadInfo `json:"workloads"`
	Models    []modelInfo    `json:"models"`
}

type workloadInfo struct {
	Name   string      `json:"name"`
	Kind   string      `json:"kind"`
	Doc    string      `json:"doc"`
	Params []paramInfo `json:"params"`
}

type paramInfo struct {
	Name    string `json:"name"`
	Default string `json:"default"`
	Doc     string `json:"doc"`
}

type modelInfo struct {
	Name  string   `json:"name"`
	Doc   string   `json:"doc"`
	Knobs []string `json:"knobs"` // the knobs a flag sets: workers, procs, fetch (see benchkey.Knob.Flag)
}

func runList(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := newFlagSet("list")
	format := fs.String("format", formatText, "output `format`: text, json or csv")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: concbench list [-format text|json|csv]\n\n"+
			"Lists the workloads, with their kind and parameters (defaults shown), and\n"+
			"the models, with the knobs they take.\n\nFlags:")
		printFlags(fs)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format, formatText, formatJSON, formatCSV); err != nil {
		return err
	}
	l := newListing()
	switch *format {
	case formatJSON:
		return writeJSON(stdout, l)
	case formatCSV:
		return l.writeCSV(stdout)
	}
	return l.writeText(stdout)
}

func newListing() listing {
	var l listing
	for _, e := range workloads.All {
		w := e.New()
		info := workloadInfo{Name: e.Name, Kind: w.Kind().String(), Doc: e.Doc, Params: []paramInfo{}}
		for _, p := range w.Params() {
			info.Params = append(info.Params, paramInfo{Name: p.Name, Default: p.Value.String(), Doc: p.Doc})
		}
		l.Workloads = append(l.Workloads, info)
	}
	for _, e := range models.All {
		l.Models = append(l.Models, modelInfo{Name: e.Name, Doc: e.Doc, Knobs: settableKnobs(e)})
	}
	return l
}

func (l listing) writeText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WORKLOAD\tKIND\tPARAMETERS (defaults)\tWHAT ONE TASK DOES")
	for _, wl := range l.Workloads {
		var ps []string
		for _, p := range wl.Params {
			ps = append(ps, p.Name+"="+p.Default)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", wl.Name, wl.Kind, strings.Join(ps, " "), wl.Doc)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MODEL\tKNOBS\tHOW A BATCH RUNS")
	for _, m := range l.Models {
		knobs := strings.Join(m.Knobs, ",")
		if knobs == "" {
			knobs = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", m.Name, knobs, m.Doc)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nSet a parameter with -param key=value, a knob with %s; concbench list -format json adds each parameter's meaning.\n", flagsText())
	return err
}

// writeCSV writes one row per workload and per model: what (workload or
// model), name, kind (workloads only), parameters or knobs, and doc.
func (l listing) writeCSV(w io.Writer) error {
	rows := [][]string{{"what", "name", "kind", "parameters", "doc"}}
	for _, wl := range l.Workloads {
		var ps []string
		for _, p := range wl.Params {
			ps = append(ps, p.Name+"="+p.Default)
		}
		rows = append(rows, []string{"workload", wl.Name, wl.Kind, strings.Join(ps, " "), wl.Doc})
	}
	for _, m := range l.Models {
		rows = append(rows, []string{"model", m.Name, "", strings.Join(m.Knobs, " "), m.Doc})
	}
	return csv.NewWriter(w).WriteAll(rows)
}
