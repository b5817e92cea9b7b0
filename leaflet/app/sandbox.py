"""Run a function in a child process with a time limit, a memory limit and a folder of
its own: how the server checks and previews the catalogs translators upload.

Public verbs: `run(function, args, limits, progress) -> result`, and `isolation()`, what
this machine's kernel lets the children have (the server prints it when it starts).
Children are forked from a fork server that imported the pipeline once, so a check
starts in milliseconds instead of the second a new interpreter and WeasyPrint take.
Each child:
- starts a session of its own (its own process group: a time-out kills everything it
  started, not only the child) and runs at a lower priority than the server's threads;
- has its address space (RLIMIT_AS), CPU time (RLIMIT_CPU), file size (RLIMIT_FSIZE)
  and tasks (RLIMIT_NPROC: processes and threads) limited, and writes no core file;
- has no network: a network namespace of its own, with no interface but a loopback that
  is down (unshare(2) CLONE_NEWNET as root, with CLONE_NEWUSER otherwise);
- runs as `nobody` when the server runs as root (its folder given to that user);
- reads only the project, Python and the system's libraries and fonts, and writes only
  its own folder (Landlock, Linux 5.13+; also refuses TCP from ABI 4);
- works in a new temporary folder (its working directory, HOME, TMPDIR and fontconfig's
  cache), which the parent removes after the child has ended, however it ended, so two
  uploads never see each other's files and nothing is left behind.
Where the kernel refuses a namespace or Landlock the child runs without it, and
`isolation()` says so: the limits and the user stay.
`function(folder, *args, progress=...)` runs in the child; `progress(text)` there reaches
the parent's `progress` callback. What it returns (or a BuildError it raises) must pickle.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import pwd
import sys
import resource
import shutil
import signal
import tempfile
import time
import traceback
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import BuildError, WorkerFailed

# What every child needs, imported once by the fork server (the main script too, or
# every child would run it again as multiprocessing prepares it). babel.numbers and
# email.policy are what a check, a draft page and a preview import on first use (found by
# diffing sys.modules around them): a child running as nobody may be unable to read
# Python's own folder. app.preload asks the braille tables once, as a child may start no
# program.
PRELOAD = ["__main__", "leaflet.app.sandbox", "leaflet.app.upload", "leaflet.build.build",
           "weasyprint", "babel.numbers", "email.policy", "leaflet.app.preload"]


ROOT = Path(__file__).resolve().parents[2]
NOBODY = "nobody"
FILE_MB = 64  # the largest file a child may write (a draft PDF is under 2 MB)
NICE = 5  # the children yield the CPU to the server's threads answering pages


@dataclass(frozen=True)
class Limits:
    seconds: float
    memory_mb: int  # address space
    # Tasks (processes and threads: Pango starts some) its user may start besides those
    # it has: a fork bomb stops there.
    tasks: int = 64
    nice: int = NICE  # its priority (nice(2)): higher yields more


def _codecs() -> None:
    """Import every codec Python has, now: a catalog may name any charset, and a child
    running as nobody may be unable to read Python's folder to import one later (where
    Python is installed under root's home)."""
    import encodings
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(encodings.__path__):
        try:
            importlib.import_module(f"encodings.{module.name}")
        except ImportError:  # a codec for another platform (mbcs, oem)
            continue


_codecs()


@lru_cache(maxsize=1)
def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def start() -> None:
    """Start the fork server now (it takes a second), not on the first upload."""
    _context().Process(target=_nothing).start()


def _nothing() -> None:
    pass


def run(function, args: tuple, limits: Limits, progress=lambda text: None):
    """`function(folder, *args, progress=...)`'s result, run in a limited child. A
    BuildError raised there is raised here; WorkerFailed when the child ran out of time
    or memory or failed in any other way."""
    folder = tempfile.mkdtemp(prefix="leaflet-sandbox-")
    if _drops_root():
        user = pwd.getpwnam(NOBODY)
        os.chown(folder, user.pw_uid, user.pw_gid)
    receiver, sender = _context().Pipe(duplex=False)
    child = _context().Process(target=_child, args=(sender, folder, limits, function, args))
    try:
        child.start()
        sender.close()
        return _result(receiver, child, limits, progress)
    finally:
        _end(child)
        receiver.close()
        shutil.rmtree(folder, ignore_errors=True)


