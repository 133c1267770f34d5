// Package sysinfo describes the machine a run measures: the facts a results
// file records in its configuration lines and a report prints on every page.
package sysinfo

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// A Machine is what a run needs to say about where it ran.
type Machine struct {
	CPU   string // model name, as the OS reports it
	Cores int    // logical CPUs
	OS    string
	Arch  string
}

// This returns the machine this process runs on.
func This() Machine {
	return Machine{CPU: cpuModel(), Cores: runtime.NumCPU(), OS: runtime.GOOS, Arch: runtime.GOARCH}
}

// Slug is a name for the machine's results folder: the CPU model and core
// count in lower case, for example "amd-epyc-2c".
func (m Machine) Slug() string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(m.CPU) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if len(s) > 40 {
		s = strings.TrimSuffix(s[:40], "-")
	}
	if s == "" {
		s = m.Arch
	}
	return fmt.Sprintf("%s-%dc", s, m.Cores)
}

func (m Machine) String() string {
	return fmt.Sprintf("%s, %d cores, %s/%s", m.CPU, m.Cores, m.OS, m.Arch)
}

func cpuModel() string {
	switch runtime.GOOS {
	case "linux":
		if f, err := os.Open("/proc/cpuinfo"); err == nil {
			defer f.Close()
			s := bufio.NewScanner(f)
			for s.Scan() {
				key, val, ok := strings.Cut(s.Text(), ":")
				if ok && strings.TrimSpace(key) == "model name" {
					return strings.Join(strings.Fields(val), " ")
				}
			}
		}
	case "darwin":
		if out, err := exec.Command("sysctl", "-n", "machdep.cpu.brand_string").Output(); err == nil {
			return strings.TrimSpace(string(out))
		}
	}
	return "unknown " + runtime.GOARCH + " CPU"
}

// Stamp is the time format of results file names: sortable, no colons.
const Stamp = "20060102-150405"

// Now returns the current time in UTC, which results files use throughout.
func Now() time.Time { return time.Now().UTC() }
