"""Per-document work of a deposit spread over every core, in forked worker processes.

Reading each TEI file's facts and making each document's Dublin Core and METS (built with
lxml, checked against the official schemas, written to their files) is Python work that
holds the interpreter: in threads it would run on one core at a time, and it was most of
the time a deposit used one core of two.  Forked workers inherit what the parent loaded
(the schemas, the edition's metadata), so a job carries only the document it is about, and
what comes back is small (checksums, facts, diagnostics).  Results come back in the order
of the jobs, so the package is the same bytes whatever the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator, Sequence, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")
Context = TypeVar("Context")

#: Jobs sent to a worker at a time: few round trips, an even finish.
CHUNK = 16

#: The work and its context of the running :func:`spread`, set before the workers are
#: forked: they inherit it (a function or a loaded schema need not be pickled).
_work: tuple[Callable, object] | None = None


def spread(work: Callable[[Job, Context], Result], jobs: Sequence[Job],
           context: Context) -> Iterator[Result]:
    """``work(job, context)`` of each job, in the order of ``jobs``: in one worker process
    per core when there is enough to share out and the system forks, else here."""
    global _work
    workers = min(os.cpu_count() or 1, -(-len(jobs) // CHUNK))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for job in jobs:
            yield work(job, context)
        return
    _work = (work, context)
    try:
        with ProcessPoolExecutor(max_workers=workers,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            for done in pool.map(_run, [jobs[k:k + CHUNK] for k in range(0, len(jobs), CHUNK)]):
                yield from done
    finally:
        _work = None


def _run(chunk: Sequence) -> list:
    """A chunk of jobs, in a worker."""
    assert _work is not None, "forked without a spread's work"
    work, context = _work
    return [work(job, context) for job in chunk]
