"""Children with limits and isolation: time, memory, tasks, no network, no files outside
their folder and the project, an unprivileged user, a folder of their own removed after,
progress."""
from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import ROOT
from leaflet.app import sandbox
from leaflet.errors import BuildError, Location, Problem, WorkerFailed

QUICK = sandbox.Limits(seconds=20, memory_mb=512)


def where_and_what(folder: Path, progress):
    progress("started")
    (folder / "x.txt").write_text("x")
    return str(folder), Path.cwd() == folder, sorted(p.name for p in folder.iterdir())


def sleeps_with_a_grandchild(folder: Path, progress):
    import os

    grandchild = os.fork()  # (it may not run a program: Landlock refuses execve)
    if grandchild == 0:
        time.sleep(60)
        os._exit(0)
    progress(str(grandchild))
    time.sleep(60)


def runs_a_program(folder: Path, progress):
    subprocess.run(["true"], check=True)


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


def opens_a_socket(folder: Path, progress):
    import socket

    with socket.socket() as s:
        s.connect(("127.0.0.1", 9))


def writes_outside(folder: Path, target: str, progress):
    Path(target).write_text("written by a child")


def reads_outside(folder: Path, target: str, progress):
    return Path(target).read_text()


def forks_without_end(folder: Path, progress):
    import os

    children = 0
    try:
        while children < 10_000:
            pid = os.fork()
            if pid == 0:
                time.sleep(30)
                os._exit(0)
            progress(str(pid))
            children += 1
    except OSError:
        return children
    return children


def who(folder: Path, progress):
    import os

    return os.getuid(), os.environ["HOME"], os.access(folder, os.W_OK)


def test_a_child_runs_no_program():
    with pytest.raises(WorkerFailed, match="failed unexpectedly"):
        sandbox.run(runs_a_program, (), QUICK)


def test_a_child_has_no_network():
    with pytest.raises(WorkerFailed, match="failed unexpectedly"):
        sandbox.run(opens_a_socket, (), QUICK)
    assert sandbox.isolation().startswith("no network")


def test_a_child_writes_and_reads_nothing_outside_its_folder_and_the_project(tmp_path):
    outside = tmp_path / "outside.txt"
    with pytest.raises(WorkerFailed):
        sandbox.run(writes_outside, (str(outside),), QUICK)
    assert not outside.exists()
    outside.write_text("a secret")
    for path in (outside, Path("/etc/hostname")):
        with pytest.raises(WorkerFailed):
            sandbox.run(reads_outside, (str(path),), QUICK)
    assert "leaflet" in sandbox.run(reads_outside, (str(ROOT / "README.md"),), QUICK)


def test_a_fork_bomb_stops_at_the_task_limit_and_its_processes_go_with_it():
    import os
    import pwd

    pids = []
    # RLIMIT_NPROC counts every task of the child's user: its 16 are on top of those the
    # user had when it started, and any of those that end meanwhile free a place.
    uid = pwd.getpwnam("nobody").pw_uid if sandbox._drops_root() else os.getuid()
    others = sandbox._tasks_of(uid)
    forked = sandbox.run(forks_without_end, (), sandbox.Limits(20, 512, tasks=16), pids.append)
    assert forked == len(pids) <= 16 + others
    time.sleep(0.5)
    assert not any(running(int(pid)) for pid in pids)  # killed with the child's group


def test_a_child_started_as_root_runs_as_nobody_in_a_folder_it_may_write():
    import os
    import pwd

    uid, home, writable = sandbox.run(who, (), QUICK)
    if os.geteuid() == 0 and sandbox._drops_root():
        assert uid == pwd.getpwnam("nobody").pw_uid
    assert home.startswith(tempfile.gettempdir()) and writable


def test_root_is_dropped_only_where_nobody_can_read_the_project(tmp_path, monkeypatch):
    import os

    if os.geteuid() != 0:
        pytest.skip("only a server started as root drops it")
    closed = tmp_path / "home"
    (closed / "project").mkdir(parents=True)
    closed.chmod(0o700)  # as root's own home is
    for root, expected in ((closed / "project", False), (sandbox.ROOT, True)):
        monkeypatch.setattr(sandbox, "ROOT", root)
        sandbox._drops_root.cache_clear()
        assert sandbox._drops_root() is (expected and all(
            os.stat(f).st_mode & 0o001 for f in (root, *root.parents)))
    sandbox._drops_root.cache_clear()
