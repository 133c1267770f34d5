//go:build linux

package workloads

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// canDropCache says whether dropCache works here.
const canDropCache = true

// dropCache asks the kernel to drop f's pages from the page cache. Only
// clean pages go, so f must be synced first.
func dropCache(f *os.File) error {
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		return fmt.Errorf("posix_fadvise DONTNEED on %s: %w", f.Name(), err)
	}
	return nil
}
