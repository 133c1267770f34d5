package workloads

import (
	"compress/gzip"
	"context"
)

// StdGzip compresses each input with the standard library's compress/gzip:
// the baseline the other codecs are read against.
type StdGzip struct {
	Size  int // input bytes per task
	Level int // 1 (fastest) to 9 (best); 0 means the default, 6
}

func (*StdGzip) Kind() Kind { return CPU }

func (w *StdGzip) Params() []Param {
	return []Param{sizeParam(&w.Size), {"level", "compression level, 0 for the default", intValue{&w.Level, 0, 9}}}
}

func (w *StdGzip) Shrink() { w.Size = 64 << 10 }

func (w *StdGzip) Prepare(context.Context) (*Prepared, error) {
	level := w.Level
	if level == 0 {
		level = gzip.DefaultCompression
	}
	return compressTask(w.Size, func() (encoder, error) {
		zw, err := gzip.NewWriterLevel(nil, level)
		return &streamEncoder{w: zw}, err
	})
}
