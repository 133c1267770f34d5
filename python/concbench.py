"""The tutorial's concurrency models in CPython, on concbench's inputs.

concbench starts this harness with argv (no shell):

    python3 concbench.py --plan PLAN.json

The plan names the corpus file (the bytes concbench generated, written once),
the benchmarks to run (workload, its parameters, tasks per batch, workers),
and how many samples to take of how long. The harness writes the Go
benchmark format on stdout: configuration lines describing the interpreter,
then one result line per sample, then "check:" lines that concbench reads
to verify the work (the corpus's SHA-256 and each benchmark's batch digest)
and does not save. Anything wrong exits non-zero with the reason on stderr.

Standard library only: a fresh machine has no pip packages.
"""

import argparse
import array
import asyncio
import concurrent.futures as cf
import hashlib
import json
import multiprocessing
import os
import platform
import re
import sys
import sysconfig
import threading
import time
import urllib.parse
import zlib

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15

# ---------------------------------------------------------------------------
# The batch digest, ported from models/digest.go.


def mix(a, b):
    """The splitmix64 finaliser over a and b, in 64-bit arithmetic."""
    z = ((a * 0xBF58476D1CE4E5B9) & MASK) ^ b
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class Digest:
    """An order-independent summary of a batch: Go's models.Digest."""

    __slots__ = ("count", "sum", "xor", "bytes")

    def __init__(self):
        self.count = 0
        self.sum = 0
        self.xor = 0
        self.bytes = 0  # input bytes, for MB/s; not part of the comparison

    def add(self, i, nbytes, digest):
        m = mix(i & MASK, digest ^ mix(nbytes & MASK, GOLDEN))
        self.bytes += nbytes
        self.count += 1
        self.sum = (self.sum + m) & MASK
        self.xor ^= m

    def __str__(self):
        return "%d:%016x%016x" % (self.count, self.sum, self.xor)

    def __eq__(self, other):
        return str(self) == str(other)


def portable(data):
    """A task's digest of its output: the first 8 bytes of its SHA-256, read
    little-endian. Go's sha256 workload digests the same way; for the others
    concbench computes this digest of Go's output to compare (Go's own
    digests use XXH3, which the standard library lacks)."""
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "little")


# ---------------------------------------------------------------------------
# Inputs: slices of the corpus, as workloads/corpus.go and loopback.go cut them.


class Inputs:
    def __init__(self, corpus, size, windows):
        need = size * windows
        if len(corpus) < need:
            raise ValueError("corpus has %d bytes; size=%d needs %d" % (len(corpus), size, need))
        self.views = [corpus[k * size:(k + 1) * size] for k in range(windows)]
        self.size = size

    def input(self, i):
        return self.views[i % len(self.views)]

    def body(self, i):
        """Task i's HTTP body or file content (appendBody in loopback.go)."""
        head = b"task %d\n" % i
        if len(head) >= self.size:
            return head[:self.size]
        return head + self.input(i)[:self.size - len(head)]


# ---------------------------------------------------------------------------
# Workloads. A task returns (bytes processed, digest); check(i, out) is the
# untimed verification that the warm-up batch runs.


class SHA256:
    kind = "cpu"

    def __init__(self, b, inputs):
        self.inputs = inputs

    def task(self, i):
        data = self.inputs.input(i)
        return len(data), int.from_bytes(hashlib.sha256(data).digest()[:8], "little")


class Gzip:
    """gzip at level 6 through zlib: DEFLATE, as compress/gzip's default."""

    kind = "cpu"

    def __init__(self, b, inputs):
        self.inputs = inputs
        self.level = int(b.get("level", 6))
        self.out_bytes = 0

    def compress(self, data):
        c = zlib.compressobj(self.level, zlib.DEFLATED, 31)
        return c.compress(data) + c.flush()

    def task(self, i):
        data = self.inputs.input(i)
        return len(data), portable(self.compress(data))

    def verify(self, n):
        """Round-trips every distinct input; returns compressed bytes per task."""
        total = 0
        for i in range(n):
            data = self.inputs.input(i)
            out = self.compress(data)
            if zlib.decompress(out, 31) != data:
                raise RuntimeError("gzip: task %d does not round-trip" % i)
            total += len(out)
        return total / n


