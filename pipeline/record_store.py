"""A build record kept on disk and looked up per key: memory that does not grow with the files.

The JSON build record it replaced held every entry in memory from the start of a run to its
end (and its file was read and written whole): at 10,000 pages, convert's record was some
240,000 objects, 15 MB of the largest process.  :class:`RecordStore` has the same entries,
the same ``get``/``put``/``drop``/``save``, and the same rules (a record made
with other settings holds nothing; entries a run does not touch are kept; a damaged or
missing record only means everything is built again), but keeps them in an SQLite database
(standard library), one row per key: an entry is read when it is asked for, and written when
it is put.  A run's changes are one transaction, committed by ``save``: a run that stops
early leaves the record as it was, as a run that never saved a JSON record did.  (When
another run holds the database for its changes, this one's are not kept: the next run
converts them again.)

An entry is JSON-like data (kept with :mod:`marshal`), in which
:class:`~pipeline.incremental.FileState` values may appear anywhere.  A state observed "when the record is saved" (``seen_ns`` None: a file the stage
wrote) gets that time: the row keeps it apart (``seen``), filled in for every such row by
``save`` at once.
"""

from __future__ import annotations

import dataclasses
import marshal
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import sqlite_cache
from .incremental import RECORD_FORMAT, FileState, record_path

#: The database's own layout (:mod:`.sqlite_cache`): a change of the tables (not of the
#: entries) makes it anew.
_SCHEMA = f"record-store 1, marshal {marshal.version}, entries {RECORD_FORMAT}"


def store_path(stage: str, out_dir: Path) -> Path:
    """Where the record of ``stage`` writing into ``out_dir`` is kept (the cache folder)."""
    return record_path(stage, out_dir).with_suffix(".sqlite")


class RecordStore:
    """The outputs a stage made, by key, for one set of settings (see the module docstring).

    ``path`` None: a record that keeps nothing beyond the run (nothing is read or saved).
    Lookups and changes are made in one transaction, ended by ``save`` (so another run can
    change the database once this one has saved), or by :meth:`close` (``with``).
    ``threads``: any thread may use the store, one at a time (the caller holds a lock).
    """

    def __init__(self, path: Path | None, settings: str, threads: bool = False):
        self.path = path
        self.settings = settings
        self._writing = False
        self._lost = False
        #: the database holds entries of other settings: none of them is read, and they are
        #: deleted in the transaction of the first change (``_emptied`` once they are)
        self._other = False
        self._emptied = False
        #: the entry last read, as (key, entry): an export asks for its edition's entry (a
        #: state for each of thousands of files) once for each of them
        self._last: tuple[str, dict | None] | None = None
        db = None
        if path is not None:
            try:
                db = sqlite_cache.open_cache(path, _SCHEMA, lambda db: _create(db, settings),
                                             isolation_level=None,  # transactions by hand
                                             threads=threads)
                self._other = db.execute("SELECT value FROM meta WHERE name='settings'"
                                         ).fetchone() != (settings,)
            except (OSError, sqlite3.Error):  # locked by another run, or none can be made
                if db is not None:
                    db.close()
                db = None
        if db is None:  # a record of this run alone, not saved
            self.path = None
            db = sqlite_cache.temporary(lambda db: _create(db, settings), isolation_level=None,
                                        threads=threads)
        self._db = db

    @property
    def lost(self) -> bool:
        """Whether the run's changes could not be made (another run holds the database, the
        disk is full): the record then holds what it held before the run, not what was put
        since, and keeps nothing more until the run ends."""
        return self._lost

    def close(self) -> None:
        """Let go of the database, the changes not saved forgotten: another store of it (in
        this process or another) can then change it at once.  (Python's connection holds
        itself, through its statements: a store dropped unclosed keeps it, and the lock of
        its lookups, until the garbage collector finds it.)"""
        self._last = None
        self._writing = False
        self._db.close()

    def __enter__(self) -> RecordStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, sql: str, params: tuple, many: bool = False) -> None:
        """Make a change, in the run's transaction (begun here, and the entries of other
        settings deleted, at the first change).  When the database cannot be changed (another
        run holds it, the disk is full), the run's changes are not kept: the next run finds
        the record as it was, and converts what this one did again."""
        self._last = None
        if self._lost:
            return
        try:
            if not self._writing:
                if not self._db.in_transaction:
                    self._db.execute("BEGIN IMMEDIATE")
                self._writing = True
                if self._other:
                    self._db.execute("DELETE FROM entries")
                    self._db.execute("UPDATE meta SET value=? WHERE name='settings'",
                                     (self.settings,))
                    self._emptied = True
            if many:  # params: one tuple per row
                self._db.executemany(sql, params)
            else:
                self._db.execute(sql, params)
        except sqlite3.Error:
            self._lost = True
            self._end(commit=False)

    def _end(self, commit: bool) -> None:
        """End the run's transaction: commit it, or forget its changes."""
        self._last = None
        if self._db.in_transaction:
            self._db.execute("COMMIT" if commit else "ROLLBACK")
        self._writing = False
        self._other = self._other and not (commit and self._emptied)
        self._emptied = False

    def get(self, key: str) -> dict | None:
        """The entry of ``key`` (the same object for the same key until a change: not to
        be changed in place)."""
        if self._other and not self._emptied:
            return None
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        if not self._db.in_transaction:  # one lock for a run's lookups, not one each
            self._db.execute("BEGIN")
        row = self._db.execute("SELECT entry, seen FROM entries WHERE key=?",
                               (key,)).fetchone()
        entry = None if row is None else _decoded(marshal.loads(row[0]), row[1])
        self._last = (key, entry)
        return entry

    def values(self) -> Iterator[dict]:
        """Every entry (with the run's changes), one at a time from a cursor: none of them
        is held after it is given (an export's sweep of its packs reads them all)."""
        if self._other and not self._emptied:
            return
        if not self._db.in_transaction:
            self._db.execute("BEGIN")
        for data, seen in self._db.execute("SELECT entry, seen FROM entries"):
            yield _decoded(marshal.loads(data), seen)

    def keys(self) -> Iterator[str]:
        """Every key (with the run's changes), one at a time from a cursor, as
        :meth:`values`."""
        if self._other and not self._emptied:
            return
        if not self._db.in_transaction:
            self._db.execute("BEGIN")
        for (key,) in self._db.execute("SELECT key FROM entries"):
            yield key

    def put(self, key: str, entry: dict) -> None:
        """Keep ``entry`` for ``key`` (its states observed at save, if any, as yet unseen)."""
        self._write("INSERT OR REPLACE INTO entries VALUES (?, ?, NULL)",
                    (key, marshal.dumps(_encoded(entry))))

    def put_many(self, entries: Iterable[tuple[str, dict]]) -> None:
        """:meth:`put` each (key, entry), in one statement (a table of thousands of rows,
        :class:`.deposit.zipped.Members`, paid a round trip per row)."""
        self._write("INSERT OR REPLACE INTO entries VALUES (?, ?, NULL)",
                    tuple((key, marshal.dumps(_encoded(entry))) for key, entry in entries),
                    many=True)

    def drop(self, key: str) -> None:
        self._write("DELETE FROM entries WHERE key=?", (key,))

    def save(self) -> None:
        """Commit the run's changes (states observed "at save" get the time now)."""
        try:
            if self._writing:
                self._db.execute("UPDATE entries SET seen=? WHERE seen IS NULL",
                                 (time.time_ns(),))
            self._end(commit=True)
        except sqlite3.Error:  # a cache that cannot be written only costs time
            self._lost = True
            self._end(commit=False)

    def below(self, prefix: str, chunk: int = 1024) -> Iterator[list[tuple[str, dict]]]:
        """The (key, entry) of every entry whose key begins with ``prefix`` (not empty), in
        the order of the keys, ``chunk`` at a time: the rows of one table a record keeps a
        row per item of (a package's files, :mod:`.deposit.make`).  Each chunk is read
        whole, so the record may be changed between two (what is put then below
        ``prefix``, after the chunk's last key, is given too)."""
        if self._other and not self._emptied:
            return
        end, after = _after(prefix), None
        while True:
            if not self._db.in_transaction:
                self._db.execute("BEGIN")
            rows = self._db.execute(
                "SELECT key, entry, seen FROM entries WHERE key >= ? AND key < ? "
                "AND key > ? ORDER BY key LIMIT ?", (prefix, end, after or "", chunk)).fetchall()
            if not rows:
                return
            after = rows[-1][0]
            yield [(key, _decoded(marshal.loads(data), seen)) for key, data, seen in rows]

    def drop_below(self, prefix: str) -> None:
        """Drop every entry whose key begins with ``prefix`` (not empty): see :meth:`below`."""
        self._write("DELETE FROM entries WHERE key >= ? AND key < ?", (prefix, _after(prefix)))


