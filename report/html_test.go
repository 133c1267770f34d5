package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// pageData extracts and decodes the JSON that page.js draws from, failing
// unless the page holds exactly the two scripts it writes.
func pageData(t *testing.T, page []byte) htmlData {
	t.Helper()
	if n := bytes.Count(bytes.ToLower(page), []byte("<script")); n != 2 {
		t.Fatalf("page holds %d <script tags, want its data and its code", n)
	}
	if n := bytes.Count(bytes.ToLower(page), []byte("</script")); n != 2 {
		t.Fatalf("page holds %d </script tags, want 2", n)
	}
	const open = `<script id="data" type="application/json">`
	i := bytes.Index(page, []byte(open))
	if i < 0 {
		t.Fatal("page has no data script")
	}
	rest := page[i+len(open):]
	var d htmlData
	if err := json.Unmarshal(rest[:bytes.Index(rest, []byte("</script>"))], &d); err != nil {
		t.Fatalf("page data: %v", err)
	}
	return d
}

// TestHTMLData checks what the page's charts draw against the analysis:
// one decision row per workload, filled exactly for the verdict's set,
// one IO panel per IO workload, and each point's samples those of its
// benchmark.
func TestHTMLData(t *testing.T) {
	run := mustRead(t, ioFile)
	pg := NewPage(run, nil)
	page, err := pg.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(page, []byte(htmlHeader)) {
		t.Errorf("page does not start with %q", htmlHeader)
	}
	d := pageData(t, page)
	charts := map[string]htmlChart{}
	for _, c := range d.Charts {
		charts[c.Name] = c
	}
	dec, ok := charts["decision"]
	if !ok {
		t.Fatalf("no decision chart among %v", d.Charts)
	}
	a := pg.Analysis
	if got := dec.Panels[0].Rows; len(got) != len(a.Workloads) {
		t.Fatalf("decision rows %v, want one per workload", got)
	}
	for _, s := range dec.Panels[0].Series {
		for _, p := range s.Points {
			w := a.Workloads[p.Row]
			if want := w.Verdict.Resolved && slices.Contains(w.Verdict.Set, s.Key); p.Mark != want {
				t.Errorf("%s on %s: filled %v, but the verdict is %s", s.Key, w.Name, p.Mark, w.Verdict.Sentence())
			}
			c := w.Cells[slices.IndexFunc(w.Cells, func(c *Cell) bool { return c.M.Model == s.Key })]
			if p.X != c.Speedup.Center || p.Lo != c.Speedup.Lo || p.Hi != c.Speedup.Hi {
				t.Errorf("%s on %s drawn at %v [%v, %v], its speedup is %s", s.Key, w.Name, p.X, p.Lo, p.Hi, c.Speedup)
			}
			got := d.Cells[p.Cell-1]
			if got.Name != "Benchmark"+c.M.Name() || !slices.Equal(got.Values[0], c.M.Values[c.M.Units[0]]) {
				t.Errorf("%s on %s opens the samples of %s %v", s.Key, w.Name, got.Name, got.Values)
			}
		}
	}
	io := charts["io"]
	var panels []string
	for _, p := range io.Panels {
		panels = append(panels, p.Title)
		i := slices.IndexFunc(p.Series, func(s htmlSeries) bool { return s.Key == "latency floor" })
		if i < 0 || !p.Series[i].Dashed {
			t.Errorf("io panel %s has no dashed latency floor", p.Title)
		}
	}
	var want []string
	for _, c := range a.IO {
		if !slices.Contains(want, c.Workload) {
			want = append(want, c.Workload)
		}
	}
	if !slices.Equal(panels, want) {
		t.Errorf("io panels %v, want %v", panels, want)
	}
	if len(d.Cells) != len(run.Benchmarks) {
		t.Errorf("page holds the samples of %d benchmarks, the run has %d", len(d.Cells), len(run.Benchmarks))
	}
	for _, text := range []string{"Verdicts", "The machine", run.Config["commit"], "Every benchmark"} {
		if !bytes.Contains(page, []byte(text)) {
			t.Errorf("page lacks %q", text)
		}
	}
}

// TestHTMLEscaping writes the HTML page and index of a machine whose folder
// name, configuration and benchmark names hold HTML and script: the text
// shows them as text, the embedded data decodes to them unchanged.
func TestHTMLEscaping(t *testing.T) {
	text := readText(t, quickFile)
	text = strings.ReplaceAll(text, "workload=sha256", "workload=sha<!--<script><b>256")
	text = strings.ReplaceAll(text, "commit: ", "commit: <script>alert(1)</script>")
	root := t.TempDir()
	name := "m <script>alert(1)<-script> & \"q\"" // no slash: it is one folder
	dir := filepath.Join(root, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "run.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	ms := Machines([]*Run{mustRead(t, filepath.Join(dir, "run.txt"))})
	if _, err := WritePage(root, ms[0]); err != nil {
		t.Fatal(err)
	}
	if err := WriteIndex(root, ms); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(dir, HTMLName))
	if err != nil {
		t.Fatal(err)
	}
	index, err := os.ReadFile(filepath.Join(root, HTMLName))
	if err != nil {
		t.Fatal(err)
	}
	for file, b := range map[string][]byte{"page": page, "index": index} {
		for _, raw := range []string{"<script>alert", "<b>256", `& "q"`} {
			if bytes.Contains(b, []byte(raw)) {
				t.Errorf("%s holds %q unescaped", file, raw)
			}
		}
		pageData(t, b)
	}
	if !bytes.Contains(page, []byte("m &lt;script&gt;alert(1)&lt;-script&gt; &amp; &#34;q&#34;")) {
		t.Error("page does not show the machine's name as text")
	}
	d := pageData(t, page)
	if !slices.Contains(d.Keys, "sha<!--<script><b>256") {
		t.Errorf("page data keys %q lack the workload's name as it is", d.Keys)
	}
	if !bytes.Contains(index, []byte(`href="m%20%3cscript%3ealert%281%29%3c-script%3e%20&amp;%20%22q%22/index.html"`)) {
		t.Errorf("index does not link the machine's page percent-encoded:\n%s", index)
	}
}

// TestHTMLNotOwned: an index.html that report did not write is left as it
// is, with an error naming it, and nothing of the page is saved.
func TestHTMLNotOwned(t *testing.T) {
	root := t.TempDir()
	run := mustRead(t, quickFile)
	ms := Machines([]*Run{run})
	dir := filepath.Join(root, ms[0].Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mine := []byte("<!DOCTYPE html><p>my own page</p>\n")
	if err := os.WriteFile(filepath.Join(dir, HTMLName), mine, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := WritePage(root, ms[0])
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, HTMLName)+": not replaced") {
		t.Errorf("err = %v, want a refusal naming index.html", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, HTMLName)); !bytes.Equal(got, mine) {
		t.Errorf("index.html became %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err == nil {
		t.Error("README.md was written although the page as a whole was refused")
	}
}
