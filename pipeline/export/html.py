"""Writer: the HTML edition, a static site built from the TEI files with XSLT.

Why XSLT (1.0, run by lxml): the stylesheets work on the TEI itself, element by element, in
the language TEI editors already read and adapt; ``document.xsl`` turns one TEI file into its
page with nothing else (its register entries are in its ``<standOff>``), and any XSLT 1.0
processor runs it (xsltproc, Saxon, lxml); lxml needs no further dependency; and the HTML
output method escapes every value a source gives, so no text from a source can become markup
(the stylesheets never disable output escaping).  What needs the whole edition at once
(reading order, register occurrences with snippets, the search index) is computed here in
Python and handed to ``collection.xsl`` as a small XML summary of the edition.

The site (all links relative, so that it works from ``file://`` and from any web server)::

    index.html                  the documents: a table that sorts and filters
    documents/NAME.html         one page per document
    persons.html places.html organizations.html   the registers, with every occurrence
    search.html                 full-text search, run in the browser
    tei/NAME.xml text/NAME.txt  the downloads: the TEI file as it is, the plain text
    assets/                     edition.css, edition.js, table.js, search.js,
                                search-index.js (built here), favicon.svg
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from lxml import etree

from .. import __version__
from ..diagnostics import Diagnostic
from ..tei.ns import NS, TEI_NS, tei
from . import text as plain
from .passages import Passage, metadata_passage, passages, refs_of
from .register import REGISTER_PAGES, Entry, Occurrence, entries, fold, occurrences, unresolved
from .search import build_index, index_script
from .sources import Source

XSLT_DIR = Path(__file__).with_name("xslt")
STATIC_DIR = Path(__file__).with_name("static")

#: The static files every edition carries, from ``static/``.
STATIC_FILES = ("edition.css", "edition.js", "table.js", "search.js", "favicon.svg")

DEFAULT_TITLE = "Cold War documents in translation"
DEFAULT_DESCRIPTION = ("Translated documents from the Wilson Center Digital Archive, "
                       "edited in TEI.")


@dataclass(frozen=True)
class Options:
    """What a user may set: the edition's title and description, its address once it is
    published (for citations), and the width of the plain texts offered for download."""

    title: str = DEFAULT_TITLE
    description: str | None = None
    base_url: str = ""
    width: int = plain.WIDTH


@dataclass
class Plan:
    """Everything the pages need that comes from the whole edition, computed once."""

    sources: list[Source]
    known: dict[str, Entry]
    found: dict[str, list[Passage]] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def plan(sources: Sequence[Source], register: dict[str, Entry] | None = None) -> Plan:
    """Read every document's passages, names and register entries."""
    result = Plan(list(sources), entries(sources, register))
    for source in sources:
        found = [metadata_passage(source.tree), *passages(source.tree)]
        result.found[source.name] = found
        result.occurrences.extend(occurrences(source, found))
        result.problems.extend(unresolved(source, result.known))
    return result


# ----------------------------------------------------------------------------- stylesheets


@functools.lru_cache(maxsize=None)
def _stylesheet(name: str) -> etree.XSLT:
    """A compiled stylesheet of ``xslt/``: it may read its own imports, nothing else."""
    tree = etree.parse(str(XSLT_DIR / name))
    return etree.XSLT(tree, access_control=etree.XSLTAccessControl.DENY_ALL)


def _params(options: Options, **more: str) -> dict[str, object]:
    values = {"site-title": options.title, "version": __version__,
              "base-url": options.base_url, **more}
    return {k: etree.XSLT.strparam(v) for k, v in values.items()}


def _html(result: etree._XSLTResultTree) -> bytes:
    return b"<!DOCTYPE html>\n" + bytes(result)


# ----------------------------------------------------------------------------- pages


def _with_entries(source: Source, known: dict[str, Entry]) -> etree._ElementTree:
    """The TEI tree, with the register entries it names but lacks added to its standOff.

    Files made by teipipe carry every entry they name; this is for files that do not (yet),
    so that their pages still explain every name the register knows.
    """
    have = {el.get("{http://www.w3.org/XML/1998/namespace}id")
            for el in source.tree.getroot().iterfind("tei:standOff//*", NS)}
    wanted = [known[r] for r in _named(source.tree) if r in known and r not in have]
    if not wanted:
        return source.tree
    tree = copy.deepcopy(source.tree)
    root = tree.getroot()
    stand_off = root.find("tei:standOff", NS)
    if stand_off is None:
        stand_off = etree.SubElement(root, tei("standOff"))
    lists = {"person": "listPerson", "place": "listPlace", "org": "listOrg"}
    for entry in wanted:
        holder = stand_off.find(f"tei:{lists[entry.type]}", NS)
        if holder is None:
            holder = etree.SubElement(stand_off, tei(lists[entry.type]))
        holder.append(copy.deepcopy(entry.element))
    return tree


def _named(tree: etree._ElementTree) -> list[str]:
    seen: dict[str, None] = {}
    for el in tree.getroot().iter(tei("persName"), tei("placeName"), tei("orgName")):
        for ref in refs_of(el):
            seen.setdefault(ref)
    return list(seen)


def document_page(p: Plan, k: int, options: Options) -> bytes:
    """The page of the ``k``-th document in reading order."""
    source = p.sources[k]
    prev = p.sources[k - 1] if k > 0 else None
    nxt = p.sources[k + 1] if k + 1 < len(p.sources) else None
    params = _params(
        options, root="../", self=f"documents/{source.name}.html",
        **{"tei-href": f"../tei/{source.name}.xml", "text-href": f"../text/{source.name}.txt",
           "prev-href": f"{prev.name}.html" if prev else "",
           "prev-title": prev.doc.header.title if prev else "",
           "next-href": f"{nxt.name}.html" if nxt else "",
           "next-title": nxt.doc.header.title if nxt else "",
           "position": str(k + 1), "count": str(len(p.sources))})
    return _html(_stylesheet("document.xsl")(_with_entries(source, p.known), **params))