class Regex:
    kind = "cpu"

    def __init__(self, b, inputs):
        self.inputs = inputs
        # A bytes pattern: \d matches ASCII digits only, as in Go.
        self.re = re.compile(b["pattern"].encode())

    def task(self, i):
        data = self.inputs.input(i)
        pos = array.array("I")
        n = 0
        for m in self.re.finditer(data):
            n += 1
            for s, e in m.regs:
                pos.append(s & 0xFFFFFFFF)
                pos.append(e & 0xFFFFFFFF)
        if sys.byteorder == "big":
            pos.byteswap()
        return len(data), portable(pos.tobytes()) ^ n


class HTTPClient:
    """A keep-alive HTTP/1.1 GET over http.client, with idle connections
    shared by all threads as Go's transport shares them: after the warm-up a
    task costs a round trip on an open connection, never a new one."""

    def __init__(self, url, timeout):
        import http.client

        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.timeout = timeout
        self.http = http.client
        self.lock = threading.Lock()
        self.idle = []

    def get(self, path):
        with self.lock:
            c = self.idle.pop() if self.idle else None
        if c is None:
            c = self.http.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            c.request("GET", path)
            r = c.getresponse()
            body = r.read()
        except BaseException:
            c.close()
            raise
        if r.status != 200:
            c.close()
            raise RuntimeError("GET %s: %d %r" % (path, r.status, body[:200]))
        with self.lock:
            self.idle.append(c)
        return body

    def close(self):
        with self.lock:
            for c in self.idle:
                c.close()
            self.idle = []


