package workloads

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

func startCrawl(t *testing.T, w *Crawl) *crawlSite {
	t.Helper()
	s, err := w.start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.prepared.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// TestCrawlStagesComposeToTask: running the stages one after another gives
// what Task gives, so every model computes the same digest.
func TestCrawlStagesComposeToTask(t *testing.T) {
	p := startCrawl(t, &Crawl{Size: 4 << 10}).prepared
	ctx := context.Background()
	if len(p.Stages) != 2 {
		t.Fatalf("%d stages, want fetch and parse", len(p.Stages))
	}
	for i := range 2 * crawlPages {
		want, err := p.Task(ctx, i)
		if err != nil {
			t.Fatal(err)
		}
		page, err := p.Stages[0](ctx, i, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.Stages[1](ctx, i, page)
		if err != nil || got != want {
			t.Fatalf("task %d: stages gave %+v, %v; Task gave %+v", i, got, err, want)
		}
		if want.Bytes != 4<<10 {
			t.Errorf("task %d processed %d bytes, want the page's 4096", i, want.Bytes)
		}
	}
}

// TestCrawlReusesConnections: tasks run one after another share one
// connection, and k at a time reuse theirs. net/http may dial a spare while
// a finished request's connection is on its way back to the idle pool, so
// k at a time may open a few more than k, but never one per request.
func TestCrawlReusesConnections(t *testing.T) {
	s := startCrawl(t, &Crawl{Size: 2 << 10, Latency: 100 * time.Microsecond})
	ctx := context.Background()
	for i := range 30 {
		if _, err := s.prepared.Task(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.server.conns.Load(); n != 1 {
		t.Errorf("30 tasks in a row opened %d connections, want 1", n)
	}
	const k = 4
	var wg sync.WaitGroup
	for g := range k {
		wg.Go(func() {
			for i := range 20 {
				if _, err := s.prepared.Task(ctx, g*20+i); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := s.server.conns.Load(); n > 2*k {
		t.Errorf("%d tasks at a time opened %d connections for %d requests, want at most %d", k, n, k*20, 2*k)
	}
}

// countingHook counts IO waits.
type countingHook struct {
	mu           sync.Mutex
	begins, ends int
}

func (h *countingHook) BeginIO() { h.mu.Lock(); h.begins++; h.mu.Unlock() }
func (h *countingHook) EndIO()   { h.mu.Lock(); h.ends++; h.mu.Unlock() }

// TestCrawlMarksItsWait: the fetch stage tells the hook of its waits, the
// one dial of the connection the tasks share and at least one read per
// task; the parse stage, which computes, never does.
func TestCrawlMarksItsWait(t *testing.T) {
	p := startCrawl(t, &Crawl{Size: 2 << 10}).prepared
	h := &countingHook{}
	ctx := WithIOHook(context.Background(), h)
	for i := range 5 {
		if _, err := p.Task(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	if h.begins != h.ends || h.begins < 1+5 || h.begins > 1+5*3 {
		t.Errorf("5 tasks: %d BeginIO and %d EndIO, want as many of each, a dial and 1 to 3 reads a task", h.begins, h.ends)
	}
	fetched := h.begins
	if _, err := p.Stages[1](ctx, 0, crawlPage(0, 2<<10)); err != nil || h.begins != fetched {
		t.Errorf("parse: %v, %d BeginIO: want no wait marked", err, h.begins)
	}
}

func TestWaitIOWithoutHook(t *testing.T) {
	called := false
	if err := WaitIO(context.Background(), func() error { called = true; return nil }); err != nil || !called {
		t.Errorf("WaitIO without a hook: called %v, err %v", called, err)
	}
}

func TestCrawlErrors(t *testing.T) {
	p := startCrawl(t, &Crawl{Size: 2 << 10}).prepared
	if _, err := p.Task(context.Background(), -1); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("page -1: err = %v, want the server's 404", err)
	}
	if _, err := p.Stages[1](context.Background(), 0, "not a page"); err == nil || !strings.Contains(err.Error(), "string") {
		t.Errorf("parse of a string: err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Task(ctx, 0); err == nil {
		t.Error("task with a cancelled context: no error")
	}
}

func TestCrawlAfterClose(t *testing.T) {
	s, err := (&Crawl{Size: 2 << 10}).start()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.prepared.Task(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.prepared.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.prepared.Task(context.Background(), 1); err == nil {
		t.Error("task after Close: no error")
	}
}

func TestCrawlPage(t *testing.T) {
	for _, size := range []int{crawlMinSize, 4 << 10, 32 << 10, crawlMaxSize} {
		page := crawlPage(3, size)
		if len(page) != size {
			t.Errorf("page of size %d has %d bytes", size, len(page))
		}
		if !bytes.Equal(page, crawlPage(3, size)) {
			t.Error("page generated twice differs")
		}
	}
	page := crawlPage(0, 32<<10)
	if n := len(crawlLink.FindAll(page, -1)); n < 10 {
		t.Errorf("a 32 KiB page has %d links", n)
	}
}

// TestCrawlParse: the digest changes with any link or word, and not with
// markup.
func TestCrawlParse(t *testing.T) {
	base := `<html><body><p>the crawler <a href="/page/1">next page</a> runs</p></body></html>`
	d := crawlParse([]byte(base)).Digest
	for _, changed := range []string{
		strings.Replace(base, "/page/1", "/page/2", 1),
		strings.Replace(base, "runs", "waits", 1),
		strings.Replace(base, "next page", "page next", 1),
	} {
		if crawlParse([]byte(changed)).Digest == d {
			t.Errorf("%s: same digest as %s", changed, base)
		}
	}
	markup := strings.Replace(base, "<p>", `<p class="x">`, 1)
	if crawlParse([]byte(markup)).Digest != d {
		t.Error("a class attribute changed the digest")
	}
}
