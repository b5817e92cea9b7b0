"""What the web application keeps between requests, and the limits on it: the settings,
the uploads and previews kept for an hour (bounded overall, per address and per browser
session, so one client cannot push out another's), and the worker slots a check or a
preview waits for (bounded too: when they and their queue are full, the request is
answered 503 at once instead of holding a server thread).

The blueprints (edition, checking, previews, submitting) read it through `current()`.
"""
from __future__ import annotations

import secrets
import threading
import time
from collections import Counter, OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import flask
from flask_limiter import Limiter
from werkzeug.exceptions import ServiceUnavailable

from . import sandbox, upload

ROOT = Path(__file__).resolve().parents[2]
CHECK = sandbox.Limits(seconds=10, memory_mb=512)
PREVIEW = sandbox.Limits(seconds=60, memory_mb=1536)
WEB_PAGE = sandbox.Limits(seconds=20, memory_mb=768)
KEEP_SECONDS = 3600
# Children at once. The machine has two cores; checks are short (a shipped catalog takes
# 0.2 s), so four can run while two previews lay out PDFs.
CHECK_SLOTS, CHECK_QUEUE = 4, 16
PREVIEW_SLOTS, PREVIEW_QUEUE = 2, 4
# One address and one browser session may hold one check slot (a draft web page shares
# them): a client sending the slowest files at its full rate leaves the other slots, and one core,
# to everyone else. (With two per address, the load test's hostile client took half the
# slots and ordinary clients were answered 503.)
CHECKS_PER_ADDRESS, CHECKS_PER_SESSION = 1, 1
# Kept uploads: 64 in all, at most 16 per address and 8 per session. With a catalog at
# most 2 MB and its report capped (upload.MAX_SHOWN problems), that bounds their memory.
KEPT, KEPT_PER_ADDRESS, KEPT_PER_SESSION = 64, 16, 8
QUEUE_SECONDS = 15  # the longest a request waits for a check slot before a 503


@dataclass(frozen=True)
class Settings:
    source: Path = ROOT / "source"  # the library: every leaflet, source/*.yaml
    translations: Path = ROOT / "translations"
    output: Path = ROOT / "output"
    submissions: Path = ROOT / "submissions"
    # Per address. 6 checks a minute of at most 10 s each is 60 worker-seconds: what the
    # one slot an address may hold (CHECKS_PER_ADDRESS) gives in a minute, a quarter of
    # the four slots' 240 (it was 30, 300 worker-seconds).
    checks_per_minute: int = 6
    previews_per_minute: int = 6
    secure_cookies: bool = False  # True behind an HTTPS reverse proxy


@dataclass
class Job:
    """A preview being made: its steps so far, then its PDFs or why it failed."""

    language: str
    language_name: str
    upload: str  # the key of the upload it is made from
    steps: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    state: str = "waiting"  # waiting, running, done, failed
    failure: str = ""


@dataclass
class Upload:
    data: bytes
    checked: upload.Checked
    leaflet: Path  # the source of the leaflet whose catalog it is (chosen from the library's)
    shared: bool = False  # the shared passages' catalog, previewed in `leaflet`
    submitted: str = ""  # the submission's name once submitted
    web: upload.WebDraft | None = None  # its draft web page, once asked for
    web_failure: str = ""  # why its draft web page could not be made
    lock: threading.Lock = field(default_factory=threading.Lock)  # one submission at once


@dataclass(frozen=True)
class Client:
    """Who sent a request: the address it came from and its browser session."""

    address: str
    session: str


class Recent:
    """Values kept for one browser session each, for a while, under unguessable keys.
    At most `size` in all, `per_address` per address and `per_session` per session: a
    client over its share loses its own oldest; when the whole is full, the oldest of the
    address holding most goes, so a client keeping few is the last to lose one."""

    def __init__(self, size: int, per_address: int, per_session: int,
                 seconds: float = KEEP_SECONDS):
        self._items: OrderedDict[str, tuple[Client, float, object]] = OrderedDict()
        self._size, self._per_address, self._per_session = size, per_address, per_session
        self._seconds = seconds
        self._lock = threading.Lock()

    def add(self, client: Client, value) -> str:
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._expire()
            self._make_room(client)
            self._items[key] = (client, time.monotonic(), value)
        return key

    def get(self, client: Client, key: str):
        with self._lock:
            owner, when, value = self._items.get(key, (None, 0.0, None))
        if owner is None or owner.session != client.session or \
                time.monotonic() - when > self._seconds:
            return None
        return value

    def __len__(self) -> int:
        return len(self._items)

    def _expire(self) -> None:
        now = time.monotonic()
        for key in [k for k, (_, when, _) in self._items.items()
                    if now - when > self._seconds]:
            del self._items[key]

    def _make_room(self, client: Client) -> None:
        owners = [owner for owner, _, _ in self._items.values()]
        if sum(o.session == client.session for o in owners) >= self._per_session:
            self._drop_oldest(lambda o: o.session == client.session)
        elif sum(o.address == client.address for o in owners) >= self._per_address:
            self._drop_oldest(lambda o: o.address == client.address)
        elif len(owners) >= self._size:
            [(most, _)] = Counter(o.address for o in owners).most_common(1)
            self._drop_oldest(lambda o: o.address == most)

    def _drop_oldest(self, whose) -> None:
        key = next(k for k, (owner, _, _) in self._items.items() if whose(owner))
        del self._items[key]


