"""Process pools whose workers end when the run that made them is gone.

A worker of :class:`~concurrent.futures.ProcessPoolExecutor` waits for its next task on a
pipe whose writing end its forked siblings hold open too: when the main process dies
without shutting the pool down (``kill -9``, the kernel's out-of-memory killer, a crash of
the interpreter), no end of file ever comes, and the workers sleep for ever, each holding
the memory it was forked with (seen on 2026-11-27: two export workers of a main process
that had crashed half an hour before).  Each worker of :func:`pool` watches, in a thread of
its own, whether the process that made it is still its parent, and leaves when it is not.
(The kernel's ``PR_SET_PDEATHSIG`` would tell it sooner, but it fires when the *thread*
that forked the worker ends, which a pool made in a short-lived thread would make happen
while the run goes on.)
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Callable

#: How often a worker looks at its parent, in seconds: the time an orphan lives at most
#: (a wake-up a second costs a busy worker nothing it can measure).
WATCH = 1.0


def pool(workers: int, initializer: Callable[[], object] | None = None,
         ) -> ProcessPoolExecutor:
    """A pool of ``workers`` forked processes (they inherit what the run loaded: schemas,
    registers, settings), each running ``initializer`` first, and each leaving on its own
    once the process that made the pool is gone."""
    return ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("fork"),
                               initializer=_watched, initargs=(os.getpid(), initializer))


def _watched(parent: int, initializer: Callable[[], object] | None) -> None:
    """A worker's start: the watch of its parent, then the pool's own initializer."""
    threading.Thread(target=_watch, args=(parent,), name="teipipe-parent-watch",
                     daemon=True).start()
    if initializer is not None:
        initializer()


def _watch(parent: int) -> None:
    """Leave at once (no clean-up: the run it worked for is gone) when ``parent`` is no
    longer this process's parent."""
    while os.getppid() == parent:
        time.sleep(WATCH)
    os._exit(1)
