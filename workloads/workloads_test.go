package workloads

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestEveryWorkloadRunsAndIsDeterministic(t *testing.T) {
	for _, e := range All {
		t.Run(e.Name, func(t *testing.T) {
			digests := func() []Result {
				w := e.New()
				w.Shrink()
				p, err := w.Prepare(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if p.Close != nil {
					defer p.Close()
				}
				var rs []Result
				for i := range 2 * windows {
					r, err := p.Task(context.Background(), i)
					if err != nil {
						t.Fatal(err)
					}
					rs = append(rs, r)
				}
				return rs
			}
			a, b := digests(), digests()
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("task %d: %+v then %+v: not deterministic", i, a[i], b[i])
				}
				if a[i].Bytes <= 0 {
					t.Errorf("task %d processed %d bytes", i, a[i].Bytes)
				}
			}
			if a[0].Digest == a[1].Digest {
				t.Errorf("tasks 0 and 1 have the same digest %x: inputs do not vary", a[0].Digest)
			}
		})
	}
}

func TestCorpusIsAPrefixStream(t *testing.T) {
	short := bytes.Clone(logCorpus(10_000))
	long := logCorpus(100_000)
	if !bytes.Equal(short, long[:len(short)]) {
		t.Error("a short corpus is not a prefix of a long one")
	}
	if again := generateLog(10_000); !bytes.Equal(again, short) {
		t.Error("generating twice gives different bytes")
	}
	if n := bytes.Count(long, []byte("\n")); n < 300 {
		t.Errorf("100 kB of log has only %d lines", n)
	}
}

func TestRegexPatternsFindMatches(t *testing.T) {
	for _, pattern := range []string{"prefix", "alt"} {
		w := &Regex{Size: 64 << 10, Pattern: pattern}
		p, err := w.Prepare(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		r, _ := p.Task(context.Background(), 0)
		empty, _ := (&Regex{Size: 1, Pattern: pattern}).Prepare(context.Background())
		r0, _ := empty.Task(context.Background(), 0)
		if r.Digest == r0.Digest {
			t.Errorf("%s: 64 KiB of log gives the same digest as one byte: no matches?", pattern)
		}
	}
}

func TestConfigure(t *testing.T) {
	w := &Zstd{Size: 1 << 20, Level: "fastest"}
	if err := Configure(w, []string{"size=64KiB", "level=best"}); err != nil {
		t.Fatal(err)
	}
	if w.Size != 64<<10 || w.Level != "best" {
		t.Errorf("Configure set %+v", w)
	}
	got := strings.Join(Encode(w), " ")
	if got != "size=64KiB level=best" {
		t.Errorf("Encode = %q", got)
	}
	fresh, _ := Lookup("zstd")
	if err := Configure(fresh, Encode(w)); err != nil || *fresh.(*Zstd) != *w {
		t.Errorf("Configure(Encode(w)) = %+v, %v; want %+v", fresh, err, w)
	}
}

func TestDurations(t *testing.T) {
	w := &Crawl{}
	for s, want := range map[string]time.Duration{"0": 0, "100us": 100 * time.Microsecond, "2ms": 2 * time.Millisecond, "1500ns": 1500, "3s": 3 * time.Second} {
		if err := Configure(w, []string{"latency=" + s}); err != nil || w.Latency != want {
			t.Errorf("latency=%s: %v, %v; want %v", s, w.Latency, err, want)
		}
		if got := Encode(w)[1]; got != "latency="+s {
			t.Errorf("Encode of %v = %q, want latency=%s", want, got, s)
		}
	}
}

// TestConfigureIO round-trips the IO workloads' parameter types: durations,
// booleans and strings.
func TestConfigureIO(t *testing.T) {
	for _, tc := range []struct {
		workload string
		kvs      []string
	}{
		{"http", []string{"latency=25ms", "jitter=1500us", "size=8KiB", "timeout=0", "server=inproc", "addr=127.0.0.1:8080"}},
		{"fanout-serial", []string{"handler=concurrent", "calls=7", "latency=1s", "db-latency=250us", "size=100", "timeout=3s", "server=process", "addr="}},
		{"file", []string{"size=1MiB", "fsync=false", "dir=/var/tmp", "uncached=false"}},
	} {
		w, _ := Lookup(tc.workload)
		if err := Configure(w, tc.kvs); err != nil {
			t.Fatal(err)
		}
		want := strings.Join(tc.kvs, " ")
		if got := strings.Join(Encode(w), " "); got != want {
			t.Errorf("%s: Encode = %q, want %q", tc.workload, got, want)
		}
		fresh, _ := Lookup(tc.workload)
		if err := Configure(fresh, Encode(w)); err != nil || strings.Join(Encode(fresh), " ") != want {
			t.Errorf("%s: Configure(Encode(w)) = %v, %v", tc.workload, Encode(fresh), err)
		}
	}
}

func TestConfigureRejects(t *testing.T) {
	for _, tc := range []struct {
		workload, kv, want string
	}{
		{"zstd", "size=0", `size 0 out of range`},
		{"zstd", "size=-5", `"-5"`},
		{"zstd", "size=1TiB", `"1TiB"`},
		{"zstd", "size=65MiB", `65MiB out of range: want 1 to 64MiB`},
		{"zstd", "level=turbo", `"turbo": want one of fastest, default, better, best`},
		{"gzip", "level=10", `"10": want an integer from 0 to 9`},
		{"sha256", "colour=red", `unknown parameter "colour" (have size)`},
		{"regex-alt", "pattern", `parameter "pattern": want key=value`},
		{"crawl", "latency=-1ms", `-1ms out of range: want 0 to 10s`},
		{"crawl", "latency=fast", `"fast": want a duration`},
		{"crawl", "size=2MiB", `2MiB out of range: want 1 to 1MiB`},
		{"http", "latency=fast", `parameter latency=fast: "fast": want a duration, such as 0, 100us, 10ms or 1.5s`},
		{"http", "latency=-1ms", `duration -1ms out of range: want 0 to 1m`},
		{"http", "timeout=2h", `duration 2h out of range`},
		{"http", "size=17MiB", `17MiB out of range: want 1 to 16MiB`},
		{"fanout-serial", "handler=parallel", `"parallel": want one of serial, concurrent`},
		{"fanout-concurrent", "calls=0", `"0": want an integer from 1 to 64`},
		{"fanout-concurrent", "db-latency=1", `"1": want a duration`},
		{"file", "fsync=maybe", `parameter fsync=maybe: "maybe": want true or false`},
	} {
		w, err := Lookup(tc.workload)
		if err != nil {
			t.Fatal(err)
		}
		err = Configure(w, []string{tc.kv})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %s: err = %v, want it to contain %s", tc.workload, tc.kv, err, tc.want)
		}
	}
}

