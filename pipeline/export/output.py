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

import filecmp
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable

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
    problems: list[Diagnostic] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # the files left as they were (E407)


def _manifest(out_dir: Path) -> set[str]:
    path = out_dir / MANIFEST
    if not path.is_file():
        return set()
    return {line for line in path.read_text(encoding="utf-8").splitlines() if line}


def _same(target: Path, data: bytes | Path) -> bool:
    if isinstance(data, Path):
        return filecmp.cmp(target, data, shallow=False)
    return target.stat().st_size == len(data) and target.read_bytes() == data


def _safe(rel: str) -> bool:
    parts = PurePosixPath(rel).parts
    return bool(parts) and not PurePosixPath(rel).is_absolute() and ".." not in parts


def write_files(out_dir: Path, files: Iterable[tuple[str, bytes | Path | None]],
                force: bool = False) -> Written:
    """Write ``files`` (relative POSIX path, content) below ``out_dir``.

    A content of ``None`` (:data:`KEEP`) says the file is already there as it should be
    (the caller made sure, see :mod:`pipeline.incremental`): it is kept, not even read.  A
    content that is a path is a file already written (in ``out_dir``, for a large file
    that is not to be held in memory): it is moved into place, or removed when the file
    there is the same.
    """
    done = Written()
    before = _manifest(out_dir)
    made: list[str] = []
    for rel, data in files:
        if not _safe(rel) or rel == MANIFEST:
            raise ValueError(f"refusing to write outside the output folder: {rel!r}")
        target = out_dir / rel
        if data is KEEP:
            made.append(rel)
            done.unchanged += 1
            continue
        if target.is_file():
            if _same(target, data):
                made.append(rel)
                done.unchanged += 1
                continue
            if rel not in before and not force:
                done.problems.append(error(
                    "E407", "exists and was not written by teipipe; left as it is",
                    file=display_path(target), hint="use another folder, or --force"))
                done.refused.add(rel)
                continue
        elif target.exists():
            done.problems.append(error("E407", "is in the way (not a file)",
                                       file=display_path(target)))
            done.refused.add(rel)
            continue
        if isinstance(data, Path):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(data, target)
        else:
            write_atomic(target, data)
        made.append(rel)
        done.written += 1
    for rel in sorted(before - set(made)):
        stale = out_dir / rel
        if _safe(rel) and stale.is_file():
            stale.unlink()
            done.removed += 1
    listing = "".join(f"{rel}\n" for rel in sorted(set(made))).encode("utf-8")
    manifest = out_dir / MANIFEST
    if not manifest.is_file() or manifest.read_bytes() != listing:
        write_atomic(manifest, listing)
    return done
