"""Reading the edition back for the exporters: TEI files in, documents in reading order out.

Both editions are built from the TEI as committed (``tei/``), never from the source pages, so
that what a reader sees is what the edition says.  Each file is parsed safely
(:func:`pipeline.tei.read.parse`: no DTD, no entities, no network) and read into the
:class:`~pipeline.model.Document` model; a file that cannot be read is reported with its
file and line and left out, and the others go on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from lxml import etree

from ..batch import find_sources
from ..diagnostics import Diagnostic, error
from ..files import display_path
from ..model import Document
from ..tei.read import TEIError, parse, read_tei


@dataclass(frozen=True)
class Source:
    """One TEI file of the edition: where it is, its parsed tree and the document it holds."""

    path: Path
    name: str  # the file name without .xml: the name of every file made from it
    data: bytes  # the file as it is (the HTML edition offers it for download)
    tree: etree._ElementTree
    doc: Document

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """Reading order: by date (undated last), then title, then file name."""
        return (self.doc.header.date_when or "\uffff", self.doc.header.title.casefold(),
                self.name)


def find_tei(paths: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Expand files and folders into ``.xml`` files, each once, in a stable order."""
    found, problems = find_sources(paths, "*.xml")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return [Path(display_path(p)) for p in unique], problems


def load(paths: Iterable[Path]) -> tuple[list[Source], list[Diagnostic]]:
    """Read TEI files into sources in reading order; unreadable files become diagnostics."""
    files, problems = find_tei(paths)
    sources: list[Source] = []
    seen: dict[str, Path] = {}
    names: dict[str, Path] = {}
    for path in files:
        where = str(path)
        try:
            data = path.read_bytes()
            tree = parse(data)
            doc = read_tei(tree)
        except OSError as exc:
            problems.append(error("E404", f"cannot be read: {exc.strerror}", file=where))
            continue
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if exc.lineno else None
            problems.append(error("E401", f"not well-formed XML: {exc.msg}", file=where,
                                  line=line, hint="fix the XML (xmllint --noout shows where)"))
            continue
        except (TEIError, ValueError) as exc:
            problems.append(error("E402", f"not TEI that teipipe can read: {exc}", file=where,
                                  hint="compare with a file `teipipe convert` wrote"))
            continue
        if not doc.id:
            problems.append(error("E402", "the TEI root has no xml:id", file=where))
            continue
        if doc.id in seen or path.stem in names:
            other = seen.get(doc.id) or names[path.stem]
            problems.append(error("E403", f"{other} already has the document id {doc.id!r} "
                                  f"or the file name {path.stem!r}; this file is left out",
                                  file=where, hint="give each document its own id and name"))
            continue
        seen[doc.id] = path
        names[path.stem] = path
        sources.append(Source(path, path.stem, data, tree, doc))
    sources.sort(key=lambda s: s.sort_key)
    return sources, problems
