"""Filling a package folder: each file written once, or taken over from the last package.

A package is built beside the one it replaces (:mod:`.output`).  After a one-page change
almost every file of the new package is a file of the old one, and writing 10,000 documents'
files again costs far more than linking them: so a file whose content the old package
already holds at the same place is hard-linked from it, not written.  What the old package
holds is known from the build record of the last deposit: for each file, a *key* (the
SHA-256 of a copied file; for a made file, such as a document's METS, a digest of
everything it is made from), its checksums and its size, times and inode, so that a file
changed or replaced since is never taken over.  Both packages' files are settled to the
same times and permissions (but the edition's, below), so a link changes nothing in the
old package.

Creating a file costs the system far more than linking one (on ext4, about ten times as
much for the edition's files, whose data is small), and a package holds the same content
several times: the HTML edition's copies of the TEI and text files, and the DSpace batch
holds the bag's edition files again.  So a file is also linked from a file of the same
package already holding its content, and from its *twin*, the same edition file placed by
the package made before it in the same run.  The HTML and text editions, which teipipe
makes and only ever replaces by renaming a new file over the old one
(:data:`.edition.GENERATED`), are linked from the edition itself: a later export gives the
edition a new file and the package keeps its own.  Their times and permissions are left as
the export made them (settling them would re-date the edition's files), and the records
that know them (this deposit's, the export's) go by their size, modification time and
inode, not their change time, which a link changes.  The files edited by hand (TEI, source
pages, schema) are never linked: an editor may write into them, which would change the
package.  Nothing writes into a package's file: a made file replaces a link rather than
writing through it.

When the last package is as its record says, only what changed is built aside: the files
of the old package that are still right stay where they are (``update``), and the new and
changed files are moved in once all of them are made (:func:`.output.update`).

Each file's fixity is kept for the manifests, the METS and the archive, on disk
(:class:`.table.FileTable`: a package has 80,000 files).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from itertools import islice
from typing import AbstractSet, Callable, Iterable, Iterator, Protocol

from .edition import PackageFile
from .fixity import FileMemory, Fixity, fixity, fixity_of
from .rawfile import write_new
from .table import COPIED, KEYED, MADE, FileTable, SortedDigests


def key_of(*parts: object) -> str:
    """The key of a made file: a digest of what it is made from (strings, numbers and
    dataclasses of them, whose ``repr`` says all they hold).

    A document's records are made from its files' checksums and what its TEI file says,
    which the TEI file's SHA-256 (among its files') stands for: the parsed header itself
    need not be part of the key."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def stat_of(path: str) -> list[int]:
    """What says a package's file is the one recorded: its size, times and inode."""
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def snapshot(out: Path | str) -> Iterator[tuple[str, list[int] | None]]:
    """The :func:`stat_of` (None: it cannot be taken) of every file below ``out``, with its
    path (``out`` joined with the path inside, as :func:`os.scandir` names it), one at a
    time in the order of the paths: one walk, one look at each file, for the package's
    record (:meth:`Staged.record`, :func:`restat`) and the digest of its outputs alike
    (:class:`SortedStats`), and nothing held but the names of the folders being walked (a dict
    of a package's files was ~30 MB at 10,000 documents)."""
    return _walk(os.fspath(out))


def _walk(folder: str) -> Iterator[tuple[str, list[int] | None]]:
    """:func:`snapshot` of ``folder``: its entries sorted by name, a folder's name with a
    slash after it, which puts everything below it where its paths sort among the others
    (``a/x`` after ``a-b``, ``a`` before ``a/x``).  A link to a folder is not walked, as
    :func:`os.walk` does not, nor given."""
    names = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir():
                if not entry.is_symlink():
                    names.append(entry.name + "/")
                continue
            names.append(entry.name)
    names.sort()
    for name in names:
        path = os.path.join(folder, name.rstrip("/"))
        if name.endswith("/"):
            yield from _walk(path)
            continue
        try:
            yield path, stat_of(path)
        except OSError:
            yield path, None


