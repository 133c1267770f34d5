// Command fakebench stands in for the bench test binary in concbench's
// tests. FAKEBENCH_MODE picks its behaviour.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

func main() {
	flag.String("test.run", "", "")
	bench := flag.String("test.bench", "", "")
	flag.Int("test.count", 1, "")
	flag.String("test.benchtime", "", "")
	flag.String("test.skip", "", "")
	flag.Bool("test.short", false, "")
	flag.Parse()
	names := strings.Split(os.Getenv("FAKEBENCH_NAMES"), ",")
	mode := os.Getenv("FAKEBENCH_MODE")

	fmt.Println("instrumented: " + map[bool]string{true: "race", false: "none"}[mode == "race"])
	fmt.Println("goos: linux\ngoarch: amd64\npkg: github.com/concbench/concbench/bench")
	for i, n := range names {
		if mode == "missing" && i == len(names)-1 {
			break
		}
		if mode == "crash" && i == 1 {
			fmt.Fprintln(os.Stderr, "panic: something broke")
			os.Exit(2)
		}
		fmt.Printf("%s-2 \t 10\t 100 ns/op\n", n)
		if mode == "hang" && i == len(names)/2 {
			time.Sleep(time.Minute) // until it is stopped
		}
		if mode == "gomaxprocs" && i == 0 {
			fmt.Printf("testing: %s-2 left GOMAXPROCS set to 1\n", n)
		}
	}
	fmt.Println("PASS")
	_ = bench
}
