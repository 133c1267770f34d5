package sysinfo

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestParseStat(t *testing.T) {
	busy, steal, ok := parseStat("cpu  86431 11773 31231 52419 493 0 361 861 0 0")
	if !ok || busy != (86431+11773+31231)*clockTick || steal != 861*clockTick {
		t.Errorf("busy %v steal %v ok %v", busy, steal, ok)
	}
	for _, bad := range []string{"", "cpu0 1 2 3 4 5 6 7 8", "cpu 1 2 x 4 5 6 7 8"} {
		if _, _, ok := parseStat(bad); ok {
			t.Errorf("parseStat(%q) ok", bad)
		}
	}
}

func TestParsePressure(t *testing.T) {
	if p := parsePressure("some avg10=95.09 avg60=84.97 avg300=64.54 total=432964543\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"); p != 95.09 {
		t.Errorf("pressure %v, want 95.09", p)
	}
	if p := parsePressure("garbage"); p != -1 {
		t.Errorf("pressure of garbage %v, want -1", p)
	}
}

func TestSince(t *testing.T) {
	t0 := time.Unix(0, 0)
	prev := Load{At: t0, Busy: 10 * time.Second, Steal: time.Second, OK: true}
	now := Load{At: t0.Add(time.Second), Busy: 11500 * time.Millisecond, Steal: 1200 * time.Millisecond, Pressure: 12, OK: true}
	// We used 1 s of the 1.5 s busy: others used half a core.
	got := now.Since(prev, time.Second)
	if math.Abs(got.Others-0.5) > 1e-9 || math.Abs(got.Steal-0.2) > 1e-9 || got.Pressure != 12 {
		t.Errorf("Since = %+v, want others 0.5, steal 0.2", got)
	}
	// Our own CPU can read above the machine's 10 ms ticks: never below 0.
	if got := now.Since(prev, 2*time.Second); got.Others != 0 {
		t.Errorf("others %v, want 0", got.Others)
	}
	if got := now.Since(Load{}, 0); got.Others != 0 || got.Steal != 0 {
		t.Errorf("from a failed reading: %+v", got)
	}
}

func TestCaches(t *testing.T) {
	dir := t.TempDir()
	for i, c := range [][3]string{{"1", "Data", "32K"}, {"1", "Instruction", "32K"}, {"2", "Unified", "512K"}, {"3", "Unified", "32768K"}} {
		d := filepath.Join(dir, "index"+string(rune('0'+i)))
		os.Mkdir(d, 0o755)
		for j, name := range []string{"level", "type", "size"} {
			os.WriteFile(filepath.Join(d, name), []byte(c[j]+"\n"), 0o644)
		}
	}
	if got := caches(dir); got != "L1d 32K L1i 32K L2 512K L3 32768K" {
		t.Errorf("caches = %q", got)
	}
}

func TestCountList(t *testing.T) {
	for s, want := range map[string]int{"0": 1, "0,64": 2, "0-1": 2, "0-3,8-11": 8, "x": 0} {
		if got := countList(s); got != want {
			t.Errorf("countList(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestReadFingerprint(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	f := ReadFingerprint()
	if f.Family == "" && f.Vendor == "" || f.Kernel == "" {
		t.Errorf("fingerprint %+v: want the CPU family and the kernel on Linux", f)
	}
	for _, kv := range f.Config() {
		if !slices.Contains(FingerprintKeys, kv[0]) || kv[1] == "" {
			t.Errorf("config line %q: key not in FingerprintKeys, or empty", kv)
		}
	}
}

func TestProbe(t *testing.T) {
	if testing.Short() {
		t.Skip("lays out 32 MiB")
	}
	p := NewProbe()
	if NewProbe() != p {
		t.Error("NewProbe built a second probe")
	}
	var times []ProbeTime
	for range 3 {
		pt := p.Run()
		if pt.SHA256 <= 0 || pt.Memory <= 0 {
			t.Fatalf("probe %+v: want both parts timed", pt)
		}
		times = append(times, pt)
	}
	m := Median(times)
	if m.Total() <= 0 || m.Total() > time.Second {
		t.Errorf("median probe %v", m)
	}
}

// TestLoadFrom reads the counters from the texts of /proc/stat and
// /proc/pressure/cpu, and knows when it could not.
func TestLoadFrom(t *testing.T) {
	at := time.Unix(1e9, 0)
	l := LoadFrom("cpu  100 20 30 5000 7 11 13 17 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n", "some avg10=1.50 avg60=0.00 avg300=0.00 total=9\nfull avg10=0.00\n", at)
	if !l.OK || l.Busy != 1500*time.Millisecond || l.Steal != 170*time.Millisecond || l.Pressure != 1.5 || !l.At.Equal(at) {
		t.Errorf("LoadFrom = %+v, want busy 1.5s (user+nice+system), steal 170ms, pressure 1.5", l)
	}
	if l := LoadFrom("", "", at); l.OK || l.Pressure != -1 {
		t.Errorf("LoadFrom of nothing = %+v, want OK false and pressure -1", l)
	}
}

// TestDescendantsCPU: a live child's CPU counts before it is waited for.
func TestDescendantsCPU(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	if _, err := os.Stat(filepath.Join("/proc", strconv.Itoa(os.Getpid()), "task", strconv.Itoa(os.Getpid()), "children")); err != nil {
		t.Skip("this kernel lists no children in /proc")
	}
	before := DescendantsCPU()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSpin$")
	cmd.Env = append(os.Environ(), "SYSINFO_SPIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	deadline := time.Now().Add(10 * time.Second)
	for DescendantsCPU()-before < 100*time.Millisecond {
		if time.Now().After(deadline) {
			t.Fatalf("a child spinning for 10s: DescendantsCPU grew by %v, want 100ms or more", DescendantsCPU()-before)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestHelperSpin is the child of TestDescendantsCPU: it computes until
// killed, at most 20 seconds.
func TestHelperSpin(t *testing.T) {
	if os.Getenv("SYSINFO_SPIN") == "" {
		t.Skip("the child of TestDescendantsCPU")
	}
	x := uint64(1)
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); {
		for range 1 << 20 {
			x = x*6364136223846793005 + 1
		}
	}
	t.Log(x)
}

func TestParseProcCPU(t *testing.T) {
	line := "4242 (a (b) c) S 1 2 3 0 -1 4194304 102 0 0 0 150 25 0 0 20 0 1 0 1103258 3133440 380 18446744073709551615"
	if got := parseProcCPU(line); got != 1750*time.Millisecond {
		t.Errorf("parseProcCPU = %v, want 1.75s (150 + 25 ticks)", got)
	}
	if got := parseProcCPU("4242 (x) S 1"); got != 0 {
		t.Errorf("a short line: %v, want 0", got)
	}
}

func TestRunDelay(t *testing.T) {
	if d, ok := parseSchedstat("529835 1389816 3\n"); !ok || d != 1389816 {
		t.Errorf("parseSchedstat = %v, %v; want 1.389816ms", d, ok)
	}
	if _, ok := parseSchedstat("529835"); ok {
		t.Error("a line without the delay: ok")
	}
	if runtime.GOOS == "linux" {
		if _, err := os.Stat("/proc/self/schedstat"); err == nil {
			if _, ok := RunDelay(); !ok {
				t.Error("RunDelay: not reported, on a kernel with /proc/self/schedstat")
			}
		}
	}
}
