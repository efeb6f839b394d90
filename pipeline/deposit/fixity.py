"""Checksums of the edition's files, computed once and remembered between runs.

Every file of a package is read once: its bytes are hashed (SHA-256 and SHA-512 in the same
pass) as they are copied in, a piece at a time (or once linked in: :meth:`FileMemory.hash`).
A deposit after a one-page change must not read and hash the whole edition again, so the
checksums are kept in a build record (:mod:`pipeline.record_store`) shared by both kinds of
package: a file whose size, times and inode are the recorded ones is taken as unchanged, as
git and make do, and its checksums are not computed again; any other file is hashed, and
the record learns it.  What a package reads from a TEI file (:mod:`.facts`) is remembered
the same way, by the file's content.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from array import array
from bisect import bisect_left
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from .. import sqlite_cache
from ..incremental import FileState, settings_digest, state_of
from ..record_store import RecordStore
from . import facts_store
from .facts import Packed
from .rawfile import RawFile, read_whole, write_new

#: Files are copied and hashed this many bytes at a time.
CHUNK = 1 << 20
#: Files this small are read whole when they are copied (see :meth:`FileMemory.copy`).
SMALL = 1 << 17


@dataclass(frozen=True, slots=True)
class Fixity:
    """A file's size and the two digests the bag's manifests list (with slots: a package
    holds one per file, 80,000 for a bag of 10,000 documents, and a dict each would cost
    a hundred bytes more)."""

    size: int
    sha256: str
    sha512: str


def fixity_of(data: bytes) -> Fixity:
    return Fixity(len(data), hashlib.sha256(data).hexdigest(), hashlib.sha512(data).hexdigest())


class FileMemory:
    """What is known about the edition's files: checksums and, for TEI files, facts.

    ``record`` is the build record's path (:class:`.record_store.RecordStore`, None:
    remember nothing, compute everything).  The record is on disk and looked up a file at a
    time: an entry per file of the edition, which took ~4 KB per document when it was held
    (a JSON record, read and written whole).  The copying threads of
    :meth:`.Staged.copy_all` share it: one connection, used under a lock; what they hash
    is hashed outside it.
    """

    def __init__(self, record: Path | None):
        self._path = record
        self._store: RecordStore | None = None
        #: Held around every use of the record and of :attr:`_contents` (re-entered:
        #: :meth:`told` learns what it finds).
        self._lock = threading.RLock()
        self.started = time.time_ns()
        #: The files whose entry was found right (:meth:`recall`) or learnt in this run
        #: (those the record keeps when it is saved: the others, when they are gone).
        self.sure = Keys()
        #: The SHA-512 of each content (by its SHA-256) learnt in this run (:meth:`hash`)
        #: or told by the exports (:meth:`told`), in a database of this run alone, as the
        #: record is: one per content of the edition.
        self._contents: sqlite3.Connection | None = None
        #: The inodes of the edition's files hard-linked into a package in this run
        #: (:meth:`.Staged.copy`), which every package of the run leaves as they are when
        #: it settles its files (:func:`.output.settle`), whichever way they came in (from
        #: the edition, from the package made before, from a file with the same content).
        self.linked = Inodes()
        #: What the exports kept of the files they placed (:meth:`told`), opened when first
        #: asked for; the real path of each folder looked up there.
        self._placed: facts_store.Store | None = None
        self._folders: dict[str, str] = {}

    @property
    def record(self) -> RecordStore:
        """The build record, opened when first asked for (under :attr:`_lock`): a run whose
        packages are all as their records say (nothing changed) makes none and opens
        none."""
        with self._lock:
            if self._store is None:
                self._store = RecordStore(self._path, _settings(), threads=True)
            return self._store

    def entry(self, path: Path | str) -> dict | None:
        """The recorded entry of ``path`` (None: none), whether or not it is still right."""
        with self._lock:
            return self.record.get(_key(path))

    def recall(self, path: Path | str, st: os.stat_result | None = None,
               ctime: bool = True) -> dict | None:
        """The entry of ``path`` when the file's times (``st``, else taken now; ``ctime``:
        see :meth:`FileState.trusted`) say it is the one recorded; without ``st``, when it
        was found right or learnt earlier in this run (:meth:`recalled`), without a look
        at the file again (the edition's TEI files are looked at as they are gathered,
        then again by each package: a stat each)."""
        key = _key(path)
        with self._lock:
            entry = self.record.get(key)
            if entry is None:
                return None
            if st is None and key in self.sure:
                return entry
        try:
            if not entry["state"].trusted(st or os.stat(path), ctime):
                return None
        except OSError:
            return None
        with self._lock:
            self._sure(key)
        return entry

    def recalled(self, path: Path | str) -> dict | None:
        """The entry of ``path`` when it was found right (:meth:`recall`) or learnt earlier
        in this run, without a look at the file: the checksums of what a package made
        before in this run took of it (:meth:`.Staged.copy`)."""
        key = _key(path)
        with self._lock:
            return self.record.get(key) if key in self.sure else None

    def told(self, path: Path | str, st: os.stat_result) -> Fixity | None:
        """The checksums of ``path``, a file an export placed (linked into a package, whose
        ``os.stat`` after the link is ``st``), as the export kept them
        (:func:`.facts_store.keep_placed`), when ``st`` says it is the file the export saw
        (its change time aside: the link changed it), the SHA-512 of bytes the export
        hashed with another file (a TEI file's copy, a link) as it told it there or as
        this run learnt it (:meth:`_sha512`); the record learns them.  None when the export
        did not keep them, or the file is not that one any more."""
        with self._lock:
            if self._placed is None:
                self._placed = facts_store.load_placed()
                self._tell((told[0][0], told[1]) for told in self._placed.values()
                           if told[1] is not None)
            told = self._placed.get(facts_store.key(str(path), self._folders))
            if told is None:
                return None
            state = FileState.from_data(told[0])
            sha512 = told[1] or self._sha512(state.sha256)
            if sha512 is None or not state.trusted(st, ctime=False):
                return None
            return fixity(self._learn(path, FileState(
                state.sha256, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino,
                self.started), sha512))

    def hash(self, path: Path | str, linked: str, st: os.stat_result) -> Fixity:
        """Hash ``linked``, a hard link just made to ``path`` whose ``os.stat`` is ``st``
        (what was linked is what is hashed, whatever ``path`` is by now); the record
        learns it as ``path``.

        A file of at most :data:`SMALL` bytes is read whole and its SHA-256 taken first:
        a content whose SHA-512 is known already in this run (:meth:`_sha512`) is not
        hashed again with it, which costs twice what SHA-256 does.  The HTML edition holds
        a copy of every TEI file, whose checksums the export told (:mod:`.facts_store`),
        and of every plain text, which the text edition holds too.  (A package takes the
        SHA-256 for its content as it is: a file is linked from another of the same
        SHA-256.)"""
        with RawFile(linked) as source:
            if st.st_size <= SMALL:
                data = source.read_all(st.st_size)
                digest = hashlib.sha256(data).hexdigest()
                with self._lock:
                    sha512 = self._sha512(digest)
                sha512 = sha512 or hashlib.sha512(data).hexdigest()
            else:
                sha256, long = hashlib.sha256(), hashlib.sha512()
                for piece in pieces(source):
                    sha256.update(piece)
                    long.update(piece)
                digest, sha512 = sha256.hexdigest(), long.hexdigest()
        return fixity(self._learn(path, FileState(digest, st.st_size, st.st_mtime_ns,
                                                  st.st_ctime_ns, st.st_ino, self.started),
                                  sha512))

    def learn(self, path: Path | str, state: FileState, sha512: str) -> dict:
        """The new entry of ``path``, read (:func:`read_hashed`) elsewhere (facts kept when
        the content is the same)."""
        return self._learn(path, state, sha512)

    def facts(self, entry: dict) -> Packed | None:
        """The facts of a file's ``entry``, packed (the record keeps their bytes)."""
        facts = entry.get("facts")
        return None if facts is None else Packed(facts)

    def learn_facts(self, path: Path | str, facts: Packed) -> None:
        with self._lock:
            entry = self.record.get(_key(path))
            if entry is not None and entry.get("facts") != facts.data:
                self.record.put(_key(path), {**entry, "facts": facts.data})
                self._sure(_key(path))

    def copy(self, src: Path | str, dest: Path | str,
             placed: Callable[[str], bool] | None = None) -> Fixity:
        """Copy ``src`` to ``dest`` and hash it on the way, a piece at a time (an index page
        of a large edition is a hundred megabytes); the record learns it.

        A file of at most :data:`SMALL` bytes (most are) is read whole and hashed first:
        ``placed``, given its SHA-256, may then put ``dest`` in place itself (a link to a
        file with the same content, which costs the system less than writing a new one)
        and say so; else the bytes are written."""
        sha256, sha512 = hashlib.sha256(), hashlib.sha512()
        with RawFile(src) as source:
            st = source.stat()
            if placed is not None and st.st_size <= SMALL:
                data = source.read_all(st.st_size)
                found = fixity(self._learn(src, FileState(
                    hashlib.sha256(data).hexdigest(), len(data), st.st_mtime_ns,
                    st.st_ctime_ns, st.st_ino, self.started), hashlib.sha512(data).hexdigest()))
                if not placed(found.sha256):
                    write_new(dest, data)
                return found
            with open(dest, "wb") as target:
                for piece in pieces(source):
                    sha256.update(piece)
                    sha512.update(piece)
                    target.write(piece)
        return fixity(self._learn(src, FileState(sha256.hexdigest(), st.st_size, st.st_mtime_ns,
                                                 st.st_ctime_ns, st.st_ino, self.started),
                                  sha512.hexdigest()))

    def _learn(self, path: Path | str, state: FileState, sha512: str) -> dict:
        key = _key(path)
        entry = {"state": state, "sha512": sha512}
        with self._lock:
            self._tell([(state.sha256, sha512)])
            old = self.record.get(key)
            if old is not None and old["state"].sha256 == state.sha256 and "facts" in old:
                entry["facts"] = old["facts"]
            if old != entry:
                self.record.put(key, entry)
            self._sure(key)
        return entry

    def _sure(self, key: str) -> None:
        """``key``'s entry in the record is right (under :attr:`_lock`): unless the record
        lost the run's changes (:attr:`.RecordStore.lost`: another run holds it, the disk
        is full), when it holds what it held before the run; then no entry is sure, and
        each file is looked at again (its entry trusted by its times, or learnt anew)."""
        if self.record.lost:
            self.sure.clear()
        else:
            self.sure.add(key)

    def _tell(self, contents: Iterable[tuple[str, str]]) -> None:
        """Keep the SHA-512 of each (SHA-256, SHA-512) content but the known (under
        :attr:`_lock`)."""
        if self._contents is None:
            self._contents = sqlite_cache.temporary(_contents_table, isolation_level=None,
                                                    threads=True)
        self._contents.executemany("INSERT OR IGNORE INTO contents VALUES (?, ?)", contents)

    def _sha512(self, sha256: str) -> str | None:
        """The SHA-512 of the content ``sha256`` when it is known in this run (under
        :attr:`_lock`)."""
        if self._contents is None:
            return None
        row = self._contents.execute("SELECT sha512 FROM contents WHERE sha256=?",
                                     (sha256,)).fetchone()
        return None if row is None else row[0]

    def save(self) -> None:
        """Write the record, forgetting files that are gone (deleted or renamed); nothing
        when it was never read."""
        with self._lock:
            if self._store is None:
                return
            gone = [key for key in self._store.keys()
                    if key not in self.sure and not os.path.exists(key)]
            for key in gone:
                self._store.drop(key)
            self._store.save()

    def forget_told(self) -> None:
        """Let go of what the exports told (:meth:`told`), once the files of a package are
        in; opened again if a later package asks."""
        with self._lock:
            if self._placed is not None:
                self._placed.close()
            self._placed = None

    def release(self) -> None:
        """Save the record and let go of it, and of all that is known, once the last
        package of the run has its files and records: the archive's writer, forked next,
        and what is done after it (:meth:`.make.Shared.finish`) need none of it.  The
        memory knows nothing afterwards."""
        with self._lock:
            self.save()
            if self._store is not None:
                self._store.close()
            if self._contents is not None:
                self._contents.close()
            self._path, self._store, self._contents = None, None, None
            self.sure.close()
            self.sure, self.linked = Keys(), Inodes()
            self.forget_told()


class Keys:
    """A set of strings (the paths of the edition's files) in a private temporary database
    (deleted when closed), made when the first is added: a set of 60,000 paths, which the
    edition no longer holds as strings (:mod:`.shelf`), was ~10 MB at 10,000 documents.
    Used under the caller's lock."""

    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = None

    def add(self, key: str) -> None:
        if self._db is None:
            self._db = sqlite_cache.temporary(_keys_table, isolation_level=None, threads=True)
        self._db.execute("INSERT OR IGNORE INTO keys VALUES (?)", (key,))

    def __contains__(self, key: str) -> bool:
        return self._db is not None and self._db.execute(
            "SELECT 1 FROM keys WHERE key=?", (key,)).fetchone() is not None

    def clear(self) -> None:
        if self._db is not None:
            self._db.execute("DELETE FROM keys")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db = None


def _keys_table(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA journal_mode=OFF")  # nothing to roll back: a scratch table
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE TABLE keys (key TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute("BEGIN")  # one transaction: nothing is kept beyond the run


class Inodes(AbstractSet[int]):
    """A set of inode numbers, 8 bytes each in an array, sorted when first looked in after
    a change and looked up by bisection (a set of ints took ~70 bytes an inode: 60,000 for
    the files linked in at 10,000 documents).  :meth:`add` may be called from any thread
    (an append, under the interpreter's lock); an inode added twice is held twice."""

    def __init__(self) -> None:
        self._inodes = array("Q")
        self._sorted = True

    def add(self, inode: int) -> None:
        self._inodes.append(inode)
        self._sorted = False

    def __contains__(self, inode: object) -> bool:
        if not self._sorted:
            self._inodes = array("Q", sorted(self._inodes))
            self._sorted = True
        at = bisect_left(self._inodes, inode)
        return at < len(self._inodes) and self._inodes[at] == inode

    def __iter__(self) -> Iterator[int]:
        return iter(sorted(set(self._inodes)))

    def __len__(self) -> int:
        return len(set(self._inodes))


def _contents_table(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE contents (sha256 TEXT PRIMARY KEY, sha512 TEXT) WITHOUT ROWID")


def _settings() -> str:
    """The settings of the file memory's record (none: a file's checksums are its own)."""
    return settings_digest("deposit-files", {})


def read_hashed(path: Path | str, started: int) -> tuple[bytes, FileState, str]:
    """The bytes of ``path``, its state (``started``: when the run began) and its SHA-512:
    what :meth:`FileMemory.learn` learns."""
    data, st = read_whole(path)
    return data, state_of(data, st, started), hashlib.sha512(data).hexdigest()


def _key(path: Path | str) -> str:
    """The key of a file in the record: its absolute, normalized path.  The edition's paths
    are strings of that form already (:class:`.edition.PackageFile`) and are taken as they
    are, so that the record and the edition share one string per file, not two."""
    return path if isinstance(path, str) and os.path.isabs(path) else os.path.abspath(path)


def pieces(handle: BinaryIO | RawFile) -> Iterator[memoryview]:
    """The content of an unbuffered file, :data:`CHUNK` bytes at a time, read into one
    buffer per thread: allocating a fresh megabyte for each read of a small file costs the
    system more than the copy.  Each piece is valid until the next is asked for."""
    buffer = getattr(_local, "buffer", None)
    if buffer is None:
        buffer = _local.buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    while n := handle.readinto(buffer):
        yield view[:n]


_local = threading.local()


def fixity(entry: dict) -> Fixity:
    return Fixity(entry["state"].size, entry["state"].sha256, entry["sha512"])
