"""Making a package end to end: gather, date, build, check, serialize; what the CLI calls."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..assets import AssetError
from ..diagnostics import Diagnostic, Severity, error, warning
from ..files import display_path
from ..incremental import BuildRecord, settings_digest
from . import schemas as schema_files
from .archive import archive_path, serialize
from .bag import build_bag
from .edition import EDITION_FILE, GROUPS, _group_files, collect, git_epoch, package_date
from .saf import build_saf

BUILDERS = {"bagit": build_bag, "dspace-saf": build_saf}
DEFAULT_OUTPUT = {"bagit": "build/deposit", "dspace-saf": "build/dspace-saf"}


@dataclass(frozen=True)
class Made:
    """What a run made: the package folder and its serialization (None when not made)."""

    folder: Path | None = None
    archive: Path | None = None
    documents: int = 0
    files: int = 0


def make_package(root: Path, out: Path, fmt: str, archive: str | None, force: bool,
                 source_date_epoch: str | None, record: Path | None = None,
                 ) -> tuple[Made, list[Diagnostic]]:
    """Build the ``fmt`` package of the edition under ``root`` into ``out``.

    Nothing is written when the edition has errors: a half package is worse than none,
    and the previous package stays as it was.  With a build ``record``
    (:mod:`pipeline.incremental`), a package whose every input and output file has the size
    and times it had when the package was made is not made again (its notes are repeated).
    """
    memory = BuildRecord(record, settings_digest("deposit", {
        "format": fmt, "archive": archive, "date": source_date_epoch, "force": force,
        "git": git_epoch(root), "out": str(out.resolve())}))
    inputs = _stats([root / EDITION_FILE, *(f.path for _group, folder, _what in GROUPS
                                              for f in _group_files(root / folder, _group))])
    made = memory.get("package")
    if made is not None and made["inputs"] == inputs and made["outputs"] == _stats(
            _outputs(out, made["archive"])):
        return Made(out, Path(made["archive"]) if made["archive"] else None, made["documents"],
                    made["files"]), [Diagnostic(code, Severity(severity), message, file, line,
                                                column, hint)
                                     for code, severity, message, file, line, column, hint
                                     in made["notes"]]
    result, notes = _make(root, out, fmt, archive, force, source_date_epoch)
    if result.folder is not None:
        memory.put("package", {
            "inputs": inputs, "documents": result.documents, "files": result.files,
            "archive": str(result.archive) if result.archive else None,
            "outputs": _stats(_outputs(out, str(result.archive) if result.archive else None)),
            "notes": [[d.code, int(d.severity), d.message, d.file, d.line, d.column, d.hint]
                      for d in notes]})
        memory.save()
    return result, notes


def _stats(paths: list[Path]) -> list[list]:
    """Each file's name, size, modification time, change time and inode (make's rule, with
    more care): what says a file is the one a package was made from, or made."""
    out = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            out.append([str(path)])
            continue
        out.append([str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
    return out


def _outputs(out: Path, archive: str | None) -> list[Path]:
    files = sorted(p for p in out.rglob("*") if p.is_file()) if out.is_dir() else []
    return files + ([Path(archive)] if archive else [])


def _make(root: Path, out: Path, fmt: str, archive: str | None, force: bool,
          source_date_epoch: str | None) -> tuple[Made, list[Diagnostic]]:
    edition, notes = collect(root)
    inside = _inside_inputs(root, out)
    if inside:
        notes.append(error("E508", f"the output would lie inside the edition's {inside}/ "
                           "folder, which the package is made from", file=display_path(out),
                           hint="choose an -o folder outside the edition's folders"))
    if any(d.severity == Severity.ERROR for d in notes):
        return Made(), notes
    when = package_date(source_date_epoch, git_epoch(root), edition.documents)
    try:
        schemas = schema_files.load()
    except AssetError as exc:
        schemas = None
        notes.append(warning("W503", f"METS and Dublin Core not checked against their schemas: "
                             f"{exc}", hint="run `teipipe setup` (or `make setup`)"))
    found = BUILDERS[fmt](edition, out, when, schemas, force)
    notes.extend(found)
    if found:
        return Made(), notes
    made_archive = None
    if archive:
        made_archive = archive_path(out, archive)
        serialize(out, made_archive, archive, when.epoch, out.name if fmt == "bagit" else None)
    return Made(out, made_archive, len(edition.documents), len(edition.files)), notes


def _inside_inputs(root: Path, out: Path) -> str | None:
    target = out.resolve()
    for _group, folder, _what in GROUPS:
        source = (root / folder).resolve()
        if target == source or source in target.parents or target in source.parents:
            return folder
    return None
