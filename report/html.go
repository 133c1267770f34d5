package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// The HTML page's template, style and script, compiled into the binary so
// that the page needs nothing beside it: one file, nothing fetched.
//
//go:embed html/page.tmpl html/index.tmpl html/page.css html/page.js
var htmlFiles embed.FS

// htmlTemplates parses the templates once; html/template escapes every
// name (workload, model, machine) for its context, the embedded JSON too.
var htmlTemplates = template.Must(template.New("").ParseFS(htmlFiles, "html/page.tmpl", "html/index.tmpl"))

// htmlHeader starts every HTML page report writes: how it recognises an
// index.html it may replace, as pageHeader does a README.md.
const htmlHeader = "<!DOCTYPE html><!-- Written by concbench report from the results files beside it; it rewrites this file on each run. -->\n"

// HTMLName is the file name of the HTML page beside each README.md.
const HTMLName = "index.html"

// An htmlView is what the page template renders: the text parts as HTML,
// the charts as data for page.js.
type htmlView struct {
	Title   string
	Note    string
	Meta    [][2]string
	Footer  string
	Guide   *htmlTable
	Reps    []htmlRep
	Missing []Missing
	Tables  []*htmlTable
	Data    *htmlData
	CSS     template.CSS
	JS      template.JS
}

// An htmlRep is a replication table with its heading.
type htmlRep struct {
	Title, Intro, Summary string
	Table                 *htmlTable
}

// An htmlTable is a sortable table: clicking a heading sorts by its
// column, by Sort where every cell of the column has one, else by text.
type htmlTable struct {
	ID, Title, Note string
	Header          []string
	Rows            [][]htmlTD
}

// An htmlTD is one table cell. Sort is the number it sorts by ("" for
// text); Cell, when not 0, opens the sample view of that benchmark.
type htmlTD struct {
	Text string
	Sort string
	Cell int
	Href string // a relative link, for the index's machine names
}

func td(text string) htmlTD { return htmlTD{Text: text} }

// num is a cell that sorts by v.
func num(text string, v float64) htmlTD {
	if !finite(v) {
		return htmlTD{Text: text}
	}
	return htmlTD{Text: text, Sort: strconv.FormatFloat(v, 'g', -1, 64)}
}

// HTML returns the page as one self-contained HTML file: the machine, the
// verdicts, the replication tables, interactive charts (each model can be
// toggled, hovering shows a value, clicking a point shows its samples),
// and sortable tables of every measurement.
func (pg *Page) HTML() ([]byte, error) {
	run, a := pg.Run, pg.Analysis
	hb := newHTMLBuilder(a)
	v := &htmlView{Title: "concbench results: " + run.Machine, Note: strings.NewReplacer("**", "", "`", "").Replace(profileNote(run)), Data: &hb.data, Missing: pg.htmlMissing(hb)}
	v.Meta = append(pg.metaRows(), [2]string{"results file", filepath.Base(pg.Run.File)})
	v.Footer = footerText(run)
	v.Guide = hb.guideTable()
	if pg.Published != nil {
		v.Reps = append(v.Reps, htmlReplication(Replicate(run, pg.Published), "Your run vs the published run",
			"The verdicts of this run beside those of the run published for this machine, "+filepath.Base(pg.Published.File)+"."))
	}
	if prev := previous(run, pg.Others); prev != nil {
		v.Reps = append(v.Reps, htmlReplication(Replicate(run, prev), "Replication",
			"Did the verdicts repeat? This run beside the previous complete run of the same profile on this host."))
	}
	v.Tables = hb.tables()
	return render("page.tmpl", v)
}

