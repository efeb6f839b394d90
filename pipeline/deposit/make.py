"""Making a package end to end: gather, date, build, check, serialize; what the CLI calls."""

from __future__ import annotations

import gc
import hashlib
import os
import threading
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable

from ..assets import AssetError
from ..diagnostics import Diagnostic, Severity, error, warning
from ..files import display_path
from ..incremental import settings_digest
from ..record_store import RecordStore, store_path
from . import schemas as schema_files
from .archive import archive_path, serialize
from .background import Child, can_fork, start
from .bag import PAYLOAD, build_bag
from .edition import (EDITION_FILE, GENERATED, GROUPS, Edition, Found, collect,
                      edition_files, git_epoch, package_date)
from .fixity import FileMemory
from .records import Valid
from .saf import build_saf
from .staged import SortedStats, Staged, restat, snapshot, stat_of
from .zipped import LEVEL, ZipIndex

BUILDERS = {"bagit": build_bag, "dspace-saf": build_saf}
#: The folder of a package that holds each edition file at its path in the edition.
EDITION_AT = {"bagit": PAYLOAD}
DEFAULT_OUTPUT = {"bagit": "build/deposit", "dspace-saf": "build/dspace-saf"}


@dataclass
class Shared:
    """What the packages made in one run share: what is known of the edition's files
    (:mod:`.fixity`), the compressed members of the zips made (:mod:`.zipped`) and the
    edition as gathered, each loaded once and kept in memory, so that the second package
    reads, hashes and parses nothing the first one did.  The edition is held only for the
    ``uses`` packages still to make: the last one lets go of it before zipping, as a single
    package does.  (The package folders lie outside the edition's folders (E508), so making
    one package cannot change what the next one gathers.)  A package's archive is written
    in a child process, on the other core (:mod:`.background`), while this one takes the
    package's record and makes the next package, or, after the last, brings the records of
    the packages made before up to date; the next archive waits for it, to reuse its
    members."""

    memory: FileMemory
    index: ZipIndex
    uses: int = 1
    gathered: tuple[Edition, list[Diagnostic]] | None = None
    seen: tuple[Stats, int | None] | None = None  # the inputs' digest and git time, once
    #: The edition's files as found for :meth:`inputs`, until :meth:`collect` takes them.
    found: Found | None = None
    #: A package folder made in this run that holds each edition file at its path in the
    #: edition: the packages made after it link their edition files from it (:mod:`.staged`).
    twins: str | None = None
    #: The records a package made in this run found valid, which the packages made after
    #: it check no more (:class:`.records.Valid`); None when the run makes one package.
    valid: Valid | None = None
    #: What is done once the last package of the run is made (see :func:`make_package`),
    #: each with the archive it needs written (None: none).
    pending: list[tuple[str | None, Callable[[], None]]] = field(default_factory=list)
    #: The archive being written in a child process (:mod:`.background`), and where.
    writing: tuple[Child, str] | None = None

    def inputs(self, root: Path) -> tuple[Stats, int | None]:
        """:func:`inputs` of ``root``, taken once for all the packages of the run, of the
        files that :meth:`collect` then gathers (one walk of the edition for both), in a
        child process while this one gathers them (:class:`Stats`)."""
        if self.seen is None:
            self.found = edition_files(root)
            self.seen = inputs(root, self.found, aside=True)
        return self.seen

    def looked(self) -> None:
        """Wait for the look at the edition's files (:meth:`inputs`), if it was taken: a
        package reads them after it."""
        if self.seen is not None:
            self.seen[0].value()

    @classmethod
    def of(cls, root: Path, uses: int = 1, level: int = LEVEL) -> Shared:
        return cls(FileMemory(store_path("deposit-files", root)),
                   ZipIndex(store_path("deposit-zip", root), level), uses,
                   valid=Valid() if uses > 1 else None)

    def collect(self, root: Path) -> tuple[Edition, list[Diagnostic]]:
        """The edition under ``root`` (gathered by the first package that asks) and a
        fresh list of its notes, which the package adds its own to."""
        if self.gathered is None:
            self.gathered = collect(root, self.memory, self.found, self.looked)
            self.found = None
            gc.freeze()  # see finish()
        edition, notes = self.gathered
        self.uses -= 1
        if self.uses <= 0:
            self.gathered = None
        return edition, list(notes)

    def serialize(self, job: Callable[[ZipIndex], None], archive: str) -> None:
        """Run ``job`` (writing the archive ``archive``, reusing the members of the zips in
        the index it is given) once the archive written before is done: in a child process
        when the system can fork (see :meth:`writes`), else here."""
        self.wait()
        if can_fork():
            index = self.index
            self.writing = start(lambda: job(index)), archive
        else:
            job(self.index)

    def writes(self, archive: str | None) -> bool:
        """Whether ``archive`` is being written in a child process: its file is not there
        yet, so what records its size and times waits for it (:meth:`finish`)."""
        return archive is not None and self.writing is not None and self.writing[1] == archive

    def wait(self) -> None:
        """Wait for the archive being written in a child process, if any, and read again
        the index of zips it added its zip to."""
        if self.writing is not None:
            (child, _archive), self.writing = self.writing, None
            child.wait()
            self.index = ZipIndex(self.index.path, self.index.level)  # read when used

    def finish(self) -> None:
        """Do what waited for the last package of the run (see :func:`make_package`): the
        records brought up to date with their packages' files and archives, those whose
        archive is written already while the last archive is being written, the others
        once it is.

        Then the objects the run held from the time the edition was gathered (the edition,
        the records of what is known of its files: a few hundred thousand dicts, lists and
        strings that live as long as the run) are handed back to Python's cyclic garbage
        collector, which :meth:`collect` had them left out of (``gc.freeze``): none is part
        of a cycle, and each full pass of the collector walked them all, a tenth of the main
        process's CPU time at 1,000 documents, and in the worker processes and archive
        writers forked since, wrote to the memory pages the child shares with this process
        (the collector's marks), which the system then copies."""
        self.looked()  # its child waited for, whether or not it was needed
        ready = [job for archive, job in self.pending if not self.writes(archive)]
        later = [job for archive, job in self.pending if self.writes(archive)]
        self.pending.clear()
        try:
            try:
                for job in ready:
                    job()
            finally:
                self.wait()
            for job in later:
                job()
        finally:
            gc.unfreeze()


