"""Per-document work of a deposit spread over every core, in forked worker processes.

Reading each TEI file's facts and making each document's Dublin Core and METS (built with
lxml, checked against the official schemas, written to their files) is Python work that
holds the interpreter: in threads it would run on one core at a time, and it was most of the
time a deposit used one core of two.  Forked workers inherit what the parent loaded (the
schemas, the edition, its files' checksums: the work's context, set before they are forked),
so a job carries only what tells its document (a file's path, a document's place in the
edition) and where its output goes: pickling each document with its facts and files for
workers that held it already cost a third of what making and checking its records did (0.09
ms against 0.31 ms a document).  What comes back is small (checksums, facts, diagnostics).
Results come back in the order of the jobs, so the package is the same bytes whatever the
number of workers; jobs are taken from their iterator only a few shares ahead of the
results, so that what is held for them does not grow with the edition.  A share is sent
pickled, and unpickled by the worker's own code: a job it cannot read (a class the worker
cannot import, a ``__reduce__`` that fails there) fails that share with why
(:class:`JobError`), as an exception in a job does, not the worker process (which left
the pool broken, with the reason only in the worker's stderr).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections import deque
from concurrent.futures import Future
from itertools import islice
from typing import Callable, Iterable, Iterator, TypeVar

from ..workers import pool as worker_pool

Job = TypeVar("Job")
Result = TypeVar("Result")
Context = TypeVar("Context")

#: Jobs sent to a worker at a time: few round trips, an even finish.
CHUNK = 16
#: Shares sent ahead per worker: enough that none waits for the next.
AHEAD = 4

#: The work and its context of the running :func:`spread`, set before the workers are
#: forked: they inherit it (a function or a loaded schema need not be pickled).
_work: tuple[Callable, object] | None = None


def spread(work: Callable[[Job, Context], Result], jobs: Iterable[Job], context: Context,
           ) -> Iterator[tuple[Job, Result]]:
    """Each job with ``work(job, context)``, in the order of ``jobs``: in one worker
    process per core when there is more than a share to do and the system forks, else
    here."""
    global _work
    jobs = iter(jobs)
    first = list(islice(jobs, CHUNK + 1))
    workers = os.cpu_count() or 1
    if workers < 2 or len(first) <= CHUNK or "fork" not in multiprocessing.get_all_start_methods():
        for job in (*first, *jobs):
            yield job, work(job, context)
        return
    _work = (work, context)
    shares = _shares(first, jobs)
    pending: deque[tuple[list, Future]] = deque()
    try:
        with worker_pool(workers) as pool:
            for share in shares:
                pending.append((share, pool.submit(_run, pickle.dumps(
                    share, pickle.HIGHEST_PROTOCOL))))
                while len(pending) > workers * AHEAD:
                    yield from _done(pending.popleft())
            while pending:
                yield from _done(pending.popleft())
    finally:
        _work = None


def _shares(first: list, rest: Iterator) -> Iterator[list]:
    yield first[:CHUNK]
    share = first[CHUNK:]
    for job in rest:
        share.append(job)
        if len(share) == CHUNK:
            yield share
            share = []
    if share:
        yield share


def _done(sent: tuple[list, Future]) -> Iterator[tuple]:
    share, future = sent
    return zip(share, future.result())


class JobError(RuntimeError):
    """A worker could not read the jobs it was sent."""


def _run(sent: bytes) -> list:
    """A share of jobs (``sent`` pickled), in a worker."""
    assert _work is not None, "forked without a spread's work"
    work, context = _work
    try:
        share = pickle.loads(sent)
    except Exception as exc:
        raise JobError(f"a worker could not read its share of jobs: "
                       f"{type(exc).__name__}: {exc}") from exc
    return [work(job, context) for job in share]
