package leakcheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

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

// TestSleepHelper is the test binary that TestSignalRemovesFolder stops.
func TestSleepHelper(t *testing.T) {
	if os.Getenv("LEAKCHECK_TEST_SLEEP") == "" {
		t.Skip("run by TestSignalRemovesFolder")
	}
	os.WriteFile(filepath.Join(os.TempDir(), "made-by-a-test"), nil, 0o644)
	time.Sleep(time.Minute)
}

// TestSignalRemovesFolder stops a test binary with SIGINT and SIGTERM:
// its temporary folder goes with it, and it exits 128 plus the signal.
func TestSignalRemovesFolder(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		tmp := t.TempDir()
		cmd := exec.Command(exe, "-test.run=^TestSleepHelper$")
		cmd.Env = append(os.Environ(), "LEAKCHECK_TEST_SLEEP=1", "TMPDIR="+tmp)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
			if m, _ := filepath.Glob(filepath.Join(tmp, "leakcheck-*", "made-by-a-test")); len(m) > 0 {
				break
			}
			if time.Since(start) > time.Minute {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatal("the helper never started its test")
			}
		}
		cmd.Process.Signal(sig)
		cmd.Wait()
		if code := cmd.ProcessState.ExitCode(); code != 128+int(sig) {
			t.Errorf("%v: exit %d, want %d", sig, code, 128+int(sig))
		}
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Errorf("%v: left %v in TMPDIR", sig, left)
		}
	}
}
