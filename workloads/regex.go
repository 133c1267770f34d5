package workloads

import (
	"context"
	"encoding/binary"
	"fmt"
	"regexp"

	"github.com/zeebo/xxh3"
)

// regexPatterns are the patterns Regex can search for. Go's regexp scans
// for a pattern's literal prefix with a fast substring search and only runs
// its automaton where the prefix occurs; an alternation has no such prefix,
// so the automaton runs at every byte.
var regexPatterns = map[string]string{
	"prefix": `GET /api/v\d/users/(\d+)`,
	"alt":    `(?:Mozilla|curl|Wget|python-requests|Go-http-client)/(\d+)\.(\d+)`,
}

// Regex finds every match of a pattern in a chunk of web-server log.
type Regex struct {
	Size    int    // input bytes per task
	Pattern string // prefix or alt (see regexPatterns)
}

func (*Regex) Kind() Kind { return CPU }

func (w *Regex) Params() []Param {
	return []Param{
		sizeParam(&w.Size),
		{"pattern", "prefix: " + regexPatterns["prefix"] + "; alt: " + regexPatterns["alt"], choiceValue{&w.Pattern, []string{"prefix", "alt"}}},
	}
}

func (w *Regex) Shrink() { w.Size = 8 << 10 }

func (w *Regex) Prepare(context.Context) (*Prepared, error) {
	if err := checkSize(w.Size); err != nil {
		return nil, err
	}
	expr, ok := regexPatterns[w.Pattern]
	if !ok {
		return nil, fmt.Errorf("pattern=%q: want prefix or alt", w.Pattern)
	}
	re := regexp.MustCompile(expr)
	input := inputs(w.Size)
	return &Prepared{Task: func(_ context.Context, i int) (Result, error) {
		in := input(i)
		matches := re.FindAllSubmatchIndex(in, -1)
		// The digest covers every match's position and its groups.
		var pos []byte
		for _, m := range matches {
			for _, p := range m {
				pos = binary.LittleEndian.AppendUint32(pos, uint32(p))
			}
		}
		return Result{Bytes: int64(len(in)), Digest: xxh3.Hash(pos) ^ uint64(len(matches))}, nil
	}}, nil
}
