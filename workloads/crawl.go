package workloads

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/zeebo/xxh3"
)

// Crawl is the tutorial's crawler as a task of two stages. The first, fetch,
// downloads page i from a web server that Prepare starts on 127.0.0.1; the
// server waits Latency before it answers, standing for a remote site. The
// second, parse, extracts the page's links and the words of its text with
// regular expressions. The digest covers every link and every word, in
// order. The fetch stage marks its wait with WaitIO, so the gil model lets
// other tasks compute meanwhile.
//
// The server holds crawlPages distinct pages, generated from a fixed seed,
// and answers /page/i with page i%crawlPages, so tasks do not parse the
// same bytes over and over. The client keeps its connections open between
// tasks, as a crawler would: a batch opens at most as many connections as
// it runs fetches at once.
type Crawl struct {
	Size    int           // bytes per page, 1KiB to 1MiB
	Latency time.Duration // the server's wait before each answer; zero means none
	Server  string        // process (also the zero value) or inproc: where the web server runs
	Addr    string        // 127.0.0.1:PORT of a web server already running, to use instead; empty: start one
}

const (
	crawlPages    = 16
	crawlMinSize  = 1 << 10
	crawlMaxSize  = 1 << 20
	crawlMaxDelay = 10 * time.Second
	crawlSeed     = 0x637261776c // "crawl"
)

var (
	crawlLink = regexp.MustCompile(`<a href="([^"]*)"`)
	crawlText = regexp.MustCompile(`>([^<]+)<`)
	crawlWord = regexp.MustCompile(`[A-Za-z]+`)
)

func (*Crawl) Kind() Kind { return IO }

func (w *Crawl) Params() []Param {
	return append([]Param{
		{"size", "bytes per page", sizeValue{&w.Size, crawlMaxSize}},
		{"latency", "the server's wait before each answer, such as 0, 100us or 2ms", durationValue{&w.Latency, crawlMaxDelay}},
	}, serverParams(&w.Server, &w.Addr)...)
}

func (w *Crawl) Shrink() { w.Size, w.Latency = 4<<10, 100*time.Microsecond }

func (w *Crawl) Prepare(context.Context) (*Prepared, error) {
	if err := w.check(); err != nil {
		return nil, err
	}
	r, err := reachServers("crawl", w, w.Server, w.Addr)
	if err != nil {
		return nil, err
	}
	c := newClient(r.url, 0)
	p := r.prepared(nil, c, w.Latency)
	p.Task, p.Stages = crawlStages(c)
	return p, nil
}

func (w *Crawl) check() error {
	if w.Size < crawlMinSize || w.Size > crawlMaxSize {
		return fmt.Errorf("size=%d: want %s to %s", w.Size, FormatSize(crawlMinSize), FormatSize(crawlMaxSize))
	}
	if w.Latency < 0 || w.Latency > crawlMaxDelay {
		return fmt.Errorf("latency=%v: want 0 to %v", w.Latency, crawlMaxDelay)
	}
	return checkServer(w.Server, w.Addr)
}

// serve starts the web server in this process.
func (w *Crawl) serve() (string, func() error, error) {
	if err := w.check(); err != nil {
		return "", nil, err
	}
	srv, err := w.listen()
	if err != nil {
		return "", nil, err
	}
	return srv.url, srv.close, nil
}

// listen starts the web server: crawlPages pages, each after Latency.
func (w *Crawl) listen() (*server, error) {
	pages := make([][]byte, crawlPages)
	for p := range pages {
		pages[p] = crawlPage(p, w.Size)
	}
	srv, err := listen()
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	latency := w.Latency
	mux.HandleFunc("GET /page/{n}", func(rw http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.PathValue("n"))
		if err != nil || n < 0 {
			http.NotFound(rw, r)
			return
		}
		if err := pause(r.Context(), srv.stop, latency); err != nil {
			http.Error(rw, err.Error(), http.StatusServiceUnavailable)
			return
		}
		page := pages[n%len(pages)]
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		rw.Header().Set("Content-Length", strconv.Itoa(len(page)))
		rw.Write(page)
	})
	srv.serve(mux)
	return srv, nil
}

