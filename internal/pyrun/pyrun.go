// Package pyrun runs the Python harness (package python) on the inputs of
// the Go matrix and checks its work against Go's.
//
// Run writes the corpus once to a private temporary file, starts the
// harness with argv (never a shell), and copies its Go-benchmark-format
// lines to the results file. Before the first result of a workload it
// compares what the harness reports with what Go computes on the same
// bytes: the corpus's SHA-256 (the harness read byte-identical inputs) and
// the batch digest (models.Digest, which the harness ports). Go's own
// digests hash outputs with XXH3, which Python's standard library lacks, so
// for regex, http and file the per-task digest on both sides is the first 8
// bytes of the output's SHA-256; sha256's digest is Go's own. Compressors
// differ in their output, so for stdgzip the harness checks the round trip
// and reports its compressed size beside Go's compress/gzip.
package pyrun

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/internal/tail"
	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/python"
	"github.com/concbench/concbench/workloads"
)

// Workloads lists the workloads the harness runs, by their names in
// workloads.All. stdgzip is the like-for-like codec: DEFLATE at level 6 in
// both standard libraries.
var Workloads = []string{"sha256", "stdgzip", "regex-prefix", "regex-alt", "http", "file"}

// MinVersion is the oldest Python the harness runs on.
const MinVersion = "3.9"

// Group is the benchmark group of the harness's results: BenchmarkPython.
const Group = "Python"

// Options says which interpreter to run and how long to measure. The zero
// Options runs python3 from PATH, one sample of one batch per benchmark, at
// the full sizes.
type Options struct {
	// Python is the interpreter: a path, or a name looked up in PATH.
	// Empty means python3, and a machine without it skips the run.
	Python    string
	Short     bool          // the -short sizes and batches, as go test -short
	Count     int           // samples per benchmark; 0 means 1
	Benchtime time.Duration // least time a sample takes; 0 means one batch
	Workloads []string      // nil means Workloads
	Models    []string      // nil means every model the harness has for the workload
	Stderr    io.Writer     // where the harness's messages go; nil discards them
}

