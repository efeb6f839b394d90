"""The output files an export gave, kept on disk until they are recorded.

An export gives tens of thousands of files at 10,000 documents (a page, a TEI copy and a
plain text each, the entries' pages), and records the state of each once they are all
written (:meth:`.build.Build.write`): the entry it belongs to, its SHA-256, its times when
a worker put it in place, its SHA-512 for the deposit.  Held in dicts until then, that was
8 MB of the main process at 10,000 documents, growing with the edition; here it is a
temporary SQLite database (standard library), a row per file, which SQLite keeps in its
page cache (a few megabytes at most) and on disk beyond, deleted when closed.
"""

from __future__ import annotations

import itertools
import sqlite3
from typing import Iterator

#: A file's times as a worker saw them when it put the file in place (size, modification
#: and change times, inode: :attr:`.output.Placed.stat`); None: not looked at yet.
Stat = tuple[int, int, int, int] | None

#: How many files given are inserted at once (:meth:`Given.add`): some 50 kB held.
BATCH = 128

#: A file given, as :meth:`Given.by_key` gives it back: its path, SHA-256, times, SHA-512.
File = tuple[str, str, Stat, str | None]


class Given:
    """The files given, by path: a file given twice counts as given last."""

    def __init__(self) -> None:
        # "": a private temporary database on disk, removed when it is closed
        self.db = sqlite3.connect("", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")  # temporary: nothing to roll back to
        self.db.execute("CREATE TABLE given (rel TEXT PRIMARY KEY, key TEXT NOT NULL, "
                        "sha TEXT NOT NULL, size INTEGER, mtime INTEGER, ctime INTEGER, "
                        "ino INTEGER, sha512 TEXT)")
        self.db.execute("CREATE INDEX by_key ON given (key)")
        self.db.execute("BEGIN")  # one transaction: a file given is a row, not a commit
        #: the rows given since the last were inserted: inserted :data:`BATCH` at a time,
        #: and before a look-up (4.2 µs a file given and read back, against 5.7 µs with a
        #: statement each)
        self.rows: list[tuple] = []

    def add(self, rel: str, key: str, sha: str, stat: Stat, sha512: str | None) -> None:
        """The file ``rel`` of the entry ``key`` (over what was given of it before)."""
        self.rows.append((rel, key, sha, *(stat or (None,) * 4), sha512))
        if len(self.rows) >= BATCH:
            self._insert()

    def _insert(self) -> None:
        """Insert the rows given since the last were, in the order given."""
        self.db.executemany("INSERT OR REPLACE INTO given VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            self.rows)
        self.rows.clear()

    def key(self, rel: str) -> str | None:
        """The entry of the file ``rel`` (None: not given)."""
        self._insert()
        row = self.db.execute("SELECT key FROM given WHERE rel=?", (rel,)).fetchone()
        return None if row is None else row[0]

    def by_key(self) -> Iterator[tuple[str, list[File]]]:
        """The files given, entry by entry (in the order of the entries' keys), each entry's
        files in the order they were given; one entry's files held at a time."""
        self._insert()
        rows = self.db.execute("SELECT key, rel, sha, size, mtime, ctime, ino, sha512 "
                               "FROM given ORDER BY key, rowid")
        for key, group in itertools.groupby(rows, lambda row: row[0]):
            yield key, [(rel, sha, None if size is None else (size, mtime, ctime, ino), sha512)
                        for _key, rel, sha, size, mtime, ctime, ino, sha512 in group]

    def close(self) -> None:
        self.db.close()


__all__ = ["File", "Given", "Stat"]
