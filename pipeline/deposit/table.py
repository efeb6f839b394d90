"""The files of a package being built, kept on disk: memory that does not grow with them.

A package of 10,000 documents has 80,000 files, and what is known of each (its checksums,
the key it was made from, whether it was copied from the edition or kept from the old
package) took some 40 MB of the deposit's largest process as dicts and sets; and a zip's
writer, forked from that process, started with all of it.  :class:`FileTable` keeps it in a
private temporary SQLite database (standard library; deleted when closed), whose pages
beyond a small cache are the system's to keep or write out.  What is asked of it is asked
a file at a time, or streamed in the order it is written in (a bag's manifests,
:meth:`FileTable.ordered`; a zip's members, :class:`SortedDigests`).

The copying threads of :meth:`.staged.Staged.copy_all` share the table: one connection,
used under a lock.
"""

from __future__ import annotations

import sqlite3
import struct
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import BinaryIO

from .fixity import Fixity

#: How a file came into the package: made each time, copied from the edition (or linked),
#: made from what its key stands for (taken over by the next build when that is the same).
MADE, COPIED, KEYED = 0, 1, 2


class FileTable:
    """Each file of a package (by its path inside) with its fixity and how it came in; and
    the files *kept* from the old package (left where they are: :class:`.staged.Staged`),
    and which file first held each content (by its SHA-256)."""

    def __init__(self) -> None:
        # "": a private database on disk, deleted when the connection is closed
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=OFF")  # nothing to roll back: a scratch table
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE files (rel TEXT PRIMARY KEY, size INTEGER, "
                         "sha256 TEXT, sha512 TEXT, key TEXT, how INTEGER) WITHOUT ROWID")
        self._db.execute("CREATE TABLE held (sha256 TEXT PRIMARY KEY, rel TEXT) WITHOUT ROWID")
        self._db.execute("CREATE TABLE kept (rel TEXT PRIMARY KEY) WITHOUT ROWID")
        self._db.execute("BEGIN")  # one transaction: nothing is kept beyond the run
        self._lock = threading.Lock()

    def put(self, rel: str, found: Fixity, how: int, key: str | None = None) -> None:
        """``rel`` is in the package with fixity ``found``, come in ``how``; a copied file
        holds its content for the files after it (:meth:`holding`) unless one did first."""
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                             (rel, found.size, found.sha256, found.sha512, key, how))
            if how == COPIED:
                self._db.execute("INSERT OR IGNORE INTO held VALUES (?, ?)",
                                 (found.sha256, rel))

    def get(self, rel: str) -> Fixity | None:
        """The fixity of ``rel`` (None: not in the package)."""
        with self._lock:
            row = self._db.execute("SELECT size, sha256, sha512 FROM files WHERE rel=?",
                                   (rel,)).fetchone()
        return None if row is None else Fixity(*row)

    def drop(self, rel: str) -> bool:
        """Take ``rel`` out of the package; whether it was in."""
        with self._lock:
            return self._db.execute("DELETE FROM files WHERE rel=?", (rel,)).rowcount > 0

    def keep(self, rel: str) -> None:
        """``rel`` is kept where it is in the old package."""
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO kept VALUES (?)", (rel,))

    def unkeep(self, rel: str) -> bool:
        """``rel`` is not kept (any more); whether it was."""
        with self._lock:
            return self._db.execute("DELETE FROM kept WHERE rel=?", (rel,)).rowcount > 0

    def holding(self, sha256: str) -> tuple[str, bool] | None:
        """The first copied file that held ``sha256``, and whether it is kept in the old
        package (None: none)."""
        with self._lock:
            row = self._db.execute("SELECT rel, rel IN (SELECT rel FROM kept) FROM held "
                                   "WHERE sha256=?", (sha256,)).fetchone()
        return None if row is None else (row[0], bool(row[1]))

    def __contains__(self, rel: object) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM files WHERE rel=?",
                                    (rel,)).fetchone() is not None

    def __iter__(self) -> Iterator[str]:
        """Every file's path, in sorted order."""
        for (rel,) in self._rows("SELECT rel FROM files ORDER BY rel"):
            yield rel

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM files").fetchone()[0]

    def totals(self, folder: str) -> tuple[int, int]:
        """The size of all files below ``folder``, and how many there are."""
        with self._lock:
            size, count = self._db.execute(
                "SELECT total(size), count(*) FROM files WHERE rel > ? AND rel < ?",
                (f"{folder}/", f"{folder}0")).fetchone()
        return int(size), count

    def ordered(self, order: Callable[[str], bytes], folder: str,
                ) -> Iterator[tuple[str, Fixity]]:
        """Each file below ``folder`` and its fixity, sorted by ``order`` of its path (bytes,
        compared as bytes are)."""
        with self._lock:
            self._db.create_function("place", 1, order, deterministic=True)
        for rel, size, sha256, sha512 in self._rows(
                "SELECT rel, size, sha256, sha512 FROM files WHERE rel > ? AND rel < ? "
                "ORDER BY place(rel)", (f"{folder}/", f"{folder}0")):  # "0" follows "/"
            yield rel, Fixity(size, sha256, sha512)

    def heads(self) -> Iterator[tuple[str, list]]:
        """What the next build takes files over by (:meth:`.staged.Staged.record`), file by
        file in sorted order: a made file's key and checksums, a copied file's SHA-256."""
        for rel, sha256, sha512, key, how in self._rows(
                "SELECT rel, sha256, sha512, key, how FROM files WHERE how != ? ORDER BY rel",
                (MADE,)):
            yield rel, [key, sha256, sha512] if how == KEYED else [sha256]

    def sorted_digests(self) -> SortedDigests:
        """Each file's SHA-256, in sorted order, as :class:`SortedDigests`."""
        run = tempfile.TemporaryFile()
        for rel, sha256 in self._rows("SELECT rel, sha256 FROM files ORDER BY rel"):
            name = rel.encode()
            run.write(_HEAD.pack(sha256.encode(), len(name)) + name)
        run.seek(0)
        return SortedDigests(run)

    def close(self) -> None:
        """Let go of the table (its file is deleted)."""
        self._db.close()

    def _rows(self, sql: str, params: tuple = ()) -> Iterator[tuple]:
        """The rows ``sql`` gives, a few hundred at a time (the lock is not held between
        them: the copying threads are done when the rows are streamed)."""
        with self._lock:
            cursor = self._db.execute(sql, params)
        while True:
            with self._lock:
                rows = cursor.fetchmany(512)
            if not rows:
                return
            yield from rows


