package benchkey

import (
	"slices"
	"strings"
	"testing"
)

func TestValues(t *testing.T) {
	var v Values
	if v.Pairs() != nil || v.Get(Workers) != 0 {
		t.Errorf("zero Values: pairs %v, workers %d", v.Pairs(), v.Get(Workers))
	}
	// Set in any order; names carry table order.
	if !v.Set(Parse, 2) || !v.Set(Fetch, 8) || v.Set("threads", 3) {
		t.Error("Set: want true for knobs and false for threads")
	}
	if got := strings.Join(v.Pairs(), "/"); got != "fetch=8/parse=2" {
		t.Errorf("pairs %q", got)
	}
	if v.Get(Fetch) != 8 || v.Get("threads") != 0 {
		t.Errorf("get: fetch %d, threads %d", v.Get(Fetch), v.Get("threads"))
	}
	m := map[Values]bool{v: true} // comparable: report keys benchmarks by it
	w := v
	w.Set(Parse, 3)
	if !m[v] || m[w] {
		t.Error("Values as a map key")
	}
}

func TestKnobs(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Knobs {
		if seen[k.Key] || k.Key == "" || k.Key != strings.ToLower(k.Key) || strings.ContainsAny(k.Key, "=/ ") {
			t.Errorf("knob %q: keys must be distinct, lower-case, and fit in key=value", k.Key)
		}
		seen[k.Key] = true
		if got, ok := Lookup(k.Key); !ok || got.Name != k.Name {
			t.Errorf("Lookup(%s) = %+v, %v", k.Key, got, ok)
		}
		if k.Flag != "" && !slices.ContainsFunc(Knobs[:], func(o Knob) bool { return o.Key == k.Flag }) {
			t.Errorf("knob %s: flag -%s is no knob's key", k.Key, k.Flag)
		}
	}
	for _, key := range []string{Workload, Model, Tasks, "gomaxprocs"} {
		if seen[key] {
			t.Errorf("%s is both a knob and another key of names", key)
		}
	}
	if _, ok := Lookup("threads"); ok {
		t.Error("Lookup(threads) found a knob")
	}
}

func TestConcurrencyOf(t *testing.T) {
	vals := func(kv ...int) Values {
		var v Values
		for i := 0; i < len(kv); i += 2 {
			v[kv[i]] = kv[i+1]
		}
		return v
	}
	const w, p, f, pa = 0, 1, 2, 3 // indices of Workers, Procs, Fetch, Parse
	for _, tc := range []struct {
		model          string
		v              Values
		tasks          int
		inFlight, runs int
	}{
		{Sequential, Values{}, 64, 1, 1},
		{"spawn", Values{}, 64, 64, 64},
		{"spawn", Values{}, 0, 1, 1}, // a name without tasks=
		{"pool", vals(w, 8), 64, 8, 8},
		{"pool", vals(w, 256), 64, 64, 64},
		{"pinned", vals(w, 8, p, 1), 64, 8, 1},
		{"pipeline", vals(f, 64, pa, 2), 256, 64, 66},
		{"pipeline", vals(f, 1, pa, 1), 8, 1, 2},
	} {
		c := ConcurrencyOf(tc.model, tc.v, tc.tasks)
		if c.InFlight != tc.inFlight || c.Runnable != tc.runs {
			t.Errorf("%s %v tasks=%d: %+v, want in flight %d, runnable %d", tc.model, tc.v.Pairs(), tc.tasks, c, tc.inFlight, tc.runs)
		}
	}
	if Knobs[0].Key != Workers || Knobs[1].Key != Procs || Knobs[2].Key != Fetch || Knobs[3].Key != Parse {
		t.Fatal("the test's indices no longer match Knobs")
	}
}