// Run runs the harness and writes to w its configuration lines and results,
// then PASS. Without a usable interpreter (opt.Python empty and no python3
// of MinVersion or later on PATH) it writes "python: skipped: <why>" and
// PASS (and the same line to opt.Stderr) and returns nil. A harness that fails, reads other bytes or computes
// another digest than Go is an error: its results must not be saved.
func Run(ctx context.Context, w io.Writer, opt Options) error {
	py, skip, err := find(ctx, opt.Python)
	if err != nil {
		return err
	}
	if skip != "" {
		fmt.Fprintf(w, "python: skipped: %s\nPASS\n", skip)
		if opt.Stderr != nil {
			fmt.Fprintf(opt.Stderr, "python: skipped: %s\n", skip)
		}
		return nil
	}
	tmp, err := os.MkdirTemp("", "concbench-python-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	p, err := newPlan(tmp, opt)
	defer p.close()
	if err != nil {
		return err
	}
	return runPlan(ctx, w, py, tmp, p, opt.Stderr)
}

// runPlan writes the script and plan p into dir, runs the harness and
// checks its lines.
func runPlan(ctx context.Context, w io.Writer, py, dir string, p *plan, stderr io.Writer) error {
	script := filepath.Join(dir, "concbench.py")
	if err := os.WriteFile(script, python.Script, 0o600); err != nil {
		return err
	}
	planFile := filepath.Join(dir, "plan.json")
	data, err := json.Marshal(p.plan)
	if err != nil {
		return err
	}
	if err := os.WriteFile(planFile, data, 0o600); err != nil {
		return err
	}

	cmd := exec.CommandContext(ctx, py, script, "--plan", planFile)
	cmd.Dir = dir
	var errTail tail.Buffer
	cmd.Stderr = &errTail
	if stderr != nil {
		cmd.Stderr = io.MultiWriter(&errTail, stderr)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	c := &checker{want: p, checked: map[string]bool{}, results: map[string]int{}}
	s := bufio.NewScanner(out)
	s.Buffer(nil, 1<<20)
	for s.Scan() {
		line, err := c.line(s.Text())
		if err != nil {
			cmd.Cancel()
			cmd.Wait()
			return fmt.Errorf("python harness: %w", err)
		}
		if line != "" {
			fmt.Fprintln(w, line)
		}
	}
	if err := cmd.Wait(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("python harness: interrupted: %w", ctx.Err())
		}
		return fmt.Errorf("python harness %s: %v\n%s", py, err, errTail.String())
	}
	if err := c.done(); err != nil {
		return fmt.Errorf("python harness: %w", err)
	}
	fmt.Fprintln(w, "PASS")
	return nil
}

var versionLine = regexp.MustCompile(`^(\d+)\.(\d+)`)

// find returns the interpreter's path, or why the run is skipped. An
// interpreter named by the caller must exist and be new enough.
func find(ctx context.Context, name string) (path, skip string, err error) {
	chosen := name != ""
	if !chosen {
		name = "python3"
	}
	path, err = exec.LookPath(name)
	if err != nil {
		if chosen {
			return "", "", fmt.Errorf("-python %q: %v", name, err)
		}
		return "", "python3 is not on PATH", nil
	}
	out, err := exec.CommandContext(ctx, path, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])").Output()
	if err != nil {
		return "", "", fmt.Errorf("-python %s: asking its version: %v", path, err)
	}
	v := strings.TrimSpace(string(out))
	m := versionLine.FindStringSubmatch(v)
	if m == nil {
		return "", "", fmt.Errorf("-python %s: version %q: want major.minor", path, v)
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	if major < 3 || major == 3 && minor < 9 {
		why := fmt.Sprintf("%s is Python %s; the harness needs %s or later", path, v, MinVersion)
		if chosen {
			return "", "", errors.New("-python " + why)
		}
		return "", why, nil
	}
	return path, "", nil
}

// A benchPlan is one benchmark of the plan file that the harness reads.
type benchPlan struct {
	Workload string   `json:"workload"`
	Size     int      `json:"size"`
	Tasks    int      `json:"tasks"`
	Workers  int      `json:"workers"`
	Params   string   `json:"params"` // the Go name's parameters after tasks=
	Pattern  string   `json:"pattern,omitempty"`
	Level    int      `json:"level,omitempty"`
	URL      string   `json:"url,omitempty"`
	Timeout  float64  `json:"timeout,omitempty"` // seconds
	Dir      string   `json:"dir,omitempty"`
	Fsync    bool     `json:"fsync,omitempty"`
	Models   []string `json:"models,omitempty"`
}

type planFile struct {
	Corpus    string      `json:"corpus"`
	Windows   int         `json:"windows"`
	Count     int         `json:"count"`
	Benchtime float64     `json:"benchtime"` // seconds
	Benches   []benchPlan `json:"benches"`
}

// A plan is the plan file and what Go expects the harness to report.
type plan struct {
	plan      planFile
	corpusSum string            // hex SHA-256 of the corpus file
	corpusLen int               // its length
	digest    map[string]string // workload → Go's batch digest; absent for stdgzip
	gzipBytes map[string]int    // workload → compress/gzip's bytes per task
	stops     []func() error    // servers to stop
}

func (p *plan) close() {
	for _, stop := range p.stops {
		stop()
	}
}

// newPlan writes the corpus to dir and plans every workload as the Go
// matrix runs it: the pool's case gives the tasks per batch, the workers
// and the parameters of the name.
func newPlan(dir string, opt Options) (*plan, error) {
	names := opt.Workloads
	if names == nil {
		names = Workloads
	}
	p := &plan{
		plan:      planFile{Corpus: filepath.Join(dir, "corpus"), Windows: workloads.Windows, Count: max(1, opt.Count), Benchtime: opt.Benchtime.Seconds()},
		digest:    map[string]string{},
		gzipBytes: map[string]int{},
	}
	corpus := 0
	for _, name := range names {
		b, err := p.add(name, dir, opt)
		if err != nil {
			return p, err
		}
		b.Models = opt.Models
		p.plan.Benches = append(p.plan.Benches, b)
		corpus = max(corpus, b.Size*workloads.Windows)
	}
	data := workloads.Corpus(corpus)
	if err := os.WriteFile(p.plan.Corpus, data, 0o600); err != nil {
		return p, err
	}
	sum := sha256.Sum256(data)
	p.corpusSum, p.corpusLen = hex.EncodeToString(sum[:]), len(data)
	return p, nil
}

func (p *plan) add(name, dir string, opt Options) (benchPlan, error) {
	var c bench.Case
	for _, k := range bench.Matrix(opt.Short) {
		if k.Workload == name && k.Model == "pool" {
			c = k
		}
	}
	if c.Workload == "" {
		return benchPlan{}, fmt.Errorf("workload %q: not in the matrix (the harness runs %s)", name, strings.Join(Workloads, ", "))
	}
	w, err := workloads.Lookup(name)
	if err != nil {
		return benchPlan{}, err
	}
	if opt.Short {
		w.Shrink()
	}
	if err := workloads.Configure(w, c.Params); err != nil {
		return benchPlan{}, err
	}
	_, params, _ := strings.Cut(c.Name(), "/tasks="+strconv.Itoa(c.Tasks))
	b := benchPlan{Workload: name, Tasks: c.Tasks, Workers: c.Options.Workers, Params: strings.TrimPrefix(params, "/")}
	n := c.Tasks
	var per func(i int) (int64, uint64)
	switch w := w.(type) {
	case *workloads.SHA256:
		b.Size = w.Size
		// Go's own digest: the first 8 bytes of the SHA-256, as Python's.
		per = func(i int) (int64, uint64) { in := workloads.Input(w.Size, i); return int64(len(in)), portable(in) }
	case *workloads.StdGzip:
		b.Size, b.Level = w.Size, w.Level
		level := w.Level
		if level == 0 {
			level = gzip.DefaultCompression
			b.Level = 6
		}
		total := 0
		for i := range n {
			var buf bytes.Buffer
			zw, err := gzip.NewWriterLevel(&buf, level)
			if err != nil {
				return b, err
			}
			zw.Write(workloads.Input(w.Size, i))
			zw.Close()
			total += buf.Len()
		}
		p.gzipBytes[name] = total / n
	case *workloads.Regex:
		b.Size = w.Size
		expr, err := workloads.RegexPattern(w.Pattern)
		if err != nil {
			return b, err
		}
		b.Pattern = expr
		re := regexp.MustCompile(expr)
		per = func(i int) (int64, uint64) {
			in := workloads.Input(w.Size, i)
			matches := re.FindAllSubmatchIndex(in, -1)
			var pos []byte
			for _, m := range matches {
				for _, x := range m {
					pos = binary.LittleEndian.AppendUint32(pos, uint32(x))
				}
			}
			return int64(len(in)), portable(pos) ^ uint64(len(matches))
		}
	case *workloads.HTTP:
		b.Size, b.Timeout = w.Size, w.Timeout.Seconds()
		url, stop, err := w.Serve()
		if err != nil {
			return b, err
		}
		p.stops = append(p.stops, stop)
		b.URL = url
		per = func(i int) (int64, uint64) {
			body := workloads.Body(w.Size, i)
			return int64(len(body)), portable(body)
		}
	case *workloads.File:
		b.Size, b.Fsync = w.Size, w.Fsync
		parent := w.Dir
		if parent == "" {
			parent = dir
		}
		d, err := os.MkdirTemp(parent, "files-")
		if err != nil {
			return b, err
		}
		p.stops = append(p.stops, func() error { return os.RemoveAll(d) })
		b.Dir = d
		per = func(i int) (int64, uint64) {
			body := workloads.Body(w.Size, i)
			return int64(len(body)), portable(body)
		}
	default:
		return b, fmt.Errorf("workload %q: the harness has no port of it (it runs %s)", name, strings.Join(Workloads, ", "))
	}
	if per != nil {
		var d models.Digest
		for i := range n {
			bytes, h := per(i)
			d.Add(i, models.Result{Bytes: bytes, Digest: h})
		}
		p.digest[name] = d.String()
	}
	return b, nil
}

// portable is the per-task digest both sides compute: the first 8 bytes of
// the SHA-256, little-endian.
func portable(b []byte) uint64 {
	sum := sha256.Sum256(b)
	return binary.LittleEndian.Uint64(sum[:])
}

// A checker reads the harness's lines.
type checker struct {
	want    *plan
	corpus  bool
	checked map[string]bool
	results map[string]int
}

var (
	corpusCheck = regexp.MustCompile(`^check: corpus sha256=([0-9a-f]{64}) bytes=(\d+)$`)
	digestCheck = regexp.MustCompile(`^check: workload=(\S+) digest=(\S+)(?: out-bytes-per-task=(\d+))?$`)
	resultName  = regexp.MustCompile(`^BenchmarkPython/workload=([^/\s]+)/`)
)

// line checks one line of the harness's output and returns what goes into
// the results file: the line itself, a line in its place, or "".
func (c *checker) line(s string) (string, error) {
	if m := corpusCheck.FindStringSubmatch(s); m != nil {
		if m[1] != c.want.corpusSum || m[2] != strconv.Itoa(c.want.corpusLen) {
			return "", fmt.Errorf("it read a corpus of %s bytes with SHA-256 %s; concbench wrote %d bytes with SHA-256 %s", m[2], m[1], c.want.corpusLen, c.want.corpusSum)
		}
		c.corpus = true
		return "", nil
	}
	if m := digestCheck.FindStringSubmatch(s); m != nil {
		name := m[1]
		if !c.corpus {
			return "", fmt.Errorf("workload %s checked before the corpus", name)
		}
		want, ok := c.want.digest[name]
		gz, isGzip := c.want.gzipBytes[name]
		switch {
		case ok && m[2] != want:
			return "", fmt.Errorf("workload %s: batch digest %s, want %s (Go's, on the same inputs): Python did other work", name, m[2], want)
		case !ok && !isGzip:
			return "", fmt.Errorf("workload %s: not in the plan", name)
		}
		c.checked[name] = true
		if isGzip {
			if m[3] == "" {
				return "", fmt.Errorf("workload %s: no compressed size", name)
			}
			return fmt.Sprintf("python-%s-bytes-per-task: Python's zlib %s, Go's compress/gzip %d", name, m[3], gz), nil
		}
		return "", nil
	}
	if m := resultName.FindStringSubmatch(s); m != nil {
		if !c.checked[m[1]] {
			return "", fmt.Errorf("a result of workload %s before its digest was checked: %s", m[1], s)
		}
		c.results[m[1]]++
		return s, nil
	}
	if isConfig(s) && strings.HasPrefix(s, "python") {
		return s, nil
	}
	return "", fmt.Errorf("unexpected line %q", s)
}

func (c *checker) done() error {
	if !c.corpus {
		return errors.New("it never reported the corpus it read")
	}
	for _, b := range c.want.plan.Benches {
		if c.results[b.Workload] == 0 {
			return fmt.Errorf("workload %s: no results", b.Workload)
		}
	}
	return nil
}

func isConfig(s string) bool {
	k, v, ok := strings.Cut(s, ":")
	return ok && k != "" && !strings.ContainsAny(k, " \t") && strings.ToLower(k) == k && (v == "" || v[0] == ' ')
}
