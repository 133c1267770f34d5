package workloads

import (
	"bufio"
	"context"
	"encoding/hex"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/concbench/concbench/internal/leakcheck"
)

// TestEveryListenerIsLoopback prepares every workload and reads, from the
// kernel's own tables, every TCP socket this process and its children (the
// server processes) listen on: each must be bound to a loopback address,
// never to all interfaces.
func TestEveryListenerIsLoopback(t *testing.T) {
	if _, err := os.Stat("/proc/self/net/tcp"); err != nil {
		t.Skip("no /proc/self/net/tcp to read listening sockets from")
	}
	for _, e := range All {
		t.Run(e.Name, func(t *testing.T) {
			w := e.New()
			w.Shrink()
			if f, ok := w.(*File); ok {
				f.Dir = t.TempDir()
			}
			p, err := w.Prepare(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if p.Close != nil {
				defer p.Close()
			}
			addrs := listeners(t, os.Getpid())
			for _, pid := range leakcheck.Children(os.Getpid()) {
				addrs = append(addrs, listeners(t, pid)...)
			}
			for _, a := range addrs {
				if !a.IsLoopback() {
					t.Errorf("listening on %v, which is not loopback", a)
				}
			}
			if w.Kind() == IO && e.Name != "file" && len(addrs) == 0 {
				t.Errorf("found no listening socket: the check read the wrong table")
			}
		})
	}
}

// listeners returns the local addresses of the TCP sockets in LISTEN state
// that process pid holds open.
func listeners(t *testing.T, pid int) []net.IP {
	t.Helper()
	proc := "/proc/" + strconv.Itoa(pid)
	ours := map[string]bool{} // socket inodes among its file descriptors
	fds, _ := filepath.Glob(proc + "/fd/*")
	for _, fd := range fds {
		if target, err := os.Readlink(fd); err == nil && strings.HasPrefix(target, "socket:[") {
			ours[strings.Trim(target[len("socket:"):], "[]")] = true
		}
	}
	var ips []net.IP
	for _, table := range []string{proc + "/net/tcp", proc + "/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		s := bufio.NewScanner(f)
		s.Scan() // the header
		for s.Scan() {
			// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
			fields := strings.Fields(s.Text())
			if len(fields) < 10 || fields[3] != "0A" || !ours[fields[9]] {
				continue
			}
			hexIP, _, _ := strings.Cut(fields[1], ":")
			ips = append(ips, kernelIP(t, hexIP))
		}
		f.Close()
	}
	return ips
}

// kernelIP decodes an address as /proc/net/tcp writes it: 32-bit words in
// host (little-endian) order.
func kernelIP(t *testing.T, h string) net.IP {
	b, err := hex.DecodeString(h)
	if err != nil || len(b)%4 != 0 {
		t.Fatalf("bad address %q in /proc/net/tcp", h)
	}
	for i := 0; i < len(b); i += 4 {
		b[i], b[i+1], b[i+2], b[i+3] = b[i+3], b[i+2], b[i+1], b[i]
	}
	return net.IP(b)
}
