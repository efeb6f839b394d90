"""What the edition-wide pages need of one document, read once and kept as plain data.

The home page, the registers and the search index are made from every document at once.
Holding every parsed TEI tree for that would take memory in proportion to the edition (a
tree is ten times its file), and would mean reading every file again after one changed.  So
each TEI file is read on its own (in a worker process) into a :class:`Summary`: its
metadata, its passages with the names in them, the register entries it carries, the
pointers it makes.  A summary is plain data (JSON), so it can be sent between processes and
kept in the cache folder, keyed by the file's content: after one file changed, only that one
is read again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..tei.ns import ELEMENT_TYPES, NS, tei
from . import text as plain
from .passages import NameSpan, Passage, metadata_passage, passages, refs_of
from .register import Occurrence, occurrences, standoff_entries
from .sources import Source, sort_key

#: Bump when what a summary holds changes: cached summaries of older code are not used.
SUMMARY_VERSION = 2


@dataclass
class Summary:
    """One document as the edition-wide pages see it."""

    path: Path
    name: str
    id: str
    title: str
    date_when: str | None
    date_text: str | None
    kind: str
    classification: str
    archive: str
    project: str | None  # the text of its projectDesc, the home page's description at worst
    found: list[Passage]  # its metadata passage, then its passages in order
    occurrences: list[Occurrence]
    entries: list[tuple[str, str, str, str, str]]  # standOff: id, type, name, sort key, XML
    named: list[str]  # the register ids its names point at, in order, once each
    pointers: list[tuple[str, tuple[str, ...], int]] = field(default_factory=list)
    # every name's @ref as written, the ids it gives, and its line

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return sort_key(self.date_when, self.title, self.name)

    @property
    def carried(self) -> set[str]:
        """The ids of the entries its standOff carries."""
        return {entry[0] for entry in self.entries}

    def as_data(self) -> dict:
        return {"path": str(self.path), "name": self.name, "id": self.id, "title": self.title,
                "date_when": self.date_when, "date_text": self.date_text, "kind": self.kind,
                "classification": self.classification, "archive": self.archive,
                "project": self.project,
                "found": [[p.id, p.label, p.text, [[n.start, n.end, n.type, list(n.refs),
                                                    n.cert, n.resp] for n in p.names]]
                          for p in self.found],
                "entries": [list(e) for e in self.entries], "named": self.named,
                "pointers": [[raw, list(refs), line] for raw, refs, line in self.pointers]}

    @classmethod
    def from_data(cls, data: dict) -> "Summary":
        found = [Passage(pid, label, text, [NameSpan(start, end, type_, tuple(refs), cert,
                                                     resp, None)
                                            for start, end, type_, refs, cert, resp in names])
                 for pid, label, text, names in data["found"]]
        summary = cls(Path(data["path"]), data["name"], data["id"], data["title"],
                      data["date_when"], data["date_text"], data["kind"],
                      data["classification"], data["archive"], data["project"], found, [],
                      [tuple(e) for e in data["entries"]], list(data["named"]),
                      [(raw, tuple(refs), line) for raw, refs, line in data["pointers"]])
        summary.occurrences = occurrences(summary, found)  # snippets of the passages
        return summary


def summarize(source: Source) -> Summary:
    """The summary of a source (its tree is read here, and not kept)."""
    root = source.tree.getroot()
    found = [metadata_passage(source.tree), *passages(source.tree)]
    for passage in found:  # the elements stay with the tree
        passage.names = [NameSpan(n.start, n.end, n.type, n.refs, n.cert, n.resp, None)
                         for n in passage.names]
    entries = [(e.id, e.type, e.name, e.sort_key,
                etree.tostring(e.element, encoding="unicode", with_tail=False))
               for e in standoff_entries(source.tree).values()]
    named: dict[str, None] = {}
    pointers = []
    for el in root.iter(tei("persName"), tei("placeName"), tei("orgName")):
        for ref in refs_of(el):
            named.setdefault(ref)
    for el in root.iter(*(tei(n) for n in ELEMENT_TYPES)):
        if el.get("ref") is not None:
            pointers.append((el.get("ref"), refs_of(el), el.sourceline))
    project = root.find("tei:teiHeader/tei:encodingDesc/tei:projectDesc/tei:p", NS)
    h = source.doc.header
    return Summary(source.path, source.name, source.doc.id, h.title, h.date_when, h.date_text,
                   plain.kind_label(source.doc) or "",
                   plain.classification_label(source.doc) or "",
                   plain.archive_label(source.doc),
                   " ".join("".join(project.itertext()).split()) if project is not None
                   else None, found, occurrences(source, found), entries, list(named),
                   pointers)


__all__ = ["SUMMARY_VERSION", "Summary", "summarize"]
