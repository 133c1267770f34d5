package leakcheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { Main(m) }

func TestCheckFindsEachLeak(t *testing.T) {
	before := goleak.IgnoreCurrent()
	tmp := t.TempDir()
	if got := check(tmp, before); len(got) != 0 {
		t.Fatalf("nothing leaked, but check says %v", got)
	}

	stop := make(chan struct{})
	go func() { <-stop }()
	os.WriteFile(filepath.Join(tmp, "left.txt"), nil, 0o644)
	cmd := exec.Command("sleep", "10")
	if err := cmd.Start(); err != nil {
		t.Skip("no sleep command:", err)
	}
	got := strings.Join(check(tmp, before), "\n")
	for _, want := range []string{"found unexpected goroutines", "child processes left running", "left.txt"} {
		if !strings.Contains(got, want) {
			t.Errorf("check missed %q:\n%s", want, got)
		}
	}
	close(stop)
	cmd.Process.Kill()
	cmd.Wait()
	os.Remove(filepath.Join(tmp, "left.txt"))
	if got := check(tmp, before); len(got) != 0 {
		t.Errorf("after cleaning up, check says %v", got)
	}
}

func TestChildren(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	cmd := exec.Command("sleep", "10")
	if err := cmd.Start(); err != nil {
		t.Skip("no sleep command:", err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	if got := Children(os.Getpid()); !slices.Contains(got, cmd.Process.Pid) {
		t.Errorf("Children = %v, want it to hold %d", got, cmd.Process.Pid)
	}
}