@dataclass(frozen=True)
class Made:
    """What a run made: the package folder and its serialization (None when not made)."""

    folder: Path | None = None
    archive: Path | None = None
    documents: int = 0
    files: int = 0


def make_package(root: Path, out: Path, fmt: str, archive: str | None, force: bool,
                 source_date_epoch: str | None, record: Path | None = None,
                 shared: Shared | None = None,
                 level: int = LEVEL) -> tuple[Made, list[Diagnostic]]:
    """Build the ``fmt`` package of the edition under ``root`` into ``out`` (its
    ``archive`` deflated at ``level``: :data:`.zipped.LEVEL`).

    Nothing is written when the edition has errors: a half package is worse than none,
    and the previous package stays as it was.  With a build ``record``
    (:mod:`pipeline.record_store`), a package whose every input and output file has the size
    and times it had when the package was made is not made again (its notes are repeated);
    one that must be made takes over what is still right: the files of the last package
    (:mod:`.staged`), the checksums and facts of unchanged files of the edition
    (:mod:`.fixity`, shared by both formats) and the compressed members of earlier zips
    (:mod:`.zipped`).  Without a record everything is made from nothing.  ``shared``
    (with a record) holds what packages made one after another in the same run share.
    """
    try:
        return _make_package(root, out, fmt, archive, force, source_date_epoch, record, shared,
                             level)
    finally:
        if shared is not None and shared.uses <= 0:
            shared.finish()


