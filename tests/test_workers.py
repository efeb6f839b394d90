"""The workers of a pool leave once the process that made it is gone (pipeline/workers.py)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from pipeline import workers


def _pid() -> int:
    return os.getpid()


def _gone(pid: int) -> bool:
    """Whether ``pid`` has ended (a zombie that its new parent has not reaped has too)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" in status


def _orphans(tmp_path: Path) -> list[int]:
    """The pids of the workers of a pool whose maker died with ``kill -9``'s abruptness
    (``os._exit``, no shutdown of the pool)."""
    said = tmp_path / "pids"
    maker = os.fork()
    if maker == 0:
        try:
            pool = workers.pool(2)
            pids = {pool.submit(_pid).result() for _ in range(8)}
            said.write_text(" ".join(map(str, sorted(pids))))
        finally:
            os._exit(0)
    os.waitpid(maker, 0)
    return [int(pid) for pid in said.read_text().split()]


def test_the_workers_of_a_dead_run_leave(tmp_path):
    pids = _orphans(tmp_path)
    assert pids
    deadline = time.monotonic() + 10 * workers.WATCH
    while not all(map(_gone, pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in pids if not _gone(pid)]
    for pid in left:  # (they hold pytest's output open: the run would never end)
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_a_pool_runs_its_initializer_and_its_tasks(tmp_path):
    mark = tmp_path / "init"
    with workers.pool(2, initializer=lambda: mark.write_text("ran")) as pool:
        assert sorted(pool.map(abs, [-3, 2, -1])) == [1, 2, 3]
    assert mark.read_text() == "ran"


def test_the_workers_of_a_live_run_stay(tmp_path):
    with workers.pool(1) as pool:
        first = pool.submit(_pid).result()
        time.sleep(2 * workers.WATCH)
        assert pool.submit(_pid).result() == first
