"""What a deposit needs of each TEI file, kept by the HTML export that has just read it.

``make all`` exports the editions, then packages them; both read every TEI file.  The
deposit needs of a file its SHA-256 and SHA-512 (the bag's manifests, the METS) and its
facts (:mod:`.facts`: the header that the Dublin Core and the METS are made from), and
reading, hashing and parsing 10,000 files for them took it about 6 CPU seconds, most of
its first phase.  The export's workers hold each file's bytes, parsed tree and document
already, so they add the SHA-512 and the facts (a few hundredths of a millisecond a file)
and the export keeps them here; the deposit takes them for every file whose size, times
and inode are still those the export saw (:meth:`.FileState.trusted`, the rule every
build record goes by), and reads the others itself, as before.  A file changed since
the export, or exported by other code, is read again: nothing here can make a package
say what its TEI file does not.

The export's workers also hash every file they put in place (SHA-256, for the export's
record) with the bytes in hand; they add the SHA-512, and the export keeps both, with the
file's state, in a store of its own per output folder (:func:`keep_placed`): a package
links the HTML and text editions' files in, and took both digests of each by reading it
again (a gigabyte for 10,000 pages).  It takes them from there for every file whose size,
modification time and inode are those the export saw (:meth:`.FileState.trusted`, the
change time aside, as for any file teipipe makes: linking it changes that), and hashes
the others itself (:meth:`.FileMemory.told`).

The store is one SQLite file in the cache folder (:func:`.assets.cache_dir`), by absolute
path, each entry kept as :mod:`marshal` bytes so that a deposit that needs one file's facts
decodes only that one.  Entries are added as the export's workers give them
(:class:`Keeper`) and looked up one at a time (:class:`Store`): neither side holds the
store, whose facts of 10,000 files are 20 MB as objects (it was one :mod:`marshal` dict,
loaded and written whole, and the export held every entry until it wrote it).  It is an
accelerator and nothing more: when it is missing, unreadable or made by other code,
everything is read as before.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from lxml import etree

from .. import sqlite_cache
from ..assets import cache_dir
from ..incremental import FileState, code_digest
from ..model import Document
from .facts import facts_of

#: Bump when what an entry holds changes (2: SQLite, no longer one marshal dict; 3: the
#: layout in its ``user_version``).
FORMAT = 3

#: One file's entry: its state as read, its SHA-512 and its facts.
Entry = tuple[FileState, str, dict]

#: The real path of each folder an export's worker found TEI files in (:func:`key`).
_FOLDERS: dict[str, str] = {}


def store_path() -> Path:
    return cache_dir() / "builds" / "tei-facts.sqlite"


def entry(path: str, data: bytes, state: FileState, doc: Document,
          root: etree._Element) -> tuple[str, bytes]:
    """What the deposit needs of the TEI file ``path`` (its bytes ``data`` as read, with
    ``state``; ``doc`` and ``root``: what they hold, read in full), under its :func:`key`,
    ready to be kept."""
    return key(path, _FOLDERS), marshal.dumps(
        (state.as_data(), hashlib.sha512(data).hexdigest(), facts_of(doc, root)))


def key(path: str, folders: dict[str, str] | None = None) -> str:
    """The key of a file in the store: its real path (the export finds a folder's files by
    its real path, the deposit by the edition's, which may go through a link).  ``folders``:
    the real path of each folder already resolved, when many files are looked up."""
    folder, name = os.path.split(os.path.abspath(path))
    if folders is None:
        return os.path.join(os.path.realpath(folder), name)
    real = folders.get(folder)
    if real is None:
        real = folders[folder] = os.path.realpath(folder)
    return os.path.join(real, name)


def keep(entries: Iterable[tuple[str, bytes]]) -> None:
    """Add the export's ``entries`` to the store (over those of the same files), and forget
    the files that are gone."""
    with Keeper(store_path()) as keeper:
        for path, data in entries:
            keeper.add(path, data)
        keeper.close(forget_gone=True)


def placed_path(out_dir: str) -> Path:
    """Where the export into ``out_dir`` keeps the digests of the files it placed."""
    digest = hashlib.sha256(os.path.realpath(out_dir).encode("utf-8")).hexdigest()[:16]
    return cache_dir() / "builds" / f"placed-{digest}.sqlite"


def keep_placed(out_dir: str, files: Iterable[tuple[str, FileState, str | None]]) -> None:
    """Keep (rel, state, SHA-512) of the files the export into ``out_dir`` just placed, over
    those kept before of the same files; their time seen is now (:meth:`.FileState.trusted`:
    a file placed in the last two seconds is not trusted, and is hashed by the deposit).
    The SHA-512 is None for bytes whose digest is told with another file (a copy of a TEI
    file, :func:`entry`; a link to a file placed before: :func:`.export.output.placed`)."""
    now, folders = time.time_ns(), {}
    with Keeper(placed_path(out_dir)) as keeper:
        keeper.add_all((key(os.path.join(out_dir, rel), folders), marshal.dumps(
            ([state.sha256, state.size, state.mtime_ns, state.ctime_ns, state.inode, now],
             sha512))) for rel, state, sha512 in files)


def load_placed() -> Store:
    """The digests kept of the files every export placed (:func:`keep_placed`), by real
    path: (state as data, SHA-512 or None), looked up when asked."""
    return Store(sorted((cache_dir() / "builds").glob("placed-*.sqlite")), marshal.loads)


def decode(data: bytes) -> Entry:
    state, sha512, facts = marshal.loads(data)
    return FileState.from_data(state), sha512, facts


def load() -> Store:
    """The kept entries, by path, undecoded (:func:`decode`), looked up when asked; none
    when there is no store made by this code."""
    return Store([store_path()])


class Keeper:
    """Entries added to the store in ``path`` as they come, in one transaction, made when
    the first comes (no entry: the store is not touched); a store of other code, or one
    that cannot be read, is begun again.  ``with``: closed at the end, the entries kept,
    unless it ends with an error (then they are not)."""

    def __init__(self, path: Path):
        self.path = path
        self.db: sqlite3.Connection | None = None

    def add(self, key: str, data: bytes) -> None:
        if self.db is None:
            self.db = _writable(self.path)
        self.db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?)", (key, data))

    def add_all(self, entries: Iterable[tuple[str, bytes]]) -> None:
        """:meth:`add` each of ``entries`` (key, data) as they come, in one statement: an
        export keeps tens of thousands at its end, after its workers (:func:`keep_placed`:
        5.0-6.1 µs a file, against 5.5-7.9 µs with a statement each)."""
        rows = iter(entries)
        first = next(rows, None)
        if first is None:  # (the store is not touched)
            return
        self.add(*first)
        assert self.db is not None
        self.db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", rows)

    def close(self, forget_gone: bool = False) -> None:
        """The entries kept (``forget_gone``: and those of files that are gone dropped)."""
        if self.db is None:
            return
        if forget_gone:
            gone = [(k,) for (k,) in self.db.execute("SELECT key FROM entries")
                    if not os.path.exists(k)]
            self.db.executemany("DELETE FROM entries WHERE key = ?", gone)
        self.db.commit()
        self.db.close()
        self.db = None

    def __enter__(self) -> Keeper:
        return self

    def __exit__(self, error: type[BaseException] | None, *exc: object) -> None:
        if error is None:
            self.close()
        elif self.db is not None:  # (its transaction rolled back)
            self.db.close()
            self.db = None


class Store:
    """The entries of the stores in ``paths`` (a later one's over an earlier one's for the
    same key), each read from its file when asked and decoded by ``decode``, as a
    read-only dict would give them; the stores that are missing, unreadable or of other
    code hold nothing."""

    def __init__(self, paths: list[Path], decode: Callable[[bytes], object] = bytes):
        self.decode = decode
        self.dbs = [db for db in map(_readable, paths) if db is not None][::-1]

    def close(self) -> None:
        """Let go of the databases (a lookup then finds nothing)."""
        for db in self.dbs:
            db.close()
        self.dbs = []

    def get(self, key: str, default=None):
        for db in self.dbs:
            row = db.execute("SELECT data FROM entries WHERE key = ?", (key,)).fetchone()
            if row is not None:
                return self.decode(row[0])
        return default

    def __getitem__(self, key: str):
        found = self.get(key, _NONE)
        if found is _NONE:
            raise KeyError(key)
        return found

    def __contains__(self, key: str) -> bool:
        return self.get(key, _NONE) is not _NONE

    def _rows(self) -> Iterator[tuple[str, bytes]]:
        seen: set[str] = set()
        for db in self.dbs:
            for k, data in db.execute("SELECT key, data FROM entries"):
                if k not in seen:
                    seen.add(k)
                    yield k, data

    def __iter__(self) -> Iterator[str]:
        return (k for k, _data in self._rows())

    def __len__(self) -> int:
        return sum(1 for _ in self._rows())

    def values(self) -> Iterator:  # one pass over the files, not a look-up a key
        return (self.decode(data) for _k, data in self._rows())


_NONE = object()


def _layout() -> str:
    """The stores' layout (:mod:`pipeline.sqlite_cache`): a store of other code is made anew."""
    return f"tei facts {FORMAT}, code {code_digest()}"


def _readable(path: Path) -> sqlite3.Connection | None:
    """The store in ``path`` to read, if it is one of this code's."""
    # (looked up from any of a deposit's threads: one reads at a time)
    return sqlite_cache.read_cache(path, _layout(), check_same_thread=False)


def _writable(path: Path) -> sqlite3.Connection:
    """The store in ``path`` to add to: made anew when it is of other code or cannot be
    read.  (Its journal in memory: it is a cache, and one left damaged by a run that was
    killed is no store, :func:`_readable`.)"""
    return sqlite_cache.open_cache(path, _layout(), _create,
                                   pragmas=("PRAGMA journal_mode = MEMORY",))


def _create(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, data BLOB) WITHOUT ROWID")