class Busy(ServiceUnavailable):
    """All workers and their queue are taken, or this client's share is: a 503 that
    says when to try again."""

    def __init__(self, description: str, retry_after: int):
        super().__init__(description)
        self.retry_after = retry_after

    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), ("Retry-After", str(self.retry_after))]


class Slots:
    """Worker slots: at most `running` at once, `waiting` more queued for at most `wait`
    seconds, `per_address` and `per_session` of them for one client. A request over any
    of these is refused (Busy) at once; none waits without bound."""

    def __init__(self, running: int, waiting: int, wait: float, per_address: int,
                 per_session: int, retry_after: int):
        self._free = threading.BoundedSemaphore(running)
        self._running = running
        self._lock = threading.Lock()
        self._queued = 0  # entered: running or waiting
        self._waiting, self._wait = waiting, wait
        self._per = {"address": per_address, "session": per_session}
        self._held: Counter = Counter()
        self.retry_after = retry_after

    @contextmanager
    def taken(self, client: Client, what: str):
        """Hold a slot for `what` ("a check") while the block runs."""
        self.enter(client, what)
        try:
            with self.running(what):
                yield
        finally:
            self.leave(client)

    @contextmanager
    def running(self, what: str):
        """A worker, once the client has entered (a preview enters in its request and
        runs in a thread of its own)."""
        if not self._free.acquire(timeout=self._wait):
            raise Busy(f"The server is busy: {what} waited {self._wait:g} s for a free "
                       f"worker. Try again in {self.retry_after} seconds.", self.retry_after)
        try:
            yield
        finally:
            self._free.release()

    def enter(self, client: Client, what: str) -> None:
        with self._lock:
            if self._held["address", client.address] >= self._per["address"] or \
                    self._held["session", client.session] >= self._per["session"]:
                raise Busy(f"Your computer already has {what} under way: wait for it to "
                           "finish, then send the next.", self.retry_after)
            if self._queued >= self._running + self._waiting:
                raise Busy(f"The server is busy with other translators' files: {what} "
                           f"cannot start now. Try again in {self.retry_after} seconds.",
                           self.retry_after)
            self._queued += 1
            self._held["address", client.address] += 1
            self._held["session", client.session] += 1

    def leave(self, client: Client) -> None:
        with self._lock:
            self._queued -= 1
            self._held["address", client.address] -= 1
            self._held["session", client.session] -= 1
            self._held = +self._held  # drops the zero counts: memory stays bounded


@dataclass(frozen=True)
class State:
    settings: Settings
    limiter: Limiter
    uploads: Recent
    jobs: Recent
    checks: Slots  # checks and draft web pages
    previews: Slots
    statuses: dict = field(default_factory=dict)  # make status, by the inputs' stamps
    # One request computes the statuses while the others wait for it (twenty at once,
    # each computing them, took seconds).
    statuses_lock: threading.Lock = field(default_factory=threading.Lock)
    texts: dict = field(default_factory=dict)  # each leaflet's texts, by its stamp


def make(settings: Settings, limiter: Limiter) -> State:
    return State(settings, limiter,
                 Recent(KEPT, KEPT_PER_ADDRESS, KEPT_PER_SESSION),
                 Recent(32, 8, 4),
                 Slots(CHECK_SLOTS, CHECK_QUEUE, QUEUE_SECONDS, CHECKS_PER_ADDRESS,
                       CHECKS_PER_SESSION, retry_after=int(CHECK.seconds)),
                 Slots(PREVIEW_SLOTS, PREVIEW_QUEUE, PREVIEW.seconds * 2, 1, 1,
                       retry_after=int(PREVIEW.seconds)))


def current() -> State:
    return flask.current_app.extensions["leaflet"]


def client() -> Client:
    return Client(flask.request.remote_addr or "", flask.session["client"])
