"""Machine-proposed and ambiguous names across the edition, for a scholar to review.

``teipipe entities review`` reads TEI files and lists every name the register does not hold
(``resp="#….ner"``) by type and name, with how often and where it occurs and a few contexts;
names tagged with several candidate entries (``cert="low"``) are listed apart.  Accepting a
proposal means adding it to the register (``teipipe register add``, or by editing the file);
the next ``make all`` links it everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..tei.read import TEIError, parse, read_tei
from .score import located_names

CONTEXT = 40  # characters either side of a name in a context line
MAX_CONTEXTS = 3


@dataclass
class Proposal:
    """One proposed (or ambiguous) entity: all its occurrences across the documents."""

    type: str
    name: str
    refs: str | None = None  # the candidates of an ambiguous name
    count: int = 0
    certs: set[str] = field(default_factory=set)
    documents: list[str] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)

    def as_data(self) -> dict:
        return {"type": self.type, "name": self.name, "candidates": self.refs.split()
                if self.refs else [], "count": self.count, "cert": sorted(self.certs),
                "documents": self.documents, "contexts": self.contexts}


def collect(tei_files: list[Path]) -> list[Proposal]:
    """Proposals and ambiguous names of the files, most frequent first."""
    found: dict[tuple[str, str, str | None], Proposal] = {}
    for path in tei_files:
        try:
            doc = read_tei(parse(path))
        except (TEIError, etree.XMLSyntaxError, OSError) as exc:
            raise TEIError(f"{path}: {exc}") from None
        text, names = located_names(doc.body)
        for start, end, node in names:
            proposed = node.ref is None and (node.resp or "").endswith(".ner")
            ambiguous = node.ref is not None and len(node.ref.split()) > 1
            if not (proposed or ambiguous):
                continue
            name = " ".join(text[start:end].replace("[", "").replace("]", "").split())
            key = (node.type, name, node.ref if ambiguous else None)
            item = found.setdefault(key, Proposal(node.type, name, key[2]))
            item.count += 1
            item.certs.add(node.cert or "")
            if path.stem not in item.documents:
                item.documents.append(path.stem)
            if len(item.contexts) < MAX_CONTEXTS:
                before = text[max(0, start - CONTEXT):start]
                after = text[end:end + CONTEXT]
                item.contexts.append(" ".join(f"{before}[[{text[start:end]}]]{after}".split()))
    return sorted(found.values(), key=lambda p: (p.refs is not None, -p.count, p.type, p.name))


def as_tsv(proposals: list[Proposal]) -> str:
    """One line a proposal: type, name, count, candidates, documents, first context."""
    lines = ["type\tname\tcount\tcandidates\tdocuments\tcontext"]
    for p in proposals:
        lines.append("\t".join([p.type, p.name, str(p.count), p.refs or "",
                                " ".join(p.documents), p.contexts[0] if p.contexts else ""]))
    return "\n".join(lines) + "\n"


def as_text(proposals: list[Proposal]) -> str:
    """The review for reading: proposals, then ambiguous names, each with its contexts."""
    lines = []
    for p in proposals:
        what = f"ambiguous: {p.refs}" if p.refs else f"proposed ({'/'.join(sorted(p.certs))})"
        lines.append(f"{p.count:>4}  {p.type:<6} {p.name}  — {what}; in "
                     f"{', '.join(p.documents)}")
        lines.extend(f"        … {c} …" for c in p.contexts)
    return "\n".join(lines) if lines else "nothing to review: every name is in the register"
