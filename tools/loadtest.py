#!/usr/bin/env python3
"""Load test of `render.py serve` (a script, not a timed test; tests/test_server.py runs it).

    .venv/bin/python tools/loadtest.py [--clients 20] [--catalogs 100] [--seconds 120]
    .venv/bin/python tools/loadtest.py --hostile [--clients 20] [--seconds 40] [--attackers 1]

Starts the server on 127.0.0.1 (a free port, a temporary submissions folder; the rate
limit raised; the server trusts 127.0.0.1 as its proxy and each client names an address
of its own in X-Forwarded-For, as behind a reverse proxy), then CLIENTS clients, each
with its own session and CSRF token, upload CATALOGS catalogs between them at once: the
shipped catalogs and the hostile ones of tests/hostile/. Every answer (the report page the
upload is redirected to) must be a 200 whose
page says what the check must say for that file (no error for a shipped catalog, the
file's expected message for a hostile one), none a 5xx, and the server must still answer
afterwards. Prints the p50 and p95 latency of a check as the client sees it (upload to
the whole report page). Traffic goes only to 127.0.0.1; the loop is bounded in count and
in time and stops by itself. Exit status 1 when any answer is wrong.

With --hostile, every client has an address of its own (the server trusts 127.0.0.1 as
its proxy and each client names itself in X-Forwarded-For), the limits are the defaults,
and one hostile client sends the slowest and largest files it can make (a msgstr of
`Content-Type:` x 40,000; one of `a.` x 32,000; `x` on 400,000 lines), one after
another as fast as it is let (a 429 or 503 answered, again 0.2 s later), for the whole
time, while the CLIENTS ordinary clients each
load the home page, check a shipped catalog and read the report for PAUSE (10) seconds
(within their limit of 6 checks a minute), over and over. It prints
the ordinary clients' page and check latencies (p50, p95), what the hostile client got,
and the most memory the server and its children held at once (PSS and RSS), sampled
every 0.2 s.
Exit status 1 when an ordinary client's page p95 is over 1 s, its check p95 over 2 s, or
any ordinary answer is wrong.
"""
from __future__ import annotations

import argparse
import html
import queue
import random
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
# Seconds an ordinary client of --hostile reads its report before the next check: 10, so
# it stays within the server's default of 6 checks a minute per address.
PAUSE = 10


def catalogs(canary: Path) -> list[tuple[str, bytes, str, str]]:
    """(name, content, what the report must say, the catalog it is sent as: "" for the
    leaflet's) of every catalog the clients send."""
    cases = [(f"{p.parent.parent.name}/{p.name}", p.read_bytes(), "No errors",
              p.stem if p.stem == "shared" else "")
             for p in sorted((ROOT / "translations").glob("*/LC_MESSAGES/*.po"))]
    for path in sorted((ROOT / "tests" / "hostile").glob("*.po")):
        data = path.read_bytes().replace(b"@CANARY_URL@", canary.as_uri().encode()).replace(
            b"@CANARY_PATH@", str(canary).encode())
        lines = data.split(b"\n", 2)
        expected = lines[0].decode()[len("# expect: "):]
        sent = lines[1].decode("utf-8", "replace")
        cases.append((path.name, data, expected, sent[len("# catalog: "):]
                      if sent.startswith("# catalog: ") else ""))
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