def _make_package(root: Path, out: Path, fmt: str, archive: str | None, force: bool,
                  source_date_epoch: str | None, record: Path | None, shared: Shared | None,
                  level: int) -> tuple[Made, list[Diagnostic]]:
    """:func:`make_package`, but for what is done once the last package of the run is
    made: a package made after another in the same run links files from it
    (:mod:`.staged`), which changes their change time, so the record of the first, which
    knows its files by their times, is brought up to date then (:func:`_restat`); and the
    record of the last package, whose archive may still be being written, is saved once it
    is (:meth:`Shared.finish`)."""
    stats, git = shared.inputs(root) if shared is not None else inputs(root)
    memory = RecordStore(record, settings_digest("deposit", {
        "format": fmt, "archive": archive, "date": source_date_epoch, "force": force,
        "git": git, "out": str(out.resolve()), "level": level if archive else None}),
        threads=True)  # the copying threads look up the files of the package now there
    made = memory.get("package")
    if made is not None and made["inputs"] == stats.value() and made["outputs"] == _stats(
            _outputs(out, made["archive"])):
        if shared is not None:
            shared.uses -= 1  # one package fewer to hold the edition for
        memory.close()  # (and the lock of its lookups)
        return Made(out, Path(made["archive"]) if made["archive"] else None, made["documents"],
                    made["files"]), [Diagnostic(code, Severity(severity), message, file, line,
                                                column, hint)
                                     for code, severity, message, file, line, column, hint
                                     in made["notes"]]
    previous = Recorded(memory)  # the package now at ``out``
    # what is known of the edition's files and of the zips made, shared by both formats
    own = record is not None and shared is None
    if own:
        shared = Shared.of(root, level=level)
    try:
        result, notes, staged = _make(root, out, fmt, archive, force, source_date_epoch,
                                      shared if record else None, previous, level, git)
        if result.folder is None or staged is None:
            memory.close()
            return result, notes
        archived = str(result.archive) if result.archive else None
        # the package's part of the outputs' digest, taken with its files' times
        folder = _record_files(memory, staged, out, shared is not None and shared.uses > 0)
        del staged

        def save() -> None:
            memory.put("package", {
                "inputs": stats.value(), "documents": result.documents, "files": result.files,
                "archive": archived,
                "outputs": _outputs_digest(folder, archived) if folder is not None else None,
                "notes": [[d.code, int(d.severity), d.message, d.file, d.line, d.column,
                           d.hint] for d in notes]})
            memory.save()
            memory.close()
        if shared is None or shared.uses > 0 or not shared.writes(archived):
            save()
        else:  # the last package: its record once its archive is written
            shared.pending.append((archived, save))
        if shared is not None and shared.uses > 0:  # packages to make after this one
            settings = memory.settings
            shared.pending.append((archived, lambda: _restat(RecordStore(record, settings),
                                                             out, archived)))
        return result, notes
    finally:
        if own and shared is not None:
            shared.finish()


def _restat(memory: RecordStore, out: Path, archive: str | None) -> None:
    """The package record ``memory`` (opened again: holding it while the next package is
    made would cost as much again) completed with its files' times as they are now: it was
    saved without them (:func:`_make`), as a record no run takes any file over by (its
    files' rows below :data:`HEADS`, not :data:`FILES`; no digest of the outputs).  The
    rows are read and written a chunk at a time."""
    made = memory.get("package")
    if made is None or made["outputs"] is not None:
        return
    folder = hashlib.sha256()
    now = SortedStats(out, lambda path, st: folder.update(_line(path, st)))
    for chunk in memory.below(HEADS):
        for rel, head in restat(out, ((key[len(HEADS):], entry["head"]) for key, entry in chunk),
                                now.get):
            memory.put(FILES + rel, {"head": head})
    now.finish()
    memory.drop_below(HEADS)
    memory.put("package", {**made, "outputs": _outputs_digest(folder, archive)})
    memory.save()


def _record_files(memory: RecordStore, staged: Staged, out: Path, later: bool,
                  ) -> hashlib._Hash | None:
    """Record the files of the package ``staged`` put in place at ``out``, instead of those
    of the package made before (:meth:`.staged.Staged.record`): with their times as they
    are now, taken in one walk of the folder with the digest of its files' times (what
    comes back: the folder's part of :func:`_outputs_digest`), file by file, nothing held;
    or, with packages to make ``later`` in the run (which link files from it and so change
    their times), without them (no digest: :func:`_restat` takes both once they are made)."""
    if later:
        _put_files(memory, HEADS, staged.record(out))
        return None
    folder = hashlib.sha256()
    now = SortedStats(out, lambda path, st: folder.update(_line(path, st)))
    _put_files(memory, FILES, staged.record(out, now.get))
    now.finish()
    return folder


#: A package record keeps a row per file of the package (:meth:`.staged.Staged.record`),
#: keyed by the file's path in the package after one of these: with the file's times (what
#: the next build takes files over by), or without them yet (see :func:`_restat`).
FILES, HEADS = "files/", "heads/"