class SortedDigests:
    """The SHA-256 of each file of a package by its path inside, read from a *sorted run*
    (a temporary file: a SHA-256, the length of a path and the path, sorted by path) as
    paths are asked for in sorted order, which is the order a zip's members are written in
    (:func:`.archive.serialize`): nothing is held but the entry being read.  A path asked
    for out of that order is not found (its member is hashed again: the same bytes).  The
    file is inherited by the zip's writer, a forked child (:mod:`.background`)."""

    def __init__(self, run: BinaryIO):
        self._run = run
        self._entry: tuple[str, str] | None = None

    def get(self, rel: str, /) -> str | None:
        while True:
            if self._entry is None:
                self._entry = self._next()
                if self._entry is None:
                    return None
            name, sha256 = self._entry
            if name == rel:
                return sha256
            if name > rel:
                return None
            self._entry = None

    def close(self) -> None:
        """Let go of the run (its file is deleted once every process has closed it)."""
        self._run.close()

    def _next(self) -> tuple[str, str] | None:
        head = self._run.read(_HEAD.size)
        if len(head) < _HEAD.size:
            return None
        sha256, size = _HEAD.unpack(head)
        return self._run.read(size).decode(), sha256.decode()


#: An entry of a sorted run of digests: the SHA-256 (hex) and the length of the path after.
_HEAD = struct.Struct("<64sI")
