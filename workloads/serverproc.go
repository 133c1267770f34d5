package workloads

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/concbench/concbench/internal/tail"
)

// The http, fanout and crawl servers run, by default, in a server process:
// a re-execution of the running binary (os.Executable, an argument and an
// environment marker, no shell) that serves on 127.0.0.1 until its input
// closes. So the model under test governs the client alone: GOMAXPROCS=1
// squeezes only the client, the client's CPU time leaves the server's out,
// and the process model's workers all reach the one server.
//
// The protocol, on the server's standard input and output, is lines of
// text: the server writes "listening http://127.0.0.1:port" once it
// serves; to "cpu" it answers "cpu <ns>", its own user+system CPU time so
// far; when its input ends it stops its servers and exits 0.

const (
	// serverEnv marks a process started as a server process.
	serverEnv = "CONCBENCH_SERVER"
	// serverArg is a server process's first argument. It has no use in a
	// binary that does not serve, which then fails at once (a test
	// binary rejects the flag) rather than running its own main.
	serverArg = "-concbench.server"
	// serverStartWait bounds how long a server process may take to start
	// listening: the exec of a test binary takes tens of milliseconds,
	// seconds on a loaded machine.
	serverStartWait = 30 * time.Second
	// serverExitWait is how long a server process may take to exit once
	// its input has closed, before it is killed.
	serverExitWait = 5 * time.Second
)

// Where a workload's servers run: the values of its server parameter.
const (
	ServerProcess = "process" // a server process of their own, the default
	ServerInProc  = "inproc"  // goroutines of the measuring process
)

// A servable workload can run its servers apart from its tasks.
type servable interface {
	Workload
	// serve starts the servers in this process and returns the base URL
	// of the one the tasks talk to, and the function that stops them all.
	serve() (url string, stop func() error, err error)
}

// serverKinds builds, by the name a server process is given, a fresh
// workload whose servers it runs.
var serverKinds = map[string]func() servable{
	"http":   func() servable { return new(HTTP) },
	"fanout": func() servable { return new(Fanout) },
	"crawl":  func() servable { return new(Crawl) },
}

// ServeIfServer makes this process a server process if it was started as
// one, and otherwise returns at once. Call it first thing in main, or in
// TestMain before m.Run, in every binary that prepares the http, fanout or
// crawl workloads with their servers in a process of their own (the
// default): they start it by running the same binary again. In a server
// process it never returns.
func ServeIfServer() {
	if os.Getenv(serverEnv) == "" {
		return
	}
	os.Unsetenv(serverEnv) // not for the processes a server might start
	// Ctrl-C reaches the whole process group; the server leaves when its
	// parent closes its input or exits.
	signal.Ignore(os.Interrupt, syscall.SIGTERM)
	if err := serveProcess(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "concbench server %d: %v\n", os.Getpid(), err)
		os.Exit(1)
	}
	os.Exit(0)
}

// serveProcess is a server process's body: args are serverArg, a kind of
// serverKinds and the workload's parameters, key=value.
func serveProcess(args []string, in io.Reader, out io.Writer) error {
	if len(args) < 2 || args[0] != serverArg {
		return fmt.Errorf("started with %q: want %s KIND [KEY=VALUE...]", args, serverArg)
	}
	build, ok := serverKinds[args[1]]
	if !ok {
		return fmt.Errorf("unknown server kind %q (have fanout, crawl, http)", args[1])
	}
	w := build()
	if err := Configure(w, args[2:]); err != nil {
		return fmt.Errorf("%s server: %w", args[1], err)
	}
	url, stop, err := w.serve()
	if err != nil {
		return fmt.Errorf("%s server: %w", args[1], err)
	}
	if _, err := fmt.Fprintf(out, "listening %s\n", url); err != nil {
		return errors.Join(err, stop())
	}
	lines := bufio.NewScanner(in)
	for lines.Scan() {
		if lines.Text() != "cpu" {
			return errors.Join(fmt.Errorf("unknown request %q: want cpu", lines.Text()), stop())
		}
		if _, err := fmt.Fprintf(out, "cpu %d\n", selfCPU().Nanoseconds()); err != nil {
			return errors.Join(err, stop())
		}
	}
	return errors.Join(lines.Err(), stop())
}

// A serverProc is a running server process, seen from its parent. Its
// methods may be called from several goroutines at once.
type serverProc struct {
	url    string
	pid    int
	cmd    *exec.Cmd
	in     io.WriteCloser
	output *tail.Buffer // the server's standard error

	mu    sync.Mutex // one request at a time over the pipes
	lines *bufio.Reader

	closeOnce sync.Once
	closeErr  error
}

// startServerProc starts a server process for w, whose kind is one of
// serverKinds, and waits until it listens.
func startServerProc(kind string, w Workload) (*serverProc, error) {
	if os.Getenv(serverEnv) != "" {
		// This binary was started as a server and did not serve: starting
		// another would recurse.
		return nil, errors.New("this binary was started as a server process and did not serve: call workloads.ServeIfServer first thing in main or TestMain")
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this binary to start the server process: %w", err)
	}
	args := append([]string{serverArg, kind}, Encode(w)...)
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), serverEnv+"=1")
	output := &tail.Buffer{}
	cmd.Stderr = output
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the %s server process: %w", kind, err)
	}
	p := &serverProc{pid: cmd.Process.Pid, cmd: cmd, in: in, output: output, lines: bufio.NewReader(out)}
	greeting := make(chan error, 1)
	go func() {
		line, err := p.lines.ReadString('\n')
		if err == nil {
			url, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "listening ")
			if !ok || !loopbackURL(url) {
				err = fmt.Errorf("greeted with %q, want listening http://127.0.0.1:PORT", line)
			}
			p.url = url
		}
		greeting <- err
	}()
	select {
	case err = <-greeting:
	case <-time.After(serverStartWait):
		err = fmt.Errorf("not listening after %v", serverStartWait)
	}
	if err != nil {
		cmd.Process.Kill()
		werr := cmd.Wait()
		return nil, fmt.Errorf("%s server process %d: %w (%v; %s); a binary that prepares IO workloads must call workloads.ServeIfServer first thing in main or TestMain",
			kind, p.pid, err, werr, strings.TrimSpace(output.String()))
	}
	return p, nil
}

