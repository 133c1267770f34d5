package workloads

import (
	"os"
	"testing"
)

func TestParseMountinfo(t *testing.T) {
	for _, tc := range []struct {
		line string
		want Mount
		ok   bool
	}{
		{"36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue", Mount{"/mnt2", "ext3", "/dev/root"}, true},
		{"25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683584k", Mount{"/dev/shm", "tmpfs", "tmpfs"}, true},
		{`40 27 8:1 / /media/my\040disk rw - xfs /dev/sdb1 rw`, Mount{"/media/my disk", "xfs", "/dev/sdb1"}, true},
		{"garbage", Mount{}, false},
		{"1 2 3:4 / /x rw no-separator here at all", Mount{}, false},
	} {
		got, ok := parseMountinfo(tc.line)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseMountinfo(%q) = %+v, %v; want %+v, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
	for _, tc := range []struct {
		path, point string
		want        bool
	}{{"/tmp/x", "/", true}, {"/tmp/x", "/tmp", true}, {"/tmpfoo", "/tmp", false}, {"/tmp", "/tmp", true}} {
		if got := within(tc.path, tc.point); got != tc.want {
			t.Errorf("within(%q, %q) = %v", tc.path, tc.point, got)
		}
	}
}

// TestMountOf finds the mount of the temporary directory and of /proc,
// whose type is known.
func TestMountOf(t *testing.T) {
	if _, err := os.Stat("/proc/self/mountinfo"); err != nil {
		t.Skip("no /proc/self/mountinfo")
	}
	m, err := MountOf("/proc/self")
	if err != nil || m.Type != "proc" || m.Point != "/proc" {
		t.Errorf("MountOf(/proc/self) = %+v, %v; want the proc file system on /proc", m, err)
	}
	m, err = MountOf("")
	if err != nil || m.Type == "" || m.Source == "" {
		t.Errorf("MountOf(temporary directory) = %+v, %v", m, err)
	}
	if _, err := MountOf("/no/such/dir"); err == nil {
		t.Errorf("MountOf of a missing directory: no error")
	}
}
