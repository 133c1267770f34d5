// Package resultfile writes results files so that a reader never sees half
// of one and a run never replaces another's: the text goes to a temporary
// file in the destination directory, is synced, and is then linked into
// place under a name that no other file has.
package resultfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// A File is a results file being written. Its contents become visible only
// at Commit; Abort (or a crash) leaves at most a hidden temporary file.
type File struct {
	*os.File
	dir, name string
}

// Create starts a results file that Commit will publish as dir/name, or as
// dir/name with ".2", ".3"… before its extension if that name is taken.
func Create(dir, name string) (*File, error) {
	if name == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") {
		return nil, fmt.Errorf("results file name %q: want a plain file name", name)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, ".tmp-"+name+"-*")
	if err != nil {
		return nil, err
	}
	// CreateTemp makes the file private; a published result is not.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &File{File: f, dir: dir, name: name}, nil
}

// Commit syncs the file and gives it its final name, which it returns. An
// existing file is never replaced: linking fails if the name exists, and the
// next free name is tried instead.
func (f *File) Commit() (string, error) {
	tmp := f.File.Name()
	defer os.Remove(tmp)
	if err := f.Sync(); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	ext := filepath.Ext(f.name)
	stem := strings.TrimSuffix(f.name, ext)
	for n := 1; n < 10000; n++ {
		name := f.name
		if n > 1 {
			name = fmt.Sprintf("%s.%d%s", stem, n, ext)
		}
		path := filepath.Join(f.dir, name)
		err := os.Link(tmp, path)
		if err == nil {
			return path, syncDir(f.dir)
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("no free name for %s in %s", f.name, f.dir)
}

// Abort discards the file.
func (f *File) Abort() {
	f.Close()
	os.Remove(f.File.Name())
}

// syncDir makes the new directory entry durable, where the filesystem
// allows; the file's own contents are already synced.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}
