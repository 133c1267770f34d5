//go:build !unix

package models

import "os"

// pollable returns the file open as descriptor fd.
func pollable(fd uintptr, name string) *os.File { return os.NewFile(fd, name) }