def _create(db: sqlite3.Connection, settings: str) -> None:
    db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
    db.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, entry BLOB NOT NULL, seen INTEGER)")
    db.execute("INSERT INTO meta VALUES ('settings', ?)", (settings,))


def _encoded(value):
    """An entry as it is stored: JSON's values, with each :class:`FileState` as a tuple (no
    other value is one: the tuples of an entry become lists, as in JSON).  ``marshal``
    reads it back in a tenth of the time JSON would take with the states in it.  (A plain
    value is not passed to a call of its own: an export puts and gets each document's
    entry several times, with a dozen values each.)"""
    if isinstance(value, dict):
        return {key: item if type(item) in _PLAIN else _encoded(item)
                for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [item if type(item) in _PLAIN else _encoded(item) for item in value]
    if isinstance(value, FileState):
        return (value.sha256, value.size, value.mtime_ns, value.ctime_ns, value.inode,
                value.seen_ns)
    return value


def _decoded(value, seen: int | None):
    """An entry as :func:`_encoded` stored it (``seen``: when states observed at save were)."""
    if isinstance(value, dict):
        return {key: item if type(item) in _PLAIN else _decoded(item, seen)
                for key, item in value.items()}
    if isinstance(value, list):
        return [item if type(item) in _PLAIN else _decoded(item, seen) for item in value]
    if isinstance(value, tuple):
        state = _new(FileState)
        for put, item in zip(_FIELDS, value):
            put(state, item)
        if value[5] is None:
            _SEEN(state, seen)
        return state
    return value


#: How :func:`_decoded` makes a :class:`FileState`: its fields set as its ``__init__`` sets
#: them (a frozen class's, through ``object.__setattr__`` each), without the look-ups of
#: each call (1.2 µs a state, not 2.1: an export reads some 360,000 at 10,000 documents).
_new = object.__new__
_FIELDS = tuple(vars(FileState)[f.name].__set__ for f in dataclasses.fields(FileState))
_SEEN = vars(FileState)["seen_ns"].__set__

#: The values an entry holds that :func:`_encoded` and :func:`_decoded` give back as they
#: are (exactly these types: a subclass goes through them).
_PLAIN = frozenset((str, int, float, bool, bytes, type(None)))


def _after(prefix: str) -> str:
    """The first string after every string that begins with ``prefix`` (not empty)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
