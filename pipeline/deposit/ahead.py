"""The edition's HTML and text files deflated ahead, while the first package is built.

A deposit made from nothing writes the bag's zip once the bag is complete, and deflating
the HTML and text editions (1.25 GB of the 1.7 GB the bag's zip holds at 10,000 documents)
was most of what its writer did: while the DSpace batch was made beside it, and then alone,
one core idle, until it was done (the DSpace batch's zip takes its members from it).  Before
that, while the edition is gathered and the bag's files are linked and copied in, the main
process uses little more than one core.  So those files are deflated ahead, in a forked
child (:mod:`.background`) started as the edition is gathered, into a scratch file; the
zips' writers take each member whose file is one deflated ahead from there instead of
deflating it again (:func:`.zipped.write_zip`): the same deflate at the same level, so the
same bytes.

A file is known by its inode, size and modification time as the child read it (the rule the
deposit takes a generated file by, :meth:`.fixity.FileMemory.told`: teipipe replaces such a
file by renaming a new one over it, never writes into it), so a package's link to it is
found whatever its path, and a file replaced since is deflated again.  The child keeps
where each lies in the scratch file in three columns of 8-byte numbers and writes the table
once it is done, sorted by inode; a zip's writer waits for that (a sibling of the child, it
reads the child's pipe to its end) and looks files up in it by bisection: nothing per file
is held but 48 bytes.  Only a deposit whose zips reuse no earlier zip's members deflates
ahead (:meth:`.zipped.ZipIndex.holds_zips`): after a change the earlier zips hold almost
every content already.  The scratch files are temporary files, deleted when the last
process that holds them closes them.
"""

from __future__ import annotations

import os
import signal
import tempfile
from array import array
from bisect import bisect_left
from typing import BinaryIO, Iterable

from .background import Child, start
from .rawfile import RawFile
from .zipped import SPILL, Reused, _Region, deflate_open

#: Numbers per file in the table: inode, size, modification time, offset, compressed
#: size, CRC-32.
FIELDS = 6


class Ahead:
    """The files ``paths`` being deflated at ``level`` in a child process (see the module
    doc)."""

    def __init__(self, paths: Iterable[str], level: int):
        self.level = level
        self._data = tempfile.TemporaryFile()
        self._table = tempfile.TemporaryFile()
        data, table = self._data.fileno(), self._table.fileno()
        self._child: Child | None = start(lambda: _deflate_all(paths, level, data, table))
        self._found: Found | None = None

    def found(self) -> Found:
        """The files deflated ahead, once the child is done (in a zip's writer, a sibling of
        the child: its pipe read to the end, not waited for)."""
        if self._found is None:
            if self._child is not None:
                with os.fdopen(os.dup(self._child.reason), "rb") as pipe:
                    pipe.read()
            size = os.fstat(self._table.fileno()).st_size
            table = array("Q")
            table.frombytes(os.pread(self._table.fileno(), size - size % (8 * FIELDS), 0))
            self._found = Found(table, self._data.fileno(), self.level)
        return self._found

    def close(self) -> None:
        """Let go of the child (stopped if it is still at work: no zip is left to write)
        and of this process's hold on the scratch files."""
        child, self._child = self._child, None
        if child is not None:
            try:
                os.kill(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                child.wait()
            except OSError:
                pass  # killed, or failed: an accelerator, not a result
        self._data.close()
        self._table.close()


class Found:
    """The table of the files deflated ahead at ``level`` (``table``: :data:`FIELDS`
    numbers per file, sorted by inode) and the scratch file ``data`` their deflated bytes
    lie in."""

    def __init__(self, table: array, data: int, level: int):
        self.level = level
        self._table = table
        self._inodes = table[0::FIELDS]
        self._data = data

    def get(self, path: str | os.PathLike[str]) -> Reused | None:
        """(compressed size, CRC-32, size, compressed bytes) of the file at ``path`` when
        it is one deflated ahead, as it was then (None: it is not)."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        at = bisect_left(self._inodes, st.st_ino)
        if at == len(self._inodes) or self._inodes[at] != st.st_ino:
            return None
        _inode, size, mtime, offset, csize, crc = self._table[at * FIELDS:(at + 1) * FIELDS]
        if (size, mtime) != (st.st_size, st.st_mtime_ns):
            return None
        if csize > SPILL:
            return csize, crc, size, _Region(self._read, offset, csize)
        packed = self._read(offset, csize)
        return (csize, crc, size, packed) if len(packed) == csize else None

    def _read(self, offset: int, n: int) -> bytes:
        return os.pread(self._data, n, offset)


def _deflate_all(paths: Iterable[str], level: int, data: int, table: int) -> None:
    """Deflate each file of ``paths`` into the scratch file ``data`` and, at the end, the
    table of where each lies into ``table`` (in the child)."""
    columns = [array("Q") for _ in range(FIELDS)]
    seen: set[int] = set()  # a file linked in twice (the text edition's in the HTML's)
    offset = 0
    with open(data, "wb", closefd=False) as out:
        for path in paths:
            try:
                with RawFile(path) as handle:
                    st = handle.stat()
                    if st.st_ino in seen:
                        continue
                    _sha, csize, crc, size, packed = deflate_open(handle, "", level)
            except OSError:
                continue  # gone since: deflated by the zip's writer, if it is a member
            if size != st.st_size:
                _close(packed)
                continue
            seen.add(st.st_ino)
            _write(out, packed)
            for column, value in zip(columns, (st.st_ino, size, st.st_mtime_ns, offset,
                                               csize, crc)):
                column.append(value)
            offset += csize
    order = sorted(range(len(columns[0])), key=columns[0].__getitem__)
    rows = array("Q", (column[k] for k in order for column in columns))
    with open(table, "wb", closefd=False) as out:
        out.write(rows.tobytes())


def _write(out: BinaryIO, packed: bytes | BinaryIO) -> None:
    if isinstance(packed, bytes):
        out.write(packed)
        return
    while piece := packed.read(SPILL):
        out.write(piece)
    packed.close()


def _close(packed: bytes | BinaryIO) -> None:
    if not isinstance(packed, bytes):
        packed.close()
