package procmem

import (
	"os"
	"os/exec"
	"runtime"
	"slices"
	"testing"
)

func TestOf(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc")
	}
	before, err := Of(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if before.Pss < 1<<20 || before.Threads < 1 {
		t.Errorf("usage %+v: a Go test binary holds more than a MiB and a thread", before)
	}
	cmd := exec.Command("sleep", "5")
	if err := cmd.Start(); err != nil {
		t.Skip(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	if !slices.Contains(Children(os.Getpid()), cmd.Process.Pid) {
		t.Fatalf("Children misses %d", cmd.Process.Pid)
	}
	with, err := Of(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if with.Children != 1 || with.Threads <= before.Threads {
		t.Errorf("with a child: %+v, before %+v", with, before)
	}
}

func TestMissing(t *testing.T) {
	if _, err := Pss(-1); err == nil {
		t.Error("Pss(-1) gave no error")
	}
}
