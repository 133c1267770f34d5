package workloads

import (
	"context"

	"github.com/klauspost/compress/gzip"
)

// Gzip compresses each input with klauspost/compress's gzip, a faster
// drop-in for the standard library's.
type Gzip struct {
	Size  int // input bytes per task
	Level int // 1 (fastest) to 9 (best); 0 means the default, 6
}

func (*Gzip) Kind() Kind { return CPU }

func (w *Gzip) Params() []Param {
	return []Param{sizeParam(&w.Size), {"level", "compression level, 0 for the default", intValue{&w.Level, 0, 9}}}
}

func (w *Gzip) Shrink() { w.Size = 64 << 10 }

func (w *Gzip) Prepare(context.Context) (*Prepared, error) {
	level := w.Level
	if level == 0 {
		level = gzip.DefaultCompression
	}
	return compressTask(w.Size, func() (encoder, error) {
		zw, err := gzip.NewWriterLevel(nil, level)
		return &streamEncoder{w: zw}, err
	})
}
