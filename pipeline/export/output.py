"""Writing an edition into its folder without losing anything nobody asked to lose.

The exporters produce ``(relative path, bytes)`` pairs; :func:`write_files` puts them in the
output folder.  It keeps a list of what it wrote (:data:`MANIFEST`), so that a later export

- removes the files an earlier export wrote and this one no longer makes (a document taken
  out of the edition leaves no stale page behind);
- refuses to overwrite a file it did not write itself (someone's own ``index.html``), unless
  ``force`` is given;
- leaves a file untouched when its bytes have not changed (its date too).

Each file is written atomically (:func:`pipeline.files.write_atomic`).
"""

from __future__ import annotations

import errno
import filecmp
import hashlib
import os
import stat
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..diagnostics import Diagnostic, error
from ..files import display_path, write_atomic

MANIFEST = ".teipipe-export"
#: The content that says "keep the file as it is" (see :func:`write_files`).
KEEP = None


@dataclass
class Written:
    """What :func:`write_files` did."""

    written: int = 0
    unchanged: int = 0
    removed: int = 0
    #: Files of an earlier export not made again but left in place, because an input could
    #: not be read (see :func:`write_files`).
    held: int = 0
    problems: list[Diagnostic] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # the files left as they were (E407)


def listed(out_dir: Path) -> set[str]:
    """The files an earlier export wrote into ``out_dir`` (its :data:`MANIFEST`)."""
    path = out_dir / MANIFEST
    if not path.is_file():
        return set()
    return {line for line in path.read_text(encoding="utf-8").splitlines() if line}


def _same(target: str, size: int, data: bytes | Path) -> bool:
    """Whether the file ``target`` (of ``size`` bytes) holds ``data``."""
    if isinstance(data, Path):
        return filecmp.cmp(target, data, shallow=False)
    if size != len(data):
        return False
    with open(target, "rb") as handle:
        return handle.read() == data


def safe(rel: str) -> bool:
    """Whether ``rel`` names a file below the output folder: relative, not empty, no
    ``..``.  As :class:`~pathlib.PurePosixPath` reads it (which drops empty parts and
    ``.``), without making two of them for each of the edition's thousands of files."""
    parts = [part for part in rel.split("/") if part and part != "."]
    return bool(parts) and not rel.startswith("/") and ".." not in parts


@dataclass(frozen=True, slots=True)
class Placed:
    """A file put in place by another process (:func:`place`), what became of it and, when
    it is in place, its size, modification and change times and inode (:func:`placed`),
    and its SHA-512 (for the deposit, which would read it again for it:
    :mod:`.deposit.facts_store`)."""

    sha256: str
    outcome: str  # of :func:`place`
    stat: tuple[int, int, int, int] | None = None
    sha512: str | None = None

    def packed(self) -> bytes:
        """The same in 129 bytes (:meth:`unpacked`), not some 620 as objects: the pages'
        are handed back by the workers while the main process does other work, and wait
        for it (10,000 of them at 10,000 documents)."""
        stat, sha512 = self.stat or (0, 0, 0, 0), self.sha512 or "0" * 128
        flags = (self.stat is not None) << 4 | (self.sha512 is not None) << 5
        return _PACKED.pack(OUTCOMES.index(self.outcome) | flags, bytes.fromhex(self.sha256),
                            bytes.fromhex(sha512), *stat)

    @staticmethod
    def unpacked(data: bytes) -> Placed:
        """The :class:`Placed` that :meth:`packed` gave ``data``."""
        flags, sha256, sha512, *stat = _PACKED.unpack(data)
        return Placed(sha256.hex(), OUTCOMES[flags & 15],
                      tuple(stat) if flags & 16 else None,  # type: ignore[arg-type]
                      sha512.hex() if flags & 32 else None)


#: What :func:`place` can make of a file (:attr:`Placed.outcome`).
OUTCOMES = ("written", "unchanged", "foreign", "in the way")
#: A :class:`Placed` packed: outcome and flags, SHA-256, SHA-512, size, times, inode.
_PACKED = struct.Struct("<B32s64sQqqQ")


def placed(out_dir: Path, rel: str, data: bytes, replace: bool, like: Path | None = None,
           sha: str | None = None) -> Placed:
    """:func:`place` in a worker process: with the file's times looked at there, right
    after, so that the main process, which records them, need not look at every file the
    workers made once they are all made (a serial tail of tens of thousands of ``stat``
    calls).  Nothing else writes the file in the meantime: an output is only ever replaced
    by renaming a new file over it, and the record compares it by all but its change time
    (which linking it changes, :meth:`.incremental.FileState.trusted`).  ``sha``: the
    SHA-256 of ``data``, when the caller has it (else it is made here, and so is the SHA-512,
    with the bytes in hand: bytes the caller hashed already, a TEI file's copy or a link to
    a file placed before, have theirs told with that file)."""
    sha512 = None if sha else hashlib.sha512(data).hexdigest()
    sha = sha or hashlib.sha256(data).hexdigest()
    outcome = place(out_dir, rel, data, replace, like)
    if outcome not in ("written", "unchanged"):
        return Placed(sha, outcome)
    st = os.stat(os.path.join(out_dir, rel))
    return Placed(sha, outcome, (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino),
                  sha512)


