package workloads

import (
	"context"
	"fmt"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// Zstd compresses each input with klauspost/compress's zstd encoder.
type Zstd struct {
	Size  int    // input bytes per task
	Level string // fastest, default, better or best
}

var zstdLevels = []string{"fastest", "default", "better", "best"}

func (*Zstd) Kind() Kind { return CPU }

func (w *Zstd) Params() []Param {
	return []Param{
		sizeParam(&w.Size),
		{"level", "encoder level", choiceValue{&w.Level, zstdLevels}},
	}
}

func (w *Zstd) Shrink() { w.Size = 64 << 10 }

func (w *Zstd) Prepare(context.Context) (*Prepared, error) {
	ok, level := zstd.EncoderLevelFromString(w.Level)
	if !ok {
		return nil, fmt.Errorf("level=%q: want one of %s", w.Level, strings.Join(zstdLevels, ", "))
	}
	return compressTask(w.Size, func() (encoder, error) {
		// One goroutine per encoder: the model, not the codec, decides
		// how much runs in parallel.
		enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(level), zstd.WithEncoderConcurrency(1))
		return &zstdEncoder{enc: enc}, err
	})
}

type zstdEncoder struct {
	enc *zstd.Encoder
	out []byte
}

func (z *zstdEncoder) encode(src []byte) ([]byte, error) {
	z.out = z.enc.EncodeAll(src, z.out[:0])
	return z.out, nil
}
