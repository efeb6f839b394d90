"""Running a command as a user would, and measuring it: time, CPU and peak memory.

Each command runs in a fresh process.  Measured:

- **wall** seconds, from start to exit;
- **CPU** seconds (user + system) of the command and every descendant it waited for
  (worker processes, a JVM's threads), from ``wait4``;
- **peak RSS of the process tree**: the largest sum of the resident set sizes of the command
  and its descendants, sampled from ``/proc`` ever less often (:data:`SAMPLE_SECONDS`; worker
  processes forked from the command share some pages with it, which this sum counts once per
  process: an upper bound of the memory the tree needs);
- **peak RSS of one process**: the largest high-water mark (``VmHWM``, kept by the kernel)
  of the processes seen;
- **peak PSS of the process tree**: as the peak RSS, but each shared page counted once in
  all (``Pss`` of ``/proc/PID/smaps_rollup``): the memory the tree really takes.

Output goes to files, not pipes: a command that prints a lot never waits for the reader.
"""

from __future__ import annotations

import os
import select
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

#: The first sample comes this long after the start; the pause doubles after each sample,
#: up to :data:`MAX_SAMPLE_SECONDS`: a short command is still seen several times, and a long
#: one does not compete with the sampler for the cores it is measured on.  A sample reads
#: ``/proc/PID/smaps_rollup`` of every process of the tree, which makes the kernel walk
#: their page tables: ~3 ms of CPU per 130 MB process.  At a fixed 0.05 s the sampler took
#: 0.85-0.98 CPU seconds beside a 1,000-page export of 6 CPU seconds (7 % of a core of two);
#: at 0.5 s, 0.13 s, with the same peaks.  The per-process high-water mark is the kernel's and
#: exact at any rate; the sums over the tree are sampled.
SAMPLE_SECONDS = 0.05
MAX_SAMPLE_SECONDS = 0.5
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measure:
    """What one run of a command took."""

    command: list[str]
    wall: float
    cpu: float
    peak_rss_tree: int  # bytes
    peak_rss_process: int  # bytes
    peak_pss_tree: int  # bytes
    status: int | None  # None when it was stopped at the time limit
    stdout: str = field(default="", repr=False)
    stderr: str = field(default="", repr=False)

    @property
    def timed_out(self) -> bool:
        return self.status is None

    def as_data(self) -> dict:
        return {"command": self.command, "wall_s": round(self.wall, 3),
                "cpu_s": round(self.cpu, 3), "peak_rss_tree_mb": mb(self.peak_rss_tree),
                "peak_rss_process_mb": mb(self.peak_rss_process),
                "peak_pss_tree_mb": mb(self.peak_pss_tree), "exit": self.status,
                "timed_out": self.timed_out}


def mb(size: int) -> float:
    """Bytes as megabytes (MiB), to a tenth."""
    return round(size / 2**20, 1)


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, from the parent ids in ``/proc/*/stat``."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue  # it ended meanwhile
        # the command name may hold spaces and parentheses: the fields follow the last ")"
        ppid = int(stat[stat.rindex(b")") + 2:].split(b" ", 2)[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, ()))
    return found


def memory(pid: int) -> tuple[int, int, int]:
    """A process's resident set size, its high-water mark and its proportional set size, in
    bytes (zeros when it is gone).

    The high-water mark is the kernel's own, exact since the process's last ``exec``
    (``ru_maxrss`` would also count the bench's memory, which a child has before ``exec``).
    The proportional set size shares each page among the processes that map it.
    """
    values = {}
    for name, keys in (("status", (b"VmRSS:", b"VmHWM:")), ("smaps_rollup", (b"Pss:",))):
        try:
            with open(f"/proc/{pid}/{name}", "rb") as handle:
                text = handle.read()
        except OSError:
            return 0, 0, 0
        for line in text.split(b"\n"):
            if line.startswith(keys):
                values[line.split(b":")[0]] = int(line.split()[1]) * 1024
    return values.get(b"VmRSS", 0), values.get(b"VmHWM", 0), values.get(b"Pss", 0)


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None,
        timeout: float | None = None) -> Measure:
    """Run ``command`` in ``cwd`` and measure it; stop it (and its tree) after ``timeout``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        peak = high = pss = 0
        pause = SAMPLE_SECONDS
        status: int | None = None
        exited = os.pidfd_open(proc.pid)  # readable once the command has exited
        try:
            while True:
                sizes = [memory(p) for p in descendants(proc.pid)]
                peak = max(peak, sum(size for size, _hwm, _pss in sizes))
                high = max(high, *(hwm for _size, hwm, _pss in sizes), 0)
                pss = max(pss, sum(share for _size, _hwm, share in sizes))
                pid, wait_status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:  # the rusage of a child covers the descendants it waited for
                    status = os.waitstatus_to_exitcode(wait_status)
                    break
                if timeout is not None and time.perf_counter() - start > timeout:
                    os.killpg(proc.pid, 9)
                    _pid, _wait_status, usage = os.wait4(proc.pid, 0)
                    break
                # the pause ends at the exit: the wall time is not rounded up to a sample
                select.select([exited], [], [], pause)
                pause = min(2 * pause, MAX_SAMPLE_SECONDS)
        except BaseException:  # the bench is stopped: so is what it runs (its own group)
            os.killpg(proc.pid, 9)
            raise
        finally:
            os.close(exited)
        wall = time.perf_counter() - start
        proc.returncode = -9 if status is None else status  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return Measure(command, wall, usage.ru_utime + usage.ru_stime, peak, high, pss, status,
                   stdout, stderr)
