"""Small summaries kept many to a file (a *pack*) in the cache folder, not one file each.

Making a file costs the file system more than writing the kilobytes of a summary into
a file that is open: after a folder of thousands of files was removed (a rebuild from
nothing), making each new one took a third to half a millisecond of system time here,
as much as everything else a document's plain text costs.  So the summaries of the
editions are kept in packs: the plain-text edition's (what ``corpus.txt`` and
``corpus.tsv`` need of each document) in one new pack per run, the HTML edition's (with
each document's page) in one per worker process; and the build record says where each
part is, as ``[pack, offset, size]``.

A pack is named after the build record it serves (``prefix``) and is removed once that
record names it no more (:func:`sweep`): the parts of documents changed since stay in it
until then, so the cache holds at most the packs' sizes, however many runs made them.  A
part whose pack is gone is a summary not in the cache: its document is read again.
"""

from __future__ import annotations

import os
import time
from array import array
from pathlib import Path
from typing import Iterable

#: Where a part is: its pack's file name, its offset and its size.
Where = list


class Places:
    """Where many parts are (``places[k]``: the ``k``-th of ``wheres``), held compactly:
    each pack's name once and three numbers a part, not a list each (~150 bytes: the
    summaries of 10,000 documents were 2.3 MB of an export's main process, and as much
    again pickled for the worker that writes the search index)."""

    def __init__(self, wheres: Iterable[Where]):
        packs: dict[str, int] = {}
        self.numbers = array("Q")
        for name, offset, size in wheres:
            self.numbers.extend((packs.setdefault(name, len(packs)), offset, size))
        self.names = list(packs)

    def __len__(self) -> int:
        return len(self.numbers) // 3

    def __getitem__(self, k: int) -> Where:
        if not 0 <= k < len(self):
            raise IndexError(k)
        pack, offset, size = self.numbers[3 * k:3 * k + 3]
        return [self.names[pack], offset, size]


class Writer:
    """Parts appended to one new pack in ``folder``, made when the first part comes.

    ``unbuffered``: each part is in the file when :meth:`add` returns (a worker process
    writes it, another process reads it, and a worker ends without flushing buffers)."""

    def __init__(self, folder: Path, prefix: str, unbuffered: bool = False):
        self.folder = folder
        self.prefix = prefix
        self.buffering = 0 if unbuffered else -1
        self.pid = os.getpid()
        self.handle = None
        self.name = ""
        self.size = 0

    def add(self, data: bytes) -> Where:
        if self.handle is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{self.prefix}-{self.pid}-{time.time_ns()}.pack"
            self.handle = open(self.folder / name, "xb", buffering=self.buffering)  # noqa: SIM115
            self.name, self.size = name, 0
        view = memoryview(data)
        while view:
            view = view[self.handle.write(view):]
        where = [self.name, self.size, len(data)]
        self.size += len(data)
        return where

    def close(self) -> None:
        """The pack complete (its parts can be read)."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None


class Reader:
    """Parts read back from the packs of ``folder``, each pack opened once."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.handles: dict = {}

    def read(self, where: Where, start: int = 0, size: int | None = None) -> bytes:
        """The part ``where``, or ``size`` bytes of it from ``start``."""
        name, offset, whole = where
        size = whole - start if size is None else size
        handle = self.handles.get(name)
        if handle is None:  # unbuffered: each read is one pread of what is asked, no more
            handle = open(self.folder / name, "rb", buffering=0)  # noqa: SIM115
            self.handles[name] = handle
        data = os.pread(handle.fileno(), size, offset + start)
        if len(data) != size or start + size > whole:
            raise OSError(f"{self.folder / name}: cut short")
        return data

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()
        self.handles.clear()


def present(folder: Path, where: Where | None, known: dict[str, bool]) -> bool:
    """Whether the part ``where`` can be read: its pack is there (``known``: what was
    found of each pack so far, so that each is looked for once)."""
    if not where:
        return False
    name = where[0]
    if name not in known:
        known[name] = (folder / name).is_file()
    return known[name]


def sweep(folder: Path, prefix: str, used: set[str]) -> None:
    """Remove the packs of ``prefix`` in ``folder`` that are not ``used``."""
    try:
        found = list(folder.glob(f"{prefix}-*.pack"))
    except OSError:
        return
    for path in found:
        if path.name not in used:
            try:
                path.unlink()
            except OSError:
                pass  # a cache that cannot be cleaned only costs room


__all__ = ["Places", "Reader", "Where", "Writer", "present", "sweep"]
