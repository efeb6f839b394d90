"""Running an export: TEI files in, an edition folder out, diagnostics for what went wrong.

The command line (``teipipe export html|text``) calls these; each reads the TEI files
(:func:`.sources.load`), makes the edition's files and writes them
(:func:`.output.write_files`).  A file that cannot be read is reported and left out; the
others are exported.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Sequence

from ..diagnostics import Diagnostic, Severity
from . import build, html, text
from .build import Progress, Result, TextEdition
from .register import read_register


def edition_options(edition_file: Path | None, title: str | None, description: str | None,
                    base_url: str) -> tuple[html.Options, list[Diagnostic]]:
    """The HTML edition's options: what the user gave, else the edition's title and
    description from ``edition.toml`` (the file the deposit packages read too)."""
    meta_title = meta_description = ""
    problems: list[Diagnostic] = []
    if edition_file is not None and (title is None or description is None):
        # imported here: the deposit packages take a tenth of a second to load, and the
        # plain-text export (which runs from this module too) needs none of them
        from ..deposit.edition import read_meta
        meta, notes = read_meta(edition_file)
        meta_title, meta_description = meta.title, meta.description
        problems = [d for d in notes if d.severity == Severity.ERROR]  # depositor: not ours
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    return html.Options(title=title or meta_title or html.DEFAULT_TITLE,
                        description=description or meta_description or None,
                        base_url=base_url), problems


def export_text(paths: Sequence[Path], out_dir: Path, width: int = text.WIDTH,
                diplomatic: bool = False, force: bool = False, jobs: int = 1,
                record: Path | None = None, rebuild: bool = False,
                progress: Progress | None = None, review: bool = False) -> Result:
    """The plain-text edition of the TEI files ``paths`` (files or folders) in ``out_dir``.

    ``jobs``: worker processes; ``record``: a build record's path, so that a later run does
    only what changed (:mod:`.build`); ``rebuild``: ignore the record's memory;
    ``review``: also find the names to review of the files read, for the review of names
    (:attr:`.build.Result.names`, :func:`pipeline.entities.review.collect`).
    """
    return build.export_text(paths, out_dir, width, diplomatic, force, jobs, record, rebuild,
                             progress, review)


def export_html(paths: Sequence[Path], out_dir: Path, options: html.Options = html.Options(),
                register: Path | None = None, force: bool = False, jobs: int = 1,
                record: Path | None = None, rebuild: bool = False,
                progress: Progress | None = None, review: bool = False) -> Result:
    """The HTML edition of the TEI files ``paths`` in ``out_dir``.

    ``register`` is a register file (``source/register.xml``); entries also come from each
    TEI file's ``<standOff>``.  ``jobs``, ``record``, ``rebuild``, ``review``: as for
    :func:`export_text`.
    """
    return export_editions(paths, out_dir, options, register, None, force, jobs, record,
                           rebuild, progress, review)[0]


def export_editions(paths: Sequence[Path], out_dir: Path, options: html.Options,
                    register: Path | None, plain: TextEdition | None, force: bool = False,
                    jobs: int = 1, record: Path | None = None, rebuild: bool = False,
                    progress: Progress | None = None, review: bool = False,
                    read_all: Callable[[Result], None] = lambda outcome: None
                    ) -> tuple[Result, Result | None]:
    """The HTML edition (as :func:`export_html`) and, with ``plain``, the plain-text edition
    (as :func:`export_text` makes it) from one reading of each TEI file: `make all` builds
    both, and reading and parsing is much of what each costs (with ``review``, the names
    to review of the files read are found in the same reading: :attr:`Result.names`;
    ``read_all``: called with the outcome once every file is read, while the workers make
    the pages, :func:`.build.export_editions`)."""
    entries, problems = read_register(register) if register is not None else ({}, [])
    digest = ""
    if register is not None and not problems:
        digest = hashlib.sha256(register.read_bytes()).hexdigest()
    result, plain_result = build.export_editions(paths, out_dir, options, (entries, digest),
                                                 plain, force, jobs, record, rebuild, progress,
                                                 review, read_all)
    result.diagnostics[:0] = problems
    return result, plain_result
