package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// pageHeader starts every page and index that report writes: how it
// recognises a README.md it may replace.
const pageHeader = "<!-- Written by concbench report from the results files beside it; it rewrites this file on each run. -->\n"

// legacyHeading starts the pages concbench wrote before pageHeader.
const legacyHeading = "# concbench results"

// A NotOwnedError refuses to replace a file that report did not write.
type NotOwnedError struct {
	Path string
	Why  string
}

func (e *NotOwnedError) Error() string {
	return fmt.Sprintf("%s: not replaced: %s; concbench report replaces only the pages and charts it wrote (choose another -o, or move the file away)", e.Path, e.Why)
}

// ownsPage reports whether path is absent or a page (Markdown or HTML)
// that report wrote.
func ownsPage(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return &NotOwnedError{path, "not a regular file"}
	}
	first, _ := bufio.NewReader(io.LimitReader(f, 4096)).ReadString('\n')
	if first == pageHeader || first == htmlHeader || strings.HasPrefix(first, legacyHeading) {
		return nil
	}
	return &NotOwnedError{path, "it does not start with the header concbench writes"}
}

// ownsFolder reports whether report may replace files in dir: it may when
// dir's README.md is a page it wrote. Where it is not, report only adds
// files that do not exist yet.
func ownsFolder(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, "README.md"))
	return err == nil && ownsPage(filepath.Join(dir, "README.md")) == nil
}

// A stage is a set of files written under temporary names and given their
// final names together, so that a failed write (a full disk) publishes
// none of them and leaves no temporary file.
type stage struct {
	owned bool     // whether files that exist may be replaced
	tmps  []string // temporary files, in order of add
	paths []string // their final names
}

// add writes w to a temporary file beside path.
func (s *stage) add(path string, w io.WriterTo) error {
	if !s.owned {
		if _, err := os.Lstat(path); err == nil {
			return &NotOwnedError{path, "it exists in a folder whose README.md concbench did not write"}
		}
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+strconv.Itoa(os.Getpid())+"-"+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	s.tmps = append(s.tmps, f.Name())
	s.paths = append(s.paths, path)
	_, err = w.WriteTo(f)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w; nothing of this page saved", path, err)
	}
	return nil
}

// commit renames every file into place.
func (s *stage) commit() error {
	for i, tmp := range s.tmps {
		if err := os.Rename(tmp, s.paths[i]); err != nil {
			s.tmps = s.tmps[i:]
			s.abort()
			return err
		}
	}
	s.tmps = nil
	return nil
}

// abort removes the temporary files.
func (s *stage) abort() {
	for _, tmp := range s.tmps {
		os.Remove(tmp)
	}
	s.tmps = nil
}
