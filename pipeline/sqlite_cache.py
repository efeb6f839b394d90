"""Opening the SQLite databases teipipe keeps its records and caches in, in one way.

Every such database (the build records, :mod:`.record_store`; the validation results,
:mod:`.validate.cache`; the deposit's facts and digests, :mod:`.deposit.facts_store`) is a
cache: losing it only costs time.  So each is opened the same way: its folders made, no
syncs (a file left damaged by a crash is made anew), and its layout checked; a file that is
damaged, no database, or of another layout is removed and made again, silently.  What
cannot be opened at all (a folder that cannot be written, a database another run holds)
raises, and each store decides what to do without (keep its record in memory, validate
without a cache, read every file again).

The layout is told by ``PRAGMA user_version``: a digest of a text that names it (and
whatever else makes an older file useless, e.g. the code that wrote it).  A new database has
0 and no tables; one of an earlier layout (or made before the layout was kept there) has
another number.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

#: What every cache database is opened with: no fsync, as for the files teipipe writes.
PRAGMAS = ("PRAGMA synchronous = OFF",)

#: Makes the tables of a new database, in the transaction that makes it (so with
#: ``execute``: ``executescript`` would commit it).
Create = Callable[[sqlite3.Connection], object]


def open_cache(path: Path, layout: str, create: Create, *, timeout: float = 5.0,
               isolation_level: str | None = "", pragmas: Iterable[str] = (),
               threads: bool = False) -> sqlite3.Connection:
    """The database in ``path`` of ``layout``, made with ``create`` when missing, damaged or
    of another layout; ``pragmas`` after :data:`PRAGMAS`; with ``threads``, a connection
    any thread may use (one at a time: the caller holds a lock around it).  Raises
    :class:`OSError` or :class:`sqlite3.Error` when there can be none (see the module
    docstring)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pragmas = (*PRAGMAS, *pragmas)
    try:
        return _opened(path, _version(layout), create, timeout, isolation_level, pragmas,
                       threads)
    except sqlite3.DatabaseError as exc:
        if type(exc) is not sqlite3.DatabaseError:  # busy, locked, read-only, ...: not its fault
            raise
    path.unlink(missing_ok=True)  # damaged, or of another layout: made anew
    return _opened(path, _version(layout), create, timeout, isolation_level, pragmas, threads)


def read_cache(path: Path, layout: str, **connect) -> sqlite3.Connection | None:
    """The database in ``path`` to read only (``connect``: as :func:`sqlite3.connect`'s),
    or None when it is missing, cannot be read, or is of another layout."""
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, **connect)
    except sqlite3.Error:
        return None
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] == _version(layout):
            return db
    except sqlite3.Error:
        pass
    db.close()
    return None


def temporary(create: Create, *, isolation_level: str | None = "",
              threads: bool = False) -> sqlite3.Connection:
    """A database of this run alone, made with ``create``: SQLite keeps it in memory up to
    its cache size (``PRAGMA cache_size``) and the rest in a temporary file, deleted when
    the database is closed (``threads``: as :func:`open_cache`'s)."""
    db = sqlite3.connect("", isolation_level=isolation_level, check_same_thread=not threads)
    create(db)
    return db


def _opened(path: Path, version: int, create: Create, timeout: float,
            isolation_level: str | None, pragmas: Iterable[str], threads: bool,
            ) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=timeout, isolation_level=None,
                         check_same_thread=not threads)
    try:
        for pragma in pragmas:
            db.execute(pragma)
        if db.execute("PRAGMA user_version").fetchone()[0] != version:
            # looked at again in a write transaction: of two runs that find no database,
            # one makes it and the other then finds it made
            db.execute("BEGIN IMMEDIATE")
            found = db.execute("PRAGMA user_version").fetchone()[0]
            if found != version:
                if found != 0 or db.execute("SELECT 1 FROM sqlite_master").fetchone():
                    raise sqlite3.DatabaseError("a database of another layout")
                create(db)
                db.execute(f"PRAGMA user_version = {version}")
            db.execute("COMMIT")
    except BaseException:
        db.close()
        raise
    db.isolation_level = isolation_level
    return db


def _version(layout: str) -> int:
    """The ``user_version`` of ``layout``: 31 bits of its digest, never 0 (a new database)."""
    return int.from_bytes(hashlib.sha256(layout.encode()).digest()[:4], "big") >> 1 or 1