func TestPrepareRejectsBadFields(t *testing.T) {
	for _, w := range []Workload{
		&Zstd{Size: 0, Level: "fastest"},
		&Zstd{Size: 1024, Level: "nope"},
		&S2{Size: -1},
		&Gzip{Size: 1024, Level: 42},
		&StdGzip{Size: 1024, Level: 42},
		&SHA256{Size: maxSize + 1},
		&XXH3{},
		&Regex{Size: 1024, Pattern: "other"},
		&Crawl{Size: 512},
		&Crawl{Size: 4096, Latency: -time.Millisecond},
		&HTTP{},
		&HTTP{Size: 1024, Latency: -time.Millisecond},
		&HTTP{Size: 1024, Timeout: 2 * time.Minute},
		&Fanout{Handler: "parallel", Calls: 3, Size: 1024},
		&Fanout{Handler: "serial", Calls: 0, Size: 1024},
		&Fanout{Handler: "serial", Calls: 65, Size: 1024},
		&Fanout{Handler: "serial", Calls: 3, Size: 1024, DBLatency: -1},
		&File{Size: maxIOSize + 1},
	} {
		if _, err := w.Prepare(context.Background()); err == nil {
			t.Errorf("Prepare(%+v): no error", w)
		}
	}
}

func TestSizes(t *testing.T) {
	for s, want := range map[string]int{"4095": 4095, "64KiB": 64 << 10, "1MiB": 1 << 20, "2GiB": 2 << 30} {
		if got, err := ParseSize(s); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", s, got, err, want)
		}
		if back := FormatSize(want); back != s {
			t.Errorf("FormatSize(%d) = %q, want %q", want, back, s)
		}
	}
	for _, s := range []string{"", "KiB", "1.5MiB", "-1", "10kb"} {
		if _, err := ParseSize(s); err == nil {
			t.Errorf("ParseSize(%q): no error", s)
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	if _, err := Lookup("zstdd"); err == nil || !strings.Contains(err.Error(), `"zstdd"`) || !strings.Contains(err.Error(), "zstd-fastest") {
		t.Errorf("Lookup(zstdd) = %v", err)
	}
}

// TestIOWorkloadsMarkTheirWaits: every IO workload's task tells the hook
// that it waits, and ends every wait it begins, so the gil model releases
// its lock while the task waits.
func TestIOWorkloadsMarkTheirWaits(t *testing.T) {
	for _, e := range All {
		w := e.New()
		if w.Kind() != IO {
			continue
		}
		t.Run(e.Name, func(t *testing.T) {
			w.Shrink()
			if f, ok := w.(*File); ok {
				f.Dir = t.TempDir()
			}
			p, err := w.Prepare(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			h := &countingHook{}
			if _, err := p.Task(WithIOHook(context.Background(), h), 0); err != nil {
				t.Fatal(err)
			}
			if h.begins == 0 || h.begins != h.ends {
				t.Errorf("%d waits begun, %d ended: want at least one, all ended", h.begins, h.ends)
			}
		})
	}
}

// TestZeroValueRejected: the zero value of every workload type fails
// Prepare with an error that names a parameter, as Workload's doc says,
// instead of preparing an empty input or panicking.
func TestZeroValueRejected(t *testing.T) {
	for _, e := range All {
		w := e.New()
		z := reflect.New(reflect.TypeOf(w).Elem()).Interface().(Workload)
		p, err := z.Prepare(context.Background())
		if err == nil {
			if p.Close != nil {
				p.Close()
			}
			t.Errorf("%s: the zero %T prepared", e.Name, z)
			continue
		}
		named := false
		for _, prm := range w.Params() {
			named = named || strings.HasPrefix(err.Error(), prm.Name+"=")
		}
		if !named {
			t.Errorf("%s: the zero %T: %v, want an error naming one of its parameters", e.Name, z, err)
		}
	}
}
