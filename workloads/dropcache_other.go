//go:build !linux

package workloads

import (
	"errors"
	"os"
)

// canDropCache says whether dropCache works here: File rejects
// uncached=true where it does not.
const canDropCache = false

func dropCache(*os.File) error { return errors.New("no posix_fadvise on this system") }