// loopbackURL reports whether url is http://127.0.0.1:PORT.
func loopbackURL(url string) bool {
	hostport, ok := strings.CutPrefix(url, "http://")
	return ok && checkAddr(hostport) == nil
}

// checkAddr accepts 127.0.0.1:PORT and nothing else: the benchmarks make
// no traffic beyond loopback.
func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if n, perr := strconv.Atoi(port); err != nil || host != "127.0.0.1" || perr != nil || n < 1 || n > 65535 {
		return fmt.Errorf("addr=%q: want 127.0.0.1:PORT", addr)
	}
	return nil
}

// CPU returns the server process's CPU time so far, user and system; zero
// if it cannot tell (it has exited, or getrusage is missing).
func (p *serverProc) CPU() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := io.WriteString(p.in, "cpu\n"); err != nil {
		return 0
	}
	line, err := p.lines.ReadString('\n')
	if err != nil {
		return 0
	}
	ns, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSuffix(line, "\n"), "cpu "), 10, 64)
	if err != nil {
		return 0
	}
	return time.Duration(ns)
}

// close ends the server process's input, so that it stops its servers
// and exits, and waits for it: killed after serverExitWait. Calls after
// the first return its error.
func (p *serverProc) close() error {
	p.closeOnce.Do(func() {
		p.in.Close()
		exited := make(chan error, 1)
		go func() { exited <- p.cmd.Wait() }()
		select {
		case err := <-exited:
			if err != nil {
				p.closeErr = fmt.Errorf("server process %d: %w: %s", p.pid, err, strings.TrimSpace(p.output.String()))
			}
		case <-time.After(serverExitWait):
			p.cmd.Process.Kill()
			<-exited
			p.closeErr = fmt.Errorf("server process %d did not exit within %v of its input closing; killed: %s", p.pid, serverExitWait, strings.TrimSpace(p.output.String()))
		}
	})
	return p.closeErr
}

// A reach is how a prepared workload's tasks reach its servers.
type reach struct {
	url       string               // base URL: http://127.0.0.1:port
	stop      func() error         // stops the servers; nil when they are not ours
	serverCPU func() time.Duration // nil unless they run in a server process
	remote    []string             // for Prepared.Remote
}

// reachServers starts w's servers where server says, or reaches those
// already running at addr (a process model worker's case).
func reachServers(kind string, w servable, server, addr string) (*reach, error) {
	if addr != "" {
		return &reach{url: "http://" + addr}, nil
	}
	if server == ServerInProc {
		url, stop, err := w.serve()
		if err != nil {
			return nil, err
		}
		return &reach{url: url, stop: stop, remote: []string{"addr=" + strings.TrimPrefix(url, "http://")}}, nil
	}
	p, err := startServerProc(kind, w)
	if err != nil {
		return nil, err
	}
	return &reach{url: p.url, stop: p.close, serverCPU: p.CPU, remote: []string{"addr=" + strings.TrimPrefix(p.url, "http://")}}, nil
}

// prepared returns the Prepared of a workload whose task uses client c to
// reach r; closing it closes the client, then the servers.
func (r *reach) prepared(task Task, c *client, latency time.Duration) *Prepared {
	return &Prepared{
		Task:      task,
		Latency:   latency,
		ServerCPU: r.serverCPU,
		Remote:    r.remote,
		Close: func() error {
			c.close()
			if r.stop == nil {
				return nil
			}
			return r.stop()
		},
	}
}

// serverValue is the server parameter: process or inproc; the zero value
// reads as process.
type serverValue struct{ p *string }

func (v serverValue) String() string {
	if *v.p == "" {
		return ServerProcess
	}
	return *v.p
}

func (v serverValue) Set(s string) error {
	if s != ServerProcess && s != ServerInProc {
		return fmt.Errorf("%q: want %s or %s", s, ServerProcess, ServerInProc)
	}
	*v.p = s
	return nil
}

// serverParams are the parameters of a workload with servers: where they
// run, and the address of running ones to use instead.
func serverParams(server, addr *string) []Param {
	return []Param{
		{"server", "where the servers run: process (a re-execution of this binary, started once per benchmark, outside the timing) or inproc (goroutines of the measuring process, sharing its runtime)", serverValue{server}},
		{"addr", "127.0.0.1:PORT of servers already running, to use instead of starting them (how the process model's workers share one); empty: start them", stringValue{addr}},
	}
}

// checkServer rejects, for workloads configured through their struct
// fields, what the server parameters' Set methods would have rejected.
func checkServer(server, addr string) error {
	if server != "" && server != ServerProcess && server != ServerInProc {
		return fmt.Errorf("server=%q: want %s or %s", server, ServerProcess, ServerInProc)
	}
	if addr != "" {
		return checkAddr(addr)
	}
	return nil
}
