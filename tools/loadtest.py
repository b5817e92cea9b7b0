#!/usr/bin/env python3
"""Load test of `render.py serve` (a script, not a timed test; tests/test_server.py runs it).

    .venv/bin/python tools/loadtest.py [--clients 20] [--catalogs 100] [--seconds 120]

Starts the server on 127.0.0.1 (a free port, a temporary submissions folder; the rate
limit raised, since every client here has the same address), then CLIENTS clients, each
with its own session and CSRF token, upload CATALOGS catalogs between them at once: the
shipped catalogs and the hostile ones of tests/hostile/. Every answer (the report page the
upload is redirected to) must be a 200 whose
page says what the check must say for that file (no error for a shipped catalog, the
file's expected message for a hostile one), none a 5xx, and the server must still answer
afterwards. Prints the p50 and p95 latency of a check as the client sees it (upload to
the whole report page). Traffic goes only to 127.0.0.1; the loop is bounded in count and
in time and stops by itself. Exit status 1 when any answer is wrong.
"""
from __future__ import annotations

import argparse
import html
import queue
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # never anything else: the load stays on this machine


def catalogs(canary: Path) -> list[tuple[str, bytes, str]]:
    """(name, content, what the report must say) of every catalog the clients send."""
    cases = [(p.parent.parent.name + ".po", p.read_bytes(), "No errors")
             for p in sorted((ROOT / "translations").glob("*/LC_MESSAGES/*.po"))]
    for path in sorted((ROOT / "tests" / "hostile").glob("*.po")):
        data = path.read_bytes().replace(b"@CANARY_URL@", canary.as_uri().encode()).replace(
            b"@CANARY_PATH@", str(canary).encode())
        expected = data.split(b"\n", 1)[0].decode()[len("# expect: "):]
        cases.append((path.name, data, expected))
    return cases


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start(port: int, folder: Path, *extra: str) -> subprocess.Popen:
    """The server, once it answers."""
    with open(folder / "server.log", "w") as log:  # a file: a full pipe would stop it
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "render.py"), "serve", "--host", HOST, "--port",
             str(port), "--submissions", str(folder / "submissions"), *extra],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    server.log = folder / "server.log"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"loadtest: the server did not start:\n{server.log.read_text()}")
        try:
            httpx.get(f"http://{HOST}:{port}/check", timeout=2)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("loadtest: the server did not answer within 60 s")


def stop(server: subprocess.Popen) -> str:
    """Stop the server; its log."""
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    return server.log.read_text()


def client(base: str, work: queue.Queue, results: list, deadline: float) -> None:
    """One translator's browser: a session, its token, then uploads until none are left."""
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as http:
        token = re.search(r'name="csrf_token" value="([^"]+)"', http.get("/check").text)[1]
        while time.monotonic() < deadline:
            try:
                name, data, expected = work.get_nowait()
            except queue.Empty:
                return
            began = time.monotonic()
            try:
                answer = http.post("/check", data={"csrf_token": token},
                                   files={"catalog": ("upload.po", data)})
                status, page = answer.status_code, html.unescape(answer.text)
            except httpx.HTTPError as exc:
                status, page = 0, f"{type(exc).__name__}: {exc}"
            seconds = time.monotonic() - began
            ok = status == 200 and expected in page and "Traceback" not in page
            results.append((name, status, seconds, ok, "" if ok else page[:300]))


def run(clients: int, count: int, seconds: float) -> int:
    with tempfile.TemporaryDirectory(prefix="leaflet-load-") as scratch:
        folder = Path(scratch)
        canary = folder / "canary.txt"
        canary.write_text("CANARY")
        cases = catalogs(canary)
        work: queue.Queue = queue.Queue()
        for i in range(count):
            work.put(cases[i % len(cases)])
        port = free_port()
        server = start(port, folder, "--checks-per-minute", str(100 * count))
        base = f"http://{HOST}:{port}"
        results: list = []
        try:
            deadline = time.monotonic() + seconds
            threads = [threading.Thread(target=client, args=(base, work, results, deadline))
                       for _ in range(clients)]
            began = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join(max(0.0, deadline - time.monotonic()) + 60)
            wall = time.monotonic() - began
            alive = server.poll() is None and httpx.get(f"{base}/", timeout=10).status_code == 200
        finally:
            log = stop(server)
    return report(results, count, clients, wall, alive, log)


def report(results, count, clients, wall, alive, log) -> int:
    latencies = sorted(r[2] for r in results)
    wrong = [r for r in results if not r[3]]
    errors = [r for r in results if r[1] >= 500]
    print(f"{len(results)} of {count} catalogs checked by {clients} clients in {wall:.1f} s")
    if latencies:
        p50 = statistics.median(latencies)
        p95 = latencies[min(len(latencies) - 1, round(0.95 * len(latencies)) - 1)]
        print(f"check latency: p50 {p50:.3f} s, p95 {p95:.3f} s, max {latencies[-1]:.3f} s")
    print(f"wrong answers: {len(wrong)}; 5xx: {len(errors)}; server still up: "
          f"{'yes' if alive else 'NO'}")
    for name, status, _, _, page in wrong[:10]:
        print(f"  {name}: HTTP {status}: {page!r}")
    if "Traceback" in log:
        print("the server's log has a traceback:\n" + log[-3000:])
    good = len(results) == count and not wrong and alive and "Traceback" not in log
    return 0 if good else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--catalogs", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=120,
                        help="stop sending after this long (default: %(default)s)")
    args = parser.parse_args()
    return run(args.clients, args.catalogs, args.seconds)


if __name__ == "__main__":
    sys.exit(main())
