package workloads

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
)

// SHA256 hashes each input with crypto/sha256, which uses the CPU's SHA
// instructions where it has them.
type SHA256 struct {
	Size int // input bytes per task
}

func (*SHA256) Kind() Kind { return CPU }

func (w *SHA256) Params() []Param { return []Param{sizeParam(&w.Size)} }

func (w *SHA256) Shrink() { w.Size = 64 << 10 }

func (w *SHA256) Prepare(context.Context) (*Prepared, error) {
	if err := checkSize(w.Size); err != nil {
		return nil, err
	}
	input := inputs(w.Size)
	return &Prepared{Task: func(_ context.Context, i int) (Result, error) {
		in := input(i)
		sum := sha256.Sum256(in)
		return Result{Bytes: int64(len(in)), Digest: binary.LittleEndian.Uint64(sum[:])}, nil
	}}, nil
}
