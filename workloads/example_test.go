package workloads_test

import (
	"context"
	"fmt"
	"log"

	"github.com/concbench/concbench/workloads"
)

// A workload is looked up by name, configured by key=value parameters,
// prepared once and then asked for tasks. Its inputs come from a fixed
// seed, so a task's digest is the same on every machine and in every run.
func Example() {
	w, err := workloads.Lookup("sha256")
	if err != nil {
		log.Fatal(err)
	}
	if err := workloads.Configure(w, []string{"size=4KiB"}); err != nil {
		log.Fatal(err)
	}
	p, err := w.Prepare(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	if p.Close != nil {
		defer p.Close()
	}
	for i := range 3 {
		r, err := p.Task(context.Background(), i)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("task %d: %d bytes, digest %016x\n", i, r.Bytes, r.Digest)
	}
	fmt.Println(w.Kind(), workloads.Encode(w))
	// Output:
	// task 0: 4096 bytes, digest aa641ad8a1cf1c9f
	// task 1: 4096 bytes, digest 334e1468d69cac9f
	// task 2: 4096 bytes, digest fa79cdfb100c4c2f
	// cpu [size=4KiB]
}

// Configure rejects a bad value with an error that names it and says what
// is allowed.
func ExampleConfigure() {
	w, _ := workloads.Lookup("sha256")
	fmt.Println(workloads.Configure(w, []string{"size=0"}))
	fmt.Println(workloads.Configure(w, []string{"level=9"}))
	// Output:
	// parameter size=0: size 0 out of range: want 1 to 64MiB
	// unknown parameter "level" (have size)
}

// A staged workload hands out its task as steps too: the crawler fetches a
// page over loopback HTTP, then parses it. Running the stages one after
// another gives what Task gives, which is what the pipeline model relies on.
func ExamplePrepared_stages() {
	w, err := workloads.Lookup("crawl")
	if err != nil {
		log.Fatal(err)
	}
	if err := workloads.Configure(w, []string{"size=1KiB", "latency=0"}); err != nil {
		log.Fatal(err)
	}
	p, err := w.Prepare(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	whole, err := p.Task(ctx, 7)
	if err != nil {
		log.Fatal(err)
	}
	var v any
	for _, stage := range p.Stages {
		if v, err = stage(ctx, 7, v); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(len(p.Stages), "stages; same result:", v.(workloads.Result) == whole)
	fmt.Printf("task 7: %d bytes, digest %016x\n", whole.Bytes, whole.Digest)
	// Output:
	// 2 stages; same result: true
	// task 7: 1024 bytes, digest 2939b25a0a1aedde
}