class Recorded:
    """The files of the package now at ``out`` as its record ``memory`` has them (the rows
    below :data:`FILES`), looked up a file at a time by the copying threads, under a lock
    (:class:`.staged.Kept`): held whole, a list per file, they were ~30 MB at 10,000
    documents.  The rows are replaced once the new package is built (:func:`_put_files`)."""

    def __init__(self, memory: RecordStore):
        self._memory = memory
        self._lock = threading.Lock()

    def get(self, rel: str, /) -> list | None:
        with self._lock:
            entry = self._memory.get(FILES + rel)
        return None if entry is None else entry["head"]

    def __bool__(self) -> bool:
        with self._lock:
            return next(iter(self._memory.below(FILES, 1)), None) is not None


def _put_files(memory: RecordStore, below: str, files: Iterable[tuple[str, list]]) -> None:
    """Record the package's ``files`` as rows ``below`` :data:`FILES` or :data:`HEADS`,
    instead of those of the package made before."""
    memory.drop_below(FILES)
    memory.drop_below(HEADS)
    for rel, head in files:
        memory.put(below + rel, {"head": head})


def inputs(root: Path, found: Found | None = None,
           aside: bool = False) -> tuple[Stats, int | None]:
    """What says the edition under ``root`` (whose files are ``found``, else looked for
    here: :func:`.edition.edition_files`) is the one a package was made from: the
    :func:`_stats` of its files (``aside``: taken in a child process, :class:`Stats`), and
    the time of the newest commit of its sources (a stat per file and a ``git log``: taken
    once per run, not once per package)."""
    found = edition_files(root) if found is None else found
    meta = os.path.abspath(root / EDITION_FILE)
    first = (meta, _stat(meta))  # looked at here: it is read as the edition is gathered
    generated = [os.path.join(os.path.abspath(root / folder), "")  # as its files' paths begin
                 for group, folder, _what in GROUPS if group in GENERATED]

    def take() -> str:
        return _digest(chain([first], ((f.path, _stat(f.path)) for group, _folder, _what
                                       in GROUPS for f in found[group])), generated)
    return Stats(take, aside and can_fork()), git_epoch(root)


class Stats:
    """The :func:`_stats` digest ``take`` gives, taken here, or with ``aside`` in a child
    process (:mod:`.background`) while this one gathers the edition
    (:meth:`Shared.collect`): a stat of every file of the edition, which took a third of
    the time before the first package, one core idle.  Its :meth:`value` is asked for
    before any of the files is read (by :meth:`Shared.looked`), so that a change made
    meanwhile is seen by the next run as it was; and when a package's record is there to
    compare it with (:func:`make_package`).  When the child fails, it is taken here."""

    def __init__(self, take: Callable[[], str], aside: bool):
        self._take = take
        self._child = start(lambda: take().encode()) if aside else None
        self._value = None if aside else take()

    def value(self) -> str:
        if self._value is None:
            child, self._child = self._child, None
            try:
                self._value = child.wait().decode() if child is not None else self._take()
            except OSError:
                self._value = self._take()
        return self._value


def _stats(paths: Iterable[str], generated: list[str] | None = None) -> str:
    """A digest of each file's name, size, modification time, change time and inode
    (make's rule, with more care): what says the files are the ones a package was made
    from, or made; one digest, not a list as long as the edition.  The change time of a
    file below one of the ``generated`` folders (:data:`.edition.GENERATED`) is left out:
    the packages' links to it change it, and a new content is a new inode."""
    return _digest(((path, _stat(path)) for path in paths), generated)


def _digest(stats: Iterable[tuple[str, list[int] | None]],
            generated: list[str] | None = None) -> str:
    """:func:`_stats` of files whose :func:`.staged.stat_of` is known."""
    return _hashed(stats, generated).hexdigest()


def _hashed(stats: Iterable[tuple[str, list[int] | None]],
            generated: list[str] | None = None, digest: hashlib._Hash | None = None,
            ) -> hashlib._Hash:
    """:func:`_digest` as the hash object (``digest``: one fed before, fed more), which
    more may be fed to, or a copy of."""
    digest = digest or hashlib.sha256()
    blind = tuple(generated or ())
    for path, st in stats:
        digest.update(_line(path, st, blind))
    return digest


