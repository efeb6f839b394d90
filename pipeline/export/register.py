"""The register as the editions see it: its entries, and every place a document names one.

Entries come from ``source/register.xml`` when there is one (the curated register) and from
the ``<standOff>`` of each TEI file (the copies that make each file self-contained; the
validator checks that they equal the register).  Where both have an entry, the register's
wins.  An entry is kept as the TEI element it is, so that the stylesheets render it with the
same templates wherever it appears.

An occurrence is one name in one passage (the header's senders and recipients are the
document's metadata passage, :func:`pipeline.export.passages.metadata_passage`), with a
snippet of context; names proposed by the recognizer (no ``@ref``) are occurrences too, kept
apart so that a scholar can review them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from lxml import etree

from ..diagnostics import Diagnostic, error, warning
from ..tei.ns import NAME_ELEMENTS, NS, XML_ID, tei
from ..tei.read import parse
from .passages import Passage
from .sources import Source

#: The register page of each type of entry: a light list of the entries (name, what they
#: are, in how many documents), each linking to the entry's own page (:func:`entry_page`).
REGISTER_PAGES = {"person": "persons.html", "place": "places.html", "org": "organizations.html"}

#: The folder of the entries' own pages, by type: named as the list page, so that the
#: address reads as a path in the register (``persons/per-zhou-enlai.html``).
ENTRY_FOLDERS = {"person": "persons", "place": "places", "org": "organizations"}

#: The page of the names of each type the recognizer proposed, with their passages.  Not in
#: the entries' folder: no entry's id can then be taken for it.
PROPOSED_PAGES = {"person": "proposed-persons.html", "place": "proposed-places.html",
                  "org": "proposed-organizations.html"}


def entry_page(type_: str, ident: str) -> str:
    """An entry's own page (its card and every passage that names it), from the edition's
    root.  Its id is an NCName (the XML parser refuses any other ``xml:id``): no ``/``, no
    white space, so a file name as it is; ``document.xsl`` and ``collection.xsl`` make the
    same links."""
    return f"{ENTRY_FOLDERS[type_]}/{ident}.html"

#: The TEI element of each type of entry.
ENTRY_ELEMENTS = {"person": "person", "place": "place", "org": "org"}
_ENTRY_TYPES = {tei(v): k for k, v in ENTRY_ELEMENTS.items()}

#: How far a snippet reaches on each side of the name, in characters.
CONTEXT = 70

@dataclass(frozen=True)
class Entry:
    """A register entry: its id, type, TEI element, preferred name and sort key."""

    id: str
    type: str  # person | place | org
    element: etree._Element
    name: str
    sort_key: str


class Occurrence:
    """One name in one document: where (passage id and label) and a snippet around it.
    (A class with an ``__init__`` of its own: made for every name of every document, see
    :class:`.passages.NameSpan`.)"""

    def __init__(self, source: str, passage: str, label: str, before: str, match: str,
                 after: str, type: str, refs: tuple[str, ...], cert: str | None,
                 resp: str | None) -> None:
        self.source = source  # the source's name
        self.passage = passage  # the fragment id of the passage ("meta" for the header)
        self.label = label
        self.before = before
        self.match = match
        self.after = after
        self.type = type
        self.refs = refs
        self.cert = cert
        self.resp = resp

    @property
    def proposed(self) -> bool:
        """A name the recognizer proposed: no register link, but a certainty or a maker."""
        return not self.refs and bool(self.cert or self.resp)


class _DropMarks(dict):
    """A ``str.translate`` table that deletes combining marks, filled in as characters come."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.category(chr(code)).startswith("M") else code
        self[code] = value
        return value


_DROP_MARKS = _DropMarks()


#: Runs of characters outside ASCII: only these change in :func:`fold` but for the case.
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def fold(text: str) -> str:
    """Lower case without accents, for sorting and searching (``Dubček`` -> ``dubcek``).

    Decomposed and stripped of marks run by run of non-ASCII characters (ASCII characters
    are their own decomposition and start a new one): the same as the whole text at once,
    at a fraction of the cost for a long text with a few such characters."""
    if text.isascii():
        return text.lower()
    return _NON_ASCII.sub(_strip_marks, text).lower()


def _strip_marks(run: re.Match) -> str:
    return unicodedata.normalize("NFD", run.group()).translate(_DROP_MARKS)


