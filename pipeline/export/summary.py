"""What the edition-wide pages need of one document, read once and kept as plain data.

The home page, the registers and the search index are made from every document at once.
Holding every parsed TEI tree for that, or every passage and snippet, would take memory in
proportion to the edition (10,000 documents took gigabytes), and would mean reading every
file again after one changed.  So each TEI file is read on its own (in a worker process)
into a :class:`Summary` of three parts, kept (:mod:`marshal`) in the cache folder
(:mod:`.packs`) with the file's content it was made from (after one file changed, only that
one is read again):

- ``meta``, small: the document's row in the table of documents, the register entries it
  carries, the names it points at, and for each register entry and proposed name how many
  of its passages name it, with a digest of its share of the entry's page.  The edition is
  planned from these alone (:mod:`.edition`).
- ``search``, its passages for the search index with their words, and ``lists``, its share
  of each entry's page (and of the pages of proposed names) already rendered
  (:mod:`.html_pieces`): the bulk.  The edition's pages
  are written from these one document at a time, and only when a digest says they changed
  (a change of wording that leaves the registers as they were reads no ``lists``).  The
  lists are kept as their bytes, one after the other, and ``meta`` has the size of each:
  an entry's page copies its lists from where they are kept, not read and written again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lxml import etree

from ..tei.ns import ELEMENT_TYPES, NS, tei
from . import html_pieces
from . import text as plain
from .passages import metadata_passage, passages, refs_of
from .register import fold, occurrences, standoff_entries
from .search import passage
from .sources import Source
from .words import words

#: Bump when what a summary holds changes: cached summaries of older code are not used.
#: (5: kept with :mod:`marshal`, not as JSON: four times faster both ways, for a cache that
#: only this code reads; its format version is part of the build's settings.  6: an entry's
#: occurrences link from its own page, one folder down.  7: the document's page is kept
#: in the same file, after the summary.  8: the digest of the passages made without repr.
#: 9: the size of each list of occurrences in ``meta``, its bytes kept as they are.)
SUMMARY_VERSION = 9

#: How an entry page's (or the proposed names page's) list of occurrences begins
#: (``collection.xsl``).  No text from a
#: source can contain it: the HTML output escapes ``<`` in text and ``"`` in attributes.
OCCURRENCES = b'<ul class="occurrences">'

_NAME_TAGS = tuple(tei(name) for name in ELEMENT_TYPES)


@dataclass
class Summary:
    """One document as the edition-wide pages see it (see the module docstring); and,
    not kept, the entries of its standOff as elements of its tree, by id
    (:func:`.register.standoff_entries`), for its page made from the same tree
    (:func:`.html.early_page`), which need not look for them again."""

    meta: dict
    search: dict  # passages and words
    lists: dict  # the entries' pages' lists of occurrences
    elements: dict[str, etree._Element]


def digest(data: bytes | str) -> str:
    """A short digest that tells one document's share of a page from another."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:20]


