// Package resultfile writes results files so that a reader never sees half
// of one and a run never replaces another's: the text goes to a temporary
// file in the destination directory, is synced, and is then linked into
// place under a name that no other file has. A write that fails (a full
// disk) fails the commit too, so a short file is never published.
package resultfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// A File is a results file being written. Its contents become visible only
// at Commit; Abort (or a crash) leaves at most a hidden temporary file,
// which the next Create in that directory removes once its writer is gone.
// A File is not safe for concurrent use.
type File struct {
	f         *os.File
	dir, name string
	err       error // the first write error; Commit refuses to publish after one
}

// tmpPrefix starts every temporary file's name; the writer's process ID
// follows it, so that a later run can tell a dead writer's file from a
// live one's.
const tmpPrefix = ".tmp-"

// Create starts a results file that Commit will publish as dir/name, or as
// dir/name with ".2", ".3"… before its extension if that name is taken.
// It first removes the temporary files that writers no longer running left
// in dir.
func Create(dir, name string) (*File, error) {
	if name == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") {
		return nil, fmt.Errorf("results file name %q: want a plain file name", name)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	RemoveStale(dir)
	f, err := os.CreateTemp(dir, tmpPrefix+strconv.Itoa(os.Getpid())+"-"+name+"-*")
	if err != nil {
		return nil, err
	}
	// CreateTemp makes the file private; a published result is not.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &File{f: f, dir: dir, name: name}, nil
}

// Path returns where the file will be published, before any renaming to a
// free name: what an error message should name.
func (f *File) Path() string { return filepath.Join(f.dir, f.name) }

// Write writes p to the file. After the first error every Write fails
// with it, and so does Commit.
func (f *File) Write(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	n, err := f.f.Write(p)
	if err != nil {
		f.err = fmt.Errorf("writing %s: %w; nothing saved", f.Path(), err)
	}
	return n, f.err
}

// WriteString writes s to the file, as Write does.
func (f *File) WriteString(s string) (int, error) { return f.Write([]byte(s)) }

// Err returns the first write error, or nil.
func (f *File) Err() error { return f.err }

// Commit syncs the file and gives it its final name, which it returns. An
// existing file is never replaced: linking fails if the name exists, and the
// next free name is tried instead. After a failed Write, Commit discards
// the file and returns that error.
func (f *File) Commit() (string, error) {
	tmp := f.f.Name()
	defer os.Remove(tmp)
	if f.err != nil {
		f.f.Close()
		return "", f.err
	}
	if err := f.f.Sync(); err != nil {
		f.f.Close()
		return "", fmt.Errorf("writing %s: %w; nothing saved", f.Path(), err)
	}
	if err := f.f.Close(); err != nil {
		return "", fmt.Errorf("writing %s: %w; nothing saved", f.Path(), err)
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
	f.f.Close()
	os.Remove(f.f.Name())
}

// RemoveStale removes the temporary files in dir whose writer process is
// no longer running, and returns their names. A file whose name carries no
// process ID, or a live one, is left alone: it may still be being written.
func RemoveStale(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		pid, ok := writerPID(e.Name())
		if !ok || !e.Type().IsRegular() || alive(pid) {
			continue
		}
		if os.Remove(filepath.Join(dir, e.Name())) == nil {
			removed = append(removed, e.Name())
		}
	}
	return removed
}

// writerPID reads the process ID from a temporary file's name.
func writerPID(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, tmpPrefix)
	if !ok {
		return 0, false
	}
	digits, _, ok := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(digits)
	return pid, ok && err == nil && pid > 0
}

// alive reports whether process pid exists. Signal 0 checks without
// sending anything; EPERM means it exists under another user.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
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
