package workloads

import "fmt"

// What other runtimes need to compute the same tasks on the same bytes: the
// Python harness (package python) reads the corpus from a file that
// concbench writes with Corpus, cuts task inputs as Input does and bodies as
// Body does, and searches with RegexPattern's expressions.

// Windows is how many distinct inputs a workload cycles through: task i
// reads window i%Windows of the corpus.
const Windows = windows

// Corpus returns the first n bytes of the generated log that the CPU
// workloads read. A shorter corpus is a prefix of a longer one. The result
// is shared: read only.
func Corpus(n int) []byte { return logCorpus(n) }

// Input returns task i's input for a CPU workload of size bytes per task:
// window i%Windows of Corpus(size*Windows). Read only.
func Input(size, i int) []byte { return inputs(size)(i) }

// Body returns task i's HTTP body or file content for the http and file
// workloads of size bytes: a line naming the task, then the start of its
// input window.
func Body(size, i int) []byte { return appendBody(nil, inputs(size), size, i) }

// RegexPattern returns the expression of the regex workloads' pattern name
// (prefix or alt).
func RegexPattern(name string) (string, error) {
	expr, ok := regexPatterns[name]
	if !ok {
		return "", fmt.Errorf("pattern=%q: want prefix or alt", name)
	}
	return expr, nil
}

// Serve starts w's loopback server alone, in this process, for a client
// other than w's own tasks, and returns its base URL
// (http://127.0.0.1:port) and the function that stops it. GET /task/{i}
// answers with Body(w.Size, i) after w.Latency plus task i's jitter.
func (w *HTTP) Serve() (url string, stop func() error, err error) { return w.serve() }
