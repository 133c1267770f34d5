package sysinfo

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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
