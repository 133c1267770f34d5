package report

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// dropLongLines blanks each line over MaxLineLen, which benchfmt could not
// read, recording it as a problem. Line numbers stay as they were.
func dropLongLines(data []byte, file string, run *Run) []byte {
	var out []byte // nil until a line is dropped
	start := 0
	for n := 1; start < len(data); n++ {
		end := bytes.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += start
		}
		if end-start > MaxLineLen {
			if out == nil {
				out = append(make([]byte, 0, len(data)), data[:start]...)
			}
			run.problem(fmt.Errorf("%s:%d: a line of %d bytes, over the %d KiB a line may have: %q", file, n, end-start, MaxLineLen>>10, clip(string(data[start:start+60]))))
		} else if out != nil {
			out = append(out, data[start:end]...)
		}
		if end < len(data) && out != nil {
			out = append(out, '\n')
		}
		start = end + 1
	}
	if out == nil {
		return data
	}
	return out
}

// lineScan is what a pass over the raw lines finds that the benchfmt
// reader does not report: how the run ended, and lines it skips silently.
type lineScan struct {
	passed bool   // the last non-blank line says PASS (or go test's ok)
	failed string // why the run failed, from its first failure line
	// conflict describes the first identity line that contradicts an
	// earlier one: the file mixes runs, or says two things of one.
	conflict string
	// footer holds the lines of footerKeys, which a run writes after its
	// results, where no result carries them.
	footer map[string]string
}

// footerKeys are the configuration lines that concbench bench writes
// after the Go results, once their figures are known: the samples the
// guard retook.
var footerKeys = []string{"retakes"}

// scanLines classifies every line that is not a result or a configuration
// line, adding unknown ones to run.Problems.
func scanLines(data []byte, file string, run *Run) lineScan {
	var ls lineScan
	type setting struct {
		value string
		line  int
	}
	ident := map[string]setting{}
	s := bufio.NewScanner(bytes.NewReader(data))
	s.Buffer(nil, 1<<20)
	for n := 1; s.Scan(); n++ {
		line := s.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			continue
		}
		ls.passed = false
		fail := func(why string) {
			if ls.failed == "" {
				ls.failed = fmt.Sprintf("%s:%d: %s: %q", file, n, why, trimmed)
			}
		}
		switch {
		case trimmed == "PASS" || strings.HasPrefix(line, "ok "):
			ls.passed = true
		case strings.HasPrefix(line, "testing: ") && strings.Contains(line, " left GOMAXPROCS set to "):
			fail("a benchmark changed GOMAXPROCS and left it changed, so the results after it are wrong")
		case trimmed == "FAIL", strings.HasPrefix(line, "FAIL"), strings.HasPrefix(line, "--- FAIL"),
			strings.HasPrefix(line, "panic: "), strings.HasPrefix(line, "fatal error: "),
			strings.HasPrefix(line, "exit status "), strings.HasPrefix(line, "signal: "):
			fail("the run failed")
		case strings.HasPrefix(line, "Benchmark"), strings.HasPrefix(line, "Unit "),
			strings.HasPrefix(line, "--- "), line[0] == ' ' || line[0] == '\t':
			// Results and unit lines go to benchfmt; "--- BENCH" and
			// indented lines are a benchmark's log output.
		case isConfigLine(line):
			key, val, _ := strings.Cut(line, ":")
			val = strings.TrimSpace(val)
			if strings.HasPrefix(key, "python") {
				if run.Python == nil {
					run.Python = map[string]string{}
				}
				run.Python[key] = val
			}
			if slices.Contains(footerKeys, key) {
				if ls.footer == nil {
					ls.footer = map[string]string{}
				}
				ls.footer[key] = val
			}
			if key == ConfigUnresolved {
				run.Unresolved = append(run.Unresolved, strings.Fields(val)...)
			}
			if !slices.Contains(identity, key) {
				break
			}
			if was, ok := ident[key]; !ok {
				ident[key] = setting{val, n}
			} else if was.value != val {
				why := fmt.Errorf("%s:%d: %s: %q contradicts %s: %q at line %d: a results file holds one run of one machine", file, n, key, val, key, was.value, was.line)
				run.problem(why)
				if ls.conflict == "" {
					ls.conflict = why.Error()
				}
			}
		default:
			run.problem(fmt.Errorf("%s:%d: not a benchmark result, configuration or go test line: %q", file, n, clip(trimmed)))
		}
	}
	return ls
}

// isConfigLine reports whether benchfmt reads line as a configuration
// line: a lower-case key without spaces or upper case, a colon, then a
// space or nothing.
func isConfigLine(line string) bool {
	key, val, ok := strings.Cut(line, ":")
	if !ok || key == "" || !(key[0] >= 'a' && key[0] <= 'z') || strings.ContainsAny(key, " \t") || strings.ToLower(key) != key {
		return false
	}
	return val == "" || val[0] == ' ' || val[0] == '\t'
}

// clip shortens a line for an error message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}
