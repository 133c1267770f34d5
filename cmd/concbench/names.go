package main

import (
	"fmt"
	"strings"
)

// maxNameLen bounds a machine name, which becomes a folder name.
const maxNameLen = 100

// checkMachineName accepts a machine folder name of letters, digits, '.',
// '_' and '-', not starting with '.': a name that needs no quoting in a
// shell, a glob, Markdown or a URL.
func checkMachineName(name string) error {
	if name == "" || len(name) > maxNameLen || strings.HasPrefix(name, ".") {
		return fmt.Errorf("want 1 to %d of A-Z a-z 0-9 . _ -, not starting with '.'", maxNameLen)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("%q is not allowed: want only A-Z a-z 0-9 . _ -", r)
		}
	}
	return nil
}
