"""Results of unchanged files, kept between runs: validation is the command run most.

A file's result (its diagnostics of all four layers and its facts for the corpus rules) is
stored under a key made of everything it depends on: the file's bytes and its name, the bytes
of the source page its record names (for the fidelity check), the project schemas and the
Schematron, tei_all, the pruning, the validator's options and the code of the pipeline
itself.  Change any of these and the file is validated again; the corpus rules always run.

The results live in an SQLite database, ``$TEIPIPE_CACHE/validate.sqlite`` (default
``.cache/teipipe/validate.sqlite``), one row per result, each looked up when its file comes
and written in small batches as results come: a run holds a few of them at a time, never
the whole cache (which was one JSON file read and written whole: 55 MB for 10,000 files,
and 266-366 MB of memory to hold it).  Concurrent runs wait for each other's short writes;
a run that cannot write (a read-only or locked cache) only loses speed.  Deleting the file
is always safe, and a file that is not a database of this form is replaced.  It keeps the
results of the most recent runs, :data:`MAX_ENTRIES` at most.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from .. import __version__, sqlite_cache
from ..assets import TEI_ALL, cache_dir
from ..diagnostics import Diagnostic, Severity
from . import SCHEMA_DIR
from .prune import PRUNE_VERSION

_SOURCE = re.compile(rb'<\?teipipe [^?]*?\bsource="([^"]*)"')
PIPELINE = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=None)
def salt(options: str) -> str:
    """A digest of everything that is not the file but decides its result."""
    h = hashlib.sha256()
    for part in (__version__, TEI_ALL.sha256, PRUNE_VERSION, options):
        h.update(part.encode() + b"\0")
    for path in sorted(PIPELINE.rglob("*.py")) + sorted(SCHEMA_DIR.iterdir()):
        h.update(path.relative_to(PIPELINE).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def file_key(salt_: str, shown: str, path: Path, data: bytes) -> str:
    """The key of one file's result (reads the source page its record names, if any)."""
    h = hashlib.sha256(salt_.encode() + b"\0" + shown.encode() + b"\0")
    h.update(hashlib.sha256(data).digest())
    m = _SOURCE.search(data, 0, 4096)
    if m:
        source = path.parent / m.group(1).decode("utf-8", "replace")
        try:
            h.update(b"source\0" + hashlib.sha256(source.read_bytes()).digest())
        except OSError:
            h.update(b"no source\0")
    return h.hexdigest()


MAX_ENTRIES = 50_000
#: Results written (and uses noted) per transaction: few enough to hold, and a commit per
#: file would cost more than the results' check.
BATCH = 256
#: The layout of the database (:mod:`pipeline.sqlite_cache`): one made otherwise is made anew.
_LAYOUT = "validate results 1"


class ResultCache:
    """The results of earlier runs, by key, looked up one at a time; :meth:`put` and
    :meth:`get` note what this run wrote and used, :meth:`save` writes the rest of it."""

    def __init__(self, path: Path | None = None):
        self.path = path or cache_dir() / "validate.sqlite"
        try:  # (waits for the short writes of other runs)
            self.db: sqlite3.Connection | None = sqlite_cache.open_cache(
                self.path, _LAYOUT, _create, timeout=30)
        except (OSError, sqlite3.Error):  # a folder that cannot be made, a locked file
            self.db = None
        self.run = 0  # this run's number: the results it used or wrote are the newest
        if self.db is not None:
            try:
                self.run = self.db.execute("SELECT coalesce(max(run), 0) + 1 FROM results"
                                           ).fetchone()[0]
            except sqlite3.Error:
                self.db = None
        self.written: list[tuple[str, int, str]] = []  # (key, run, value), not yet written
        self.used: list[tuple[int, str]] = []  # (run, key) of results found, not yet noted

    def close(self) -> None:
        """Let go of the database (what :meth:`save` did not write is not kept): the
        connection is not closed when the cache is dropped, but when the garbage collector
        finds it (it holds itself, through its statements)."""
        if self.db is not None:
            self.db.close()
            self.db = None

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def present(self, keys: list[str]) -> set[str]:
        """Those of ``keys`` that have a result (one query for them all)."""
        if self.db is None or not keys:
            return set()
        try:
            return {key for key, in self.db.execute(
                f"SELECT key FROM results WHERE key IN ({', '.join('?' * len(keys))})", keys)}
        except sqlite3.Error:
            return set()

    def get(self, key: str) -> tuple[str, list[Diagnostic], dict] | None:
        value = self._value(key)
        try:
            entry = json.loads(value) if value is not None else None
            found = entry["kind"], [_diagnostic(d) for d in entry["diagnostics"]], entry["facts"]
        except (TypeError, KeyError, ValueError):
            return None
        self.used.append((self.run, key))
        if len(self.used) >= BATCH:
            self._write()
        return found

    def put(self, key: str, kind: str, diagnostics: list[Diagnostic], facts: dict) -> None:
        items = [dict(asdict(d), severity=int(d.severity)) for d in diagnostics]
        value = json.dumps({"kind": kind, "diagnostics": items, "facts": facts},
                           ensure_ascii=False)
        self.written.append((key, self.run, value))
        if len(self.written) >= BATCH:
            self._write()

    def save(self) -> None:
        """Write what is left of this run's results, then forget the least recently used
        beyond :data:`MAX_ENTRIES`."""
        self._write()
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("DELETE FROM results WHERE key IN (SELECT key FROM results "
                                "ORDER BY run DESC LIMIT -1 OFFSET ?)", (MAX_ENTRIES,))
        except sqlite3.Error:
            pass  # a read-only or busy cache only costs speed

    def _value(self, key: str) -> str | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row is not None else None

    def _write(self) -> None:
        written, used = self.written, self.used
        self.written, self.used = [], []
        if self.db is None or not (written or used):
            return
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?)", written)
                self.db.executemany("UPDATE results SET run = ? WHERE key = ?", used)
        except sqlite3.Error:
            pass


def _create(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE results (key TEXT PRIMARY KEY, run INTEGER, value TEXT)")


def _diagnostic(item: dict) -> Diagnostic:
    return Diagnostic(item["code"], Severity(item["severity"]), item["message"], item["file"],
                      item["line"], item["column"], item["hint"])
