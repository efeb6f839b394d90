"""DSpace Simple Archive Format: one item folder per document, ready for batch import.

Each item folder holds ``dublin_core.xml`` (DSpace's ``dcvalue`` form, fields of DSpace's
default registry only), ``contents`` (one line per file: name, then tab-separated
``bundle:``, ``primary:`` and ``description:`` options) and the files themselves: the HTML
reading edition (the item's primary file), the TEI, the plain text, the source page, all in
the ORIGINAL bundle, and the item's METS in a METADATA bundle.  Import with::

    dspace import --add --eperson=EMAIL --collection=HANDLE --source=FOLDER --mapfile=MAP
"""

from __future__ import annotations

import filecmp
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from ..diagnostics import Diagnostic, error
from ..files import display_path
from . import output
from .dublin_core import dspace_dc
from .edition import (GENERATED, Edition, EditionDocument, PackageDate,
                      PackageFile)
from .fixity import FileMemory, Fixity
from .mets import MetsFile
from .records import Valid, mets_file, records
from .schemas import Schemas
from .spread import spread
from .staged import Kept, Staged, key_of, twin_of, write_file

#: Kind of file -> (order in ``contents``, description shown to the repository's users).
ROLES = {
    "html": (0, "Reading edition (HTML)"),
    "tei": (1, "TEI P5 encoding: the edition's master file"),
    "text": (2, "Plain-text edition"),
    "source": (3, "The archive page the TEI was made from (plain text)"),
}
METADATA_BUNDLE = "METADATA"


def build_saf(edition: Edition, out: Path, when: PackageDate, schemas: Schemas | None,
              force: bool = False, memory: FileMemory | None = None,
              previous: Kept | None = None,
              twins: str | None = None,
              valid: Valid | None = None) -> tuple[list[Diagnostic], Staged | None]:
    """Write the SAF batch of ``edition`` to ``out`` (as :func:`.bag.build_bag` does, and
    with ``valid`` as it does)."""
    refused = output.refuse(out, is_saf, force)
    if refused:
        return [refused], None
    built = output.staging(out)
    try:
        staged = Staged(built, memory or FileMemory(None), out, previous,
                        update=bool(previous) and out.is_dir())
        same = known_same(staged.memory)
        staged.copy_all((f.path, f"{d.stem}/{name}", twin_of(twins, f), f.role in GENERATED)
                        for d in edition.documents for _role, name, f in item_names(d, same))
        notes = write_items(edition, when, schemas, staged, same, valid)
        if notes:
            output.discard(built)
            return notes, None
        output.place(built, out, when.epoch, staged.memory.linked,
                     staged.paths() if staged.update else None)
    except OSError as exc:
        output.discard(built)
        return [error("E506", f"cannot write the SAF batch: {exc}",
                      file=display_path(out))], None
    except BaseException:
        output.discard(built)
        raise
    return [], staged


def item_names(d: EditionDocument, same: Callable[[str, str], bool] | None = None,
               ) -> list[tuple[str, str, PackageFile]]:
    """(role, name in the item folder, file) of a document's files, in ``contents`` order.

    The HTML edition holds its own copies of each document's TEI and plain text (what its
    download links point to, ``html/tei/x.xml``); an item lists those bytes once, as its
    TEI and its plain text, not a second time as part of the reading edition.  ``same``
    says whether two files (by path) hold the same bytes (by default: read from them;
    the bag tells by their checksums what the item of a document lists, :mod:`.records`)."""
    named = []
    taken = {"dublin_core.xml", "contents"}
    for f in sorted(_without_copies(d.files, same or _same_bytes),
                    key=lambda f: (ROLES[f.role][0], f.rel)):
        name = f.rel.rpartition("/")[2]
        if name in taken:
            name = f"{f.role}-{name}"
        taken.add(name)
        named.append((f.role, name, f))
    return named


def _without_copies(files: tuple[PackageFile, ...], same: Callable[[str, str], bool],
                    ) -> list[PackageFile]:
    """``files`` less the HTML edition's files that are a copy of the document's TEI or
    plain-text file: same name and same bytes (``same``)."""
    own = {_name(f): f.path for f in files if f.role in ("tei", "text")}
    return [f for f in files
            if not (f.role == "html" and _name(f) in own and same(f.path, own[_name(f)]))]


def _name(f: PackageFile) -> str:
    return f.rel.rpartition("/")[2]


def known_same(memory: FileMemory) -> Callable[[str, str], bool]:
    """Whether two edition files hold the same bytes: by the checksums a package made
    before in this run took of both (:meth:`.FileMemory.recalled`: the bag holds every
    edition file), else read from them.  A TEI file and its copy in the HTML edition are
    two files: comparing their bytes read both, in the main process, for every document."""
    def same(a: str, b: str) -> bool:
        known, other = memory.recalled(a), memory.recalled(b)
        if known is None or other is None:
            return _same_bytes(a, b)
        return (known["state"].size, known["state"].sha256) == \
            (other["state"].size, other["state"].sha256)
    return same