class SortedStats:
    """The :func:`snapshot` of ``out``, looked up a file at a time (:meth:`get`) in the order
    of the paths (that of a package's table, :meth:`.table.FileTable.heads`, and of its
    record's rows); each file of the folder is given to ``seen`` as the walk passes it,
    looked up or not, and the rest by :meth:`finish`."""

    def __init__(self, out: Path | str, seen: Callable[[str, list[int] | None], object]):
        self._walk = snapshot(out)
        self._seen = seen
        self._next = next(self._walk, None)

    def get(self, path: str) -> list[int] | None:
        """The :func:`stat_of` of ``path`` as the walk found it (None: not found, or not
        taken: a path asked for out of order is not found)."""
        while self._next is not None and self._next[0] < path:
            self._pass()
        if self._next is None or self._next[0] != path:
            return None
        st = self._next[1]
        self._pass()
        return st

    def finish(self) -> None:
        while self._next is not None:
            self._pass()

    def _pass(self) -> None:
        assert self._next is not None
        self._seen(*self._next)
        self._next = next(self._walk, None)


def restat(out: Path, record: Iterable[tuple[str, list]],
           now: Callable[[str], list[int] | None]) -> Iterator[tuple[str, list]]:
    """A :meth:`Staged.record` of ``out`` taken without the files' times, with each file's
    :func:`stat_of` as it is now (``now``: :meth:`SortedStats.get`: a link made since changed
    the change time); a file gone since is left out."""
    for rel, head in record:
        st = now(os.path.join(out, rel))
        if st is not None:
            yield rel, head + st


def write_file(path: str, data: bytes) -> Fixity:
    """Write a new file (see :meth:`Staged.making`); its fixity."""
    write_new(path, data)
    return fixity_of(data)


#: Files copied at a time by :meth:`Staged.copy_all`.
BATCH = 4096


def twin_of(twins: str | None, f: PackageFile) -> str | None:
    """Where the folder ``twins`` (see :meth:`Staged.copy`) holds the edition file ``f``."""
    return None if twins is None else os.path.join(twins, f.rel)


class Kept(Protocol):
    """The record of a package (:meth:`Staged.record`): each file's row by its path inside,
    looked up a file at a time (by any copying thread); false when it has none."""

    def get(self, rel: str, /) -> list | None: ...

    def __bool__(self) -> bool: ...


