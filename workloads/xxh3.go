package workloads

import (
	"context"

	"github.com/zeebo/xxh3"
)

// XXH3 hashes each input with the 64-bit XXH3 hash (zeebo/xxh3): an order of
// magnitude faster than SHA-256, so its tasks are short and scheduling
// overhead shows.
type XXH3 struct {
	Size int // input bytes per task
}

func (*XXH3) Kind() Kind { return CPU }

func (w *XXH3) Params() []Param { return []Param{sizeParam(&w.Size)} }

func (w *XXH3) Shrink() { w.Size = 64 << 10 }

func (w *XXH3) Prepare(context.Context) (*Prepared, error) {
	if err := checkSize(w.Size); err != nil {
		return nil, err
	}
	input := inputs(w.Size)
	return &Prepared{Task: func(_ context.Context, i int) (Result, error) {
		in := input(i)
		return Result{Bytes: int64(len(in)), Digest: xxh3.Hash(in)}, nil
	}}, nil
}
