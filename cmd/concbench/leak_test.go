package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"

	"github.com/concbench/concbench/bench"
	"github.com/concbench/concbench/internal/leakcheck"
	"github.com/concbench/concbench/models"
	"github.com/concbench/concbench/workloads"
)

// TestMain serves as a process model worker or an IO server process when
// started as one, as the command does. Otherwise it runs the tests and fails the run if one leaves
// a goroutine, a child process or a temporary file behind.
func TestMain(m *testing.M) {
	workloads.ServeIfServer()
	models.ServeIfWorker(bench.BuildTask)
	if os.Getenv(asCommandEnv) != "" {
		asCommand()
	}
	leakcheck.Main(m)
}

// asCommandEnv makes the test binary run as the concbench command, so that
// tests can signal it and limit it as a process.
const asCommandEnv = "CONCBENCH_TEST_AS_COMMAND"

// fileSizeEnv sets, for the binary run as the command, the largest file it
// may write (RLIMIT_FSIZE): a write beyond fails as on a full disk.
const fileSizeEnv = "CONCBENCH_TEST_FILE_SIZE"

// execEnv names a concbench binary that the test binary, once it has set
// the limits above, replaces itself with.
const execEnv = "CONCBENCH_TEST_EXEC"

func asCommand() {
	if s := os.Getenv(fileSizeEnv); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err == nil {
			err = syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n})
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "setting the file size limit:", err)
			os.Exit(3)
		}
	}
	if bin := os.Getenv(execEnv); bin != "" {
		err := syscall.Exec(bin, append([]string{bin}, os.Args[1:]...), os.Environ())
		fmt.Fprintln(os.Stderr, "exec:", err)
		os.Exit(3)
	}
	os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr))
}
