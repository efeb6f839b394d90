"""Writer: the HTML edition, a static site built from the TEI files.

The look of the edition is written down in XSLT 1.0 (``xslt/``): the stylesheets work on the
TEI itself, element by element, in the language TEI editors already read and adapt;
``document.xsl`` turns one TEI file into its page with nothing else (its register entries
are in its ``<standOff>``), and any XSLT 1.0 processor runs it (xsltproc, Saxon, lxml); and
the HTML output method escapes every value a source gives.  The document pages, the bulk of
the edition, are written by :mod:`.document_html`, byte for byte what ``document.xsl`` makes
(tests check it) in a fraction of the time; the register entries' cards (``card.xsl``, once
per entry) and the edition's own pages (``collection.xsl``) are run by lxml.  What needs the
whole edition at once (reading order, register occurrences with snippets, the search index)
is computed in Python (:mod:`.edition`) and handed to ``collection.xsl`` as a small XML
summary of the edition.

The site (all links relative, so that it works from ``file://`` and from any web server)::

    index.html                  the documents: a table that sorts and filters
    documents/NAME.html         one page per document
    persons.html places.html organizations.html   the registers: light lists of entries
    persons/ID.html places/ID.html organizations/ID.html   an entry: its card, every passage
    proposed-persons.html ...   names the recognizer proposed, with their passages
    search.html                 full-text search, run in the browser
    tei/NAME.xml text/NAME.txt  the downloads: the TEI file as it is, the plain text
    assets/                     edition.css, edition.js, table.js, search.js,
                                search-index.js (built here), favicon.svg
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

from lxml import etree

from .. import __version__
from ..tei.ns import NS, XML_ID, tei
from ..tei.read import safe_parser
from . import document_html, html_pieces
from . import text as plain
from .stylesheets import stylesheet

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


class Named(Protocol):
    """A document as its neighbours' pages name it."""

    name: str
    title: str


# ----------------------------------------------------------------------------- stylesheets


def params(options: Options, **more: str) -> dict[str, str]:
    """The parameters every page's stylesheet gets: the edition's title, teipipe's version,
    the address the site will have; and ``more``."""
    return {"site-title": options.title, "version": __version__,
            "base-url": options.base_url, **more}


def html_page(result: etree._XSLTResultTree) -> bytes:
    """A stylesheet's page as the bytes of an HTML5 file."""
    return b"<!DOCTYPE html>\n" + bytes(result)


# ----------------------------------------------------------------------------- pages


def page_params(docs: Sequence[Named], k: int, options: Options) -> dict[str, str]:
    """The stylesheet parameters of the page of the ``k``-th of ``docs`` (the documents in
    reading order): where it is, its downloads, its neighbours, the edition's title."""
    return around_params(docs[k].name, options, neighbours(docs, k))


#: A document's neighbours in reading order, each as (name, title), or None (none).
Neighbours = tuple[tuple[str, str] | None, tuple[str, str] | None]


def neighbours(docs: Sequence[Named], k: int) -> Neighbours:
    """The neighbours of the ``k``-th of ``docs``: what :func:`page_params` takes of them
    (a worker that makes the page is given these, not the parameters, a kilobyte a
    page while the edition's pages wait for a worker)."""
    prev = docs[k - 1] if k > 0 else None
    nxt = docs[k + 1] if k + 1 < len(docs) else None
    return (prev.name, prev.title) if prev else None, (nxt.name, nxt.title) if nxt else None


def around_params(name: str, options: Options, around: Neighbours) -> dict[str, str]:
    """The parameters of the page of the document ``name`` whose neighbours are
    ``around`` (:func:`neighbours`)."""
    prev, nxt = around
    return own_params(name, options, **{
        "prev-href": f"{prev[0]}.html" if prev else "",
        "prev-title": prev[1] if prev else "",
        "next-href": f"{nxt[0]}.html" if nxt else "",
        "next-title": nxt[1] if nxt else ""})


def own_params(name: str, options: Options, **neighbours: str) -> dict[str, str]:
    """The parameters of the page of the document ``name`` but for its ``neighbours``
    (``prev-href``, ``prev-title``, ``next-href``, ``next-title``)."""
    return params(options, root="../", self=f"documents/{name}.html",
                  **{"tei-href": f"../tei/{name}.xml", "text-href": f"../text/{name}.txt"},
                  **neighbours)


def document_page(tree: etree._ElementTree, page: dict[str, str],
                  extra: Sequence[str] = ()) -> bytes:
    """A document's page (:mod:`.document_html`, as ``document.xsl`` makes it) from its TEI
    tree with the parameters ``page`` (:func:`page_params`), the entries ``extra`` added to
    its standOff."""
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
    return document_html.render(tree, page, _cards({}, {}))


def early_page(tree: etree._ElementTree, name: str, options: Options,
               entries: dict[str, str], elements: dict[str, etree._Element]) -> bytes:
    """A document's page as it can be made before the reading order is known: with
    :data:`.html_pieces.STAND_INS` for its neighbours (:func:`.html_pieces.splice`).
    ``elements``: the entries its standOff carries, by id, as
    :func:`.register.standoff_entries` gives them; ``entries``: the XML of each, from
    which their cards are made."""
    return document_html.render(
        tree, own_params(name, options, **html_pieces.STAND_INS), _cards(entries, elements))


def _cards(entries: dict[str, str], firsts: dict[str, etree._Element]) -> document_html.Cards:
    """The cards of the entries of a tree's standOff: :func:`card` of each entry's XML,
    taken from ``entries`` (by id) when it is there, for the entry it was made of (the
    element ``firsts`` has for the id)."""
    def cards(entry: etree._Element) -> str:
        ident = entry.get(XML_ID)
        xml = entries.get(ident) if ident and firsts.get(ident) is entry else None
        return card(xml if xml is not None else
                    etree.tostring(entry, encoding="unicode", with_tail=False))
    return cards


@functools.lru_cache(maxsize=4096)  # a register's worth of entries
def card(entry: str) -> str:
    """The card of a register entry (``card.xsl``), from its TEI element as XML: an entry
    is named by many documents, its card is made once."""
    tree = etree.ElementTree(etree.fromstring(entry, safe_parser()))
    return str(stylesheet("card.xsl")(tree)).removesuffix("\n")


__all__ = ["DEFAULT_DESCRIPTION", "DEFAULT_TITLE", "STATIC_FILES", "Named", "Options",
           "around_params", "card", "document_page", "early_page", "html_page", "neighbours",
           "own_params", "page_params", "params"]
