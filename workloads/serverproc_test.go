package workloads

import (
	"context"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/concbench/concbench/internal/leakcheck"
)

// TestServerProcess prepares each workload with servers with them in a
// server process: one child process serves, the tasks compute what the
// in-process servers give, the server's CPU time grows with the work it
// does, and Close leaves no process behind, reaped.
func TestServerProcess(t *testing.T) {
	for _, name := range []string{"http", "fanout-concurrent", "crawl"} {
		t.Run(name, func(t *testing.T) {
			want := results(t, name, ServerInProc)
			if kids := leakcheck.Children(os.Getpid()); len(kids) != 0 {
				t.Fatalf("child processes %v before the server process started", kids)
			}
			w, _ := Lookup(name)
			w.Shrink()
			p, err := w.Prepare(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			kids := leakcheck.Children(os.Getpid())
			if len(kids) != 1 {
				p.Close()
				t.Fatalf("child processes %v, want one server process", kids)
			}
			if p.ServerCPU == nil || len(p.Remote) != 1 || !strings.HasPrefix(p.Remote[0], "addr=127.0.0.1:") {
				p.Close()
				t.Fatalf("ServerCPU set %v, Remote %q: want both, the address on 127.0.0.1", p.ServerCPU != nil, p.Remote)
			}
			cpu0 := p.ServerCPU()
			got, err := runTasks(context.Background(), p.Task, len(want), 4)
			cpu1 := p.ServerCPU()
			if cerr := p.Close(); cerr != nil {
				t.Error(cerr)
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("results differ from those of the servers in process")
			}
			if cpu1 <= cpu0 {
				t.Errorf("server CPU %v before %d tasks and %v after: want it to grow", cpu0, len(want), cpu1)
			}
			if kids := leakcheck.Children(os.Getpid()); len(kids) != 0 {
				t.Errorf("child processes %v left after Close, want none", kids)
			}
			if p.ServerCPU() != 0 {
				t.Errorf("ServerCPU of a stopped server process is not zero")
			}
		})
	}
}

// results runs 16 tasks of the shrunken workload with its servers where
// server says.
func results(t *testing.T, name, server string) []Result {
	t.Helper()
	w, _ := Lookup(name)
	w.Shrink()
	if err := Configure(w, []string{"server=" + server}); err != nil {
		t.Fatal(err)
	}
	p, err := w.Prepare(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if server == ServerInProc && p.ServerCPU != nil {
		t.Errorf("ServerCPU set for servers in this process, whose CPU the client's includes")
	}
	rs, err := runTasks(context.Background(), p.Task, 16, 4)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// TestServerShared prepares the workload a second time with the first's
// Remote, as a process model worker does: it starts no server and reaches
// the first one.
func TestServerShared(t *testing.T) {
	for _, server := range []string{ServerProcess, ServerInProc} {
		w := &HTTP{Size: 1 << 10, Server: server}
		p, err := w.Prepare(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		before := leakcheck.Children(os.Getpid())
		worker := &HTTP{Size: 1 << 10}
		if err := Configure(worker, append(Encode(w), p.Remote...)); err != nil {
			t.Fatal(err)
		}
		q, err := worker.Prepare(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if after := leakcheck.Children(os.Getpid()); len(after) != len(before) || q.Remote != nil || q.ServerCPU != nil {
			t.Errorf("server=%s: the second Prepare started servers: children %v then %v, Remote %q", server, before, after, q.Remote)
		}
		a, err := runTasks(context.Background(), p.Task, 8, 2)
		if err != nil {
			t.Fatal(err)
		}
		b, err := runTasks(context.Background(), q.Task, 8, 2)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a, b) {
			t.Errorf("server=%s: the two clients of one server got different results", server)
		}
		if err := q.Close(); err != nil {
			t.Error(err)
		}
		if err := p.Close(); err != nil {
			t.Error(err)
		}
	}
}

func TestServerParamsRejected(t *testing.T) {
	for _, tc := range []struct {
		w    Workload
		want string
	}{
		{&HTTP{Size: 1, Server: "remote"}, `server="remote": want process or inproc`},
		{&Crawl{Size: 4 << 10, Addr: "10.0.0.1:80"}, `addr="10.0.0.1:80": want 127.0.0.1:PORT`},
		{&Fanout{Handler: "serial", Calls: 1, Size: 1, Addr: "127.0.0.1"}, `addr="127.0.0.1": want 127.0.0.1:PORT`},
	} {
		if _, err := tc.w.Prepare(context.Background()); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%T: Prepare error %v, want %q", tc.w, err, tc.want)
		}
	}
	if err := Configure(&HTTP{}, []string{"server=elsewhere"}); err == nil || !strings.Contains(err.Error(), "want process or inproc") {
		t.Errorf("server=elsewhere: %v", err)
	}
}

// TestServeProcessBadArgs: a server process started wrongly says so and
// starts nothing.
func TestServeProcessBadArgs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "want -concbench.server KIND"},
		{[]string{serverArg, "ftp"}, `unknown server kind "ftp"`},
		{[]string{serverArg, "http", "latency=forever"}, "latency=forever"},
	} {
		err := serveProcess(tc.args, strings.NewReader(""), io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.args, err, tc.want)
		}
	}
}

// TestServeProcessProtocol runs a server process's body on pipes: it
// greets with its URL, answers cpu, and stops when its input ends.
func TestServeProcessProtocol(t *testing.T) {
	var out strings.Builder
	err := serveProcess([]string{serverArg, "http", "size=1KiB"}, strings.NewReader("cpu\ncpu\n"), &out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "listening http://127.0.0.1:") || !strings.HasPrefix(lines[1], "cpu ") || !strings.HasPrefix(lines[2], "cpu ") {
		t.Errorf("server wrote %q, want a listening line and two cpu lines", lines)
	}
	err = serveProcess([]string{serverArg, "http", "size=1KiB"}, strings.NewReader("stats\n"), io.Discard)
	if err == nil || !strings.Contains(err.Error(), `unknown request "stats"`) {
		t.Errorf("unknown request: %v", err)
	}
}
