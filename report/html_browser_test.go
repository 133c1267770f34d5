package report

import (
	"bytes"
	"context"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromium finds a Chromium or Chrome to drive, or skips the test with how
// to install one.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium on PATH, so the HTML page is not tested in a browser: install it (Debian, Ubuntu: apt-get install chromium) and rerun")
	return ""
}

// browse opens the page at path in a headless Chromium and returns the
// browser's context and the URLs of every request the page made until
// done is called.
func browse(t *testing.T, path string) (ctx context.Context, pageURL string, done func() []string) {
	t.Helper()
	exe := chromium(t)
	// Chromium leaves files named org.chromium.Chromium.* in TMPDIR after it
	// exits; remove those it made, once it has gone (cleanups run last
	// registered first).
	leftovers := func() []string {
		m, _ := filepath.Glob(filepath.Join(os.TempDir(), "org.chromium.Chromium.*"))
		return m
	}
	had := leftovers()
	t.Cleanup(func() {
		for _, f := range leftovers() {
			if !slices.Contains(had, f) {
				os.RemoveAll(f)
			}
		}
	})
	parent, cancelParent := context.WithTimeout(context.Background(), 3*time.Minute)
	// No sandbox: CI runs the tests as root, where Chromium's sandbox
	// refuses to start; the page is our own local file.
	alloc, cancelAlloc := chromedp.NewExecAllocator(parent, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.WindowSize(1280, 1000))...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc(); cancelParent() })

	evCtx, stop := context.WithCancel(ctx)
	requests := chromedp.Events(evCtx, network.RequestWillBeSent)
	var (
		mu   sync.Mutex
		urls []string
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ev, err := range requests {
			if err != nil {
				return
			}
			mu.Lock()
			urls = append(urls, ev.Request.URL)
			mu.Unlock()
		}
	}()
	pageURL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL), chromedp.WaitReady(chromedp.CSS(`html[data-ready="true"]`))); err != nil {
		t.Fatalf("opening %s: %v", pageURL, err)
	}
	return ctx, pageURL, func() []string {
		// Let a request that the last action started arrive.
		time.Sleep(200 * time.Millisecond)
		stop()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(urls)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// TestHTMLPageInBrowser opens a machine's HTML page in headless Chromium
// and uses it as a reader would: it toggles a model off and on in a chart,
// hovers a point, sorts a table, opens a cell's samples, and takes a
// screenshot; the page must make no request beyond loading itself.
func TestHTMLPageInBrowser(t *testing.T) {
	file := filepath.Join("testdata", "amd-epyc-2c-io", "20261127-230128-full.txt")
	run, err := ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	published, err := ReadFile(file) // another *Run: the page compares its verdicts with it
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	pg, err := WriteRunPage(root, run, published)
	if err != nil {
		t.Fatal(err)
	}
	path, err := filepath.Abs(filepath.Join(RunPageDir(root, run), HTMLName))
	if err != nil {
		t.Fatal(err)
	}
	ctx, pageURL, done := browse(t, path)

	// The verdicts and the replication table are on the page.
	if n := eval[int](t, ctx, `document.querySelectorAll("#t-verdicts tbody tr").length`); n != len(pg.Analysis.Workloads) {
		t.Errorf("verdict table has %d rows, want one per workload (%d)", n, len(pg.Analysis.Workloads))
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".replication #t-replication tbody tr").length`); n != len(pg.Analysis.Workloads) {
		t.Errorf("replication table has %d rows, want %d", n, len(pg.Analysis.Workloads))
	}

	// Toggling pool off removes its points from the decision chart and
	// changes the drawing; toggling it on brings them back.
	const points = `document.querySelectorAll('#chart-decision circle[data-key="pool"]').length`
	const drawing = `document.querySelector("#chart-decision svg").innerHTML`
	before, svgBefore := eval[int](t, ctx, points), eval[string](t, ctx, drawing)
	if before != len(pg.Analysis.Workloads) {
		t.Errorf("decision chart draws %d pool points, want one per workload (%d)", before, len(pg.Analysis.Workloads))
	}
	toggle := chromedp.Click(chromedp.CSS(`#chart-decision .legend button[data-key="pool"]`))
	if err := chromedp.Do(ctx, toggle); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, points); n != 0 {
		t.Errorf("after toggling pool off, %d pool points remain", n)
	}
	if eval[string](t, ctx, drawing) == svgBefore {
		t.Error("toggling pool off did not change the decision chart")
	}
	if p := eval[string](t, ctx, `document.querySelector('#chart-decision .legend button[data-key="pool"]').getAttribute("aria-pressed")`); p != "false" {
		t.Errorf("pool's legend button has aria-pressed=%q, want false", p)
	}
	if err := chromedp.Do(ctx, toggle); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, points); n != before {
		t.Errorf("after toggling pool on again, %d pool points, want %d", n, before)
	}

	// Hovering a point of the IO chart shows its value: a pool point that
	// no other series' point covers.
	const uncovered = `Array.from(document.querySelectorAll('#chart-io circle[data-key="pool"]')).find(c => {
		c.scrollIntoView({block: "center"});
		const r = c.getBoundingClientRect();
		return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === c;
	})`
	xy := eval[[]float64](t, ctx, `(() => { const c = `+uncovered+`; const r = c.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`)
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, xy[0], xy[1])); err != nil {
		t.Fatal(err)
	}
	if tip := eval[string](t, ctx, `(() => { const e = document.getElementById("tip"); return e.hidden ? "" : e.textContent; })()`); !strings.HasPrefix(tip, "pool at ") || !strings.Contains(tip, "tasks/s") {
		t.Errorf("hovering pool's first IO point shows %q, want its tasks/s", tip)
	}

	// A click on a heading sorts its table by the column's numbers.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#t-all thead th:nth-child(3)`))); err != nil {
		t.Fatal(err)
	}
	sorted := eval[[]float64](t, ctx, `Array.from(document.querySelectorAll("#t-all tbody tr td:nth-child(3)")).map(td => parseFloat(td.dataset.sort))`)
	if len(sorted) < 2 || !slices.IsSorted(sorted) {
		t.Errorf("after sorting by median the column reads %v, want ascending", sorted)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#t-all thead th:nth-child(3)`))); err != nil {
		t.Fatal(err)
	}
	sorted = eval[[]float64](t, ctx, `Array.from(document.querySelectorAll("#t-all tbody tr td:nth-child(3)")).map(td => parseFloat(td.dataset.sort))`)
	if slices.Reverse(sorted); !slices.IsSorted(sorted) {
		t.Errorf("a second click should sort descending; the column reads %v reversed", sorted)
	}

	// A cell opens its benchmark's samples.
	first := eval[string](t, ctx, `document.querySelector("#t-all tbody tr td").textContent`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#t-all tbody tr td`))); err != nil {
		t.Fatal(err)
	}
	if title := eval[string](t, ctx, `document.getElementById("samples").hidden ? "" : document.getElementById("samples-title").textContent`); title != "Benchmark"+first {
		t.Errorf("the sample view shows %q, want Benchmark%s", title, first)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#samples circle.sample").length`); n < 2 {
		t.Errorf("the sample view draws %d samples, want the run's %d", n, run.Samples())
	}

	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 2000 {
		t.Errorf("screenshot is %v, want the whole page", b)
	}
	out := filepath.Join(t.TempDir(), "page.png")
	if dir := os.Getenv("CONCBENCH_SCREENSHOTS"); dir != "" {
		out = filepath.Join(dir, "page.png")
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (set CONCBENCH_SCREENSHOTS=DIR to keep it)", out)

	urls := done()
	if !slices.Contains(urls, pageURL) {
		t.Fatalf("the browser reported no request for the page itself (%v): the network check sees nothing", urls)
	}
	for _, u := range urls {
		if u != pageURL {
			t.Errorf("the page requested %s: it must need nothing beside itself", u)
		}
	}
}