def _result(receiver, child, limits: Limits, progress):
    deadline = time.monotonic() + limits.seconds
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not receiver.poll(remaining):
            raise WorkerFailed(f"it took longer than {limits.seconds:g} seconds and was "
                               "stopped")
        try:
            kind, value = receiver.recv()
        except (EOFError, OSError):
            child.join(1)
            raise WorkerFailed("it stopped before it had finished (it may have needed more "
                               f"than {limits.memory_mb} MB of memory)") from None
        if kind == "progress":
            progress(value)
        elif kind == "done":
            return value
        elif kind == "refused":
            raise BuildError(value)
        else:
            raise WorkerFailed(value)


def _end(child) -> None:
    """Kill the child's whole process group, whether or not the child itself has ended
    (a grandchild must not outlive it). Until the child is reaped its pid, the group's
    id, cannot be reused, so this never signals anyone else's group."""
    if child.pid is None:
        return
    for kill in (lambda: os.killpg(child.pid, signal.SIGKILL), child.kill):
        try:
            kill()
            break
        except (ProcessLookupError, PermissionError):
            continue
    child.join()
    child.close()


def _child(sender, folder: str, limits: Limits, function, args) -> None:
    memory_mb = limits.memory_mb
    try:
        _confine(folder, limits)
    except OSError as exc:  # nothing runs unconfined
        sender.send(("failed", f"its sandbox could not be set up ({exc.strerror})"))
        sender.close()
        return
    try:
        result = function(Path(folder), *args,
                          progress=lambda text: sender.send(("progress", text)))
        sender.send(("done", result))
    except BuildError as exc:
        sender.send(("refused", list(exc.problems)))
    except MemoryError:
        sender.send(("failed", f"it needed more than {memory_mb} MB of memory and was "
                               "stopped"))
    except Exception:  # noqa: BLE001 - reported to the server's log, never to the person
        traceback.print_exc()
        sender.send(("failed", "it failed unexpectedly (the server's log says why)"))
    finally:
        sender.close()


def _confine(folder: str, limits: Limits) -> None:
    """Limit, isolate and confine this process (the child) before it runs anything."""
    os.setsid()
    os.nice(limits.nice)
    memory = limits.memory_mb * 1024 * 1024
    cpu = int(limits.seconds) + 1  # SIGXCPU: a loop that hides from the wall clock
    for limit, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CORE, 0),
                         (resource.RLIMIT_CPU, cpu),
                         (resource.RLIMIT_FSIZE, FILE_MB * 1024 * 1024)):
        resource.setrlimit(limit, (value, value))
    _no_network()
    if _drops_root():
        user = pwd.getpwnam(NOBODY)
        os.setgroups([])
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)
    # Counted over the user's tasks (root is exempt, hence after dropping it).
    tasks = _tasks_of(os.getuid()) + limits.tasks
    resource.setrlimit(resource.RLIMIT_NPROC, (tasks, tasks))
    os.chdir(folder)
    for name in ("HOME", "TMPDIR", "XDG_CACHE_HOME"):
        os.environ[name] = folder
    tempfile.tempdir = folder
    _landlock(folder)


@lru_cache(maxsize=None)
def _drops_root() -> bool:
    """Whether a child started as root runs as nobody: only where nobody can read the
    project (its styles and fonts), that is where every folder above it lets others pass
    (a checkout under root's own home, mode 700, does not). Elsewhere the child stays
    root, confined by its namespace and Landlock, and `isolation()` says so."""
    if os.geteuid() != 0:
        return False
    return all(os.stat(folder).st_mode & 0o001 for folder in (ROOT, *ROOT.parents)) and \
        bool(os.stat(ROOT).st_mode & 0o004)


def _tasks_of(uid: int) -> int:
    """The processes and threads the user has (what RLIMIT_NPROC counts)."""
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry.name}/task"))
            except OSError:
                continue
    return count


