package main

import (
	"bytes"
	"strings"
	"testing"
)

// These tests stop before any counting: the racy part runs only in
// demo_test.go, which the race detector does not build.
func TestBadArguments(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-workers", "0"}, "-workers 0: want 1 to 1024"},
		{[]string{"-n", "-5"}, "-n -5: want 1 or more"},
		{[]string{"-workers", "1024", "-n", "5000000"}, "at most 4294967296 updates"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-speed", "3"}, "flag provided but not defined: -speed"},
	} {
		var out, errw bytes.Buffer
		err := run(&out, &errw, tc.args)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want one containing %q", tc.args, err, tc.want)
		}
		if out.Len() > 0 {
			t.Errorf("%v: printed %q before rejecting its arguments", tc.args, out.String())
		}
	}
}
