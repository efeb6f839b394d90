"""Running an export: TEI files in, an edition folder out, diagnostics for what went wrong.

The command line (``teipipe export html|text``) calls these; each reads the TEI files
(:func:`.sources.load`), makes the edition's files and writes them
(:func:`.output.write_files`).  A file that cannot be read is reported and left out; the
others are exported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..deposit.edition import read_meta
from ..diagnostics import Diagnostic, Severity, error
from . import html, text
from .output import Written, write_files
from .register import read_register
from .sources import load


@dataclass
class Result:
    """What an export did: how many documents, what was written, and the problems."""

    documents: int = 0
    written: Written | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _sources(paths: Sequence[Path], result: Result):
    sources, problems = load(paths or (Path("tei"),))
    result.diagnostics.extend(problems)
    result.documents = len(sources)
    if not sources:
        result.diagnostics.append(error("E408", "no TEI file to export",
                                        file=", ".join(map(str, paths)) or "tei",
                                        hint="name TEI files or folders of .xml files"))
    return sources


def edition_options(edition_file: Path | None, title: str | None, description: str | None,
                    base_url: str) -> tuple[html.Options, list[Diagnostic]]:
    """The HTML edition's options: what the user gave, else the edition's title and
    description from ``edition.toml`` (the file the deposit packages read too)."""
    meta_title = meta_description = ""
    problems: list[Diagnostic] = []
    if edition_file is not None and (title is None or description is None):
        meta, notes = read_meta(edition_file)
        meta_title, meta_description = meta.title, meta.description
        problems = [d for d in notes if d.severity == Severity.ERROR]  # depositor: not ours
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    return html.Options(title=title or meta_title or html.DEFAULT_TITLE,
                        description=description or meta_description or None,
                        base_url=base_url), problems


def export_text(paths: Sequence[Path], out_dir: Path, width: int = text.WIDTH,
                diplomatic: bool = False, force: bool = False) -> Result:
    """The plain-text edition of the TEI files ``paths`` (files or folders) in ``out_dir``."""
    result = Result()
    sources = _sources(paths, result)
    if sources:
        files = text.edition_files([(s.name, s.doc) for s in sources], width, diplomatic)
        result.written = write_files(out_dir, files, force)
        result.diagnostics.extend(result.written.problems)
    return result


def export_html(paths: Sequence[Path], out_dir: Path, options: html.Options = html.Options(),
                register: Path | None = None, force: bool = False) -> Result:
    """The HTML edition of the TEI files ``paths`` in ``out_dir``.

    ``register`` is a register file (``source/register.xml``); entries also come from each
    TEI file's ``<standOff>``.
    """
    result = Result()
    sources = _sources(paths, result)
    if not sources:
        return result
    entries = {}
    if register is not None:
        entries, problems = read_register(register)
        result.diagnostics.extend(problems)
    plan = html.plan(sources, entries)
    result.diagnostics.extend(plan.problems)
    result.written = write_files(out_dir, html.site_files(plan, options), force)
    result.diagnostics.extend(result.written.problems)
    return result
