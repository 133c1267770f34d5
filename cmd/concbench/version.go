package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
)

// A build is what the binary knows of its own build, from the build
// information that go build and go install stamp into it. It never asks
// the git repository of the working directory, which may be another
// project's.
type build struct {
	Version  string // the main module's version: "(devel)" for a build from a clone, a tag or pseudo-version for go install m@v
	Revision string // vcs.revision, the full commit hash; empty when not stamped
	Time     string // vcs.time, the commit's time; empty when not stamped
	Modified bool   // vcs.modified: the tree had uncommitted changes
	Go       string // the Go version that built it
}

// thisBuild returns the running binary's build information.
func thisBuild() build {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return build{Go: runtime.Version()}
	}
	return buildOf(bi)
}

// buildOf reads bi's version and version control settings.
func buildOf(bi *debug.BuildInfo) build {
	b := build{Version: bi.Main.Version, Go: bi.GoVersion}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// Commit names the commit the binary was built from, as results files
// record it: the first 12 digits of vcs.revision, with "-dirty" when the
// tree had uncommitted changes; else, for a binary that go install built
// from a module version, the commit of a pseudo-version or the version
// itself; else "unknown".
func (b build) Commit() string {
	switch {
	case b.Revision != "":
		c := b.Revision[:min(12, len(b.Revision))]
		if b.Modified {
			c += "-dirty"
		}
		return c
	case b.Version == "" || b.Version == "(devel)":
		return "unknown"
	}
	if m := pseudoVersion.FindStringSubmatch(b.Version); m != nil {
		return m[1]
	}
	return b.Version
}

// pseudoVersion matches the end of a Go module pseudo-version, such as
// v0.0.0-20261201184331-00920d470544, and captures its commit.
var pseudoVersion = regexp.MustCompile(`^v\d+\.\d+\.\d+-(?:.+\.)?\d{14}-([0-9a-f]{12})(?:\+incompatible)?$`)

// runVersion is concbench version.
func runVersion(_ context.Context, stdout, _ io.Writer, args []string) error {
	fs := newFlagSet("version")
	format := fs.String("format", formatText, "output `format`: text, or json for scripts")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: concbench version [-format json]\n\nPrints the version and commit this binary was built from, as results files\nrecord them, and the Go version that built it.\n\nFlags:")
		printFlags(fs)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format, formatText, formatJSON); err != nil {
		return err
	}
	b := thisBuild()
	if *format == formatJSON {
		return writeJSON(stdout, struct {
			Version    string `json:"version"`
			Commit     string `json:"commit"`
			Revision   string `json:"revision,omitempty"`
			CommitTime string `json:"commit_time,omitempty"`
			Modified   bool   `json:"modified"`
			Go         string `json:"go"`
			OS         string `json:"os"`
			Arch       string `json:"arch"`
		}{b.Version, b.Commit(), b.Revision, b.Time, b.Modified, b.Go, runtime.GOOS, runtime.GOARCH})
	}
	_, err := fmt.Fprint(stdout, b.describe())
	return err
}

// describe returns b as concbench version prints it: key: value lines.
func (b build) describe() string {
	var s strings.Builder
	version := b.Version
	if version == "" {
		version = "unknown"
	}
	fmt.Fprintf(&s, "concbench %s\n", version)
	fmt.Fprintf(&s, "commit: %s\n", b.Commit())
	if b.Time != "" {
		fmt.Fprintf(&s, "commit-time: %s\n", b.Time)
	}
	fmt.Fprintf(&s, "go: %s %s/%s\n", b.Go, runtime.GOOS, runtime.GOARCH)
	return s.String()
}
