"""Writing a package folder safely: built aside, checked, then put in place in one step.

A package is assembled in a hidden sibling folder and only replaces the old one when it is
complete, so a failed run leaves the previous package as it was.  After a change, only the new and
changed files are assembled there, and moved into the old package once all are made
(:func:`update`).  A folder that is not a
package teipipe made is never replaced unless the user asks (``--force``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import AbstractSet, Callable

from ..diagnostics import Diagnostic, error
from ..files import display_path


def refuse(out: Path, ours: Callable[[Path], bool], force: bool) -> Diagnostic | None:
    """Why ``out`` must not be replaced (None when it may be)."""
    if out.exists() and not out.is_dir():
        return error("E503", "the output exists and is not a folder", file=display_path(out))
    if out.is_dir() and any(out.iterdir()) and not ours(out) and not force:
        return error("E503", "the output folder holds something that is not a package teipipe "
                     "made; not replaced", file=display_path(out),
                     hint="choose another -o folder, or run again with --force to replace it")
    return None


def staging(out: Path) -> Path:
    """A new empty folder beside ``out`` to build the package in."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))


def settle(folder: Path, epoch: int, leave: AbstractSet[int] = frozenset()) -> None:
    """Give every file and folder the same times and ordinary permissions, so that a copy,
    rsync or tar of the package made by anyone is the same too; but the files whose inode
    is in ``leave``: the edition's own files, linked in (:mod:`.staged`), keep the times
    the edition gave them (a web server's dates, an rsync of the edition, need them).

    A file that has them already (one linked from the last package, or from the package made
    before in the same run) is left alone: most files of a package made again after a
    change are such links, and changing nothing costs a look instead of two changes.  A file
    written here mostly has the permissions already (the usual umask gives 0644, and
    folders 0755): it is given its times only, one change instead of two."""
    _settle(str(folder), epoch * 1_000_000_000, leave)
    os.chmod(folder, 0o755)
    os.utime(folder, (epoch, epoch))


def _settle(folder: str, epoch_ns: int, leave: AbstractSet[int]) -> None:
    """:func:`settle` below ``folder``, its entries settled as they are read (a list of a
    folder's entries was a few megabytes for a package's folder of 10,000 documents)."""
    with os.scandir(folder) as found:
        for entry in found:
            if entry.is_dir(follow_symlinks=False):
                _settle(entry.path, epoch_ns, leave)
                mode = 0o755
            elif entry.inode() in leave:
                continue
            else:
                mode = 0o644
            st = entry.stat(follow_symlinks=False)
            right = st.st_mode & 0o7777 == mode
            if right and st.st_mtime_ns == epoch_ns:
                continue
            if not right:
                os.chmod(entry.path, mode)
            os.utime(entry.path, ns=(epoch_ns, epoch_ns))


def place(built: Path, out: Path, epoch: int, leave: AbstractSet[int],
          files: AbstractSet[str] | None = None) -> None:
    """Put the package built in ``built`` in place at ``out``, its files and folders
    settled (:func:`settle`): the whole package (:func:`install`), or with ``files`` (all
    the package's files) only what changed (:func:`update`)."""
    if files is None:
        settle(built, epoch, leave)
        install(built, out)
        return
    update(built, out, files)
    settle(out, epoch, leave)
    discard(built)


def install(built: Path, out: Path) -> None:
    """Put ``built`` in the place of ``out`` (the old one is removed only afterwards)."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
        os.replace(out, old / out.name)
    os.replace(built, out)
    if old is not None:
        shutil.rmtree(old)


def update(built: Path, out: Path, files: AbstractSet[str]) -> None:
    """Make ``out`` the package whose files (paths inside) are ``files``: each file staged
    in ``built`` (:class:`.staged.Staged` with ``update``) is moved over its place, then what
    ``out`` holds beyond ``files`` is removed (moved into ``built``, removed with it).

    Only renames and removals are left to do here, once everything that can fail for what
    the edition holds has been made aside.  A run stopped in the middle (killed, the disk
    failing) leaves a package the next run does not trust where it differs from the record
    of the last one (each file is taken over only when its size, times and inode are the
    recorded ones) and puts right: a file moved in is a new inode, one removed is missing,
    one left over is removed."""
    _merge(str(built), str(out), str(built))
    folders = set()
    for rel in files:
        parent = os.path.dirname(rel)
        while parent and parent not in folders:
            folders.add(parent)
            parent = os.path.dirname(parent)
    _prune(str(out), "", files, folders, str(built))


def _merge(src: str, dest: str, trash: str) -> None:
    """Move every file below ``src`` to its place below ``dest`` (a new folder at once)."""
    with os.scandir(src) as found:
        entries = list(found)
    for entry in entries:
        target = os.path.join(dest, entry.name)
        folder = entry.is_dir(follow_symlinks=False)
        if folder and os.path.isdir(target) and not os.path.islink(target):
            _merge(entry.path, target, trash)
            continue
        if os.path.lexists(target) and (folder or os.path.isdir(target)):
            os.replace(target, tempfile.mkdtemp(dir=trash) + "/gone")  # a file, now a folder
        os.replace(entry.path, target)


def _prune(folder: str, inside: str, files: AbstractSet[str], folders: AbstractSet[str],
           trash: str) -> None:
    """Remove what ``folder`` (``inside`` the package) holds beyond ``files``, whose
    folders and theirs are in ``folders`` (a folder none of them lies in goes whole)."""
    with os.scandir(folder) as found:
        entries = list(found)
    for entry in entries:
        rel = f"{inside}{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            if rel in folders:
                _prune(entry.path, rel + "/", files, folders, trash)
            else:
                os.replace(entry.path, tempfile.mkdtemp(dir=trash) + "/gone")
        elif rel not in files:
            os.unlink(entry.path)


def discard(built: Path) -> None:
    shutil.rmtree(built, ignore_errors=True)
