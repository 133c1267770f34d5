package main

import (
	"encoding/json"
	"errors"
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuildCommit(t *testing.T) {
	const rev = "00920d4705445474721b9256c72f076721a74122"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	for _, tc := range []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"clone", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("false")}, "00920d470544"},
		{"dirty clone", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("true")}, "00920d470544-dirty"},
		{"go install at a pseudo-version", debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201184331-00920d470544"}}, "00920d470544"},
		{"go install after a tag", debug.BuildInfo{Main: debug.Module{Version: "v1.2.4-0.20261201184331-00920d470544"}}, "00920d470544"},
		{"go install at a tag", debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{"no version control", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "unknown"},
		{"test binary", debug.BuildInfo{}, "unknown"},
	} {
		if got := buildOf(&tc.bi).Commit(); got != tc.want {
			t.Errorf("%s: commit %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestVersionCommand(t *testing.T) {
	stdout, _, err := runCmd(t, "version")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if !strings.HasPrefix(lines[0], "concbench ") || !strings.Contains(stdout, "\ncommit: "+thisBuild().Commit()+"\n") || !strings.HasPrefix(lines[len(lines)-1], "go: go") {
		t.Errorf("concbench version printed:\n%s", stdout)
	}
	if again, _, err := runCmd(t, "--version"); err != nil || again != stdout {
		t.Errorf("--version: err %v, printed %q, want what version prints", err, again)
	}
	stdout, _, err = runCmd(t, "version", "-format", "json")
	var got struct{ Commit, Go string }
	if err != nil || json.Unmarshal([]byte(stdout), &got) != nil || got.Commit != thisBuild().Commit() || !strings.HasPrefix(got.Go, "go") {
		t.Errorf("version -format json: err %v, printed:\n%s", err, stdout)
	}
	for _, args := range [][]string{{"version", "extra"}, {"version", "-format", "csv"}} {
		if _, _, err := runCmd(t, args...); !errors.As(err, new(usageError)) {
			t.Errorf("%v: err %v, want a usage error", args, err)
		}
	}
}
