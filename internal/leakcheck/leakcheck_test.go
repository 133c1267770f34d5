package leakcheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
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

// TestSignalRemovesFolder stops a test binary with SIGINT and SIGTERM,
// which leaves its folder; the next test binary to start removes it, and
// leaves alone the folder of one still running.
func TestSignalRemovesFolder(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		tmp := t.TempDir()
		live := filepath.Join(tmp, prefix+strconv.Itoa(os.Getpid())+"-1")
		if err := os.Mkdir(live, 0o755); err != nil {
			t.Fatal(err)
		}
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
		next := exec.Command(exe, "-test.run=^$")
		next.Env = append(os.Environ(), "TMPDIR="+tmp)
		if out, err := next.CombinedOutput(); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		left, _ := os.ReadDir(tmp)
		if len(left) != 1 || left[0].Name() != filepath.Base(live) {
			t.Errorf("%v: TMPDIR holds %v after the next run, want only the live folder %s", sig, left, filepath.Base(live))
		}
	}
}
