package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden from what the code draws now")

// goldenDir holds the expected charts and pages, byte for byte.
var goldenDir = filepath.Join("testdata", "golden")

// golden compares got with the golden file name under testdata/golden. On
// a mismatch it writes got next to it, as name with .got before its
// extension, so that the two can be opened side by side, and shows the
// line diff of text files; go test -update rewrites the golden instead.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	ext := filepath.Ext(name)
	gotPath := strings.TrimSuffix(path, ext) + ".got" + ext
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Remove(gotPath)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; go test -update writes it", err)
	}
	if bytes.Equal(got, want) {
		os.Remove(gotPath) // from an earlier failure
		return
	}
	if err := os.WriteFile(gotPath, got, 0o644); err != nil {
		t.Fatal(err)
	}
	diff := ""
	if ext == ".md" {
		diff = ":\n" + cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n"))
	}
	t.Errorf("%s differs from %s (-want +got); compare the two, and if the change is intended run go test -update and commit the golden%s", gotPath, path, diff)
}