def _names(el: etree._Element, type_: str) -> list[etree._Element]:
    return el.findall(f"tei:{NAME_ELEMENTS[type_]}", NS)


def entry_of(el: etree._Element) -> Entry | None:
    """The entry a ``person``/``place``/``org`` element with an ``xml:id`` is, else None."""
    type_ = _ENTRY_TYPES.get(el.tag)
    ident = el.get(XML_ID)
    if type_ is None or not ident:
        return None
    names = _names(el, type_)
    preferred = next((n for n in names if n.get("type") == "preferred"), names[0] if names
                     else None)
    name = " ".join("".join(preferred.itertext()).split()) if preferred is not None else ident
    return Entry(ident, type_, el, name, fold(_sort_text(el, preferred, name)) + "\x00" + ident)


def _sort_text(el: etree._Element, preferred: etree._Element | None, name: str) -> str:
    """Where an entry sorts: its ``@sortKey``, else its surname first, else its name as
    written (no guessing at surnames: many names in these documents put the family first)."""
    if el.get("sortKey"):
        return el.get("sortKey", "")
    surname = preferred.find("tei:surname", NS) if preferred is not None else None
    if surname is not None:
        return " ".join("".join(surname.itertext()).split()) + " " + name
    return name


def standoff_entries(tree: etree._ElementTree) -> dict[str, etree._Element]:
    """The register entries copied into a TEI file's ``<standOff>``, by id, as elements
    (:func:`entry_of` reads one: most are the register's own, and need not be read)."""
    found: dict[str, etree._Element] = {}
    for stand_off in tree.getroot().iterfind("tei:standOff", NS):
        for el in stand_off.iter(*_ENTRY_TYPES):
            ident = el.get(XML_ID)
            if ident and ident not in found:
                found[ident] = el
    return found


def read_register(path: Path) -> tuple[dict[str, Entry], list[Diagnostic]]:
    """The entries of a register file (a TEI file whose ``<standOff>`` holds the lists)."""
    try:
        tree = parse(path)
    except (OSError, etree.XMLSyntaxError) as exc:
        line = getattr(exc, "lineno", None)
        return {}, [error("E405", f"the register cannot be read: {exc}", file=str(path),
                          line=line or None, hint="the edition is built without it")]
    found: dict[str, Entry] = {}
    for el in tree.getroot().iter(*_ENTRY_TYPES):
        entry = entry_of(el)
        if entry is not None and entry.id not in found:
            found[entry.id] = entry
    return found, []


def snippet(text: str, start: int, end: int, context: int = CONTEXT) -> tuple[str, str, str]:
    """``text[start:end]`` with up to ``context`` characters each side, cut between words."""
    before = text[max(0, start - context):start]
    if start > context:
        cut = before.find(" ")
        before = "…" + (before[cut + 1:] if 0 <= cut < len(before) - 1 else before)
    after = text[end:end + context]
    if end + context < len(text):
        cut = after.rfind(" ")
        after = (after[:cut] if cut > 0 else after) + "…"
    return before, text[start:end], after


def occurrences(source: Source, found: list[Passage]) -> list[Occurrence]:
    """Every name in ``found`` (a document's passages, its metadata passage first)."""
    out: list[Occurrence] = []
    for passage in found:
        for span in passage.names:
            before, match, after = snippet(passage.text, span.start, span.end)
            out.append(Occurrence(source.name, passage.id, passage.label, before, match, after,
                                  span.type, span.refs, span.cert, span.resp))
    return out


def unresolved(path: str, pointers: Sequence[tuple[str, tuple[str, ...], int]],
               known: dict[str, Entry]) -> list[Diagnostic]:
    """A warning for each name whose ``@ref`` points at no entry (it is shown unlinked):
    ``pointers`` are a file's ``@ref`` values as written, the ids each gives, and its line."""
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for raw, refs, line in pointers:
        missing = [r for r in refs if r not in known]
        if not refs or missing:
            what = ", ".join(missing) if missing else raw
            if what in seen:
                continue
            seen.add(what)
            problems.append(warning(
                "W406", f"@ref {what!r} points at no register entry; the name is not linked",
                file=path, line=line,
                hint="add the entry to source/register.xml and copy it into <standOff>"))
    return problems
