package models

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// zeroOf returns the zero value of m's type, as &T{} when m is a *T.
func zeroOf(m Model) Model {
	t := reflect.TypeOf(m)
	if t.Kind() == reflect.Pointer {
		return reflect.New(t.Elem()).Interface().(Model)
	}
	return reflect.Zero(t).Interface().(Model)
}

// TestZeroValue: the zero value of every model in All either runs a batch
// in full or refuses it at once with an error that names its constructor;
// it never blocks or panics, and Close on it is harmless. A model used as
// a value, not through a pointer, has no constructor to name, so its zero
// value must run.
func TestZeroValue(t *testing.T) {
	const n = 50
	want := sequential(t, n)
	refuse := regexp.MustCompile(`^a zero \w+ cannot run tasks: build it with models\.New\w+$`)
	for _, e := range All {
		built, err := e.New(Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if c, ok := built.(interface{ Close() error }); ok {
			c.Close()
		}
		z := zeroOf(built)
		t.Run(fmt.Sprintf("%T", z), func(t *testing.T) {
			b, err := runWithin(t, 10*time.Second, context.Background(), z, Job{N: n, Task: square, Spec: spec("ok"), TaskTimes: true})
			switch {
			case err == nil:
				checkWholeBatch(t, b, want, n)
			case reflect.TypeOf(z).Kind() != reflect.Pointer:
				t.Errorf("Run = %v, want the zero value to work", err)
			case !refuse.MatchString(err.Error()):
				t.Errorf("Run = %v, want a whole batch or an error matching %s", err, refuse)
			}
			if c, ok := z.(interface{ Close() error }); ok {
				if err := c.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			}
		})
	}
}

// TestZeroSemaphoreBound: a zero Semaphore runs at most GOMAXPROCS tasks at
// once, the value at the time of Run.
func TestZeroSemaphoreBound(t *testing.T) {
	const procs = 3
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	var mu sync.Mutex
	inFlight, peak := 0, 0
	task := func(ctx context.Context, i int) (Result, error) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		mu.Unlock()
		time.Sleep(time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
		return square(ctx, i)
	}
	if _, err := (Semaphore{}).Run(context.Background(), Job{N: 30, Task: task}); err != nil {
		t.Fatal(err)
	}
	if peak > procs || peak < 2 {
		t.Errorf("peak %d tasks in flight, want 2 to %d", peak, procs)
	}
}

// TestBadFieldsRejected: a model configured by its fields refuses a bad
// value at once, naming it, instead of blocking.
func TestBadFieldsRejected(t *testing.T) {
	for _, tc := range []struct {
		m    Model
		want string
	}{
		{Semaphore{Workers: -1}, "semaphore: workers=-1"},
		{Semaphore{Workers: 1<<20 + 1}, "semaphore: workers=1048577"},
		{Pipeline{Fetch: -2}, "pipeline: fetch=-2"},
		{Pipeline{Fetch: 1, Parse: -3}, "pipeline: parse=-3"},
	} {
		_, err := runWithin(t, 10*time.Second, context.Background(), tc.m, Job{N: 10, Task: square})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want one starting %q", tc.m, err, tc.want)
		}
	}
}

// TestNewPinnedAtLeastOne: NewPinned(0, w) pins to one P, not to whatever
// GOMAXPROCS the process has.
func TestNewPinnedAtLeastOne(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	p := NewPinned(0, 2)
	defer p.Close()
	var inside int
	_, err := p.Run(context.Background(), Job{N: 1, Task: func(ctx context.Context, i int) (Result, error) {
		inside = runtime.GOMAXPROCS(0)
		return square(ctx, i)
	}})
	if err != nil || inside != 1 {
		t.Errorf("GOMAXPROCS inside = %d, %v; want 1", inside, err)
	}
}
