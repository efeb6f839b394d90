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

The store is one file in the cache folder (:func:`.assets.cache_dir`), by absolute path,
each entry kept as :mod:`marshal` bytes so that a deposit that needs one file's facts
decodes only that one.  It is an accelerator and nothing more: when it is missing,
unreadable or made by other code, everything is read as before.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from pathlib import Path

from lxml import etree

from ..assets import cache_dir
from ..files import write_atomic
from ..incremental import FileState, code_digest
from ..model import Document
from .facts import facts_of

#: Bump when what an entry holds changes.
FORMAT = 1

#: One file's entry: its state as read, its SHA-512 and its facts.
Entry = tuple[FileState, str, dict]

#: The real path of each folder an export's worker found TEI files in (:func:`key`).
_FOLDERS: dict[str, str] = {}


def store_path() -> Path:
    return cache_dir() / "builds" / "tei-facts.marshal"


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


def keep(entries: list[tuple[str, bytes]]) -> None:
    """Add the export's ``entries`` to the store (over those of the same files), and forget
    the files that are gone."""
    if not entries:
        return
    kept = {path: data for path, data in load().items() if os.path.exists(path)}
    kept.update(entries)
    write_atomic(store_path(), marshal.dumps({"format": FORMAT, "code": code_digest(),
                                              "entries": kept}))


def placed_path(out_dir: str) -> Path:
    """Where the export into ``out_dir`` keeps the digests of the files it placed."""
    digest = hashlib.sha256(os.path.realpath(out_dir).encode("utf-8")).hexdigest()[:16]
    return cache_dir() / "builds" / f"placed-{digest}.marshal"


def keep_placed(out_dir: str, files: list[tuple[str, FileState, str | None]]) -> None:
    """Keep (rel, state, SHA-512) of the files the export into ``out_dir`` just placed, over
    those kept before of the same files; ``seen_ns`` is now (:meth:`.FileState.trusted`:
    a file placed in the last two seconds is not trusted, and is hashed by the deposit).
    The SHA-512 is None for bytes whose digest is told with another file (a copy of a TEI
    file, :func:`entry`; a link to a file placed before: :func:`.export.output.placed`)."""
    if not files:
        return
    now, folders = time.time_ns(), {}
    kept = _load(placed_path(out_dir))
    for rel, state, sha512 in files:
        kept[key(os.path.join(out_dir, rel), folders)] = (
            [*state.as_data()[:5], now], sha512)
    write_atomic(placed_path(out_dir), marshal.dumps(
        {"format": FORMAT, "code": code_digest(), "entries": kept}))


def load_placed() -> dict[str, tuple[list, str | None]]:
    """The digests kept of the files every export placed (:func:`keep_placed`), by real
    path: (state as data, SHA-512 or None)."""
    out: dict[str, tuple[list, str | None]] = {}
    for path in sorted((cache_dir() / "builds").glob("placed-*.marshal")):
        out.update(_load(path))
    return out


def decode(data: bytes) -> Entry:
    state, sha512, facts = marshal.loads(data)
    return FileState.from_data(state), sha512, facts


def load() -> dict[str, bytes]:
    """The kept entries, by path, undecoded (:func:`decode`); none when there is no store
    made by this code."""
    return _load(store_path())


def _load(path: Path) -> dict:
    try:
        data = marshal.loads(path.read_bytes())
        if data["format"] == FORMAT and data["code"] == code_digest():
            return data["entries"]
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        pass
    return {}
