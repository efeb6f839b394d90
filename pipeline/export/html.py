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
from .passages import Passage
from .register import REGISTER_PAGES, Entry, Occurrence, entries, fold, unresolved
from .search import build_index, index_script
from .summary import Summary

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

    summaries: list[Summary]  # the documents in reading order
    known: dict[str, Entry]
    found: dict[str, list[Passage]] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def plan(summaries: Sequence[Summary], register: dict[str, Entry] | None = None) -> Plan:
    """The edition's entries, and every document's passages and names."""
    result = Plan(list(summaries), entries(summaries, register))
    for summary in summaries:
        result.found[summary.name] = summary.found
        result.occurrences.extend(summary.occurrences)
        result.problems.extend(unresolved(summary, result.known))
    return result


# ----------------------------------------------------------------------------- stylesheets


@functools.lru_cache(maxsize=None)
def _stylesheet(name: str) -> etree.XSLT:
    """A compiled stylesheet of ``xslt/``: it may read its own imports, nothing else."""
    tree = etree.parse(str(XSLT_DIR / name))
    return etree.XSLT(tree, access_control=etree.XSLTAccessControl.DENY_ALL)


def _params(options: Options, **more: str) -> dict[str, str]:
    return {"site-title": options.title, "version": __version__,
            "base-url": options.base_url, **more}


def _html(result: etree._XSLTResultTree) -> bytes:
    return b"<!DOCTYPE html>\n" + bytes(result)


# ----------------------------------------------------------------------------- pages


def page_params(p: Plan, k: int, options: Options) -> dict[str, str]:
    """The stylesheet parameters of the page of the ``k``-th document in reading order:
    where it is, its downloads, its neighbours, the edition's title."""
    summary = p.summaries[k]
    prev = p.summaries[k - 1] if k > 0 else None
    nxt = p.summaries[k + 1] if k + 1 < len(p.summaries) else None
    return _params(
        options, root="../", self=f"documents/{summary.name}.html",
        **{"tei-href": f"../tei/{summary.name}.xml", "text-href": f"../text/{summary.name}.txt",
           "prev-href": f"{prev.name}.html" if prev else "",
           "prev-title": prev.title if prev else "",
           "next-href": f"{nxt.name}.html" if nxt else "",
           "next-title": nxt.title if nxt else "",
           "position": str(k + 1), "count": str(len(p.summaries))})


def missing_entries(p: Plan, k: int) -> list[str]:
    """The register entries the ``k``-th document names but does not carry, as XML.

    Files made by teipipe carry every entry they name; this is for files that do not (yet),
    so that their pages still explain every name the register knows.
    """
    summary = p.summaries[k]
    carried = summary.carried
    return [etree.tostring(p.known[r].element, encoding="unicode", with_tail=False)
            for r in summary.named if r in p.known and r not in carried]


def document_page(tree: etree._ElementTree, params: dict[str, str],
                  extra: Sequence[str] = ()) -> bytes:
    """A document's page: ``document.xsl`` on its TEI tree with ``params``
    (:func:`page_params`), the entries ``extra`` added to its standOff."""
    if extra:
        tree = copy.deepcopy(tree)
        root = tree.getroot()
        stand_off = root.find("tei:standOff", NS)
        if stand_off is None:
            stand_off = etree.SubElement(root, tei("standOff"))
        lists = {"person": "listPerson", "place": "listPlace", "org": "listOrg"}
        for xml in extra:
            entry = etree.fromstring(xml)
            holder = stand_off.find(f"tei:{lists[etree.QName(entry).localname]}", NS)
            if holder is None:
                holder = etree.SubElement(stand_off, tei(lists[etree.QName(entry).localname]))
            holder.append(entry)
    values = {k: etree.XSLT.strparam(v) for k, v in params.items()}
    return _html(_stylesheet("document.xsl")(tree, **values))


def edition_summary(p: Plan, options: Options) -> etree._Element:
    """The edition as ``collection.xsl`` reads it (documented there)."""
    sources = p.summaries
    years = sorted(w[:4] for s in sources if (w := s.date_when or "")
                   and re.match(r"\d{4}", w))
    description = options.description or next((s.project for s in sources if s.project),
                                              None) or DEFAULT_DESCRIPTION
    root = etree.Element("edition", {
        "title": options.title, "count": str(len(sources)),
        "first": years[0] if years else "", "last": years[-1] if years else ""},
        nsmap={"tei": TEI_NS})
    etree.SubElement(root, "description").text = description
    by_name: dict[str, Summary] = {}
    for k, s in enumerate(sources):
        by_name[s.name] = s
        etree.SubElement(root, "document", {
            "name": s.name, "id": s.id, "href": f"documents/{s.name}.html",
            "tei": f"tei/{s.name}.xml", "text": f"text/{s.name}.txt",
            "when": s.date_when or "", "sort": f"{s.date_when or '~'} {k:06d}",
            "date": s.date_text or s.date_when or "", "title": s.title,
            "kind": s.kind, "classification": s.classification, "archive": s.archive})
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
                       by_name: dict[str, Summary]) -> None:
    groups: dict[str, list[Occurrence]] = {}
    for occ in occs:
        groups.setdefault(occ.source, []).append(occ)
    for name, group in groups.items():
        s = by_name[name]
        doc = etree.SubElement(parent, "doc", {
            "name": name, "href": f"documents/{name}.html", "title": s.title,
            "date": s.date_text or s.date_when or ""})
        for occ in group:
            etree.SubElement(doc, "in", {
                "href": f"documents/{name}.html#{occ.passage}", "label": occ.label,
                "before": occ.before, "match": occ.match, "after": occ.after,
                "candidates": str(len(occ.refs))})


def collection_pages(p: Plan, options: Options) -> Iterator[tuple[str, bytes]]:
    """The home page, the three registers and the search page."""
    summary = etree.ElementTree(edition_summary(p, options))
    pages = {"home": "index.html", "person": "persons.html", "place": "places.html",
             "org": "organizations.html", "search": "search.html"}
    for page, file in pages.items():
        params = {k: etree.XSLT.strparam(v) for k, v in _params(options, page=page).items()}
        yield file, _html(_stylesheet("collection.xsl")(summary, **params))


def edition_files(p: Plan, options: Options) -> Iterator[tuple[str, bytes]]:
    """The files made from the whole edition: the collection pages, the search index and
    the static files."""
    yield from collection_pages(p, options)
    index = build_index([(s, p.found[s.name]) for s in p.summaries], p.known)
    yield "assets/search-index.js", index_script(index)
    for name in STATIC_FILES:
        yield f"assets/{name}", (STATIC_DIR / name).read_bytes()


__all__ = ["DEFAULT_TITLE", "Options", "Plan", "collection_pages", "document_page",
           "edition_files", "edition_summary", "missing_entries", "page_params", "plan"]
