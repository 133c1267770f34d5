"""Tests of the harness: python3 -m unittest (from this folder)."""

import hashlib
import http.server
import io
import json
import os
import re
import tempfile
import threading
import unittest
import zlib

import concbench as cb

# A corpus with matches for both patterns; the real one comes from concbench.
LOG = b"".join(
    b'10.0.0.%d - - [01/Jan/2026:00:00:%02d +0000] "GET /api/v%d/users/%d HTTP/1.1" 200 %d "-" "%s/%d.%d"\n'
    % (i % 250, i % 60, 1 + i % 2, i, 100 + i, (b"curl", b"Wget", b"Mozilla", b"Go-http-client")[i % 4], i % 9, i % 7)
    for i in range(4000)
)
PREFIX = r"GET /api/v\d/users/(\d+)"
ALT = r"(?:Mozilla|curl|Wget|python-requests|Go-http-client)/(\d+)\.(\d+)"
WINDOWS = 8


class DigestTest(unittest.TestCase):
    def test_matches_go(self):
        # The same four results folded by models.Digest in Go give this.
        d = cb.Digest()
        for i, v in enumerate([0, 1, 0xFFFFFFFFFFFFFFFF, 0x0123456789ABCDEF]):
            d.add(i * 7 + 3, 1000 + i, v)
        self.assertEqual(str(d), "4:15e01c3b3ec75c751337b1ebcb47088b")
        self.assertEqual(str(cb.Digest()), "0:00000000000000000000000000000000")

    def test_order_independent_and_sensitive(self):
        a, b, c, dup = cb.Digest(), cb.Digest(), cb.Digest(), cb.Digest()
        for i in range(10):
            a.add(i, 5, i * 31)
        for i in reversed(range(10)):
            b.add(i, 5, i * 31)
        for i in range(10):
            c.add(i, 5, (9 - i) * 31)  # swapped results
        for i in list(range(9)) + [8]:
            dup.add(i, 5, i * 31)  # task 9 skipped, task 8 twice
        self.assertEqual(a, b)
        self.assertNotEqual(a, c)
        self.assertNotEqual(a, dup)


class InputsTest(unittest.TestCase):
    def test_windows_and_body(self):
        inp = cb.Inputs(LOG, 100, WINDOWS)
        self.assertEqual(inp.input(0), LOG[:100])
        self.assertEqual(inp.input(9), LOG[100:200])
        body = inp.body(12)
        self.assertEqual(len(body), 100)
        self.assertTrue(body.startswith(b"task 12\n"))
        self.assertEqual(body[8:], LOG[400:492])
        self.assertEqual(cb.Inputs(LOG, 5, WINDOWS).body(123), b"task ")

    def test_short_corpus(self):
        with self.assertRaisesRegex(ValueError, "needs 8000"):
            cb.Inputs(LOG[:7999], 1000, WINDOWS)


def workload(name, size=4096, **kw):
    b = dict(workload=name, size=size, tasks=12, workers=2, **kw)
    w = cb.make_workload(b, LOG, WINDOWS)
    w.bench, w.windows = b, WINDOWS
    return w