// render executes a template with the page's style and script inlined.
func render(name string, v interface{ setAssets(css, js string) }) ([]byte, error) {
	css, err := htmlFiles.ReadFile("html/page.css")
	if err != nil {
		return nil, err
	}
	js, err := htmlFiles.ReadFile("html/page.js")
	if err != nil {
		return nil, err
	}
	v.setAssets(string(css), string(js))
	var b bytes.Buffer
	b.WriteString(htmlHeader)
	if err := htmlTemplates.ExecuteTemplate(&b, name, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (v *htmlView) setAssets(css, js string) { v.CSS, v.JS = template.CSS(css), template.JS(js) }

// footerText is the line that says where every number of a page came
// from.
func footerText(run *Run) string {
	c := run.Config
	return fmt.Sprintf("%s · Go %s · commit %s · %s · profile %s, %s per benchmark", run.Machine, orUnknown(c["go"]),
		orUnknown(c["commit"]), orUnknown(c["date"]), run.Profile(), samples(run.Samples()))
}

// metaRows are the rows of the machine table, on the Markdown page and
// the HTML page alike, but for the results file, which each links its
// own way.
func (pg *Page) metaRows() [][2]string {
	run := pg.Run
	cfg := run.Config
	gomaxprocs := "unknown"
	if len(run.Benchmarks) > 0 {
		gomaxprocs = strconv.Itoa(run.Benchmarks[0].GOMAXPROCS)
	}
	rows := [][2]string{
		{"machine", orUnknown(cfg["machine"])},
		{"CPU", orUnknown(cfg["cpu"])},
		{"cores", strconv.Itoa(run.Cores())},
		{"GOMAXPROCS", gomaxprocs},
		{"OS/arch", orUnknown(cfg["goos"]) + "/" + orUnknown(cfg["goarch"])},
		{"Go", orUnknown(cfg["go"])},
		{"commit", orUnknown(cfg["commit"])},
		{"date", orUnknown(cfg["date"])},
		{"profile", fmt.Sprintf("%s (%s per benchmark)", run.Profile(), samples(run.Samples()))},
		{"calibration", calibrationText(run)},
		{"samples retaken", orUnknown(cfg["retakes"])},
		{"order", orderText(cfg["order-seed"])},
	}
	return append(rows, ioRows(cfg)...)
}

// htmlMissing lists the charts the HTML page does not draw: those the
// Markdown page could not draw either, for its reason, and the throughput
// and Python charts, whose numbers the tables hold.
func (pg *Page) htmlMissing(hb *htmlBuilder) []Missing {
	var out []Missing
	for _, m := range pg.Missing {
		if !slices.ContainsFunc(hb.data.Charts, func(c htmlChart) bool { return c.Name == m.Name }) && m.Name != "throughput" && m.Name != "python" {
			out = append(out, m)
		}
	}
	return out
}

// guideTable is the decision guide: the verdict on each workload and why.
func (hb *htmlBuilder) guideTable() *htmlTable {
	a := hb.a
	t := &htmlTable{ID: "verdicts", Title: "Verdicts",
		Note: fmt.Sprintf("A speedup is the median of paired ratios with its 95%% confidence interval. A model is named alone only when it beat every other in paired samples (Holm-corrected, α = %.2f); "+
			"otherwise the verdict lists the models that cannot be told apart, the first preferred. Stay sequential unless the choice's interval starts at %s or more.", Alpha, Ratio{Center: MinSpeedup}.Short()),
		Header: []string{"workload", "kind", "sequential cpu-cores", "verdict", "speedup (95% CI)", "why"}}
	for _, w := range a.Workloads {
		verdict, speed := td("no verdict"), td("–")
		if v := w.Verdict; v.Resolved {
			verdict = td(verdictLabel(w))
			speed = num(v.Choice+" "+v.Speedup.String(), v.Speedup.Center)
		}
		cpu := td("–")
		if w.Sequential != nil && w.Sequential.HasCPU {
			cpu = num(fmt.Sprintf("%.2f", w.Sequential.CPU.Center), w.Sequential.CPU.Center)
		}
		if w.Choice != nil {
			speed.Cell = hb.cell(w.Choice.M)
		}
		t.Rows = append(t.Rows, []htmlTD{td(workloadLabel(w, a)), td(w.Kind), cpu, verdict, speed, td(Why(w, a))})
	}
	return t
}

// htmlReplication is rep as a table.
func htmlReplication(rep *Replication, title, intro string) htmlRep {
	t := &htmlTable{ID: "replication", Header: []string{"workload", filepath.Base(rep.A.File), filepath.Base(rep.B.File), "replicated"}}
	for _, r := range rep.Rows {
		t.Rows = append(t.Rows, []htmlTD{td(r.Workload), td(r.A.Sentence()), td(r.B.Sentence()), td(r.mark())})
	}
	n, of := rep.Rate()
	return htmlRep{Title: title, Intro: intro, Table: t,
		Summary: fmt.Sprintf("%d of %d workloads with a verdict in both runs replicated. A verdict replicates when each run's choice lies in the other's set of models that cannot be told apart, and the advice to stay sequential is the same.", n, of)}
}

// tables are the main matrix pivoted three ways, and every benchmark of
// the run with its median and spread; each cell opens its samples.
func (hb *htmlBuilder) tables() []*htmlTable {
	a := hb.a
	models := matrixModels(a)
	pivotT := func(id, title, note string, withUnit bool, cell func(*Cell) htmlTD) *htmlTable {
		t := &htmlTable{ID: id, Title: title, Note: note, Header: append([]string{"workload"}, models...)}
		if withUnit {
			t.Header = slices.Insert(t.Header, 1, "unit")
		}
		for _, w := range a.Workloads {
			row := []htmlTD{td(workloadLabel(w, a))}
			if withUnit {
				row = append(row, td(w.Unit))
			}
			for _, m := range models {
				d := td("–")
				if i := slices.IndexFunc(w.Cells, func(c *Cell) bool { return c.M.Model == m }); i >= 0 {
					d = cell(w.Cells[i])
					d.Cell = hb.cell(w.Cells[i].M)
				}
				row = append(row, d)
			}
			t.Rows = append(t.Rows, row)
		}
		return t
	}
	var out []*htmlTable
	if len(a.Workloads) > 0 {
		out = append(out,
			pivotT("throughput", "Main matrix: throughput", "Median throughput of each workload under each model, in the unit shown; "+spreadNote(a.Run), true,
				func(c *Cell) htmlTD { return num(cellText(c.Throughput), c.Throughput.Center) }),
			pivotT("speedup", "Main matrix: paired speedup over sequential", "The median of paired ratios over the sequential model, with its 95% CI where there are enough pairs.", false,
				func(c *Cell) htmlTD { return num(c.Speedup.String(), c.Speedup.Center) }),
			pivotT("cpu", "Main matrix: CPU use (cpu-cores)", "CPU seconds per wall second, child processes included: 1.00 is one busy core.", false,
				func(c *Cell) htmlTD {
					if !c.HasCPU {
						return td("–")
					}
					return num(cellText(c.CPU), c.CPU.Center)
				}))
	}
	all := &htmlTable{ID: "all", Title: "Every benchmark",
		Note:   "Every benchmark of the run in its first unit (ns/op for go test): the median, the 95% CI of the median (or the range of the samples below 6 of them), and the coefficient of variation. Click a row for its samples in every unit.",
		Header: []string{"benchmark", "unit", "median", "low", "high", "samples", "CV"}}
	for _, m := range a.Run.Benchmarks {
		if len(m.Units) == 0 || len(m.Values[m.Units[0]]) == 0 {
			continue
		}
		u := m.Units[0]
		s := Summarize(m.Values[u])
		cv := s.CV
		row := []htmlTD{td(m.Name()), td(u), num(formatValue(s.Center), s.Center), num(formatValue(s.Lo), s.Lo), num(formatValue(s.Hi), s.Hi),
			num(strconv.Itoa(s.N), float64(s.N)), num(fmt.Sprintf("%.1f%%", 100*cv), cv)}
		c := hb.cell(m)
		for i := range row {
			row[i].Cell = c
		}
		all.Rows = append(all.Rows, row)
	}
	return append(out, all)
}

// An htmlIndex is the index page: every machine and its best models.
type htmlIndex struct {
	Machines *htmlTable
	Best     *htmlTable
	Skipped  []string
	CSS      template.CSS
	JS       template.JS
	Data     *htmlData // empty: the index has no charts
}

func (v *htmlIndex) setAssets(css, js string) { v.CSS, v.JS = template.CSS(css), template.JS(js) }

// indexHTML is the index page of machines, as WriteIndex's Markdown.
func indexHTML(shown []*Machine, skipped []string) ([]byte, error) {
	v := &htmlIndex{Skipped: skipped, Data: &htmlData{Keys: []string{}, Charts: []htmlChart{}, Cells: []htmlSample{}}}
	v.Machines = &htmlTable{ID: "machines", Header: []string{"machine", "CPU", "cores", "profile", "date", "commit", "Go", "verdicts replicated"}}
	for _, m := range shown {
		r := m.Shown
		v.Machines.Rows = append(v.Machines.Rows, []htmlTD{{Text: m.Name, Href: filepath.ToSlash(m.Name) + "/" + HTMLName}, td(orUnknown(r.Config["cpu"])), num(strconv.Itoa(r.Cores()), float64(r.Cores())),
			td(r.Profile() + " (" + samples(r.Samples()) + ")"), td(orUnknown(r.Config["date"])), td(orUnknown(r.Config["commit"])), td(orUnknown(r.Config["go"])), td(replicationText(m))})
	}
	var workloads []string
	analyses := make([]*Analysis, len(shown))
	v.Best = &htmlTable{ID: "best", Header: []string{"workload"}}
	for i, m := range shown {
		analyses[i] = Analyze(m.Shown)
		v.Best.Header = append(v.Best.Header, fmt.Sprintf("%s (%d cores)", m.Name, analyses[i].Cores))
		for _, w := range analyses[i].Workloads {
			if !slices.Contains(workloads, w.Name) {
				workloads = append(workloads, w.Name)
			}
		}
	}
	for _, name := range workloads {
		row := []htmlTD{td(name)}
		for _, a := range analyses {
			cell := td("–")
			for _, w := range a.Workloads {
				if w.Name == name && w.Verdict.Resolved {
					cell = td(verdictLabel(w))
					if !math.IsNaN(w.Verdict.Speedup.Center) {
						cell = num(verdictLabel(w)+" "+w.Verdict.Speedup.String(), w.Verdict.Speedup.Center)
					}
					break
				}
			}
			row = append(row, cell)
		}
		v.Best.Rows = append(v.Best.Rows, row)
	}
	return render("index.tmpl", v)
}

// stageHTML adds the HTML page that page renders to s as path, unless path
// is a file that report did not write.
func stageHTML(s *stage, path string, page func() ([]byte, error)) error {
	if err := ownsPage(path); err != nil {
		return err
	}
	b, err := page()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return s.add(path, bytes.NewReader(b))
}