def summarize(source: Source) -> Summary:
    """The summary of a source (its tree is read here, and not kept)."""
    root = source.tree.getroot()
    found = [metadata_passage(source.tree), *passages(source.tree)]
    elements = standoff_entries(source.tree)
    entries = [[ident, etree.tostring(el, encoding="unicode", with_tail=False)]
               for ident, el in elements.items()]
    carried = {e[0] for e in entries}
    named, pointers = _pointers(root, carried)
    project = root.find("tei:teiHeader/tei:encodingDesc/tei:projectDesc/tei:p", NS)
    h = source.doc.header
    meta = {"name": source.name, "id": source.doc.id, "title": h.title,
            "date_when": h.date_when, "date_text": h.date_text,
            "kind": plain.kind_label(source.doc) or "",
            "classification": plain.classification_label(source.doc) or "",
            "archive": plain.archive_label(source.doc),
            "project": " ".join("".join(project.itertext()).split())
            if project is not None else None,
            "entries": entries, "uncarried": [r for r in named if r not in carried],
            "pointers": list(pointers.values())}
    search = [[passage(p.id, p.label, p.text),
               list(dict.fromkeys(r for n in p.names for r in n.refs))] for p in found]
    postings: dict[str, list[int]] = {}
    for k, p in enumerate(found):
        for word in set(words(p.text)):  # (in any order: the index sorts the words)
            got = postings.get(word)  # (setdefault would make a list for each word)
            if got is None:
                postings[word] = [k]
            else:
                got.append(k)
    linked, proposed = _groups(source, found, meta)
    # what tells the search index's inputs apart: one line per passage, its text as JSON
    # (no line end, no NUL in it) and its register ids; not repr(search), 2.5 times slower
    meta["search"] = digest("\n".join([f"{text}\0{' '.join(refs)}" for text, refs in search]))
    return Summary(meta, {"passages": search, "words": postings},
                   {"linked": linked, "proposed": proposed}, elements)


def _pointers(root: etree._Element, carried: set[str]) -> tuple[dict[str, None], dict]:
    """In one pass over the document's names: the ids they point at, in order; and the
    first name of each ``@ref`` that may point nowhere (one not all of whose ids are
    entries the document carries), with its ids and line (the warnings name no other).
    What a name adds depends on its ``@ref`` alone, so only the first name of each
    ``@ref`` is looked at (a document names the same entries again and again)."""
    named: dict[str, None] = {}
    pointers: dict[str, list] = {}
    seen: set[str] = set()
    for el in root.iter(*_NAME_TAGS):
        raw = el.get("ref")
        if raw is None or raw in seen:
            continue
        seen.add(raw)
        refs = refs_of(el)
        named.update(dict.fromkeys(refs))
        if not refs or set(refs) - carried:
            pointers[raw] = [raw, list(refs), el.sourceline]
    return named, pointers


def _groups(source: Source, found, meta: dict) -> tuple[list, list]:
    """The document's share of the entries' pages: for each register id it names and each
    name proposed without one, its ``<li>`` of occurrences, rendered (UTF-8); their counts,
    digests and sizes go into ``meta``."""
    by_ref: dict[str, list] = {}
    by_name: dict[tuple[str, str], list] = {}
    for occ in occurrences(source, found):
        for ref in occ.refs:
            by_ref.setdefault(ref, []).append(occ)
        if occ.proposed:
            by_name.setdefault((occ.type, fold(occ.match)), []).append(occ)
    h = source.doc.header
    date = h.date_text or h.date_when or ""
    # an entry's page is in a folder of its own (:func:`.register.entry_page`); the page of
    # proposed names is beside the document pages' folder
    proposed_page = f"documents/{source.name}.html"
    linked_page = "../" + proposed_page
    links: dict[tuple[str, str, str], str] = {}  # to the pages' passages, made once each
    lists = [html_pieces.document_item(linked_page, h.title, date, occs, links)
             for occs in by_ref.values()]
    lists += [html_pieces.document_item(proposed_page, h.title, date, occs, links)
              for occs in by_name.values()]
    linked, proposed = [], []
    meta["linked"], meta["proposed"] = [], []
    for (ref, occs), html in zip(by_ref.items(), lists):
        data = html.encode("utf-8")
        linked.append([ref, data])
        meta["linked"].append([ref, len({o.passage for o in occs}), digest(data), len(data)])
    for ((type_, key), occs), html in zip(by_name.items(), lists[len(by_ref):]):
        data = html.encode("utf-8")
        proposed.append([type_, key, data])
        meta["proposed"].append([type_, key, occs[0].match,
                                 sorted({o.cert for o in occs if o.cert}), digest(data),
                                 len(data)])
    return linked, proposed


__all__ = ["OCCURRENCES", "SUMMARY_VERSION", "Summary", "digest", "summarize"]
