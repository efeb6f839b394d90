"""A list kept on disk: records appended to a temporary file, read back by their place.

A deposit holds the edition from the time it is gathered until its last package is made:
a record of each of its files (60,000 at 10,000 documents, ~300 bytes each as objects) and
of each document (its facts' summary and its files, ~1 KB), and the worker processes and
archive writers forked meanwhile started with all of it.  On a :class:`Shelf` a record
costs 8 bytes of memory (where it ends in the file); it is :mod:`marshal` bytes in an
unnamed temporary file (gone with the last process that holds it), read back where it is
used, at its offset (``pread``: a process forked from this one reads the same file without
moving a position the others share).
"""

from __future__ import annotations

import marshal
import os
import tempfile
import weakref
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar, overload

Item = TypeVar("Item")

#: Bytes read at a time when the records are read in order (:meth:`Shelf.__iter__`).
BLOCK = 1 << 16


class Shelf(Sequence[Item], Generic[Item]):
    """Records ``encode`` makes plain data of (what :mod:`marshal` writes: tuples, strings,
    numbers, None) and ``decode`` makes back, in the order appended.  Appended to by the
    process that made the shelf, before any process forked from it reads it."""

    def __init__(self, encode: Callable[[Item], object], decode: Callable[[object], Item]):
        self._encode, self._decode = encode, decode
        with tempfile.TemporaryFile() as handle:  # its name gone already: the file is
            self._fd = os.dup(handle.fileno())    # deleted once the last copy is closed
        self._closed = weakref.finalize(self, os.close, self._fd)
        self._ends = array("Q")

    def append(self, item: Item) -> None:
        data = marshal.dumps(self._encode(item))
        end = self._ends[-1] if self._ends else 0
        os.pwrite(self._fd, data, end)
        self._ends.append(end + len(data))

    def extend(self, items: Iterator[Item] | Sequence[Item]) -> None:
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, at: int) -> Item: ...

    @overload
    def __getitem__(self, at: slice) -> Sequence[Item]: ...

    def __getitem__(self, at: int | slice) -> Item | Sequence[Item]:
        if isinstance(at, slice):
            return list(self.between(*at.indices(len(self))[:2]))
        if at < 0:
            at += len(self)
        if not 0 <= at < len(self):
            raise IndexError("shelf index out of range")
        start = self._ends[at - 1] if at else 0
        return self._decode(marshal.loads(os.pread(self._fd,
                                                   self._ends[at] - start, start)))

    def __iter__(self) -> Iterator[Item]:
        return self.between(0, len(self))

    def between(self, first: int, stop: int) -> Iterator[Item]:
        """The records from place ``first`` to ``stop`` (not included), read
        :data:`BLOCK` bytes or a record at a time."""
        at = first
        while at < stop:
            start = self._ends[at - 1] if at else 0
            last = at
            while last + 1 < stop and self._ends[last + 1] - start <= BLOCK:
                last += 1
            data = memoryview(os.pread(self._fd, self._ends[last] - start, start))
            for n in range(at, last + 1):
                begin = (self._ends[n - 1] if n else 0) - start
                yield self._decode(marshal.loads(data[begin:self._ends[n] - start]))
            at = last + 1

    def close(self) -> None:
        """Let go of the file now, not when the shelf is let go of (the records cannot be
        read any more)."""
        self._closed()
