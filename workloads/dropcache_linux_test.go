//go:build linux

package workloads

import (
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// TestDropCache writes a file as the file workload does, with and without
// uncached, and asks the kernel (mincore) how many of its pages are in the
// page cache: all of them without, none with. A file system that keeps
// files in memory (tmpfs) cannot drop them, so the test skips there.
func TestDropCache(t *testing.T) {
	dir := t.TempDir()
	m, err := MountOf(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Type == "tmpfs" || m.Type == "ramfs" {
		t.Skipf("%s is on %s, which keeps files in memory", dir, m.Type)
	}
	s, err := openStore(dir, "drop-")
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	data := make([]byte, 256<<10)
	for i := range data {
		data[i] = byte(i * 7)
	}
	for _, drop := range []bool{false, true} {
		name := map[bool]string{false: "cached", true: "dropped"}[drop]
		if err := s.write(name, data, true, drop); err != nil {
			t.Fatal(err)
		}
		resident := residentPages(t, filepath.Join(s.dir, name))
		pages := (len(data) + os.Getpagesize() - 1) / os.Getpagesize()
		if drop && resident != 0 {
			t.Errorf("uncached: %d of %d pages still in the page cache on %s (%s)", resident, pages, m.Type, m.Source)
		}
		if !drop && resident == 0 {
			t.Errorf("cached: no page in the page cache: the check cannot tell")
		}
	}
}

// residentPages counts the pages of the file at path in the page cache.
func residentPages(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	mem, err := unix.Mmap(int(f.Fd()), 0, int(st.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(mem)
	vec := make([]byte, (len(mem)+os.Getpagesize()-1)/os.Getpagesize())
	if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&mem[0])), uintptr(len(mem)), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		t.Fatal(errno)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n
}
