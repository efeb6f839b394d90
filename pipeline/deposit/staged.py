"""Filling a package folder: each file written once, or taken over from the last package.

A package is built beside the one it replaces (:mod:`.output`).  After a one-page change
almost every file of the new package is a file of the old one, and writing 10,000 documents'
files again costs far more than linking them: so a file whose content the old package
already holds at the same place is hard-linked from it, not written.  What the old package
holds is known from the build record of the last deposit: for each file, a *key* (the
SHA-256 of a copied file; for a made file, such as a document's METS, a digest of
everything it is made from), its checksums and its size, times and inode, so that a file
changed or replaced since is never taken over.  Both packages' files are settled to the
same times and permissions, so a link changes nothing in the old package.

Each file's fixity is kept for the manifests, the METS and the archive.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .fixity import FileMemory, Fixity, fixity, fixity_of


def key_of(*parts: object) -> str:
    """The key of a made file: a digest of what it is made from (strings, numbers and
    dataclasses of them, whose ``repr`` says all they hold).

    A document's records are made from its files' checksums and what its TEI file says,
    which the TEI file's SHA-256 (among its files') stands for: the parsed header itself
    need not be part of the key."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class Staged:
    """The package folder being built in ``folder``; ``old`` is the package it replaces and
    ``previous`` that package's record (:meth:`record`), empty when there is none."""

    def __init__(self, folder: Path, memory: FileMemory, old: Path | None = None,
                 previous: dict | None = None):
        self.folder = folder
        self.memory = memory
        self.old = old
        self.previous = previous or {}
        self.fixity: dict[str, Fixity] = {}
        self.keys: dict[str, str] = {}  # of made files
        self.copied: set[str] = set()
        self._folders: set[str] = set()

    def copy(self, src: Path | str, rel: str) -> Fixity:
        """Copy a file of the edition in: linked from the old package when :mod:`.fixity`
        knows it unchanged and the old package holds it, else copied (and hashed on the way
        when it is not known)."""
        entry = self.memory.recall(src)
        if entry is None:
            found = self.memory.copy(src, self._path(rel))
        else:
            found = fixity(entry)
            kept = self.previous.get(rel)
            if not (kept is not None and len(kept) == 5 and self._link(rel, found.sha256, kept)):
                shutil.copyfile(src, self._path(rel))
        self.fixity[rel] = found
        self.copied.add(rel)
        return found

    def copy_all(self, files: list[tuple[Path | str, str]]) -> list[Fixity]:
        """:meth:`copy` each (file, path in the package), on every core (hashing, reading
        and writing let go of the interpreter), in one share of the files per thread."""
        workers = os.cpu_count() or 1
        with ThreadPoolExecutor(max_workers=workers) as pool:
            shares = list(pool.map(lambda share: [self.copy(*job) for job in share],
                                   [files[k::workers] for k in range(workers)]))
        return [shares[i % workers][i // workers] for i in range(len(files))]

    def take(self, rel: str, key: str) -> bool:
        """Take the made file ``rel`` over from the old package if it was made from what
        ``key`` stands for; whether it was."""
        kept = self.previous.get(rel)
        if kept is None or len(kept) != 7 or not self._link(rel, key, kept):
            return False
        self.fixity[rel] = Fixity(kept[3], kept[1], kept[2])
        self.keys[rel] = key
        return True

    def write(self, rel: str, data: bytes, key: str | None = None) -> Fixity:
        """Write a made file (``key``: what it is made from, for the next build to take it
        over by; None: it is made each time)."""
        path = self._path(rel)
        if rel in self.fixity:  # taken over, then made after all: never write into a link
            os.unlink(path)
        self.fixity[rel] = found = fixity_of(data)
        with open(path, "wb") as handle:
            handle.write(data)
        if key is not None:
            self.keys[rel] = key
        return found

    def digests(self) -> dict[str, str]:
        """Each file's path in the folder -> its SHA-256, what the archive reuses by."""
        return {rel: f.sha256 for rel, f in self.fixity.items()}

    def record(self, out: Path) -> dict[str, list]:
        """What the next build needs to take files over from ``out`` (this package, put in
        place): per copied file its SHA-256, per made file its key and checksums; then the
        file's size, times and inode."""
        made = {}
        for rel, found in self.fixity.items():
            if rel in self.keys:
                head = [self.keys[rel], found.sha256, found.sha512]
            elif rel in self.copied:
                head = [found.sha256]
            else:
                continue  # made each time
            st = os.stat(os.path.join(out, rel))
            made[rel] = [*head, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        return made

    def _link(self, rel: str, key: str, kept: list) -> bool:
        """Hard-link ``rel`` from the old package when its file there is the recorded one
        (size, times, inode) and was recorded with ``key``."""
        if kept[0] != key or self.old is None:
            return False
        old = os.path.join(self.old, rel)
        try:
            st = os.stat(old)
            if kept[-4:] != [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]:
                return False
            os.link(old, self._path(rel))
        except OSError:
            return False
        return True

    def _path(self, rel: str) -> str:
        """Where ``rel`` goes, its folder made (paths as strings: a package has 100,000)."""
        path = os.path.join(self.folder, rel)
        parent = os.path.dirname(path)
        if parent not in self._folders:
            os.makedirs(parent, exist_ok=True)
            self._folders.add(parent)
        return path