_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
CLONE_NEWNET, CLONE_NEWUSER = 0x40000000, 0x10000000


def _no_network() -> str:
    """A network namespace of its own (no interface up), or "" when the kernel refuses."""
    for flags, how in ((CLONE_NEWNET, "network namespace"),
                       (CLONE_NEWUSER | CLONE_NEWNET, "user and network namespace")):
        if os.geteuid() != 0 and flags == CLONE_NEWNET:
            continue  # needs CAP_SYS_ADMIN
        if _libc.unshare(flags) == 0:
            return how
    return ""


# Landlock (linux/landlock.h): syscall numbers are the same on x86-64 and arm64.
_CREATE, _ADD_RULE, _RESTRICT = 444, 445, 446
_PATH_BENEATH = 1
_EXECUTE, _WRITE, _READ_FILE, _READ_DIR = 1, 2, 4, 8
_ALL_FS = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1,
           5: (1 << 16) - 1}
_NET_TCP = 3  # bind and connect (ABI 4+)
PR_SET_NO_NEW_PRIVS = 38


class _Ruleset(ctypes.Structure):
    _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64)]


class _Beneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed", ctypes.c_uint64), ("fd", ctypes.c_int32)]


def _landlock_abi() -> int:
    return max(0, _libc.syscall(_CREATE, None, ctypes.c_size_t(0), ctypes.c_uint32(1)))


def _readable() -> list[str]:
    """What a child may read: the project, Python, the system's libraries, fonts and
    their configuration."""
    places = {str(ROOT), sys.prefix, sys.base_prefix, sys.exec_prefix, "/usr", "/lib",
              "/lib64", "/etc/fonts", "/etc/ld.so.cache", "/var/cache/fontconfig",
              "/dev/null", "/dev/urandom", "/etc/localtime"}
    return sorted(p for p in places if os.path.exists(p))


def _landlock(folder: str) -> bool:
    abi = _landlock_abi()
    if not abi:
        return False
    handled = _ALL_FS.get(abi, _ALL_FS[5])
    ruleset = _Ruleset(handled, _NET_TCP if abi >= 4 else 0)
    size = ctypes.sizeof(_Ruleset) if abi >= 4 else 8
    fd = _libc.syscall(_CREATE, ctypes.byref(ruleset), ctypes.c_size_t(size),
                       ctypes.c_uint32(0))
    if fd < 0:
        return False
    try:
        read = _READ_FILE | _READ_DIR
        for path, allowed in [*((p, read) for p in _readable()), (folder, handled)]:
            _allow(fd, path, allowed)
        if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
                _libc.syscall(_RESTRICT, fd, ctypes.c_uint32(0)) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(fd)
    return True


def _allow(ruleset: int, path: str, allowed: int) -> None:
    target = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        if not os.path.isdir(path):
            allowed &= _READ_FILE | _WRITE | _EXECUTE | (1 << 14) | (1 << 15)  # file rights
        rule = _Beneath(allowed, target)
        if _libc.syscall(_ADD_RULE, ruleset, _PATH_BENEATH, ctypes.byref(rule),
                         ctypes.c_uint32(0)) != 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
    finally:
        os.close(target)


def isolation() -> str:
    """What the children get on this machine, said in a line."""
    return run(_isolation, (), Limits(seconds=20, memory_mb=256))


def _isolation(folder: Path, progress) -> str:
    network = "no network" if _unreachable() else "NETWORK (no namespace)"
    abi = _landlock_abi()
    files = f"Landlock ABI {abi}" if abi else "no Landlock (files by permissions only)"
    return f"{network}, runs as {pwd.getpwuid(os.getuid()).pw_name}, {files}"


def _unreachable() -> bool:
    """Whether this machine's own address is unreachable from here (a namespace with no
    interface up)."""
    import errno
    import socket

    with socket.socket() as probe:
        try:
            probe.connect(("127.0.0.1", 9))
        except OSError as exc:
            return exc.errno in (errno.ENETUNREACH, errno.EACCES, errno.EPERM)
    return False