class AsyncHTTPClient:
    """A small keep-alive HTTP/1.1 client on asyncio streams, since aiohttp
    is not in the standard library: GET only, Content-Length bodies only
    (what the loopback server sends), idle connections kept for reuse."""

    def __init__(self, url, timeout):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.timeout = timeout
        self.idle = []

    async def get(self, path):
        if self.idle:
            reader, writer = self.idle.pop()
        else:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            body = await asyncio.wait_for(self._get(reader, writer, path), self.timeout)
        except BaseException:
            writer.close()
            raise
        self.idle.append((reader, writer))
        return body

    async def _get(self, reader, writer, path):
        writer.write(("GET %s HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (path, self.host, self.port)).encode())
        await writer.drain()
        status = await reader.readline()
        parts = status.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise RuntimeError("GET %s: bad status line %r" % (path, status))
        length = None
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-length":
                length = int(v.strip())
        if length is None:
            raise RuntimeError("GET %s: no Content-Length" % path)
        body = await reader.readexactly(length)
        if parts[1] != b"200":
            raise RuntimeError("GET %s: %s %r" % (path, parts[1].decode(), body[:200]))
        return body

    def close(self):
        for _, w in self.idle:
            w.close()
        self.idle = []


class HTTP:
    kind = "io"

    def __init__(self, b, inputs):
        self.url = b["url"]
        self.timeout = float(b.get("timeout", 5.0))
        self.client = HTTPClient(self.url, self.timeout)
        self.aclient = None

    def task(self, i):
        body = self.client.get("/task/%d" % i)
        return len(body), portable(body)

    async def atask(self, i):
        if self.aclient is None:
            self.aclient = AsyncHTTPClient(self.url, self.timeout)
        body = await self.aclient.get("/task/%d" % i)
        return len(body), portable(body)

    def close(self):
        self.client.close()
        if self.aclient is not None:
            self.aclient.close()
            self.aclient = None


class File:
    """Writes task i's content, fsyncs it, reads it back and removes it, in
    a private directory that concbench made for the run."""

    kind = "io"

    def __init__(self, b, inputs):
        self.inputs = inputs
        self.dir = b["dir"]
        self.fsync = bool(b.get("fsync", True))
        self.seq = 0
        self.lock = threading.Lock()

    def task(self, i):
        data = self.inputs.body(i)
        with self.lock:
            self.seq += 1
            name = os.path.join(self.dir, "task-%d-%d-%d" % (i, os.getpid(), self.seq))
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                if self.fsync:
                    os.fsync(fd)
            finally:
                os.close(fd)
            with open(name, "rb") as f:
                back = f.read()
        finally:
            try:
                os.remove(name)
            except FileNotFoundError:
                pass
        if back != data:
            raise RuntimeError("file %s: read back %d bytes that differ from the %d written" % (name, len(back), len(data)))
        return len(back), portable(back)

    async def atask(self, i):
        # asyncio has no file API of its own: it hands blocking calls to
        # its default thread pool, as the tutorial's crawler would.
        return await asyncio.to_thread(self.task, i)


WORKLOADS = {
    "sha256": SHA256,
    "stdgzip": Gzip,
    "regex-prefix": Regex,
    "regex-alt": Regex,
    "http": HTTP,
    "file": File,
}

# ---------------------------------------------------------------------------
# Models. Each runs a batch of n tasks and returns the batch Digest.
# Pools are made once per benchmark, outside the timing, and warmed up.


class Sequential:
    name = "py-sequential"
    has_workers = False

    def __init__(self, w, workers):
        self.w = w

    def run(self, n):
        d = Digest()
        for i in range(n):
            b, h = self.w.task(i)
            d.add(i, b, h)
        return d

    def close(self):
        pass


class ThreadPerTask(Sequential):
    """threading.Thread per task: the whole batch at once."""

    name = "py-thread"

    def run(self, n):
        out = [None] * n
        errs = []

        def one(i):
            try:
                out[i] = self.w.task(i)
            except BaseException as e:  # reported after the join
                errs.append(e)

        ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        if errs:
            raise errs[0]
        d = Digest()
        for i, (b, h) in enumerate(out):
            d.add(i, b, h)
        return d


class ThreadPoolMap(Sequential):
    """ThreadPoolExecutor.map: results in input order."""

    name = "py-threadpool"
    has_workers = True

    def __init__(self, w, workers):
        self.w = w
        self.ex = cf.ThreadPoolExecutor(max_workers=workers)

    def run(self, n):
        d = Digest()
        for i, (b, h) in enumerate(self.ex.map(self.w.task, range(n))):
            d.add(i, b, h)
        return d

    def close(self):
        self.ex.shutdown(wait=True)


class ThreadPoolCompleted(ThreadPoolMap):
    """ThreadPoolExecutor with as_completed: results in completion order."""

    name = "py-threadpool-completed"

    def run(self, n):
        fs = {self.ex.submit(self.w.task, i): i for i in range(n)}
        d = Digest()
        for f in cf.as_completed(fs):
            b, h = f.result()
            d.add(fs[f], b, h)
        return d


# A worker process rebuilds the workload from the plan and the corpus file,
# as Go's process model rebuilds it from a spec: only task indices and
# results cross the pipe, never the inputs.
_worker = None


def _init_worker(bench, corpus_path, windows):
    global _worker
    with open(corpus_path, "rb") as f:
        corpus = f.read()
    _worker = make_workload(bench, corpus, windows)


def _run_task(i):
    return _worker.task(i)


class ProcessPool(Sequential):
    """concurrent.futures.ProcessPoolExecutor.map, one task per message."""

    name = "py-processpool"
    has_workers = True

    def __init__(self, w, workers):
        self.w = w
        ctx = multiprocessing.get_context("spawn")
        self.ex = cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                         initargs=(w.bench, w.corpus_path, w.windows))
        self.workers = workers

    def warm(self):
        # Start every worker: one blocking task per worker at once.
        list(self.ex.map(time.sleep, [0.05] * self.workers))

    def pids(self):
        return [p.pid for p in self.ex._processes.values()]

    def run(self, n):
        d = Digest()
        for i, (b, h) in enumerate(self.ex.map(_run_task, range(n))):
            d.add(i, b, h)
        return d

    def close(self):
        self.ex.shutdown(wait=True)


class MPPool(ProcessPool):
    """multiprocessing.Pool.imap with a chunksize: tasks sent in chunks."""

    name = "py-mpool"

    def __init__(self, w, workers):
        self.w = w
        ctx = multiprocessing.get_context("spawn")
        self.pool = ctx.Pool(workers, initializer=_init_worker, initargs=(w.bench, w.corpus_path, w.windows))
        self.workers = workers
        self.chunk = 0

    def warm(self):
        self.pool.map(time.sleep, [0.05] * self.workers, chunksize=1)

    def pids(self):
        return [p.pid for p in self.pool._pool]

    def run(self, n):
        # Four chunks per worker: fewer messages, still balanced.
        chunk = max(1, n // (4 * self.workers))
        d = Digest()
        for i, (b, h) in enumerate(self.pool.imap(_run_task, range(n), chunksize=chunk)):
            d.add(i, b, h)
        return d

    def close(self):
        self.pool.close()
        self.pool.join()


class Asyncio(Sequential):
    """One event loop, tasks bounded by an asyncio.Semaphore of workers."""

    name = "py-asyncio"
    has_workers = True

    def __init__(self, w, workers):
        self.w = w
        self.workers = workers
        self.loop = asyncio.new_event_loop()

    def run(self, n):
        return self.loop.run_until_complete(self._run(n))

    async def _run(self, n):
        sem = asyncio.Semaphore(self.workers)

        async def one(i):
            async with sem:
                return await self.w.atask(i)

        out = await asyncio.gather(*(one(i) for i in range(n)))
        d = Digest()
        for i, (b, h) in enumerate(out):
            d.add(i, b, h)
        return d

    def close(self):
        if hasattr(self.w, "close"):
            self.w.close()  # the async client's connections belong to this loop
        self.loop.run_until_complete(self.loop.shutdown_default_executor())
        self.loop.close()


CPU_MODELS = [Sequential, ThreadPerTask, ThreadPoolMap, ThreadPoolCompleted, ProcessPool, MPPool]
# A process pool of 64 interpreters for waiting work is not what the
# tutorial teaches: the IO workloads run the thread models and asyncio.
IO_MODELS = [Sequential, ThreadPerTask, ThreadPoolMap, ThreadPoolCompleted, Asyncio]
MODELS = {m.name: m for m in CPU_MODELS + IO_MODELS}


def make_workload(bench, corpus, windows):
    cls = WORKLOADS.get(bench.get("workload"))
    if cls is None:
        raise ValueError("workload %r: want one of %s" % (bench.get("workload"), ", ".join(sorted(WORKLOADS))))
    return cls(bench, Inputs(corpus, int(bench["size"]), windows))


# ---------------------------------------------------------------------------
# Measuring.


def cpu_seconds(pids):
    """CPU seconds of this process, its reaped children and the live worker
    processes in pids (read from /proc, in clock ticks, where there is one)."""
    t = os.times()
    total = time.process_time() + t.children_user + t.children_system
    if pids:
        tick = os.sysconf("SC_CLK_TCK")
        for pid in pids:
            try:
                with open("/proc/%d/stat" % pid) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
            except OSError:
                pass
    return total


def sample(model, n, benchtime, want):
    """Runs batches until benchtime has passed (at least one), checking each
    batch's digest; returns (batches, seconds, cpu seconds)."""
    pids = model.pids() if hasattr(model, "pids") else []
    c0 = cpu_seconds(pids)
    t0 = time.perf_counter()
    iters = 0
    while True:
        d = model.run(n)
        iters += 1
        if d != want:
            raise RuntimeError("%s: batch digest %s, want %s (the sequential model's)" % (model.name, d, want))
        el = time.perf_counter() - t0
        if el >= benchtime:
            break
    return iters, el, cpu_seconds(pids) - c0


def bench_name(b, model):
    parts = ["BenchmarkPython", "workload=" + b["workload"], "model=" + model.name]
    if model.has_workers:
        parts.append("workers=%d" % b["workers"])
    parts.append("tasks=%d" % b["tasks"])
    if b.get("params"):
        parts.append(b["params"])
    return "/".join(parts)


def result_line(name, iters, el, cpu, nbytes, n):
    ns = el * 1e9 / iters
    return "%s\t%d\t%.0f ns/op\t%.2f MB/s\t%.4g tasks/s\t%.4g cpu-cores" % (
        name, iters, ns, nbytes * iters / el / 1e6, n * iters / el, cpu / el)


def config_lines():
    gil = "enabled"
    if hasattr(sys, "_is_gil_enabled"):
        gil = "enabled" if sys._is_gil_enabled() else "disabled"
    build = "free-threading" if sysconfig.get_config_var("Py_GIL_DISABLED") else "default"
    return [
        "python: %s" % platform.python_version(),
        "python-implementation: %s" % platform.python_implementation(),
        "python-build: %s %s, %s" % (build, platform.python_compiler(), " ".join(platform.python_build())),
        "python-gil: %s" % gil,
    ]


def run_plan(plan, out, err):
    with open(plan["corpus"], "rb") as f:
        corpus = f.read()
    windows = int(plan.get("windows", 8))
    count = int(plan.get("count", 1))
    benchtime = float(plan.get("benchtime", 0))
    for line in config_lines():
        print(line, file=out)
    print("check: corpus sha256=%s bytes=%d" % (hashlib.sha256(corpus).hexdigest(), len(corpus)), file=out)
    out.flush()
    for b in plan["benches"]:
        w = make_workload(b, corpus, windows)
        w.bench, w.corpus_path, w.windows = b, plan["corpus"], windows
        n = int(b["tasks"])
        models = CPU_MODELS if w.kind == "cpu" else IO_MODELS
        if b.get("models"):
            models = [MODELS[m] for m in b["models"]]
        want = Sequential(w, 1).run(n)
        extra = ""
        if hasattr(w, "verify"):
            extra = " out-bytes-per-task=%.0f" % w.verify(n)
        print("check: workload=%s digest=%s%s" % (b["workload"], want, extra), file=out)
        # Every model is ready before the first sample, and the samples
        # are taken in rounds, one of each model a round, so that a burst of
        # load touches every model once rather than all samples of one:
        # sample r of a model pairs with sample r of py-sequential.
        ready = []
        try:
            for cls in models:
                m = cls(w, int(b.get("workers", 1)))
                ready.append(m)
                if hasattr(m, "warm"):
                    m.warm()
                # The warm-up batch: opens connections, fills caches, and
                # checks the digest before anything is timed.
                d = m.run(n)
                if d != want:
                    raise RuntimeError("%s on %s: batch digest %s, want %s (the sequential model's)" % (m.name, b["workload"], d, want))
            for _ in range(count):
                for m in ready:
                    iters, el, cpu = sample(m, n, benchtime, want)
                    print(result_line(bench_name(b, m), iters, el, cpu, want.bytes, n), file=out)
                    out.flush()
        finally:
            for m in ready:
                m.close()
        if hasattr(w, "close"):
            w.close()


def main(argv=None):
    ap = argparse.ArgumentParser(prog="concbench.py", description="Runs concbench's Python models on the plan's inputs.")
    ap.add_argument("--plan", required=True, help="JSON plan that concbench wrote")
    args = ap.parse_args(argv)
    if sys.version_info < (3, 9):
        print("concbench.py needs Python 3.9 or later, not %s" % platform.python_version(), file=sys.stderr)
        return 2
    try:
        with open(args.plan) as f:
            plan = json.load(f)
        run_plan(plan, sys.stdout, sys.stderr)
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        print("concbench.py: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
