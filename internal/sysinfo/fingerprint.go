package sysinfo

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// A Fingerprint holds what tells apart two machines that report the same
// CPU name: shared VMs named "AMD EPYC" have differed 1.5× on sha256 and
// 3.5× on regex. Fields the OS does not expose are empty. The zero value
// is a fingerprint with nothing known. Reading one costs a few file reads
// (well under a millisecond on Linux).
type Fingerprint struct {
	Vendor   string // vendor_id: AuthenticAMD, GenuineIntel
	Family   string // cpu family
	Model    string // model number
	Stepping string
	MHz      string // the first CPU's clock when read, in MHz, as the OS reports it
	// Caches lists the first CPU's caches, smallest level first, as
	// "L1d 32K L1i 32K L2 512K L3 32768K".
	Caches string
	// ThreadsPerCore is the SMT width: 2 when each core runs two
	// hardware threads, whose cores then share their execution units.
	ThreadsPerCore int
	Kernel         string // the running kernel's release
	// Hypervisor is the virtual machine's vendor where the OS names it,
	// "yes" where the CPU only flags one, and "" on bare metal.
	Hypervisor string
	// CPUQuota is the cgroup's CPU limit, "max" or "QUOTA PERIOD" in
	// microseconds (cgroup v2 cpu.max), empty outside one.
	CPUQuota string
}

// ReadFingerprint reads the fingerprint of the machine this process runs
// on.
func ReadFingerprint() Fingerprint {
	var f Fingerprint
	if runtime.GOOS != "linux" {
		return f
	}
	if file, err := os.Open("/proc/cpuinfo"); err == nil {
		s := bufio.NewScanner(file)
		for s.Scan() {
			key, val, ok := strings.Cut(s.Text(), ":")
			if !ok {
				if f.Family != "" {
					break // the end of the first CPU's block
				}
				continue
			}
			val = strings.TrimSpace(val)
			switch strings.TrimSpace(key) {
			case "vendor_id":
				f.Vendor = val
			case "cpu family":
				f.Family = val
			case "model":
				f.Model = val
			case "stepping":
				f.Stepping = val
			case "cpu MHz":
				f.MHz = val
			case "flags":
				if slices.Contains(strings.Fields(val), "hypervisor") {
					f.Hypervisor = "yes"
				}
			}
		}
		file.Close()
	}
	f.Caches = caches("/sys/devices/system/cpu/cpu0/cache")
	if sib := readTrim("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list"); sib != "" {
		f.ThreadsPerCore = countList(sib)
	}
	f.Kernel = readTrim("/proc/sys/kernel/osrelease")
	for _, p := range []string{"/sys/hypervisor/type", "/sys/class/dmi/id/sys_vendor"} {
		if v := readTrim(p); v != "" && f.Hypervisor != "" {
			f.Hypervisor = v
			break
		}
	}
	f.CPUQuota = readTrim("/sys/fs/cgroup/cpu.max")
	return f
}

// Config returns the fingerprint as a results file's configuration
// lines, key then value, in a fixed order, leaving out what is unknown.
func (f Fingerprint) Config() [][2]string {
	var kv [][2]string
	add := func(k, v string) {
		if v != "" {
			kv = append(kv, [2]string{k, v})
		}
	}
	add("cpu-vendor", f.Vendor)
	add("cpu-family", f.Family)
	add("cpu-model", f.Model)
	add("cpu-stepping", f.Stepping)
	add("cpu-mhz", f.MHz)
	add("cpu-caches", f.Caches)
	if f.ThreadsPerCore > 0 {
		add("threads-per-core", strconv.Itoa(f.ThreadsPerCore))
	}
	add("kernel", f.Kernel)
	add("hypervisor", f.Hypervisor)
	add("cpu-quota", f.CPUQuota)
	return kv
}

// FingerprintKeys are the configuration keys that Config may write: the
// identity of a machine, beside machine:, cores: and the calibration.
var FingerprintKeys = []string{
	"cpu-vendor", "cpu-family", "cpu-model", "cpu-stepping", "cpu-mhz", "cpu-caches",
	"threads-per-core", "kernel", "hypervisor", "cpu-quota",
}

// caches lists the caches under dir (index0, index1…) as Fingerprint's
// Caches field gives them.
func caches(dir string) string {
	idx, _ := filepath.Glob(filepath.Join(dir, "index[0-9]*"))
	var parts []string
	for _, d := range idx {
		level, typ, size := readTrim(filepath.Join(d, "level")), readTrim(filepath.Join(d, "type")), readTrim(filepath.Join(d, "size"))
		if level == "" || size == "" {
			continue
		}
		name := "L" + level
		switch typ {
		case "Data":
			name += "d"
		case "Instruction":
			name += "i"
		}
		parts = append(parts, name+" "+size)
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// countList counts the CPUs in a kernel CPU list such as "0", "0,64" or
// "0-1".
func countList(s string) int {
	n := 0
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(lo)
		b, err2 := strconv.Atoi(hi)
		switch {
		case !isRange && err1 == nil:
			n++
		case isRange && err1 == nil && err2 == nil && b >= a:
			n += b - a + 1
		}
	}
	return n
}

func readTrim(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func (f Fingerprint) String() string {
	return fmt.Sprintf("%s family %s model %s stepping %s, %s MHz, %s, %d threads per core, kernel %s",
		f.Vendor, f.Family, f.Model, f.Stepping, f.MHz, f.Caches, f.ThreadsPerCore, f.Kernel)
}
