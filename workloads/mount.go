package workloads

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A Mount is the file system a directory lives on, as the kernel's mount
// table (/proc/self/mountinfo) describes it: what a file workload's
// numbers depend on. The zero value is an unknown file system.
type Mount struct {
	Point  string // where it is mounted, such as /
	Type   string // ext4, xfs, tmpfs, overlay…
	Source string // the backing device, such as /dev/vda, or tmpfs, overlay
}

// MountOf returns the mount that holds dir (empty: os.TempDir()), after
// resolving symbolic links. It reads /proc/self/mountinfo, so it fails
// where there is none (systems other than Linux).
func MountOf(dir string) (Mount, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	path, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return Mount{}, err
	}
	if path, err = filepath.Abs(path); err != nil {
		return Mount{}, err
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return Mount{}, fmt.Errorf("reading the mount table: %w", err)
	}
	defer f.Close()
	var best Mount
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		m, ok := parseMountinfo(lines.Text())
		// The last mount on the longest matching point is the one in
		// force: later lines mount over earlier ones.
		if ok && within(path, m.Point) && len(m.Point) >= len(best.Point) {
			best = m
		}
	}
	if err := lines.Err(); err != nil {
		return Mount{}, err
	}
	if best.Point == "" {
		return Mount{}, errors.New("no mount holds " + path)
	}
	return best, nil
}

// parseMountinfo reads one line of /proc/self/mountinfo: "36 35 98:0
// /root /mnt rw,noatime master:1 - ext3 /dev/root rw": the mount point is
// the fifth field, the type and source follow the "-".
func parseMountinfo(line string) (Mount, bool) {
	fields := strings.Fields(line)
	if len(fields) < 7 {
		return Mount{}, false
	}
	for i := 6; i < len(fields)-2; i++ {
		if fields[i] == "-" {
			return Mount{Point: unescapeMount(fields[4]), Type: fields[i+1], Source: unescapeMount(fields[i+2])}, true
		}
	}
	return Mount{}, false
}

// unescapeMount undoes the octal escapes (\040 for a space) of the mount
// table.
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			var c byte
			if _, err := fmt.Sscanf(s[i+1:i+4], "%03o", &c); err == nil {
				b.WriteByte(c)
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// within reports whether path is point or below it.
func within(path, point string) bool {
	return path == point || point == "/" || strings.HasPrefix(path, point+"/")
}
