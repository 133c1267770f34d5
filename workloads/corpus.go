package workloads

import (
	"math/rand/v2"
	"strconv"
	"sync"
)

// The CPU workloads read a web-server access log generated from a fixed
// seed: text with the repetition real logs have, so compressors see a
// realistic ratio, and with fields that the regex workloads look for.
const corpusSeed = 0x636f6e6362656e63 // "concbenc"

// windows is how many distinct inputs a workload cycles through: task i
// reads window i%windows. Eight 1 MiB windows are more than a core's cache,
// so tasks do not run from a warm copy of the previous task's input.
const windows = 8

var corpus struct {
	sync.Mutex
	buf []byte
}

// logCorpus returns the first n bytes of the generated log. The log is one
// deterministic stream, so a shorter corpus is a prefix of a longer one and
// every process computes the same bytes. The result is shared: read only.
func logCorpus(n int) []byte {
	corpus.Lock()
	defer corpus.Unlock()
	if len(corpus.buf) < n {
		corpus.buf = generateLog(n)
	}
	return corpus.buf[:n:n]
}

// inputs returns the input of task i for tasks of size bytes.
func inputs(size int) func(i int) []byte {
	buf := logCorpus(size * windows)
	return func(i int) []byte {
		off := (i % windows) * size
		return buf[off : off+size : off+size]
	}
}

var (
	methods = []string{"GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"}
	paths   = []string{
		"/api/v1/users/", "/api/v2/users/", "/api/v1/orders/", "/static/js/app.", "/static/css/site.",
		"/images/product-", "/search?q=item", "/login", "/wp-admin/setup.php?id=", "/healthz?probe=",
	}
	statuses = []int{200, 200, 200, 200, 200, 200, 304, 301, 404, 404, 403, 500, 502}
	referers = []string{"-", "-", "https://example.com/", "https://example.com/shop", "https://search.example.org/?q=go"}
	agents   = []string{
		"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
		"curl/8.5.0", "Wget/1.21.4", "python-requests/2.32.3", "Go-http-client/1.1",
	}
	months = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// generateLog writes n bytes of access log in the combined log format.
func generateLog(n int) []byte {
	r := rand.New(rand.NewPCG(corpusSeed, corpusSeed>>1))
	b := make([]byte, 0, n+512)
	sec := 0
	for len(b) < n {
		sec += r.IntN(3)
		b = strconv.AppendInt(b, int64(10+r.IntN(240)), 10)
		b = append(b, '.')
		b = strconv.AppendInt(b, int64(r.IntN(256)), 10)
		b = append(b, ".0."...)
		b = strconv.AppendInt(b, int64(1+r.IntN(254)), 10)
		b = append(b, " - - ["...)
		b = appendPadded(b, 1+sec/86400%28)
		b = append(b, '/')
		b = append(b, months[sec/(86400*28)%12]...)
		b = append(b, "/2026:"...)
		b = appendPadded(b, sec/3600%24)
		b = append(b, ':')
		b = appendPadded(b, sec/60%60)
		b = append(b, ':')
		b = appendPadded(b, sec%60)
		b = append(b, " +0000] \""...)
		b = append(b, methods[r.IntN(len(methods))]...)
		b = append(b, ' ')
		b = append(b, paths[r.IntN(len(paths))]...)
		b = strconv.AppendInt(b, int64(r.IntN(5000)), 10)
		b = append(b, " HTTP/1.1\" "...)
		b = strconv.AppendInt(b, int64(statuses[r.IntN(len(statuses))]), 10)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(r.IntN(60000)), 10)
		b = append(b, " \""...)
		b = append(b, referers[r.IntN(len(referers))]...)
		b = append(b, "\" \""...)
		b = append(b, agents[r.IntN(len(agents))]...)
		b = append(b, "\"\n"...)
	}
	return b[:n]
}

func appendPadded(b []byte, v int) []byte {
	if v < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(v), 10)
}