def _same_bytes(a: str, b: str) -> bool:
    """Whether files ``a`` and ``b`` hold the same bytes (the export links its copies, so
    they are mostly one file)."""
    sa, sb = os.stat(a), os.stat(b)
    if (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino):
        return True
    return sa.st_size == sb.st_size and filecmp.cmp(a, b, shallow=False)


#: A document whose item metadata is made: its place in the edition, where the metadata
#: goes, and its files (role, name, fixity) in ``contents`` order.
Job = tuple[int, list[str], list[tuple[str, str, Fixity]]]


def write_items(edition: Edition, when: PackageDate, schemas: Schemas | None,
                staged: Staged, same: Callable[[str, str], bool] | None = None,
                valid: Valid | None = None) -> list[Diagnostic]:
    """The metadata of each document's item folder (its files, named by
    :func:`item_names` with ``same``, are in): its METS, ``dublin_core.xml`` and
    ``contents``, taken over from the last batch or made (on every core: :mod:`.spread`);
    what the schemas say of them (of what a package made before in this run found valid,
    nothing: ``valid``, which learns what is found here, :class:`.records.Valid`)."""
    making: dict[int, tuple[tuple[str, ...], str]] = {}  # what each job sent makes, and its key

    def jobs() -> Iterator[Job]:
        """The documents whose item metadata the old batch does not hold (by their place in
        the edition, which the workers hold: :mod:`.spread`), with where it goes and their
        files."""
        for n, d in enumerate(edition.documents):
            named = [(role, name, _fixity(staged, f"{d.stem}/{name}"))
                     for role, name, _f in item_names(d, same)]
            mets_name = f"{d.stem}.mets.xml"
            made = (f"{d.stem}/{mets_name}", f"{d.stem}/dublin_core.xml", f"{d.stem}/contents")
            key = key_of(d.stem, edition.meta, when.day.isoformat(), _files(named))
            if not all(staged.take(rel, key) for rel in made):
                making[n] = made, key
                yield n, [staged.making(rel) for rel in made], named

    notes: list[Diagnostic] = []
    for (n, *_sent), (found, problems, forms) in spread(
            _write_item, jobs(), (edition, when, schemas, valid)):
        notes.extend(problems)
        made, key = making.pop(n)
        if schemas is not None and not problems and valid is not None:
            valid.learn(edition.documents[n].stem, forms)
        for rel, fixity in zip(made, found):
            staged.made(rel, fixity, key)
    return notes


def _fixity(staged: Staged, rel: str) -> Fixity:
    found = staged.fixity_at(rel)
    assert found is not None, f"{rel} is not in the batch"
    return found


def _write_item(job: Job, context: tuple[Edition, PackageDate, Schemas | None, Valid | None],
                ) -> tuple[list[Fixity], tuple[Diagnostic, ...], tuple[bytes, ...]]:
    """A document's METS, ``dublin_core.xml`` and ``contents`` written to their paths (in a
    worker process: :mod:`.spread`, which holds the edition, so that a job is only the
    item's place, where its metadata goes and its files); their fixity, what the schemas
    say of them and the METS's shape (:class:`.records.Valid`)."""
    (n, paths, named), (edition, when, schemas, valid) = job, context
    d, meta = edition.documents[n], edition.meta
    rec = records(d, meta, when, _files(named), schemas, valid)
    return [write_file(path, data) for path, data in zip(paths, (
        rec.mets, dspace_dc(rec.terms), contents(named, f"{d.stem}.mets.xml")))], \
        rec.problems, rec.shapes


def _files(named: list[tuple[str, str, Fixity]]) -> list[MetsFile]:
    return [mets_file(role, name, fixity) for role, name, fixity in named]


def contents(named: list[tuple[str, str, Fixity]], mets_name: str) -> bytes:
    """The ``contents`` file: the primary file is the reading edition (else the TEI)."""
    roles = {role for role, _name, _fixity in named}
    primary = "html" if "html" in roles else "tei"
    lines = []
    done_primary = False
    for role, name, _fixity in named:
        options = ["bundle:ORIGINAL"]
        if role == primary and not done_primary:
            options.append("primary:true")
            done_primary = True
        options.append(f"description:{ROLES[role][1]}")
        lines.append("\t".join([name, *options]))
    lines.append("\t".join([mets_name, f"bundle:{METADATA_BUNDLE}",
                            "description:METS: the item's files with their SHA-256 checksums"]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def is_saf(folder: Path) -> bool:
    """Whether ``folder`` is a SAF batch (so that it may be replaced)."""
    items = list(folder.iterdir())
    return bool(items) and all(
        p.is_dir() and (p / "dublin_core.xml").is_file() and (p / "contents").is_file()
        for p in items)
