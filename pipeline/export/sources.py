"""Reading the edition back for the exporters: TEI files in, documents in reading order out.

Both editions are built from the TEI as committed (``tei/``), never from the source pages, so
that what a reader sees is what the edition says.  Each file is parsed safely
(:func:`pipeline.tei.read.parse`: no DTD, no entities, no network) and read into the
:class:`~pipeline.model.Document` model; a file that cannot be read is reported with its
file and line and left out, and the others go on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Protocol, TypeVar

from lxml import etree

from ..files import find_sources
from ..diagnostics import Diagnostic, error
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
    #: Every node of the tree, held while the source is: lxml makes the Python object of a
    #: node when it is asked for and drops it when nothing holds it, so each walk of the
    #: tree made and freed them all again; the exporters walk a tree six times and more
    #: (its document, passages, names, standOff, page), and with the nodes held they reuse
    #: them (and the tag lxml keeps on each): 1.4 % fewer instructions for the work of the
    #: export's worker on 100 documents (callgrind, the modules run as Python).
    nodes: list = field(default_factory=list, repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """Reading order: by date (undated last), then title, then file name."""
        return sort_key(self.doc.header.date_when, self.doc.header.title, self.name)


def sort_key(when: str | None, title: str, name: str) -> tuple[str, str, str]:
    """Reading order: by date (undated last), then title, then file name."""
    return (when or "\uffff", title.casefold(), name)


def find_tei(paths: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Expand files and folders into ``.xml`` files, each once (a file named twice, or by
    a link, is one), in a stable order; below the working directory, relative to it.

    As :mod:`pathlib` would resolve and relate them, but on strings (:func:`os.path.realpath`
    is what :meth:`~pathlib.Path.resolve` runs): an export from nothing starts with this
    alone, a tenth of a second for 3,000 files as :class:`~pathlib.Path` methods."""
    found, problems = find_sources(paths, "*.xml")
    here = os.path.realpath(os.getcwd())
    inside = os.path.join(here, "")  # its files begin so
    folders: dict[str, str] = {}  # each folder resolved once, not once per file
    unique: dict[str, None] = {}
    for path in found:
        parent, name = os.path.split(str(path))
        folder = folders.get(parent)
        if folder is None:
            folder = folders[parent] = os.path.realpath(parent)
        real = os.path.join(folder, name)
        unique.setdefault(os.path.realpath(real) if os.path.islink(real) else real)
    return [Path(p[len(inside):] if p.startswith(inside) else p) for p in unique], problems


def read(path: Path) -> tuple[Source | None, list[Diagnostic]]:
    """One TEI file as a source, or the reason it cannot be one."""
    where = str(path)
    try:
        data = path.read_bytes()
        tree = parse(data)
        nodes = list(tree.iter())
        doc = read_tei(tree, authority=False)  # the editions read entries from the tree
    except OSError as exc:
        return None, [error("E404", f"cannot be read: {exc.strerror}", file=where)]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        return None, [error("E401", f"not well-formed XML: {exc.msg}", file=where, line=line,
                            hint="fix the XML (xmllint --noout shows where)")]
    except (TEIError, ValueError) as exc:
        return None, [error("E402", f"not TEI that teipipe can read: {exc}", file=where,
                            hint="compare with a file `teipipe convert` wrote")]
    if not doc.id:
        return None, [error("E402", "the TEI root has no xml:id", file=where)]
    return Source(path, path.stem, data, tree, doc, nodes), []


class Readable(Protocol):
    """What :func:`in_order` needs of a document: a :class:`Source`, or a summary of one."""

    path: Path
    name: str

    @property
    def id(self) -> str: ...

    @property
    def sort_key(self) -> tuple[str, str, str]: ...


R = TypeVar("R", bound=Readable)


def in_order(items: Iterable[R]) -> tuple[list[R], list[Diagnostic]]:
    """The documents in reading order, each id and file name once (later ones are reported
    and left out)."""
    kept: list[R] = []
    problems: list[Diagnostic] = []
    seen: dict[str, Path] = {}
    names: dict[str, Path] = {}
    for item in items:
        if item.id in seen or item.path.stem in names:
            other = seen.get(item.id) or names[item.path.stem]
            problems.append(error("E403", f"{other} already has the document id {item.id!r} "
                                  f"or the file name {item.path.stem!r}; this file is left out",
                                  file=str(item.path),
                                  hint="give each document its own id and name"))
            continue
        seen[item.id] = item.path
        names[item.path.stem] = item.path
        kept.append(item)
    kept.sort(key=lambda s: s.sort_key)
    return kept, problems


def load(paths: Iterable[Path]) -> tuple[list[Source], list[Diagnostic]]:
    """Read TEI files into sources in reading order; unreadable files become diagnostics."""
    files, problems = find_tei(paths)
    read_ok: list[Source] = []
    for path in files:
        source, found = read(path)
        problems.extend(found)
        if source is not None:
            read_ok.append(source)
    sources, found = in_order(read_ok)
    return sources, problems + found
