package workloads

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A Param is one named parameter of a workload. Its Value reads and sets the
// workload's struct field; Set rejects a malformed or out-of-range value with
// an error that names it.
type Param struct {
	Name  string
	Doc   string
	Value Value
}

// A Value is a parameter's value; flag.Value has the same methods, so a
// command can bind parameters to flags directly.
type Value interface {
	String() string
	Set(string) error
}

// Configure sets parameters from "key=value" strings.
func Configure(w Workload, kvs []string) error {
	for _, kv := range kvs {
		key, val, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("parameter %q: want key=value", kv)
		}
		p, err := param(w, key)
		if err != nil {
			return err
		}
		if err := p.Value.Set(val); err != nil {
			return fmt.Errorf("parameter %s=%s: %w", key, val, err)
		}
	}
	return nil
}

// Encode returns every parameter of w as "key=value", in Params order;
// Configure on a fresh workload of the same name reproduces w.
func Encode(w Workload) []string {
	ps := w.Params()
	kvs := make([]string, len(ps))
	for i, p := range ps {
		kvs[i] = p.Name + "=" + p.Value.String()
	}
	return kvs
}

func param(w Workload, key string) (Param, error) {
	ps := w.Params()
	names := make([]string, len(ps))
	for i, p := range ps {
		if p.Name == key {
			return p, nil
		}
		names[i] = p.Name
	}
	return Param{}, fmt.Errorf("unknown parameter %q (have %s)", key, strings.Join(names, ", "))
}

// sizeValue is a byte count in [1, max], written as 4096, 64KiB or 1MiB.
type sizeValue struct {
	p   *int
	max int
}

func (v sizeValue) String() string { return FormatSize(*v.p) }

func (v sizeValue) Set(s string) error {
	n, err := ParseSize(s)
	if err != nil {
		return err
	}
	if n < 1 || n > v.max {
		return fmt.Errorf("size %s out of range: want 1 to %s", s, FormatSize(v.max))
	}
	*v.p = n
	return nil
}

var units = []struct {
	suffix string
	n      int
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}}

// ParseSize reads a byte count: a plain integer, or one with a KiB, MiB or
// GiB suffix.
func ParseSize(s string) (int, error) {
	mult := 1
	num := s
	for _, u := range units {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			num, mult = rest, u.n
			break
		}
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("size %q: want bytes, such as 4096, 64KiB or 1MiB", s)
	}
	return n * mult, nil
}

// FormatSize writes n in the largest unit that divides it exactly.
func FormatSize(n int) string {
	for _, u := range units {
		if n >= u.n && n%u.n == 0 {
			return strconv.Itoa(n/u.n) + u.suffix
		}
	}
	return strconv.Itoa(n)
}

// choiceValue is one of a fixed set of words.
type choiceValue struct {
	p      *string
	values []string
}

func (v choiceValue) String() string { return *v.p }

func (v choiceValue) Set(s string) error {
	for _, c := range v.values {
		if s == c {
			*v.p = s
			return nil
		}
	}
	return fmt.Errorf("%q: want one of %s", s, strings.Join(v.values, ", "))
}

// intValue is an integer in [min, max].
type intValue struct {
	p        *int
	min, max int
}

func (v intValue) String() string { return strconv.Itoa(*v.p) }

func (v intValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < v.min || n > v.max {
		return fmt.Errorf("%q: want an integer from %d to %d", s, v.min, v.max)
	}
	*v.p = n
	return nil
}

// durationValue is a duration in [0, max], written as Go writes durations
// but with "us" for microseconds, so that it is plain ASCII in benchmark
// names.
type durationValue struct {
	p   *time.Duration
	max time.Duration
}

func (v durationValue) String() string { return formatDuration(*v.p) }

func (v durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q: want a duration, such as 0, 100us, 10ms or 1.5s", s)
	}
	if d < 0 || d > v.max {
		return fmt.Errorf("duration %s out of range: want 0 to %s", s, formatDuration(v.max))
	}
	*v.p = d
	return nil
}

// boolValue is true or false.
type boolValue struct{ p *bool }

func (v boolValue) String() string { return strconv.FormatBool(*v.p) }

func (v boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("%q: want true or false", s)
	}
	*v.p = b
	return nil
}

// stringValue is any string, such as a directory path; the workload checks
// it when it uses it.
type stringValue struct{ p *string }

func (v stringValue) String() string { return *v.p }

func (v stringValue) Set(s string) error {
	*v.p = s
	return nil
}

// formatDuration writes d in the largest unit that divides it exactly: 2ms,
// 100us, 1500ns, 0. time.ParseDuration reads it back.
func formatDuration(d time.Duration) string {
	for _, u := range []struct {
		suffix string
		d      time.Duration
	}{{"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}, {"ms", time.Millisecond}, {"us", time.Microsecond}} {
		if d != 0 && d%u.d == 0 {
			return strconv.FormatInt(int64(d/u.d), 10) + u.suffix
		}
	}
	if d == 0 {
		return "0"
	}
	return strconv.FormatInt(int64(d), 10) + "ns"
}
