"""Run a function in a child process with a time limit, a memory limit and a folder of
its own: how the server checks and previews the catalogs translators upload.

Public verb: `run(function, args, limits, progress) -> result`. Children are forked
from a fork server that imported the pipeline once, so a check starts in milliseconds
instead of the second a new interpreter and WeasyPrint take. Each child:
- starts a session of its own (its own process group: a time-out kills everything it
  started, not only the child);
- has its address space limited (RLIMIT_AS) and writes no core file;
- works in a new temporary folder (its working directory and `tempfile` folder), which
  the parent removes after the child has ended, however it ended, so two uploads never
  see each other's files and nothing is left behind.
`function(folder, *args, progress=...)` runs in the child; `progress(text)` there reaches
the parent's `progress` callback. What it returns (or a BuildError it raises) must pickle.
"""
from __future__ import annotations

import multiprocessing
import os
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
# every child would run it again as multiprocessing prepares it).
PRELOAD = ["__main__", "leaflet.app.upload", "leaflet.build.build", "weasyprint"]


@dataclass(frozen=True)
class Limits:
    seconds: float
    memory_mb: int  # address space


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
    receiver, sender = _context().Pipe(duplex=False)
    child = _context().Process(target=_child, args=(sender, folder, limits.memory_mb,
                                                    function, args))
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
    if child.pid is None:
        return
    if child.is_alive():
        for kill in (lambda: os.killpg(child.pid, signal.SIGKILL), child.kill):
            try:
                kill()
                break
            except (ProcessLookupError, PermissionError):
                continue
    child.join()
    child.close()


def _child(sender, folder: str, memory_mb: int, function, args) -> None:
    os.setsid()
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.chdir(folder)
    tempfile.tempdir = folder
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
