package workloads

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"sync/atomic"
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
}

const (
	crawlPages     = 16
	crawlMinSize   = 1 << 10
	crawlMaxSize   = 1 << 20
	crawlMaxDelay  = 10 * time.Second
	crawlSeed      = 0x637261776c // "crawl"
	crawlIdleConns = 4096         // connections kept open: more than any batch runs at once
)

var (
	crawlLink = regexp.MustCompile(`<a href="([^"]*)"`)
	crawlText = regexp.MustCompile(`>([^<]+)<`)
	crawlWord = regexp.MustCompile(`[A-Za-z]+`)
)

func (*Crawl) Kind() Kind { return IO }

func (w *Crawl) Params() []Param {
	return []Param{
		{"size", "bytes per page", sizeValue{&w.Size, crawlMaxSize}},
		{"latency", "the server's wait before each answer, such as 0, 100us or 2ms", durationValue{&w.Latency, crawlMaxDelay}},
	}
}

func (w *Crawl) Shrink() { w.Size, w.Latency = 4<<10, 100*time.Microsecond }

func (w *Crawl) Prepare(context.Context) (*Prepared, error) {
	s, err := w.start()
	if err != nil {
		return nil, err
	}
	return s.prepared, nil
}

// A crawlSite is a prepared Crawl: its server, its client, and how many
// connections the server has accepted.
type crawlSite struct {
	prepared *Prepared
	conns    atomic.Int64
}

func (w *Crawl) start() (*crawlSite, error) {
	if w.Size < crawlMinSize || w.Size > crawlMaxSize {
		return nil, fmt.Errorf("size=%d: want %s to %s", w.Size, FormatSize(crawlMinSize), FormatSize(crawlMaxSize))
	}
	if w.Latency < 0 || w.Latency > crawlMaxDelay {
		return nil, fmt.Errorf("latency=%v: want 0 to %v", w.Latency, crawlMaxDelay)
	}
	pages := make([][]byte, crawlPages)
	for p := range pages {
		pages[p] = crawlPage(p, w.Size)
	}

	site := &crawlSite{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
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
		if latency > 0 {
			t := time.NewTimer(latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		page := pages[n%len(pages)]
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		rw.Header().Set("Content-Length", strconv.Itoa(len(page)))
		rw.Write(page)
	})
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: time.Minute,
		ConnState: func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				site.conns.Add(1)
			}
		},
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	transport := &http.Transport{
		Proxy:               nil, // loopback only, whatever the environment says
		MaxIdleConnsPerHost: crawlIdleConns,
		DisableCompression:  true,
	}
	client := &http.Client{Transport: transport}
	base := "http://" + ln.Addr().String() + "/page/"

	fetch := func(ctx context.Context, i int, _ any) (any, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+strconv.Itoa(i), nil)
		if err != nil {
			return nil, err
		}
		var page []byte
		err = WaitIO(ctx, func() error {
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("GET %s: %s", req.URL.Path, resp.Status)
			}
			if resp.ContentLength < 0 || resp.ContentLength > crawlMaxSize {
				return fmt.Errorf("GET %s: Content-Length %d, want 0 to %d", req.URL.Path, resp.ContentLength, crawlMaxSize)
			}
			page = make([]byte, resp.ContentLength)
			if _, err := io.ReadFull(resp.Body, page); err != nil {
				return err
			}
			// Reading to the end hands the connection back for reuse.
			_, err = io.Copy(io.Discard, resp.Body)
			return err
		})
		return page, err
	}
	parse := func(_ context.Context, i int, in any) (any, error) {
		page, ok := in.([]byte)
		if !ok {
			return nil, fmt.Errorf("parse got %T, want the page's bytes", in)
		}
		return crawlParse(page), nil
	}

	site.prepared = &Prepared{
		Task:   Compose(fetch, parse),
		Stages: []Stage{fetch, parse},
		Close: func() error {
			transport.CloseIdleConnections()
			err := srv.Close()
			if served := <-served; !errors.Is(served, http.ErrServerClosed) {
				err = errors.Join(err, served)
			}
			return err
		},
	}
	return site, nil
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

// durationValue is a duration in [0, max], written as Go writes durations
// but with "us" for microseconds, so that it is plain ASCII in benchmark
// names.
type durationValue struct {
	p   *time.Duration
	max time.Duration
}

func (v durationValue) String() string { return formatDuration(*v.p) }

func (v durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q: want a duration, such as 0, 100us or 2ms", s)
	}
	if d < 0 || d > v.max {
		return fmt.Errorf("%s out of range: want 0 to %s", s, formatDuration(v.max))
	}
	*v.p = d
	return nil
}

// formatDuration writes d in the largest unit that divides it exactly: 2ms,
// 100us, 1500ns, 0. time.ParseDuration reads it back.
func formatDuration(d time.Duration) string {
	for _, u := range []struct {
		suffix string
		d      time.Duration
	}{{"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}, {"ms", time.Millisecond}, {"us", time.Microsecond}} {
		if d != 0 && d%u.d == 0 {
			return strconv.FormatInt(int64(d/u.d), 10) + u.suffix
		}
	}
	if d == 0 {
		return "0"
	}
	return strconv.FormatInt(int64(d), 10) + "ns"
}
