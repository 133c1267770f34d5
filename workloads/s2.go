package workloads

import (
	"context"

	"github.com/klauspost/compress/s2"
)

// S2 compresses each input as one S2 block (klauspost/compress), the
// Snappy-compatible codec built for speed.
type S2 struct {
	Size int // input bytes per task
}

func (*S2) Kind() Kind { return CPU }

func (w *S2) Params() []Param { return []Param{sizeParam(&w.Size)} }

func (w *S2) Shrink() { w.Size = 64 << 10 }

func (w *S2) Prepare(context.Context) (*Prepared, error) {
	return compressTask(w.Size, func() (encoder, error) { return &s2Encoder{}, nil })
}

type s2Encoder struct{ out []byte }

func (s *s2Encoder) encode(src []byte) ([]byte, error) {
	if n := s2.MaxEncodedLen(len(src)); cap(s.out) < n {
		s.out = make([]byte, n)
	}
	return s2.Encode(s.out[:cap(s.out)], src), nil
}
