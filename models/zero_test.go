package models

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// zeroModels holds the zero value of every model type, and whether it is
// meant to run tasks (true) or to refuse with an error naming its
// constructor.
var zeroModels = []struct {
	m           Model
	works       bool
	constructor string
}{
	{Sequential{}, true, ""},
	{Spawn{}, true, ""},
	{Semaphore{}, true, ""},
	{Pipeline{}, true, ""},
	{&Pool{}, false, "NewPool"},
	{&Pinned{}, false, "NewPinned"},
	{&GIL{}, false, "NewGIL"},
	{&Ants{}, false, "NewAnts"},
	{&Pond{}, false, "NewPond"},
	{&Process{}, false, "NewProcess"},
}

// TestZeroValue: a model's zero value either runs a batch in full or
// refuses it at once with an error that names the constructor; it never
// blocks or panics, and Close on it is harmless.
func TestZeroValue(t *testing.T) {
	const n = 50
	want := sequential(t, n)
	for _, z := range zeroModels {
		t.Run(fmt.Sprintf("%T", z.m), func(t *testing.T) {
			b, err := runWithin(t, 10*time.Second, context.Background(), z.m, Job{N: n, Task: square, Spec: spec("ok"), TaskTimes: true})
			if z.works {
				if err != nil {
					t.Fatal(err)
				}
				checkWholeBatch(t, b, want, n)
			} else if err == nil || !strings.Contains(err.Error(), "models."+z.constructor) {
				t.Errorf("Run = %v, want an error naming models.%s", err, z.constructor)
			}
			if c, ok := z.m.(interface{ Close() error }); ok {
				if err := c.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			}
		})
	}
}

// TestZeroValueCoversAll keeps zeroModels in step with the table: a model
// added to All must say what its zero value does.
func TestZeroValueCoversAll(t *testing.T) {
	have := map[reflect.Type]bool{}
	for _, z := range zeroModels {
		have[reflect.TypeOf(z.m)] = true
	}
	for _, e := range All {
		m, err := e.New(Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if c, ok := m.(interface{ Close() error }); ok {
			defer c.Close()
		}
		if !have[reflect.TypeOf(m)] {
			t.Errorf("model %s (%T) has no case in zeroModels", e.Name, m)
		}
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
		{Semaphore{Workers: MaxWorkers + 1}, "semaphore: workers=65537"},
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