// crawlStages returns the crawler's task and its two stages, fetching
// with c.
func crawlStages(c *client) (Task, []Stage) {
	fetch := func(ctx context.Context, i int, _ any) (any, error) {
		var page bytes.Buffer
		err := c.get(ctx, "/page/"+strconv.Itoa(i), &page)
		return page.Bytes(), err
	}
	parse := func(_ context.Context, i int, in any) (any, error) {
		page, ok := in.([]byte)
		if !ok {
			return nil, fmt.Errorf("parse got %T, want the page's bytes", in)
		}
		return crawlParse(page), nil
	}
	return Compose(fetch, parse), []Stage{fetch, parse}
}

// A crawlSite is a Crawl prepared with its server in this process, for
// the tests that count its connections.
type crawlSite struct {
	prepared *Prepared
	server   *server
}

func (w *Crawl) start() (*crawlSite, error) {
	if err := w.check(); err != nil {
		return nil, err
	}
	srv, err := w.listen()
	if err != nil {
		return nil, err
	}
	c := newClient(srv.url, 0)
	task, stages := crawlStages(c)
	return &crawlSite{server: srv, prepared: &Prepared{
		Task:    task,
		Stages:  stages,
		Latency: w.Latency,
		Close: func() error {
			c.close()
			return srv.close()
		},
	}}, nil
}

// crawlParse extracts the links and the words of a page's text; the digest
// covers each of them, in order, and their counts. It reads the page a line
// at a time, as a streaming parser would: Go's regexp does work in
// proportion to the rest of its input for each match, so matching across
// the whole page would cost time quadratic in its size.
func crawlParse(page []byte) Result {
	h := xxh3.New()
	links, words := 0, 0
	for line := range bytes.Lines(page) {
		for _, m := range crawlLink.FindAllSubmatchIndex(line, -1) {
			h.Write(line[m[2]:m[3]])
			h.Write([]byte{0})
			links++
		}
		for _, m := range crawlText.FindAllSubmatchIndex(line, -1) {
			text := line[m[2]:m[3]]
			for _, w := range crawlWord.FindAllIndex(text, -1) {
				h.Write(text[w[0]:w[1]])
				h.Write([]byte{' '})
				words++
			}
		}
	}
	return Result{Bytes: int64(len(page)), Digest: h.Sum64() ^ uint64(links)<<32 ^ uint64(words)}
}

var crawlWords = []string{
	"thread", "process", "pool", "queue", "lock", "future", "result", "worker", "task", "event",
	"loop", "async", "await", "crawler", "page", "link", "parse", "fetch", "html", "request",
	"response", "server", "client", "socket", "buffer", "channel", "goroutine", "schedule", "batch", "cancel",
	"the", "a", "of", "and", "to", "in", "is", "it", "that", "for",
	"python", "global", "interpreter", "CPU", "IO", "bound", "fast", "slow", "wait", "run",
}

const crawlFooter = "</body>\n</html>\n"

// crawlPage generates page p: size bytes of HTML whose paragraphs mix words
// with links to other pages.
func crawlPage(p, size int) []byte {
	r := rand.New(rand.NewPCG(crawlSeed, uint64(p)))
	word := func() string { return crawlWords[r.IntN(len(crawlWords))] }
	b := fmt.Appendf(make([]byte, 0, size), "<!DOCTYPE html>\n<html><head><title>Page %d</title></head>\n<body>\n<h1>%s %s</h1>\n", p, word(), word())
	// Leave room for the longest item, a link, then pad to size exactly.
	const room = 80
	for len(b)+room+len(crawlFooter) < size {
		b = append(b, "<p>"...)
		for k := 8 + r.IntN(24); k > 0 && len(b)+room+len(crawlFooter) < size; k-- {
			if r.IntN(8) == 0 {
				b = fmt.Appendf(b, `<a href="/page/%d">%s %s</a> `, r.IntN(100_000), word(), word())
			} else {
				b = append(b, word()...)
				b = append(b, ' ')
			}
		}
		b = append(b, "</p>\n"...)
	}
	for len(b)+len(crawlFooter) < size {
		b = append(b, ' ')
	}
	return append(b, crawlFooter...)
}
