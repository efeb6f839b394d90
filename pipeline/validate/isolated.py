"""Checking files in a thread of their own, so that what libxml2 keeps of them goes with it.

lxml gives each thread one dictionary of strings, which every document parsed in the thread
shares and which lives as long as the thread.  libxml2 puts more than names in it: every
value a schema validation takes as an ID (the project schemas' and tei_all's ``xml:id``)
is added to the document's dictionary, and never taken out.  A process that checks
thousands of files in one thread grows by every xml:id it ever met: 2-3 kB a document,
25 MB at 10,000.  A thread's dictionary is freed when the thread ends (a new thread's
dictionary looks names up in the main thread's first, so the names are not made again), so
the validator checks its files a chunk at a time, each chunk in a new thread
(:func:`in_own_thread`): the memory stays that of one chunk's documents.

What lives longer than a chunk (the compiled schemas) is made before, in the main thread
(:func:`.run._warm_up`): made in a chunk's thread, it would keep that thread's dictionary.
"""

from __future__ import annotations

import threading
from typing import Callable, TypeVar

T = TypeVar("T")


def in_own_thread(work: Callable[[], T]) -> T:
    """``work()``, run in a new thread, waited for; its exception is raised here."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as exc:  # (given to the caller, as a direct call would)
            outcome.append((False, exc))

    thread = threading.Thread(target=run, name="teipipe-validate-chunk")
    thread.start()
    thread.join()
    done, value = outcome[0]
    if not done:
        raise value
    return value
