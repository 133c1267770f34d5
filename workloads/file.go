package workloads

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/zeebo/xxh3"
)

// File writes a file per task, reads it back and removes it, in a directory
// that Prepare makes for the run and Close removes. The directory is opened
// with os.Root, so no name can reach outside it. A task removes its file
// whatever happens, so a run, even a cancelled one, leaves nothing behind.
//
// No parameter sets how long a task waits: the device does. Prepare runs a
// few tasks alone and takes the fastest as the workload's Latency.
//
// With Uncached, each file's pages are dropped from the page cache once
// they are on the device (posix_fadvise POSIX_FADV_DONTNEED after the
// fsync), so that the read-back reaches the device rather than memory. A
// file system that keeps files in memory (tmpfs) keeps them all the same:
// the results file's file-fs line says which one ran.
type File struct {
	Size     int    // bytes per file
	Fsync    bool   // sync each file to its device before reading it back; false: the page cache absorbs the write
	Dir      string // where the run's directory is made; empty: os.TempDir()
	Uncached bool   // drop each file from the page cache before reading it back; needs Fsync
}

func (*File) Kind() Kind { return IO }

func (w *File) Params() []Param {
	return []Param{
		ioSizeParam(&w.Size, "bytes per file"),
		{"fsync", "sync each file to its device before reading it back", boolValue{&w.Fsync}},
		{"dir", "directory in which each run makes its own; empty for the system's temporary directory", stringValue{&w.Dir}},
		{"uncached", "drop each file from the page cache once synced (posix_fadvise DONTNEED), so that the read-back reaches the device; needs fsync=true", boolValue{&w.Uncached}},
	}
}

// Shrink keeps the tests quick: 4 KiB files.
func (w *File) Shrink() { w.Size = 4 << 10 }

// calibrationRuns is how many tasks Prepare times, alone, for Latency.
const calibrationRuns = 5

func (w *File) Prepare(ctx context.Context) (*Prepared, error) {
	if err := checkIO(w.Size); err != nil {
		return nil, err
	}
	if w.Uncached && !w.Fsync {
		return nil, errors.New("uncached=true needs fsync=true: the page cache drops only pages already on the device")
	}
	if w.Uncached && !canDropCache {
		return nil, errors.New("uncached=true: this system has no posix_fadvise to drop a file from the page cache")
	}
	lab, err := w.start()
	if err != nil {
		return nil, err
	}
	latency, err := lab.calibrate(ctx)
	if err != nil {
		return nil, errors.Join(err, lab.store.close())
	}
	return &Prepared{Task: lab.task, Close: lab.store.close, Latency: latency}, nil
}

// A fileLab is a prepared File workload.
type fileLab struct {
	store  *fileStore
	window func(int) []byte
	size   int
	fsync  bool
	drop   bool          // drop each file from the page cache before reading it
	seq    atomic.Uint64 // makes file names unique across batches run at once
	bufs   *freeList[*fileBuffers]
}

// fileBuffers are one task's buffers: what it writes and what it reads back.
type fileBuffers struct {
	data []byte
	back bytes.Buffer
}

func (w *File) start() (*fileLab, error) {
	store, err := openStore(w.Dir, "concbench-file-")
	if err != nil {
		return nil, err
	}
	return &fileLab{
		store:  store,
		window: inputs(w.Size),
		size:   w.Size,
		fsync:  w.Fsync,
		drop:   w.Uncached,
		bufs:   newFreeList(func() (*fileBuffers, error) { return new(fileBuffers), nil }),
	}, nil
}

func (l *fileLab) task(ctx context.Context, i int) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	b, _ := l.bufs.get()
	defer l.bufs.put(b)
	b.data = appendBody(b.data[:0], l.window, l.size, i)
	name := "task-" + strconv.Itoa(i) + "-" + strconv.FormatUint(l.seq.Add(1), 10)
	if err := WaitIO(ctx, func() error { return l.roundTrip(ctx, name, b) }); err != nil {
		return Result{}, err
	}
	if !bytes.Equal(b.back.Bytes(), b.data) {
		return Result{}, fmt.Errorf("file %s: read back %d bytes that differ from the %d written", name, b.back.Len(), len(b.data))
	}
	return Result{Bytes: int64(b.back.Len()), Digest: xxh3.Hash(b.back.Bytes())}, nil
}

// roundTrip writes b.data to name, reads it back into b.back, and removes
// the file, also when a step fails or ctx ends in between. It is all IO: the
// task marks it with WaitIO.
func (l *fileLab) roundTrip(ctx context.Context, name string, b *fileBuffers) error {
	if err := l.store.write(name, b.data, l.fsync, l.drop); err != nil {
		return errors.Join(err, l.store.discard(name))
	}
	err := ctx.Err()
	if err == nil {
		b.back.Grow(len(b.data))
		err = l.store.read(name, &b.back)
	}
	return errors.Join(err, l.store.remove(name))
}

// calibrate returns the fastest of a few tasks run alone: the least time a
// task takes on this device.
func (l *fileLab) calibrate(ctx context.Context) (time.Duration, error) {
	var best time.Duration
	for i := range calibrationRuns {
		t0 := time.Now()
		if _, err := l.task(ctx, i); err != nil {
			return 0, fmt.Errorf("timing a task alone: %w", err)
		}
		if took := time.Since(t0); i == 0 || took < best {
			best = took
		}
	}
	return best, nil
}

// A fileStore is a directory made for one run and opened with os.Root:
// every name resolves inside it, so a name that tries to leave it (../x, an
// absolute path, a symbolic link that points out) is an error rather than a
// file somewhere else. Its methods are where a task waits on the file
// system.
type fileStore struct {
	dir  string
	root *os.Root
}

// openStore makes a new directory in parent (empty: os.TempDir()) whose
// name starts with prefix, and opens it.
func openStore(parent, prefix string) (*fileStore, error) {
	dir, err := os.MkdirTemp(parent, prefix)
	if err != nil {
		return nil, fmt.Errorf("making the run's directory: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, errors.Join(err, os.Remove(dir))
	}
	return &fileStore{dir: dir, root: root}, nil
}

// write creates name, which must not exist yet, holding data, and syncs it
// to the device when fsync is set; then, when drop is set, drops its pages
// from the page cache.
func (s *fileStore) write(name string, data []byte, fsync, drop bool) error {
	f, err := s.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil && fsync {
		err = f.Sync()
	}
	if err == nil && drop {
		err = dropCache(f)
	}
	return errors.Join(err, f.Close())
}

// read reads all of name into buf.
func (s *fileStore) read(name string, buf *bytes.Buffer) error {
	f, err := s.root.Open(name)
	if err != nil {
		return err
	}
	buf.Reset()
	_, err = buf.ReadFrom(f)
	return errors.Join(err, f.Close())
}

func (s *fileStore) remove(name string) error { return s.root.Remove(name) }

// discard removes name if it exists: what a failed write may have left.
func (s *fileStore) discard(name string) error {
	if err := s.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// close removes the directory and whatever is still in it.
func (s *fileStore) close() error {
	return errors.Join(s.root.Close(), os.RemoveAll(s.dir))
}