class Staged:
    """The package folder being built in ``folder``; ``old`` is the package it replaces and
    ``previous`` that package's record (:meth:`record`), empty when there is none.

    With ``update``, ``folder`` holds only what changes: a file of ``old`` that is still
    right is *kept* (:meth:`.table.FileTable.keep`: left where it is, not linked), and
    :func:`.output.update` then moves the staged files into ``old`` and removes what the
    package no longer holds.
    A link per unchanged file and the removal of the old folder cost a package of 120,000
    files more than everything else a one-page change asks for."""

    def __init__(self, folder: Path, memory: FileMemory, old: Path | None = None,
                 previous: Kept | None = None, update: bool = False):
        self.folder = folder
        self.memory = memory
        self.old = old
        self.previous: Kept = previous or {}
        self.update = update and old is not None
        #: each file's fixity and how it came in; the files of ``old`` left in place
        #: (``update``); the first file that held each content
        self.files = FileTable()
        self._folders: set[str] = set()

    def copy(self, src: Path | str, rel: str, twin: str | None = None,
             generated: bool = False) -> Fixity:
        """Put a file of the edition in: linked from ``twin`` (the same edition file in a
        package made before this one in the same run) with the checksums that package
        took of it (:meth:`.FileMemory.recalled`: the file itself is not looked at again),
        unless ``update`` keeps the old package's file instead (which costs nothing).
        Else a ``generated`` one (:data:`.edition.GENERATED`)
        is hard-linked from the edition itself (:meth:`_link_generated`; with ``update``,
        kept when the old package holds that very file).  Any other is
        copied in when :mod:`.fixity` does not know it (hashing it on the way, or first
        when it is small: then it is linked from a file of this package with the same
        content when there is one); else linked from ``twin``, from the old package when it
        holds the file (kept there, first, with ``update``), or from a file of this package
        with the same content; copied when none can be (so is a generated file that cannot
        be linked)."""
        found = self._link_twin(src, rel, twin) if twin is not None and not self.update \
            else None
        if found is None and generated and self.update:
            found = self._keep_generated(src, rel)
        if found is None and generated:
            found = self._link_generated(src, rel)
        if found is not None:
            self.files.put(rel, found, COPIED)
            return found
        entry = self.memory.recall(src, ctime=not generated)
        if entry is None:
            found = self.memory.copy(src, self._path(rel), lambda sha256: self._link_from(
                self._holding(sha256), rel))
        else:
            found = fixity(entry)
            kept = self.previous.get(rel)
            ways = [lambda: twin is not None and self._link_from(twin, rel),
                    lambda: kept is not None and len(kept) == 5 and self._link(
                        rel, found.sha256, kept)]
            if self.update:  # keeping the old package's file costs nothing, a link one
                ways.reverse()
            if not (any(way() for way in ways) or
                    self._link_from(self._holding(found.sha256), rel)):
                shutil.copyfile(src, self._path(rel))
        self.files.put(rel, found, COPIED)
        return found

    def copy_all(self, files: Iterable[tuple[Path | str, str, str | None, bool]]) -> None:
        """:meth:`copy` each (file, path in the package, twin or None, generated), on every
        core (hashing, reading and writing let go of the interpreter), in one share of each
        :data:`BATCH` files per thread (taken from ``files`` a batch at a time: the list of
        a package's files is not made); their fixity is in :attr:`files`."""
        workers = os.cpu_count() or 1
        jobs = iter(files)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            while batch := list(islice(jobs, BATCH)):
                for _done in pool.map(lambda share: [self.copy(*job) for job in share],
                                      [batch[k::workers] for k in range(workers)]):
                    pass
        self.memory.forget_told()

    def take(self, rel: str, key: str) -> bool:
        """Take the made file ``rel`` over from the old package if it was made from what
        ``key`` stands for; whether it was."""
        kept = self.previous.get(rel)
        if kept is None or len(kept) != 7 or not self._link(rel, key, kept):
            return False
        self.files.put(rel, Fixity(kept[3], kept[1], kept[2]), KEYED, key)
        return True

    def write(self, rel: str, data: bytes, key: str | None = None) -> Fixity:
        """Write a made file (``key``: what it is made from, for the next build to take it
        over by; None: it is made each time)."""
        found = write_file(self.making(rel), data)
        self.made(rel, found, key)
        return found

    def write_pieces(self, rel: str, pieces: Iterable[bytes]) -> Fixity:
        """:meth:`write` a made file (made each time) given in ``pieces``, hashed as they
        are written: the whole is never held."""
        sha256, sha512, size = hashlib.sha256(), hashlib.sha512(), 0
        with open(self.making(rel), "wb") as out:
            for piece in pieces:
                sha256.update(piece)
                sha512.update(piece)
                out.write(piece)
                size += len(piece)
        found = Fixity(size, sha256.hexdigest(), sha512.hexdigest())
        self.made(rel, found)
        return found

    def making(self, rel: str) -> str:
        """Where the made file ``rel`` is to be written (here or by a worker process, with
        :func:`write_file`; then say so with :meth:`made`): its folder made, and nothing
        there (a file taken over, then made after all: never write into a link)."""
        path = self._path(rel)
        if self.files.drop(rel) and not self.files.unkeep(rel):
            os.unlink(path)
        return path

    def made(self, rel: str, found: Fixity, key: str | None = None) -> None:
        """The made file ``rel`` is written (see :meth:`write`)."""
        self.files.put(rel, found, MADE if key is None else KEYED, key)

    def fixity_at(self, rel: str) -> Fixity | None:
        """The fixity of the file ``rel`` (None: the package has none)."""
        return self.files.get(rel)

    def paths(self) -> AbstractSet[str]:
        """The paths of all the package's files (looked up on disk, one at a time)."""
        return self.files

    def digests(self) -> SortedDigests:
        """Each file's path in the folder -> its SHA-256, what the archive reuses by,
        asked for in the order of the paths (:class:`.table.SortedDigests`)."""
        return self.files.sorted_digests()

    def record(self, out: Path, now: Callable[[str], list[int] | None] | None = None,
               ) -> Iterator[tuple[str, list]]:
        """What the next build needs to take files over from ``out`` (this package, put in
        place; ``now``: :meth:`SortedStats.get` of it), file by file in the order of their paths:
        per copied file its SHA-256, per made file its key and checksums; then the file's
        size, times and inode (without ``now``, not: see :func:`restat`)."""
        for rel, head in self.files.heads():  # a file made each time is not there
            if now is not None:
                path = os.path.join(out, rel)
                head += now(path) or stat_of(path)
            yield rel, head

    def _link(self, rel: str, key: str, kept: list) -> bool:
        """Hard-link ``rel`` from the old package when its file there is the recorded one
        (size, times, inode) and was recorded with ``key``."""
        if kept[0] != key or self.old is None:
            return False
        old = os.path.join(self.old, rel)
        try:
            if kept[-4:] != stat_of(old):
                return False
            if self.update:
                self.files.keep(rel)
            else:
                os.link(old, self._path(rel))
        except OSError:
            return False
        return True

    def _link_twin(self, src: Path | str, rel: str, twin: str) -> Fixity | None:
        """Hard-link ``rel`` from ``twin``, which a package made before in this run placed
        as the edition file ``src`` and took the checksums of (nothing writes into a
        package's file); its fixity (None: not linked, or ``src`` not taken in this run).
        A generated file's twin is the edition's own file, whose times settling leaves
        alone (:attr:`.FileMemory.linked` has its inode already)."""
        entry = self.memory.recalled(src)
        return fixity(entry) if entry is not None and self._link_from(twin, rel) else None

    def _keep_generated(self, src: Path | str, rel: str) -> Fixity | None:
        """Keep ``rel`` (``update``) when the old package's file is the recorded one and
        the edition's file ``src`` itself, as :meth:`_link_generated` would link it; its
        fixity (None: it is not kept)."""
        kept = self.previous.get(rel)
        if kept is None or len(kept) != 5 or self.old is None:
            return None
        try:
            st = os.stat(src)
            if kept[-4:] != stat_of(os.path.join(self.old, rel)) or kept[-1] != st.st_ino:
                return None
        except OSError:
            return None
        entry = self.memory.recall(src, st, ctime=False)
        if entry is None or fixity(entry).sha256 != kept[0]:
            return None
        self.memory.linked.add(st.st_ino)
        self.files.keep(rel)
        return fixity(entry)

    def _link_generated(self, src: Path | str, rel: str) -> Fixity | None:
        """Hard-link ``rel`` from the edition's file ``src``, which teipipe made and only
        ever replaces by renaming a new file over it (never writes into), so that the
        package keeps the content it links whatever later exports do; its fixity as
        :mod:`.fixity` knows it, else as the export that placed it told
        (:meth:`.FileMemory.told`), else as hashing the linked file gives.  None when it
        cannot be linked (another file system, say).  The package's settling leaves the
        file's times and permissions alone (:attr:`.FileMemory.linked`): they are the
        edition's."""
        path = self._path(rel)
        try:
            os.link(src, path)
        except OSError:
            return None
        st = os.stat(path)  # never written into: it is the edition's file
        self.memory.linked.add(st.st_ino)
        entry = self.memory.recall(src, st, ctime=False)
        if entry is not None:
            return fixity(entry)
        return self.memory.told(src, st) or self.memory.hash(src, path, st)

    def _holding(self, sha256: str) -> str | None:
        held = self.files.holding(sha256)
        if held is None:
            return None
        same, kept = held
        return os.path.join(self.old if kept and self.old else self.folder, same)

    def _link_from(self, source: str | None, rel: str) -> bool:
        """Hard-link ``rel`` from ``source``, a file teipipe placed in a package in this
        run (None: no such file); whether it was (not across file systems, say)."""
        if source is None:
            return False
        try:
            os.link(source, self._path(rel))
        except OSError:
            return False
        return True

    def _path(self, rel: str) -> str:
        """Where ``rel`` goes, its folder made (paths as strings: a package has 100,000):
        with one ``mkdir``, its own folder made first when there is none (``makedirs``
        looks at the folder above before each ``mkdir``, and at the folder itself when
        it is there already: the copying threads share a DSpace item's files)."""
        path = os.path.join(self.folder, rel)
        parent = os.path.dirname(path)
        if parent not in self._folders:
            try:
                os.mkdir(parent)
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(parent, exist_ok=True)
            self._folders.add(parent)
        return path
