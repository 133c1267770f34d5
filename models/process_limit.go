package models

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// processWorkerMemory is what one worker process is reckoned to need: 1024
// sha256 workers took 10.5 GB, about 10 MiB each, and the rest is room for
// larger inputs.
const processWorkerMemory = 16 << 20

// ProcessWorkerLimit returns the most worker processes Process starts on
// this machine: MaxProcessWorkers, or fewer where half the memory
// available now (Linux's MemAvailable) would not hold that many at 16 MiB
// each; at least 1. Where the available memory cannot be read it is
// MaxProcessWorkers. It reads /proc/meminfo on each call.
func ProcessWorkerLimit() int {
	avail := memAvailable()
	if avail <= 0 {
		return MaxProcessWorkers
	}
	return int(max(1, min(MaxProcessWorkers, avail/2/processWorkerMemory)))
}

// memAvailable returns MemAvailable from /proc/meminfo in bytes, or 0.
func memAvailable() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "MemAvailable:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
