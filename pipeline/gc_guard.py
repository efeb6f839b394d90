"""The cyclic garbage collector held off: while a document's objects are made
(:func:`collector_paused`), and while a command runs profiled or traced on CPython
3.11.0-3.11.2, whose collector can then read freed memory (:func:`collector_safe`).

Those versions have a bug (https://github.com/python/cpython/issues/101975, fixed in
3.11.3): with a profile or trace function set (cProfile, ``profile``, coverage, a
debugger), a generator keeps, while it runs, the stack depth it was last resumed at, and a
collection that walks it meanwhile (from its own thread or any other) reads the stack
slots above the depth it is at, which hold values popped, and often freed, since: a crash
(a general protection fault in the collector's walk of a frame's slots), or a wrong count
of an object's references.  teipipe's exports and deposit are generators within
generators, and the threads of their process pools collect while the main thread runs
them: on 2026-11-27 four one-pass exports run under cProfile on Debian's Python 3.11.2
died so (dmesg: ``general protection fault ip:5cff60``, ``_PyFrame_Traverse``), and
:file:`tests/test_gc_guard.py` makes the same crash in a few lines.  teipipe sets no such
function itself, and without one the bug cannot happen.

When one is set as a command starts, on such a Python, the collector is held off for the
command, and one line on stderr says why: objects are still freed by their reference counts
(teipipe's work makes few cycles: a profiled run's memory is about the same), the profile
misses the collector's share (a few per cent).  Sampling profilers (py-spy, perf) set no
function, and Python 3.11.3 or later needs none of this.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Whether this Python has the bug (https://github.com/python/cpython/issues/101975).
AFFECTED = (3, 11, 0) <= sys.version_info[:3] < (3, 11, 3)


def watched() -> bool:
    """Whether a profile or trace function is set, in this thread or for new ones."""
    return any(f() is not None for f in (sys.getprofile, sys.gettrace,
                                         threading.getprofile, threading.gettrace))


@contextmanager
def collector_safe() -> Iterator[None]:
    """The collector held off meanwhile on a Python with the bug (:data:`AFFECTED`) when
    :func:`watched` (see the module docstring); else nothing changes."""
    if not (AFFECTED and watched() and gc.isenabled()):
        yield
        return
    print("teipipe: profiled or traced on Python "
          f"{'.'.join(map(str, sys.version_info[:3]))}, whose garbage collector can then "
          "read freed memory (https://github.com/python/cpython/issues/101975, fixed in "
          "3.11.3): it is held off for this command", file=sys.stderr)
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector held off for a while (and given its turn after).

    Loading the resources and converting a document make objects by the hundred thousand,
    and the collector, counting allocations, would walk the young ones again and again while
    they are all still alive (a tenth of a document's time, half of the loading time).  A
    document's objects are freed by their reference counts once it is written, so nothing
    piles up: whatever cycles are left are collected between documents, as usual.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
