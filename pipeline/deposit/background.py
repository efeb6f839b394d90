"""A job run in a forked child process while this one goes on: the zip of a package written
while the next package of the run is made, or, after the last, while the package records
are brought up to date (:meth:`.make.Shared.finish`); the look at every file of the
edition that says whether it changed, taken while the edition is gathered
(:class:`.make.Stats`).

Writing a zip is a loop in Python (a header per member, a file read and deflated for each),
and so is making the next package (its files linked, its records handed to worker
processes and their results taken back), or taking the records (a look at each file of the
packages): in one process the two take turns on the interpreter, and while the zip is
written nothing else is done.  In a child of its own the zip is written on one core while
the rest is done on the other.

The child is forked when no other thread runs (a package's copying threads and worker
processes are done with before its zip is written; the edition is looked at before any
is started), inherits all the job needs, and says only whether it succeeded, and if not,
why, in one line through a pipe (an OSError: a full disk, a folder not writable; the
parent raises it again), or what it answers, a few bytes (a digest): what a zip's writer
learns for later runs (where each content lies in the zip, :class:`.zipped.ZipIndex`) it
saves to its build record, which is read again once the child is done (see
:meth:`.make.Shared.wait`).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from typing import Callable


def can_fork() -> bool:
    """Whether a job can run beside this process: a second core, and a system that forks."""
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


class Child:
    """A job running in the forked process ``pid``, which writes why it failed to the
    pipe ``reason``."""

    def __init__(self, pid: int, reason: int):
        self.pid, self.reason = pid, reason

    def wait(self) -> bytes:
        """Wait for the job to end; what it answered (:func:`start`), or OSError when it
        failed, saying why."""
        with os.fdopen(self.reason, "rb") as pipe:
            said = pipe.read()
        _pid, status = os.waitpid(self.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            why, _, name = said.decode("utf-8", "replace").partition("\n")
            raise OSError(None, why or f"process {self.pid} ended with exit status {code}",
                          name or None)
        return said


def start(job: Callable[[], bytes | None]) -> Child:
    """Run ``job`` in a forked child (see the module doc); what it returns (a few bytes)
    comes back through the pipe, as the reason of a failure would."""
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the job, then out without the parent's exit handlers
        os.close(read)
        code = 1
        try:
            answered = job()
            answer = memoryview(answered if isinstance(answered, bytes) else b"")
            while answer:
                answer = answer[os.write(write, answer):]
            code = 0
        except OSError as exc:  # the file system's answer: told, not a traceback
            os.write(write, f"{exc.strerror or exc}\n{exc.filename or ''}".encode(
                "utf-8", "replace"))
        except BaseException:  # a defect: its traceback
            traceback.print_exc()
        finally:
            sys.stderr.flush()
            os._exit(code)
    os.close(write)
    return Child(pid, read)