def _line(path: str, st: list[int] | None, blind: tuple[str, ...] = ()) -> bytes:
    """What :func:`_hashed` takes of a file (``blind``: its ``generated``)."""
    if st is None:
        return f"{len(path)}:{path} -\n".encode("utf-8", "surrogateescape")
    size, mtime, ctime, inode = st
    changed = mtime if blind and path.startswith(blind) else ctime
    return f"{len(path)}:{path} {size} {mtime} {changed} {inode}\n".encode(
        "utf-8", "surrogateescape")


def _stat(path: str) -> list[int] | None:
    try:
        return stat_of(path)
    except OSError:
        return None


def _outputs(out: Path, archive: str | None) -> list[str]:
    files = sorted(os.path.join(path, name) for path, _folders, names in os.walk(out)
                   for name in names)
    return files + ([archive] if archive else [])


def _folder_hash(out: Path | str) -> hashlib._Hash:
    """The part of :func:`_outputs_digest` a package's folder ``out`` gives (as
    :func:`_record_files` takes it)."""
    return _hashed(snapshot(out))


def _outputs_digest(folder: hashlib._Hash, archive: str | None) -> str:
    """``_stats(_outputs(out, archive))`` from the :func:`_folder_hash` of ``out`` and a
    look at the archive: the folder is looked at before the archive is written."""
    return _hashed([(archive, _stat(archive))] if archive else [],
                   digest=folder.copy()).hexdigest()


def _make(root: Path, out: Path, fmt: str, archive: str | None, force: bool,
          source_date_epoch: str | None, shared: Shared | None,
          previous: Recorded, level: int,
          git: int | None,
          ) -> tuple[Made, list[Diagnostic], Staged | None]:
    """Make the package; what comes back gives what the next build needs to take its files
    over (:meth:`Staged.record`, taken by :func:`_record_files`; None: no package).  The
    archive is started first, in a child process where the system forks
    (:meth:`Shared.serialize`), so that it is written while this process looks at the
    package's files for that record.  ``previous`` is the record of the package now at
    ``out``."""
    memory = shared.memory if shared else FileMemory(None)
    edition, notes = shared.collect(root) if shared else collect(root, memory)
    later = shared is not None and shared.uses > 0  # packages to make after this one
    inside = _inside_inputs(root, out)
    if inside:
        notes.append(error("E508", f"the output would lie inside the edition's {inside}/ "
                           "folder, which the package is made from", file=display_path(out),
                           hint="choose an -o folder outside the edition's folders"))
    if any(d.severity == Severity.ERROR for d in notes):
        return Made(), notes, None
    when = package_date(source_date_epoch, git, edition.documents)
    try:
        schemas = schema_files.load()
    except AssetError as exc:
        schemas = None
        notes.append(warning("W503", f"METS and Dublin Core not checked against their schemas: "
                             f"{exc}", hint="run `teipipe setup` (or `make setup`)"))
    if shared is not None:
        shared.looked()  # the files looked at before the package reads them
    found, staged = BUILDERS[fmt](edition, out, when, schemas, force, memory, previous,
                                  shared.twins if shared else None,
                                  shared.valid if shared else None)
    notes.extend(found)
    if staged is None:
        memory.save()
        return Made(), notes, None
    if shared is not None and fmt in EDITION_AT:
        shared.twins = os.path.join(out, EDITION_AT[fmt])
    made = Made(out, None, len(edition.documents), len(edition.files))
    del edition
    if not later:  # what was learnt of the edition's files, kept and let go of
        memory.release()
    try:
        if archive:  # written first: in a child process while the records are taken here
            made = replace(made, archive=archive_path(out, archive))
            path, top, digests = made.archive, out.name if fmt == "bagit" else None, \
                staged.digests()

            def write(index: ZipIndex | None) -> None:
                try:
                    serialize(out, path, archive, when.epoch, top, digests, index, level)
                except OSError as exc:  # what the CLI reports (E509), with its file
                    raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
            try:
                if shared is None:
                    write(None)
                else:
                    shared.serialize(write, str(path))
            finally:
                digests.close()  # here: a child writing the archive has its own
    finally:  # what was learnt of the edition's files is kept, the archive written or not
        memory.save()
    return made, notes, staged


def _inside_inputs(root: Path, out: Path) -> str | None:
    target = out.resolve()
    for _group, folder, _what in GROUPS:
        source = (root / folder).resolve()
        if target == source or source in target.parents or target in source.parents:
            return folder
    return None
