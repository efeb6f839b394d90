"""DSpace Simple Archive Format: one item folder per document, ready for batch import.

Each item folder holds ``dublin_core.xml`` (DSpace's ``dcvalue`` form, fields of DSpace's
default registry only), ``contents`` (one line per file: name, then tab-separated
``bundle:``, ``primary:`` and ``description:`` options) and the files themselves: the HTML
reading edition (the item's primary file), the TEI, the plain text, the source page, all in
the ORIGINAL bundle, and the item's METS in a METADATA bundle.  Import with::

    dspace import --add --eperson=EMAIL --collection=HANDLE --source=FOLDER --mapfile=MAP
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ..diagnostics import Diagnostic, error
from ..files import display_path
from . import output
from .dublin_core import dspace_dc
from .edition import Edition, EditionDocument, PackageDate
from .records import check, mets_file, records
from .schemas import Schemas

#: Kind of file -> (order in ``contents``, description shown to the repository's users).
ROLES = {
    "html": (0, "Reading edition (HTML)"),
    "tei": (1, "TEI P5 encoding: the edition's master file"),
    "text": (2, "Plain-text edition"),
    "source": (3, "The archive page the TEI was made from (plain text)"),
}
METADATA_BUNDLE = "METADATA"


def build_saf(edition: Edition, out: Path, when: PackageDate, schemas: Schemas | None,
              force: bool = False) -> list[Diagnostic]:
    """Write the SAF batch of ``edition`` to ``out``; the diagnostics say what went wrong."""
    refused = output.refuse(out, is_saf, force)
    if refused:
        return [refused]
    items: dict[str, bytes] = {}
    notes: list[Diagnostic] = []
    for d in edition.documents:
        files, found = item_files(d, edition, when, schemas)
        notes.extend(found)
        items.update({f"{d.stem}/{name}": data for name, data in files.items()})
    if notes:
        return notes
    built = output.staging(out)
    try:
        for rel, data in sorted(items.items()):
            output.write(built, rel, data)
        output.settle(built, when.epoch)
        output.install(built, out)
    except OSError as exc:
        output.discard(built)
        return [error("E506", f"cannot write the SAF batch: {exc}", file=display_path(out))]
    return []


def item_files(d: EditionDocument, edition: Edition, when: PackageDate,
               schemas: Schemas | None) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """The files of one item folder (name -> bytes)."""
    named: list[tuple[str, str, bytes]] = []  # (role, name, bytes)
    taken = {"dublin_core.xml", "contents"}
    for f in sorted(d.files, key=lambda f: (ROLES[f.role][0], f.rel)):
        name = PurePosixPath(f.rel).name
        if name in taken:
            name = f"{f.role}-{name}"
        taken.add(name)
        named.append((f.role, name, f.path.read_bytes()))
    rec = records(d, edition.meta, when, [mets_file(role, name, data)
                                          for role, name, data in named])
    mets_name = f"{d.stem}.mets.xml"
    files = {name: data for _role, name, data in named}
    files[mets_name] = rec.mets
    files["dublin_core.xml"] = dspace_dc(rec.terms)
    files["contents"] = contents(named, mets_name)
    return files, check(schemas, rec, display_path(d.files[0].path))


def contents(named: list[tuple[str, str, bytes]], mets_name: str) -> bytes:
    """The ``contents`` file: the primary file is the reading edition (else the TEI)."""
    roles = {role for role, _name, _data in named}
    primary = "html" if "html" in roles else "tei"
    lines = []
    done_primary = False
    for role, name, _data in named:
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
