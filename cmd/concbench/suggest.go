package main

import (
	"fmt"
	"strings"
)

// unknownName is the error for a name that is not among names: it lists
// them and suggests the nearest, in one line. what is "workload" or
// "model".
func unknownName(flagName, what, name string, names []string) error {
	msg := fmt.Sprintf("-%s %q: unknown %s (have %s)", flagName, name, what, strings.Join(names, ", "))
	if near := nearest(name, names); len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, " or ") + "?"
	}
	return usageError{msg}
}

// nearest returns the names that name is most likely a slip for: those it
// begins (regex for regex-prefix and regex-alt), else those at the least
// edit distance, if that distance is small next to the name's length (at
// most a third of it, and at least 1), so that "x" suggests nothing.
func nearest(name string, names []string) []string {
	if name == "" {
		return nil
	}
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, name) {
			out = append(out, n)
		}
	}
	if len(out) > 0 {
		return out
	}
	best := max(1, len(name)/3)
	for _, n := range names {
		switch d := editDistance(strings.ToLower(name), n); {
		case d > best:
		case d < best || len(out) == 0:
			best, out = d, []string{n}
		default:
			out = append(out, n)
		}
	}
	return out
}

// editDistance is the optimal string alignment distance between a and b,
// in bytes: the fewest insertions, deletions, substitutions and swaps of
// two neighbours that turn a into b. A swap counts once, as the slip
// "benhc" for "bench" deserves.
func editDistance(a, b string) int {
	// d[i][j] is the distance between a[:i] and b[:j].
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