def client(base: str, work: queue.Queue, results: list, deadline: float,
           address: str) -> None:
    """One translator's browser: a session, its token, then uploads until none are left."""
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True,
                      headers={"X-Forwarded-For": address}) as http:
        token = re.search(r'name="csrf_token" value="([^"]+)"', http.get("/check").text)[1]
        while time.monotonic() < deadline:
            try:
                name, data, expected, sent_as = work.get_nowait()
            except queue.Empty:
                return
            began = time.monotonic()
            try:
                answer = http.post("/check", data={"csrf_token": token, "leaflet": sent_as},
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
        server = start(port, folder, "--checks-per-minute", str(100 * count),
                       "--trusted-proxy", HOST)
        base = f"http://{HOST}:{port}"
        results: list = []
        try:
            deadline = time.monotonic() + seconds
            threads = [threading.Thread(target=client, args=(base, work, results, deadline,
                                                             f"10.0.0.{n + 1}"))
                       for n in range(clients)]
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


def hostile_files() -> list[tuple[str, bytes]]:
    """The slowest and the largest catalogs an attacker had found (issue 19)."""
    head = (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
            b'"Language: pl\\n"\n\n')
    return [("content-type.po", head + b'msgid "a"\nmsgstr "' + b"Content-Type:" * 40_000
             + b'"\n'),
            ("dots.po", head + b'msgid "a"\nmsgstr "' + b"a." * 32_000 + b'"\n'),
            ("junk.po", b"x\n" * 400_000)]


def memory_mb(pid: int) -> tuple[float, float]:
    """Resident memory of a process and all its descendants, in MB: the sum of their RSS
    (which counts the pages forked children share with the fork server once per child)
    and of their PSS (each shared page divided among its sharers: what they take)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    rss = pss = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


def session_of(http: httpx.Client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', http.get("/check").text)[1]


def ordinary(base: str, address: str, data: bytes, until: float, pages: list,
             checks: list, wrong: list) -> None:
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True,
                      headers={"X-Forwarded-For": address}) as http:
        token = session_of(http)
        time.sleep(random.uniform(0, PAUSE))  # translators do not all press Check at once
        while time.monotonic() < until:
            began = time.monotonic()
            answer = http.get("/")
            pages.append(time.monotonic() - began)
            if answer.status_code != 200:
                wrong.append(f"{address} GET /: {answer.status_code}")
            began = time.monotonic()
            answer = http.post("/check", data={"csrf_token": token},
                               files={"catalog": ("upload.po", data)})
            checks.append(time.monotonic() - began)
            if answer.status_code != 200 or "No errors" not in html.unescape(answer.text):
                said = " ".join(re.sub(r"<[^>]+>", " ", answer.text.split("<main", 1)[-1]).split())
                wrong.append(f"{address} check: {answer.status_code} {said[:200]}")
            time.sleep(PAUSE)


def attacker(base: str, address: str, until: float, got: list) -> None:
    files = hostile_files()
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True,
                      headers={"X-Forwarded-For": address}) as http:
        token = session_of(http)
        n = 0
        while time.monotonic() < until:
            name, data = files[n % len(files)]
            n += 1
            answer = http.post("/check", data={"csrf_token": token},
                               files={"catalog": (name, data)})
            got.append(answer.status_code)
            if answer.status_code in (429, 503):
                time.sleep(0.2)  # its full rate: again as soon as it may


def run_hostile(clients: int, seconds: float, attackers: int = 1) -> int:
    shipped = (ROOT / "translations/pl/LC_MESSAGES/nerve-related-back-and-leg-pain.po").read_bytes()
    with tempfile.TemporaryDirectory(prefix="leaflet-load-") as scratch:
        port = free_port()
        server = start(port, Path(scratch), "--trusted-proxy", HOST)
        base = f"http://{HOST}:{port}"
        pages, checks, wrong, got, memory = [], [], [], [], [memory_mb(server.pid)]
        try:
            until = time.monotonic() + seconds
            # One connection an address: a second one's refusals (503: one check at a
            # time) would use up the address's 6 a minute, so one is the most harm.
            threads = [threading.Thread(target=attacker, args=(base, f"203.0.113.{n + 1}",
                                                               until, got))
                       for n in range(attackers)]
            threads += [threading.Thread(target=ordinary, args=(
                base, f"10.0.{n // 250}.{n % 250 + 1}", shipped, until, pages, checks, wrong))
                for n in range(clients)]
            for t in threads:
                t.start()
            while any(t.is_alive() for t in threads):
                memory.append(memory_mb(server.pid))
                time.sleep(0.2)
                if time.monotonic() > until + 90:
                    wrong.append("a client did not stop")
                    break
            alive = server.poll() is None
        finally:
            log = stop(server)
    page95, check95 = p95(pages), p95(checks)
    print(f"hostile: {attackers} client(s), each from an address of its own, sent {len(got)} slow files in {seconds:g} s "
          f"({got.count(200)} checked, {got.count(503)} answered 503, "
          f"{got.count(429)} answered 429, {sum(c not in (200, 429, 503) for c in got)} other)")
    if pages and checks:
        print(f"{clients} ordinary clients: {len(pages)} pages, p50 "
              f"{statistics.median(pages):.3f} s, p95 {page95:.3f} s; {len(checks)} checks, "
              f"p50 {statistics.median(checks):.3f} s, p95 {check95:.3f} s")
    print(f"memory: the server and its children at most {max(m[1] for m in memory):.0f} MB "
          f"PSS, {max(m[0] for m in memory):.0f} MB RSS summed (at the start "
          f"{memory[0][1]:.0f} MB PSS)")
    print(f"wrong answers: {len(wrong)}; server still up: {'yes' if alive else 'NO'}")
    for line in wrong[:10]:
        print("  " + line)
    if "Traceback" in log:
        print("the server's log has a traceback:\n" + log[-3000:])
    good = page95 < 1 and check95 < 2 and not wrong and alive and "Traceback" not in log
    return 0 if good else 1


def p95(values: list[float]) -> float:
    ordered = sorted(values) or [float("inf")]
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--catalogs", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=120,
                        help="stop sending after this long (default: %(default)s)")
    parser.add_argument("--hostile", action="store_true",
                        help="one hostile client among the ordinary ones (see above)")
    parser.add_argument("--attackers", type=int, default=1, metavar="N",
                        help="with --hostile: hostile clients (0: the ordinary ones alone, "
                             "to compare; 4: every check slot full of the worst files, to "
                             "measure memory; default: %(default)s)")
    args = parser.parse_args()
    if args.hostile:
        return run_hostile(args.clients, args.seconds, args.attackers)
    return run(args.clients, args.catalogs, args.seconds)


if __name__ == "__main__":
    sys.exit(main())