class WorkloadTest(unittest.TestCase):
    def test_sha256(self):
        w = workload("sha256")
        n, h = w.task(3)
        self.assertEqual(n, 4096)
        self.assertEqual(h, int.from_bytes(hashlib.sha256(LOG[3 * 4096:4 * 4096]).digest()[:8], "little"))

    def test_regex_positions(self):
        w = workload("regex-alt", pattern=ALT)
        data = LOG[:4096]
        pos = []
        for m in re.finditer(ALT.encode(), data):
            pos += [m.start(), m.end()] + [x for g in (1, 2) for x in m.span(g)]
        want = cb.portable(b"".join(p.to_bytes(4, "little") for p in pos)) ^ (len(pos) // 6)
        self.assertGreater(len(pos), 0)
        self.assertEqual(w.task(0), (4096, want))

    def test_gzip_round_trip(self):
        w = workload("stdgzip")
        per_task = w.verify(4)
        self.assertGreater(per_task, 0)
        self.assertLess(per_task, 4096)
        out = w.compress(LOG[:4096])
        self.assertEqual(zlib.decompress(out, 31), LOG[:4096])
        self.assertEqual(out[:2], b"\x1f\x8b")  # a gzip member, as compress/gzip writes

    def test_file_leaves_nothing(self):
        with tempfile.TemporaryDirectory() as d:
            w = workload("file", size=1024, dir=d, fsync=True)
            n, h = w.task(5)
            self.assertEqual((n, h), (1024, cb.portable(cb.Inputs(LOG, 1024, WINDOWS).body(5))))
            self.assertEqual(os.listdir(d), [])

    def test_unknown_workload(self):
        with self.assertRaisesRegex(ValueError, "want one of"):
            cb.make_workload({"workload": "zstd", "size": 1}, LOG, WINDOWS)


class ModelsTest(unittest.TestCase):
    def check_all(self, w, models):
        want = cb.Sequential(w, 1).run(12)
        self.assertEqual(want.count, 12)
        for cls in models:
            m = cls(w, 3)
            try:
                if hasattr(m, "warm"):
                    m.warm()
                self.assertEqual(m.run(12), want, cls.name)
            finally:
                m.close()

    def test_cpu_models_agree(self):
        with tempfile.NamedTemporaryFile(suffix=".corpus") as f:
            f.write(LOG)
            f.flush()
            for name, kw in [("regex-prefix", {"pattern": PREFIX})]:
                w = workload(name, **kw)
                w.corpus_path = f.name
                self.check_all(w, cb.CPU_MODELS)

    def test_io_models_agree(self):
        with tempfile.TemporaryDirectory() as d:
            self.check_all(workload("file", size=1024, dir=d), cb.IO_MODELS)
            self.assertEqual(os.listdir(d), [])

    def test_failing_task_fails_the_batch(self):
        class Bad:
            def task(self, i):
                if i == 7:
                    raise RuntimeError("task 7 failed")
                return 1, i

        for cls in (cb.Sequential, cb.ThreadPerTask, cb.ThreadPoolMap, cb.ThreadPoolCompleted):
            m = cls(Bad(), 2)
            try:
                with self.assertRaisesRegex(RuntimeError, "task 7"):
                    m.run(10)
            finally:
                m.close()


class Server:
    """A loopback server that answers /task/i with task i's body, as
    concbench's does."""

    def __init__(self, size):
        inputs = cb.Inputs(LOG, size, WINDOWS)
        self.conns = set()
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                outer.conns.add(self.client_address)
                i = int(self.path.rsplit("/", 1)[1])
                body = inputs.body(i)
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = "http://127.0.0.1:%d" % self.srv.server_address[1]
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


class HTTPTest(unittest.TestCase):
    def test_models_agree_and_reuse_connections(self):
        s = Server(512)
        try:
            w = workload("http", size=512, url=s.url)
            want = cb.Digest()
            body = cb.Inputs(LOG, 512, WINDOWS).body
            for i in range(12):
                want.add(i, 512, cb.portable(body(i)))
            for cls in cb.IO_MODELS:
                m = cls(w, 3)
                try:
                    self.assertEqual(m.run(12), want, cls.name)
                    before = len(s.conns)
                    self.assertEqual(m.run(12), want, cls.name)
                    if cls is not cb.ThreadPerTask:  # it opens up to a batch of connections
                        self.assertEqual(len(s.conns), before, cls.name + " opened new connections on a warm batch")
                finally:
                    m.close()
        finally:
            s.close()


class PlanTest(unittest.TestCase):
    def test_output(self):
        with tempfile.TemporaryDirectory() as d:
            corpus = os.path.join(d, "corpus")
            with open(corpus, "wb") as f:
                f.write(LOG)
            plan = {"corpus": corpus, "windows": WINDOWS, "count": 2, "benchtime": 0, "benches": [
                {"workload": "sha256", "size": 4096, "tasks": 8, "workers": 2, "params": "size=4KiB",
                 "models": ["py-sequential", "py-threadpool", "py-mpool"]},
                {"workload": "stdgzip", "size": 4096, "tasks": 8, "workers": 2, "params": "size=4KiB",
                 "models": ["py-sequential"]},
            ]}
            out = io.StringIO()
            cb.run_plan(plan, out, io.StringIO())
            lines = out.getvalue().splitlines()
        self.assertIn("python-gil: enabled" if not hasattr(__import__("sys"), "_is_gil_enabled") or
                      __import__("sys")._is_gil_enabled() else "python-gil: disabled", lines)
        self.assertIn("check: corpus sha256=%s bytes=%d" % (hashlib.sha256(LOG).hexdigest(), len(LOG)), lines)
        results = [l for l in lines if l.startswith("Benchmark")]
        self.assertEqual(len(results), 8)
        self.assertEqual(results[1].split("\t")[0], "BenchmarkPython/workload=sha256/model=py-threadpool/workers=2/tasks=8/size=4KiB")
        self.assertEqual(results[3].split("\t")[0], "BenchmarkPython/workload=sha256/model=py-sequential/tasks=8/size=4KiB")
        f = results[0].split("\t")
        self.assertEqual([x.split()[1] for x in f[2:]], ["ns/op", "MB/s", "tasks/s", "cpu-cores"])
        self.assertTrue(any(re.match(r"check: workload=stdgzip digest=8:[0-9a-f]{32} out-bytes-per-task=\d+$", l) for l in lines))


if __name__ == "__main__":
    unittest.main()
