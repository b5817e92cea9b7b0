"""Children with limits: time, memory, a folder of their own removed after, progress."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from leaflet.app import sandbox
from leaflet.errors import BuildError, Location, Problem, WorkerFailed

QUICK = sandbox.Limits(seconds=20, memory_mb=512)


def where_and_what(folder: Path, progress):
    progress("started")
    (folder / "x.txt").write_text("x")
    return str(folder), Path.cwd() == folder, sorted(p.name for p in folder.iterdir())


def sleeps_with_a_grandchild(folder: Path, progress):
    grandchild = subprocess.Popen(["sleep", "60"])
    (folder / "grandchild").write_text(str(grandchild.pid))
    progress(str(grandchild.pid))
    time.sleep(60)


def eats_memory(folder: Path, progress):
    hoard = []
    while True:
        hoard.append(bytearray(50 * 1024 * 1024))


def refuses(folder: Path, progress):
    raise BuildError([Problem(Location("leaflet.po", 3), "syntax: no")])


def fails(folder: Path, progress):
    raise RuntimeError("a bug")


def test_a_child_works_in_its_own_folder_which_is_removed_after():
    said = []
    folder, inside, files = sandbox.run(where_and_what, (), QUICK, said.append)
    assert inside and files == ["x.txt"] and said == ["started"]
    assert not Path(folder).exists()
    again, _, _ = sandbox.run(where_and_what, (), QUICK)
    assert again != folder


def test_a_child_over_its_time_is_killed_with_what_it_started():
    pids = []
    began = time.monotonic()
    with pytest.raises(WorkerFailed, match="took longer than 2 seconds"):
        sandbox.run(sleeps_with_a_grandchild, (), sandbox.Limits(2, 512), pids.append)
    assert time.monotonic() - began < 15
    [pid] = pids
    time.sleep(0.5)
    assert not running(int(pid))  # the whole process group went


def running(pid: int) -> bool:
    """Alive, not a zombie waiting for whoever adopted it to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_child_over_its_memory_is_stopped():
    with pytest.raises(WorkerFailed, match="more than 400 MB of memory"):
        sandbox.run(eats_memory, (), sandbox.Limits(30, 400))


def test_a_refusal_is_raised_as_it_was_and_a_bug_says_only_that_it_failed():
    with pytest.raises(BuildError) as exc:
        sandbox.run(refuses, (), QUICK)
    assert str(exc.value.problems[0]) == "leaflet.po:3: error: syntax: no"
    with pytest.raises(WorkerFailed, match="failed unexpectedly") as failed:
        sandbox.run(fails, (), QUICK)
    assert "a bug" not in str(failed.value)
