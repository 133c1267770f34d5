package workloads

import (
	"context"
	"fmt"
	"io"

	"github.com/zeebo/xxh3"
)

// maxSize bounds per-task input: the corpus holds windows of it.
const maxSize = 64 << 20

// sizeParam is the size parameter that every CPU workload has.
func sizeParam(p *int) Param {
	return Param{"size", "input bytes per task", sizeValue{p, maxSize}}
}

// checkSize rejects a size that Set would have rejected, for workloads
// configured through their struct fields.
func checkSize(size int) error {
	if size < 1 || size > maxSize {
		return fmt.Errorf("size=%d: want 1 to %s", size, FormatSize(maxSize))
	}
	return nil
}

// An encoder compresses one input at a time into a buffer it owns and
// reuses, so a task allocates nothing in steady state.
type encoder interface {
	encode(src []byte) ([]byte, error)
}

// compressTask returns a task that compresses input i with an encoder from
// a free list. Compressors are built once and reused: a fresh zstd encoder
// allocates megabytes, and a benchmark that built one per task would
// measure the allocator rather than the codec.
func compressTask(size int, newEncoder func() (encoder, error)) (*Prepared, error) {
	if err := checkSize(size); err != nil {
		return nil, err
	}
	input := inputs(size)
	free := newFreeList(newEncoder)
	// Build one now, so a bad option fails in Prepare rather than in a task.
	e, err := free.get()
	if err != nil {
		return nil, err
	}
	free.put(e)
	return &Prepared{Task: func(ctx context.Context, i int) (Result, error) {
		e, err := free.get()
		if err != nil {
			return Result{}, err
		}
		defer free.put(e)
		in := input(i)
		out, err := e.encode(in)
		if err != nil {
			return Result{}, err
		}
		return Result{Bytes: int64(len(in)), Digest: xxh3.Hash(out)}, nil
	}}, nil
}

// A freeList keeps idle values for reuse. Unlike sync.Pool it never drops
// them at a garbage collection, so steady state allocates nothing; it grows
// to the highest concurrency seen.
type freeList[T any] struct {
	idle chan T
	new  func() (T, error)
}

func newFreeList[T any](new func() (T, error)) *freeList[T] {
	return &freeList[T]{idle: make(chan T, 1024), new: new}
}

func (f *freeList[T]) get() (T, error) {
	select {
	case v := <-f.idle:
		return v, nil
	default:
		return f.new()
	}
}

func (f *freeList[T]) put(v T) {
	select {
	case f.idle <- v:
	default:
	}
}

// appendWriter is an io.Writer that appends to a reusable slice.
type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// streamEncoder adapts a resettable stream compressor, such as a gzip
// writer, to encoder.
type streamEncoder struct {
	w interface {
		io.WriteCloser
		Reset(io.Writer)
	}
	out appendWriter
}

func (s *streamEncoder) encode(src []byte) ([]byte, error) {
	s.out.b = s.out.b[:0]
	s.w.Reset(&s.out)
	if _, err := s.w.Write(src); err != nil {
		return nil, err
	}
	if err := s.w.Close(); err != nil {
		return nil, err
	}
	return s.out.b, nil
}
