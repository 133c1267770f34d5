package bench

import (
	"os"

	"github.com/concbench/concbench/workloads"
)

// Keys of the file configuration lines that RunConfig writes.
const (
	ConfigIOServers  = "io-servers"  // where the IO workloads' servers run by default
	ConfigFileDir    = "file-dir"    // the directory the file workload writes in by default
	ConfigFileFS     = "file-fs"     // that directory's file system type: ext4, xfs, tmpfs…
	ConfigFileDevice = "file-device" // and its backing device: /dev/vda, overlay…
)

// RunConfig returns the file configuration lines, key and value, that say
// how this binary runs the IO workloads: where the http, fanout and crawl
// servers run (a benchmark name with server=inproc overrides it), and the
// file system and device under the file workload's directory. Results
// files carry them, so that a page can say which servers a run used and
// what its file numbers were measured on. Values it cannot learn read
// "unknown".
func RunConfig() [][2]string {
	lines := [][2]string{{ConfigIOServers, workloads.ServerProcess}}
	dir := os.TempDir() // File's default Dir
	m, err := workloads.MountOf(dir)
	if err != nil {
		m = workloads.Mount{Type: "unknown", Source: "unknown"}
	}
	return append(lines, [2]string{ConfigFileDir, dir}, [2]string{ConfigFileFS, m.Type}, [2]string{ConfigFileDevice, m.Source})
}