def edition_summary(p: Plan, options: Options) -> etree._Element:
    """The edition as ``collection.xsl`` reads it (documented there)."""
    sources = p.sources
    years = sorted(w[:4] for s in sources if (w := s.doc.header.date_when or "")
                   and re.match(r"\d{4}", w))
    description = options.description or _project_description(sources) or DEFAULT_DESCRIPTION
    root = etree.Element("edition", {
        "title": options.title, "count": str(len(sources)),
        "first": years[0] if years else "", "last": years[-1] if years else ""},
        nsmap={"tei": TEI_NS})
    etree.SubElement(root, "description").text = description
    by_name: dict[str, Source] = {}
    for k, s in enumerate(sources):
        h = s.doc.header
        by_name[s.name] = s
        etree.SubElement(root, "document", {
            "name": s.name, "id": s.doc.id, "href": f"documents/{s.name}.html",
            "tei": f"tei/{s.name}.xml", "text": f"text/{s.name}.txt",
            "when": h.date_when or "", "sort": f"{h.date_when or '~'} {k:06d}",
            "date": h.date_text or h.date_when or "", "title": h.title,
            "kind": plain.kind_label(s.doc) or "",
            "classification": plain.classification_label(s.doc) or "",
            "archive": plain.archive_label(s.doc)})
    linked: dict[str, list[Occurrence]] = {}
    proposed: dict[tuple[str, str], list[Occurrence]] = {}
    for occ in p.occurrences:
        refs = [r for r in occ.refs if r in p.known]
        for ref in refs:
            linked.setdefault(ref, []).append(occ)
        if occ.proposed:
            proposed.setdefault((occ.type, fold(occ.match)), []).append(occ)
    for entry in sorted((p.known[r] for r in linked), key=lambda e: e.sort_key):
        occs = linked[entry.id]
        first = entry.sort_key[:1]
        el = etree.SubElement(root, "entry", {
            "id": entry.id, "type": entry.type, "page": REGISTER_PAGES[entry.type],
            "name": entry.name, "letter": first.upper() if first.isalpha() else "#",
            "passages": str(len({(o.source, o.passage) for o in occs})),
            "documents": str(len({o.source for o in occs}))})
        el.append(copy.deepcopy(entry.element))
        _occurrence_groups(el, occs, by_name)
    for (type_, _key), occs in sorted(proposed.items(), key=lambda item: (item[0][0],
                                                                         item[0][1])):
        certs = sorted({o.cert for o in occs if o.cert}, key=_cert_rank)
        el = etree.SubElement(root, "proposed", {"type": type_, "text": occs[0].match,
                                                 "cert": ", ".join(certs)})
        _occurrence_groups(el, occs, by_name)
    return root


_CERT_ORDER = ("high", "medium", "low", "unknown")


def _cert_rank(cert: str) -> tuple[int, str]:
    return (_CERT_ORDER.index(cert) if cert in _CERT_ORDER else len(_CERT_ORDER), cert)


def _occurrence_groups(parent: etree._Element, occs: list[Occurrence],
                       by_name: dict[str, Source]) -> None:
    groups: dict[str, list[Occurrence]] = {}
    for occ in occs:
        groups.setdefault(occ.source, []).append(occ)
    for name, group in groups.items():
        h = by_name[name].doc.header
        doc = etree.SubElement(parent, "doc", {
            "name": name, "href": f"documents/{name}.html", "title": h.title,
            "date": h.date_text or h.date_when or ""})
        for occ in group:
            etree.SubElement(doc, "in", {
                "href": f"documents/{name}.html#{occ.passage}", "label": occ.label,
                "before": occ.before, "match": occ.match, "after": occ.after,
                "candidates": str(len(occ.refs))})


def _project_description(sources: Sequence[Source]) -> str | None:
    for source in sources:
        p = source.tree.getroot().find(
            "tei:teiHeader/tei:encodingDesc/tei:projectDesc/tei:p", NS)
        if p is not None:
            return " ".join("".join(p.itertext()).split())
    return None


def collection_pages(p: Plan, options: Options) -> Iterator[tuple[str, bytes]]:
    """The home page, the three registers and the search page."""
    summary = etree.ElementTree(edition_summary(p, options))
    pages = {"home": "index.html", "person": "persons.html", "place": "places.html",
             "org": "organizations.html", "search": "search.html"}
    for page, file in pages.items():
        yield file, _html(_stylesheet("collection.xsl")(summary, **_params(options, page=page)))


def site_files(p: Plan, options: Options) -> Iterator[tuple[str, bytes]]:
    """Every file of the HTML edition, as (relative path, bytes)."""
    yield from collection_pages(p, options)
    for k, source in enumerate(p.sources):
        yield f"documents/{source.name}.html", document_page(p, k, options)
        yield f"tei/{source.name}.xml", source.data
        yield f"text/{source.name}.txt", plain.document_text(source.doc,
                                                             options.width).encode("utf-8")
    index = build_index([(s, p.found[s.name]) for s in p.sources], p.known)
    yield "assets/search-index.js", index_script(index)
    for name in STATIC_FILES:
        yield f"assets/{name}", (STATIC_DIR / name).read_bytes()


__all__ = ["DEFAULT_TITLE", "Options", "Plan", "collection_pages", "document_page",
           "edition_summary", "plan", "site_files"]
