package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/bench"
)

// TestInstalledBinary does what a user does with go install: it builds the
// command from a copy of this module committed to a new git repository, so
// that the build stamps a commit this test knows, copies the binary to an
// empty directory outside any module, and runs version, bench -profile
// smoke and report there, with no go command on PATH. The results file and
// the page record the binary's commit.
func TestInstalledBinary(t *testing.T) {
	for _, tool := range []string{"go", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s command", tool)
		}
	}
	start := time.Now()
	src := copyModule(t, filepath.Join("..", ".."))
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=concbench", "-c", "user.email=concbench@example.invalid", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = src
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-q", "-m", "concbench under test")
	want := git("rev-parse", "HEAD")[:12]

	// -buildvcs=true: a go build from a clone stamps the commit unless told
	// not to, and this machine's GOFLAGS may tell it not to.
	built := filepath.Join(t.TempDir(), "concbench")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", built, "./cmd/concbench")
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built in %v", time.Since(start))
	dir := t.TempDir() // empty, and outside the module
	bin := filepath.Join(dir, "concbench")
	copyFile(t, built, bin, 0o755)

	concbench := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PATH="+pathWithout(t, "go"))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("concbench %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return stdout.String()
	}

	version := concbench("version")
	for _, line := range []string{"commit: " + want + "\n", "\ngo: " + runtime.Version() + " "} {
		if !strings.Contains(version, line) {
			t.Errorf("concbench version printed:\n%s\nwant a line %q", version, line)
		}
	}

	file := strings.TrimSpace(concbench("bench", "-profile", "smoke", "-q"))
	if !strings.HasPrefix(file, "results"+string(filepath.Separator)) {
		t.Fatalf("bench printed %q, want the results file under results/", file)
	}
	text, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	results := regexp.MustCompile(`(?m)^Benchmark`).FindAll(text, -1)
	// The Python harness, embedded in the binary, runs too where python3
	// is on PATH, or says why it did not.
	python := regexp.MustCompile(`(?m)^BenchmarkPython/`).FindAll(text, -1)
	if n := len(bench.Names(true)); len(results)-len(python) != n {
		t.Errorf("%s holds %d Go results, want one of each of the %d benchmarks", file, len(results)-len(python), n)
	}
	for _, line := range []string{"\ncommit: " + want + "\n", "\nprofile: smoke\n", "\ninstrumented: none\n", "\npkg: " + benchPkg + "\n", "\nPASS\n", "\npython: "} {
		if !bytes.Contains(text, []byte(line)) {
			t.Errorf("%s lacks the line %q", file, strings.TrimSpace(line))
		}
	}

	t.Logf("smoke run done at %v", time.Since(start))
	concbench("report", "-o", "report", filepath.Dir(file))
	page, err := os.ReadFile(filepath.Join(dir, "report", filepath.Base(filepath.Dir(file)), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte(want)) {
		t.Errorf("the page does not name commit %s:\n%s", want, page)
	}
}

// copyModule copies the module at root, all but its published results,
// into a new directory, and returns it.
func copyModule(t *testing.T, root string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		switch {
		case d.IsDir() && (rel == "results" || rel == "build" || strings.HasPrefix(d.Name(), ".")) && rel != ".":
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		case d.Type().IsRegular() && d.Name() != ".git":
			info, err := d.Info()
			if err != nil {
				return err
			}
			copyFile(t, path, filepath.Join(dst, rel), info.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func copyFile(t *testing.T, from, to string, perm os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, perm); err != nil {
		t.Fatal(err)
	}
}

// pathWithout returns PATH without the directories that hold tool.
func pathWithout(t *testing.T, tool string) string {
	t.Helper()
	var keep []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, tool)); err == nil {
			continue
		}
		keep = append(keep, d)
	}
	return strings.Join(keep, string(filepath.ListSeparator))
}