#: The errors of ``stat`` that say "no file there" (as :meth:`pathlib.Path.exists` reads them).
_ABSENT = frozenset((errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP))


def place(out_dir: Path, rel: str, data: bytes | Path, replace: bool,
          like: Path | None = None) -> str:
    """Put one file in place: ``written``, ``unchanged`` (the same bytes are there), or
    left out: ``foreign`` (a file teipipe did not write, unless ``replace``) or ``in the
    way`` (not a file).  Worker processes call it for the files they make, so that their
    bytes need not pass through the main process.

    ``like``: a file just written that holds these very bytes (the plain text a document
    page offers for download is the plain-text edition's file): a new file is made a
    second name of it (a hard link), where the file system allows, not a copy.  Making a
    file costs more than all else a plain text costs; a link makes none.  Both are
    outputs, and teipipe replaces a file by renaming a new one over it, never by
    writing into it, so neither can change the other.

    What is there is looked at with one ``stat`` of a string path: this runs for each of
    the edition's tens of thousands of files, most of them new (no file there)."""
    target = os.path.join(out_dir, rel)
    try:
        st = os.stat(target)
    except OSError as exc:
        if exc.errno not in _ABSENT:
            raise
        st = None
    if st is not None:
        if not stat.S_ISREG(st.st_mode):
            return "in the way"
        if _same(target, st.st_size, data):
            return "unchanged"
        if not replace:
            return "foreign"
    elif like is not None and _linked(like, target):
        return "written"
    if isinstance(data, Path):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(data, target)
    else:
        write_atomic(target, data)
    return "written"


def _linked(like: Path, target: str) -> bool:
    """Whether ``target`` (no file yet) was made a second name of the file ``like``: not
    where the file system has no links, or puts it on another device, or ``like`` is
    missing (:func:`place` then writes it).  A folder of ``target`` not made yet (the first
    file of an edition built from nothing) is made, then linked into."""
    try:
        os.link(like, target)
    except FileNotFoundError:
        if not os.path.isfile(like):
            return False
        os.makedirs(os.path.dirname(target), exist_ok=True)
        return _linked_once(like, target)
    except OSError:
        return False
    return True


def _linked_once(like: Path, target: str) -> bool:
    try:
        os.link(like, target)
    except OSError:
        return False
    return True


def write_files(out_dir: Path, files: Iterable[tuple[str, bytes | Path | Placed | None]],
                force: bool = False, prune: Callable[[], bool] = lambda: True,
                before: set[str] | None = None) -> Written:
    """Write ``files`` (relative POSIX path, content) below ``out_dir``; ``before``: the
    files an earlier export wrote there (:func:`listed`), when the caller read them
    already (tens of thousands of paths: not held twice).

    The files an earlier export wrote there that are not among ``files`` are removed when
    ``prune()`` says so once ``files`` are all made: not when an input could not be read (a
    path mistyped, a TEI file broken), whose files would otherwise be lost with it; they
    are then left as they were and still listed as the export's, to be removed by the
    first run that reads every input.

    A content of ``None`` (:data:`KEEP`) says the file is already there as it should be
    (the caller made sure, see :mod:`pipeline.incremental`): it is kept, not even read.  A
    content that is a path is a file already written (in ``out_dir``, for a large file
    that is not to be held in memory): it is moved into place, or removed when the file
    there is the same.  A :class:`Placed` content is a file a worker put in place.
    """
    done = Written()
    if before is None:
        before = listed(out_dir)
    made: list[str] = []
    for rel, data in files:
        if not safe(rel) or rel == MANIFEST:
            raise ValueError(f"refusing to write outside the output folder: {rel!r}")
        if data is KEEP:
            outcome = "unchanged"
        elif isinstance(data, Placed):
            outcome = data.outcome
        else:
            outcome = place(out_dir, rel, data, force or rel in before)
        if outcome == "foreign":
            done.problems.append(error(
                "E407", "exists and was not written by teipipe; left as it is",
                file=display_path(out_dir / rel), hint="use another folder, or --force"))
            done.refused.add(rel)
        elif outcome == "in the way":
            done.problems.append(error("E407", "is in the way (not a file)",
                                       file=display_path(out_dir / rel)))
            done.refused.add(rel)
        else:
            made.append(rel)
            if outcome == "written":
                done.written += 1
            else:
                done.unchanged += 1
    kept = set(made)
    if prune():
        for rel in sorted(before - kept):
            stale = out_dir / rel
            if safe(rel) and stale.is_file():
                stale.unlink()
                done.removed += 1
    else:
        held = {rel for rel in before - kept if safe(rel) and (out_dir / rel).is_file()}
        done.held = len(held)
        kept |= held
    listing = "".join(f"{rel}\n" for rel in sorted(kept)).encode("utf-8")
    manifest = out_dir / MANIFEST
    if not manifest.is_file() or manifest.read_bytes() != listing:
        write_atomic(manifest, listing)
    return done
