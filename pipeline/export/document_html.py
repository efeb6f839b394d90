"""A document's HTML page written directly from its TEI tree, byte for byte the page that
``xslt/document.xsl`` makes of it (with :mod:`lxml`'s libxslt and libxml2's HTML output).

Why not run the stylesheet: it was the largest cost of an HTML export (about 2 ms of libxslt
and 0.4 ms of serializing per page, a third of the export's CPU time); the same walk of the
tree in Python, writing strings, takes a fraction of that.  ``document.xsl`` stays what a
TEI editor reads and adapts, what runs on its own in any XSLT processor (``xsltproc``,
Saxon: the benchmark's comparison), and the reference for this module:
``tests/test_export_document_html.py`` checks that both give the same page, byte for byte,
for every TEI file of the tests and for generated ones with any text.  A change to the look
of a document page is made in both (the test fails until it is).

Every value from a source goes through :func:`.html_pieces.text` (text) or
:func:`.html_pieces.attr` / :func:`.html_pieces.href` (attributes), which escape it exactly
as libxml2's HTML output does: nothing a source says can become markup.

Each function below is named for the template of ``document.xsl`` it stands for; where the
stylesheet's XPath has a subtlety (``normalize-space`` of the first node of a set, a
position counted over the whole document), the code says so.
"""

from __future__ import annotations

import functools
import re
from typing import Callable, Iterable

from lxml import etree

from ..tei.ns import TEI_NS, XML_ID, XML_LANG
from ..tei.read import child_named, children_named
from .html_pieces import attr, href, pager, text
from .passages import passage_label

T = f"{{{TEI_NS}}}"
_NAMES = {T + "persName": ("person", "persons"), T + "placeName": ("place", "places"),
          T + "orgName": ("org", "organizations")}
_ENTRIES = (T + "person", T + "place", T + "org")
_ID = etree.XPath("id($x)")
_UNPLACED = "A line of the page the converter could not place: "
_XPATH_SPACE = re.compile(r"[ \t\n\r]+")
_MARKUP = re.compile(r"<[^>]*>")
_UNESCAPE = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_ESCAPED = re.compile(r"&(?:amp|lt|gt);")

#: The parameters of ``document.xsl`` (and ``layout.xsl``) and their default values.
DEFAULTS = {"root": "../", "self": "", "tei-href": "", "text-href": "", "prev-href": "",
            "prev-title": "", "next-href": "", "next-title": "", "site-title": "TEI edition",
            "version": "", "base-url": ""}

#: A card of a register entry (``layout.xsl``, mode "card") from the entry's element.
Cards = Callable[[etree._Element], str]


def normalize(value: str) -> str:
    """XPath's ``normalize-space``: only space, tab, CR and LF are white space."""
    if value.isascii() and value.isprintable() and "  " not in value and \
            not value.startswith(" ") and not value.endswith(" "):
        return value
    return _XPATH_SPACE.sub(" ", value).strip(" ")


def string(el: etree._Element | None) -> str:
    """An element's XPath string value: the text of it and its descendants (not of comments
    or processing instructions); '' for no element."""
    if el is None:
        return ""
    return "".join(el.itertext(tag=etree.Element)) if len(el) else (el.text or "")


def first(el: etree._Element | None, *path: str) -> etree._Element | None:
    """The first element, in document order, at the end of the child ``path`` (TEI names)
    below ``el``: what XPath's string functions take of a node-set."""
    found = all_of(el, *path)
    return found[0] if found else None


def all_of(el: etree._Element | None, *path: str) -> list[etree._Element]:
    """Every element at the end of the child ``path`` (TEI names) below ``el``, in document
    order."""
    level = [] if el is None else [el]
    for step in path:
        level = [c for p in level for c in children_named(p, T + step)]
    return level


def shown(markup: str) -> str:
    """The text of some HTML this module wrote (its tags dropped, its escapes undone): what
    ``normalize-space`` of the stylesheet's result tree fragment reads."""
    return _ESCAPED.sub(lambda m: _UNESCAPE[m.group()], _MARKUP.sub("", markup))


class _Page:
    """One page being written: the document's tree and what the templates look up in it."""

    def __init__(self, root: etree._Element, params: dict[str, str], cards: Cards) -> None:
        self.root = root
        self.params = params
        self.cards = cards
        self.p_root = params["root"]
        self.doc_id = root.get(XML_ID) or ""
        self.h = first(root, "teiHeader")
        self.title = normalize(string(next(
            (t for t in all_of(self.h, "fileDesc", "titleStmt", "title")
             if t.get("type") == "main"), None)))
        creations = all_of(self.h, "profileDesc", "creation")
        dates = [d for c in creations for d in [child_named(c, T + "date")]
                 if d is not None]  # creation/date[1]
        self.date = dates[0] if dates else None
        self.when = next((d.get("when") for d in dates if d.get("when") is not None), None)
        self.ms = all_of(self.h, "fileDesc", "sourceDesc", "msDesc", "msIdentifier")
        self.translator = self.resp_name(".translator")
        # key('entry'): register entries in any standOff, by xml:id; each standOff's
        # entries are kept for the template ``names`` (which reads those of the root's)
        self.entries: dict[str, etree._Element] = {}
        self.stand_offs: dict[etree._Element, list[etree._Element]] = {}
        for stand_off in root.iter(T + "standOff"):
            found = self.stand_offs[stand_off] = list(stand_off.iter(*_ENTRIES))
            for el in found:
                ident = el.get(XML_ID)
                if ident is not None and ident not in self.entries:
                    self.entries[ident] = el
        self.counted: dict[str, list[etree._Element]] = {}
        self.in_name = 0  # how many names the element being written is in

    # ------------------------------------------------------------------ look-ups

    def by_id(self, ident: str) -> etree._Element | None:
        """``id(ident)[@xml:id = ident]``: the element libxml2's table of ids gives."""
        return next((e for e in _ID(self.root, x=ident) if e.get(XML_ID) == ident), None)

    def resp_name(self, suffix: str) -> str:
        """``normalize-space(respStmt[@xml:id = concat($doc-id, suffix)]/persName)``."""
        want = self.doc_id + suffix
        return normalize(string(next(
            (n for r in all_of(self.h, "fileDesc", "titleStmt", "respStmt")
             if r.get(XML_ID) == want for n in children_named(r, T + "persName")), None)))

    def ms_value(self, step: str, **where: str) -> str:
        """``normalize-space($ms/tei:STEP[@k = v])``."""
        return normalize(string(next(
            (e for m in self.ms for e in children_named(m, T + step)
             if all(e.get(k) == v for k, v in where.items())), None)))

    def preceding(self, el: etree._Element, counted: Callable[[etree._Element], bool]) -> int:
        """XPath's ``count(preceding::X)`` for ``el``, where X is elements of ``el``'s name
        for which ``counted`` holds: those before it in document order, not its ancestors."""
        listed = self.counted.get(el.tag)
        if listed is None:
            listed = self.counted[el.tag] = list(self.root.iter(el.tag))
        ancestors = set(el.iterancestors())
        n = 0
        for other in listed:
            if other is el:
                return n
            if counted(other) and other not in ancestors:
                n += 1
        raise AssertionError("not in its own document")

    # ------------------------------------------------------------------ the page

    def page(self) -> str:
        p = self.params
        site = p["site-title"]
        root = self.p_root
        lang = self.root.get(XML_LANG)
        title = self.title if self.title == site else f"{self.title} — {site}"
        return "".join([
            f"<html lang={attr('en' if lang is None else lang)}><head>"
            '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
            "connect-src 'none'; base-uri 'none'; form-action 'self'\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<meta name=\"generator\" content={attr('teipipe ' + p['version'])}>"
            f"<title>{text(title)}</title>"
            f'<link rel="icon" href={href(root + "assets/favicon.svg")} type="image/svg+xml">'
            f'<link rel="stylesheet" href={href(root + "assets/edition.css")}>'
            f'<script src={href(root + "assets/edition.js")} defer></script>'
            '</head><body class="document-page">'
            '<a class="skip-link" href="#main">Skip to main content</a>'
            '<header class="site-header"><div class="wrap">'
            f'<p class="site-title"><a href={href(root + "index.html")}>{text(site)}</a></p>'
            '<nav class="site-nav" aria-label="Edition"><ul>',
            *(f"<li><a href={href(root + page)}>{label}</a></li>" for page, label in (
                ("index.html", "Documents"), ("persons.html", "Persons"),
                ("places.html", "Places"), ("organizations.html", "Organizations"),
                ("search.html", "Search"))),
            "</ul></nav>"
            f'<form class="site-search" role="search" aria-label="Site" '
            f'action={href(root + "search.html")} method="get">'
            '<label for="site-q" class="vh">Search the edition</label>'
            '<input id="site-q" name="q" type="search" placeholder="Search the edition">'
            '<button type="submit">Search</button></form></div></header>'
            '<main id="main" tabindex="-1"><div class="wrap">',
            self.body(),
            '</div></main><footer class="site-footer"><div class="wrap">'
            '<section class="citation" aria-labelledby="cite-h">'
            '<h2 id="cite-h">Cite this page</h2>'
            f'<p class="cite-text">{self.citation(site)}</p></section>'
            f'<p class="colophon">{text(site)}: a static edition built with teipipe '
            f"{text(p['version'])} from the TEI files of the edition, which can be "
            "downloaded with each document. It works offline: it loads nothing from anywhere "
            "else.</p></div></footer></body></html>\n"])

    def body(self) -> str:
        """Template ``tei:TEI`` in mode ``page-body``."""
        doc_id, title = self.doc_id, text(self.title)
        kind = self.category(".doctype")
        classification = self.category(".classification")
        return "".join([
            '<nav class="breadcrumb" aria-label="Breadcrumb"><ol>'
            f'<li><a href={href(self.p_root + "index.html")}>Documents</a></li>'
            f'<li><a href={href("#" + doc_id)} aria-current="page">{title}</a></li>'
            "</ol></nav>"
            f'<article class="document" id={attr(doc_id)} aria-labelledby="doc-title">'
            '<header class="doc-header"><p class="doc-kind">',
            text(kind), text(" · " + classification) if classification else "",
            f'</p><h1 id="doc-title">{title}</h1>'
            f'<p class="doc-date">{self.doc_date()}</p></header>',
            self.metadata(kind, classification), self.text_section(), self.names(),
            "</article>", pager(self.params)])

    def category(self, scheme: str) -> str:
        """Template ``category``: the description of the document's category in ``scheme``."""
        ref = next((c for tc in all_of(self.h, "profileDesc", "textClass")
                    for c in children_named(tc, T + "catRef")
                    if (c.get("scheme") or "").endswith(scheme)), None)
        target = _after_hash(ref.get("target") if ref is not None else None)
        category = self.by_id(target) if target else None
        return normalize(string(first(category, "catDesc")))

    def doc_date(self) -> str:
        """Template ``doc-date``."""
        when = self.when
        value = normalize(string(self.date))
        if value:
            stamp = "" if when is None else f" datetime={attr(when)}"
            return f"<time{stamp}>{text(value)}</time>"
        if when is not None:
            return f"<time datetime={attr(when)}>{text(when)}</time>"
        return "Undated"

    # ------------------------------------------------------------------ metadata

    def metadata(self, kind: str, classification: str) -> str:
        """Template ``metadata``: the rows of what the header says."""
        h, p = self.h, self.params
        title_stmt = all_of(h, "fileDesc", "titleStmt")
        publication = all_of(h, "fileDesc", "publicationStmt")
        actions = all_of(h, "profileDesc", "correspDesc", "correspAction")
        repository = self.ms_value("repository")
        settlement = self.ms_value("settlement")
        archive = text(repository)
        if settlement:
            archive += (", " if repository else "") + text(settlement)
        lang = normalize(string(next((e for e in all_of(h, "profileDesc", "langUsage",
                                                       "language")
                                      if e.get("n") == "original"), None)))
        record = normalize(string(_where(publication, "idno", type="record")))
        publisher = normalize(string(_where(publication, "publisher")))
        notes = [f'<span class="rights-p">{_UNPLACED if n.get("type") == "unplaced" else ""}'
                 f"{text(normalize(string(n)))}</span>"
                 for n in all_of(h, "fileDesc", "notesStmt", "note")]
        rows = [
            ("Date", self.doc_date()), ("Kind", text(kind)),
            ("Classification", text(classification)),
            ("Author", "; ".join(text(normalize(string(a)))
                                 for t in title_stmt for a in children_named(t, T + "author"))),
            ("From", self.parties(a for a in actions if a.get("type") == "sent")),
            ("To", self.parties(a for a in actions if a.get("type") == "received"
                                and a.get("subtype") != "copy")),
            ("Copy to", self.parties(a for a in actions if a.get("subtype") == "copy")),
            ("Archive", archive),
            ("Reference", text(self.ms_value("idno", type="reference"))),
            ("Document number", text(normalize(string(next(
                (i for m in self.ms for a in children_named(m, T + "altIdentifier")
                 if a.get("type") == "document-number" for i in children_named(a, T + "idno")),
                None))))),
            ("Language", text("translated from " + lang.split(" (", 1)[0]) if lang else ""),
            ("Translator", text(self.translator)),
            ("Obtained by", text(self.resp_name(".obtained"))),
            ("Funder", text(normalize(string(next(
                (f for t in title_stmt for f in children_named(t, T + "funder")), None))))),
            ("Record", text(f"{publisher}, record {record}") if record else ""),
            ("Uploaded", text(normalize(string(_where(publication, "date",
                                                      type="uploaded"))))),
            ("Places", self.keywords("associated-places")),
            ("Topics", self.keywords("associated-topics")),
            ("Rights", "".join(f'<span class="rights-p">{text(normalize(string(q)))}</span>'
                               for pub in publication
                               for av in children_named(pub, T + "availability")
                               for q in children_named(av, T + "p"))),
            ("Edition notes", "".join(notes))]
        out = ['<section class="metadata" id="meta" aria-labelledby="meta-h">'
               '<h2 id="meta-h">About this document</h2>']
        out += [f'<p class="summary">{text(normalize(string(q)))}</p>'
                for q in all_of(h, "profileDesc", "abstract", "p")]
        out.append('<dl class="meta">')
        out += [f'<div class="meta-row"><dt>{label}</dt><dd>{value}</dd></div>'
                for label, value in rows if value and normalize(shown(value))]
        tei_href, text_href = p["tei-href"], p["text-href"]
        if tei_href or text_href:
            out.append('<div class="meta-row"><dt>Download</dt><dd><ul class="downloads">')
            if tei_href:
                out.append(f'<li><a href={href(tei_href)} download="" '
                           'type="application/tei+xml">TEI XML</a></li>')
            if text_href:
                out.append(f'<li><a href={href(text_href)} download="" '
                           'type="text/plain">Plain text</a></li>')
            out.append("</ul></dd></div>")
        out.append(f'<div class="meta-row"><dt>Identifier</dt><dd><code>{text(self.doc_id)}'
                   "</code></dd></div></dl></section>")
        return "".join(out)

    def parties(self, actions: Iterable[etree._Element]) -> str:
        """Template ``parties``: the senders or recipients, as in the text."""
        return "; ".join(self.node(c) for a in actions for c in a.iterchildren(etree.Element)
                         if c.tag != T + "date")

    def keywords(self, n: str) -> str:
        return "; ".join(text(normalize(string(term)))
                         for tc in all_of(self.h, "profileDesc", "textClass")
                         for k in children_named(tc, T + "keywords") if k.get("n") == n
                         for term in children_named(k, T + "term"))

    # ------------------------------------------------------------------ the text

    def text_section(self) -> str:
        """Template ``text``."""
        body = "".join(self.children_of(b) for t in children_named(self.root, T + "text")
                       for b in children_named(t, T + "body"))
        return _TEXT_START + body + "</div></section>"

    def children_of(self, el: etree._Element, skip: etree._Element | None = None) -> str:
        """``apply-templates`` in mode ``text`` to the child nodes of ``el`` (but ``skip``)."""
        value = el.text
        if not len(el):
            return "" if not value else \
                value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out = [value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")] \
            if value else []
        for child in el:
            if child is not skip:
                out.append(self.node(child))
            value = child.tail
            if value:
                out.append(value.replace("&", "&amp;").replace("<", "&lt;")
                           .replace(">", "&gt;"))
        return "".join(out)

    def node(self, el: etree._Element) -> str:
        """An element in mode ``text``: its template, or the built-in one (its children);
        comments, processing instructions and entity references give nothing."""
        tag = el.tag
        if not isinstance(tag, str):
            return ""
        handler = _TEMPLATES.get(tag)
        if handler is None:
            return self.children_of(el)
        return handler(self, el)

    def permalink(self, ident: str | None) -> str:
        """Template ``permalink``: the link to a passage, beside it."""
        if not ident:
            return ""
        label = passage_label(self.doc_id, ident)
        return (f'<a class="permalink" href={href("#" + ident)} '
                f"aria-label={attr('Link to ' + label)}>{text(label)}</a>")

    def insertion(self, el: etree._Element, cls: str, what: str,
                  content: str | None = None) -> str:
        """Template ``insertion``: a bracketed insertion of the translator or the editors."""
        resp = el.get("resp") or ""
        who = "Translator’s" if resp.endswith(".translator") else \
            "Editors’" if resp.endswith(".editors") else "Editorial"
        brackets = el.get("rend") == "brackets"
        if content is None:
            content = self.children_of(el)
        return "".join([
            f"<span class={attr('ins ' + cls)} title={attr(f'{who} {what}')}>",
            '<span class="br">[</span>' if brackets else "",
            f'<span class="vh">{text(f"{who} {what}: ")}</span>', content,
            '<span class="br">]</span>' if brackets else "", "</span>"])

    # ------------------------------------------------------------------ names

    def name(self, el: etree._Element) -> str:
        """Template ``name-in-text``: a name, linked to its register entry."""
        kind, folder = _NAMES[el.tag]
        ref, tokens = _pointers(el.get("ref"))
        self.in_name += 1
        inner = self.children_of(el)
        self.in_name -= 1
        if " " in ref:
            ids = " ".join(t for t in tokens if t in self.entries)
        else:
            ids = tokens[0] if tokens and tokens[0] in self.entries else ""
            if ids and not self.in_name:
                return f"{_link(ids, kind, folder, self.p_root)}{inner}</a>"
        return self.name_link(el, kind, folder, ids, inner)

    def name_link(self, el: etree._Element, kind: str, folder: str, ids: str,
                  inner: str) -> str:
        """Template ``name-link``."""
        head = ids.split(" ", 1)[0]
        several = " " in ids
        if self.in_name:
            return f'<span class="ent-inner">{inner}</span>'
        if head and head in self.entries:
            ambiguous = " ent-ambiguous" if several else ""
            described = ("desc-ambiguous " if several else "") + ids
            return (f"<a class={attr(f'ent ent-{kind}{ambiguous}')} "
                    f"href={href(f'{self.p_root}{folder}/{head}.html')} "
                    f"data-refs={attr(ids)} aria-describedby={attr(described)}>{inner}</a>")
        if el.get("ref") is None and (el.get("cert") is not None or el.get("resp") is not None):
            cert = el.get("cert")
            return (f"<a class={attr(f'ent ent-{kind} ent-proposed')} "
                    f"href={href(f'{self.p_root}proposed-{folder}.html')} "
                    'aria-describedby="desc-proposed"'
                    f"{'' if cert is None else ' data-cert=' + attr(cert)}>{inner}</a>")
        return f'<span class="ent-unlinked">{inner}</span>'

    def name_elements(self) -> list[etree._Element]:
        """``$names``: the names of the senders and recipients and of the text, in
        document order."""
        tags = tuple(_NAMES)
        found = [n for pd in all_of(self.h, "profileDesc")
                 for cd in children_named(pd, T + "correspDesc") for n in cd.iter(*tags)]
        found += [n for t in children_named(self.root, T + "text")
                  for b in children_named(t, T + "body") for n in b.iter(*tags) if n is not b]
        return found

    def names(self) -> str:
        """Template ``names``: the register entries the document names, as cards."""
        pointers = set()
        named: set[str] = set()
        proposed = []  # (each attribute asked once: hundreds of names, an entry's id is
        for n in self.name_elements():  # namespaced, and lxml parses its name each time)
            raw = n.get("ref")
            ref, tokens = _pointers(raw)
            pointers.add(ref)
            if " " in ref:
                named.update(tokens)
            if raw is None and (n.get("cert") is not None or n.get("resp") is not None):
                proposed.append(n)
        entries = []
        for s in children_named(self.root, T + "standOff"):
            for e in self.stand_offs[s]:
                ident = e.get(XML_ID)
                if ident is not None and ("#" + ident in pointers or ident in named):
                    entries.append(e)
        if not entries and not proposed:
            return ""
        out = ['<section class="names" id="names" aria-labelledby="names-h">'
               '<h2 id="names-h">Names in this document</h2>']
        for tag, heading, folder in ((T + "person", "Persons", "persons"),
                                     (T + "place", "Places", "places"),
                                     (T + "org", "Organizations", "organizations")):
            group = [e for e in entries if e.tag == tag]
            if group:
                out.append(f"<h3>{heading}</h3><ul class=\"cards\">")
                group.sort(key=_preferred)
                for e in group:
                    ident = e.get(XML_ID) or ""
                    out.append(
                        f"<li><div class={attr('card card-' + _local(e))}>"
                        f'<div class="card-body" id={attr(ident)}>{self.cards(e)}</div>'
                        '<p class="card-more">'
                        f"<a href={href(f'{self.p_root}{folder}/{ident}.html')}>"
                        "In the register, with every occurrence</a></p></div></li>")
                out.append("</ul>")
        if proposed:
            out.append("<h3>Names proposed by the recognizer</h3><p>Found by the automatic "
                       "name recognizer and not yet checked against the register:</p>"
                       '<ul class="proposed">')
            for n in proposed:
                kind = {T + "persName": "person", T + "placeName": "place"}.get(
                    n.tag, "organization")
                cert = n.get("cert")
                out.append(f"<li>{text(normalize(string(n)))} ({kind}"
                           f"{'' if cert is None else '; certainty ' + text(cert)})</li>")
            out.append("</ul>")
        out.append('<span hidden="hidden" id="desc-proposed">A name proposed by the automatic '
                   "recognizer, not yet checked against the register.</span>"
                   '<span hidden="hidden" id="desc-ambiguous">Uncertain: this name may refer '
                   "to any of these entries.</span></section>")
        return "".join(out)

    # ------------------------------------------------------------------ citation

    def citation(self, site: str) -> str:
        """Template ``citation``."""
        date = normalize(string(self.date))
        out = f"“{self.title},” {date or 'undated'}"
        for value in (self.ms_value("repository"), self.ms_value("idno", type="reference"),
                      self.ms_value("settlement")):
            if value:
                out += ", " + value
        out += "."
        translator = self.translator
        if translator:
            out += f" Translated by {translator}."
        publication = all_of(self.h, "fileDesc", "publicationStmt")
        publisher = normalize(string(_where(publication, "publisher")))
        if publisher:
            record = normalize(string(_where(publication, "idno", type="record")))
            out += " " + publisher + (f", record {record}" if record else "") + "."
        base = self.params["base-url"]
        url = f" {base}{self.params['self']}." if base else ""
        return (f"{text(out)} In <cite>{text(site)}</cite>"
                f"{text(f', TEI edition, document {self.doc_id}.{url}')}"
                " To cite a passage, add the number beside it (¶ 3) and link to it.")


def _after_hash(value: str | None) -> str:
    """XPath's ``substring-after(value, '#')``."""
    return value.split("#", 1)[1] if value and "#" in value else ""


def _where(parents: list[etree._Element], step: str, **where: str) -> etree._Element | None:
    return next((e for p in parents for e in children_named(p, T + step)
                 if all(e.get(k) == v for k, v in where.items())), None)


@functools.lru_cache(maxsize=4096)  # a document names the same entries again and again
def _pointers(ref: str | None) -> tuple[str, tuple[str, ...]]:
    """A name's ``@ref``, normalized, and the ids of its local pointers (``#id``)."""
    value = normalize(ref or "")
    return value, tuple(t[1:] for t in value.split(" ") if t.startswith("#"))


@functools.lru_cache(maxsize=4096)
def _link(ident: str, kind: str, folder: str, root: str) -> str:
    """The start of the link of a name to the one entry it points at."""
    return (f"<a class={attr(f'ent ent-{kind}')} href={href(f'{root}{folder}/{ident}.html')} "
            f"data-refs={attr(ident)} aria-describedby={attr(ident)}>")


def _preferred(entry: etree._Element) -> str:
    """The sort key of a card: the entry's first preferred name, normalized.  Its children
    are looked at in a loop of the tags they hold: ``iterchildren`` with three tags sets
    up a matcher of them each time (half the cost of the key, twenty entries a page)."""
    for child in entry:
        if child.tag in _NAMES and child.get("type") == "preferred":
            return normalize(string(child))
    return ""


def _local(el: etree._Element) -> str:
    """An element's name without its namespace (``etree.QName(el).localname``, a fifth of
    its cost: no object made)."""
    return el.tag.rpartition("}")[2]


def _id_attr(el: etree._Element) -> str:
    ident = el.get(XML_ID)
    return "" if ident is None else f" id={attr(ident)}"


def _lang_attr(el: etree._Element) -> str:
    lang = el.get(XML_LANG)
    return "" if lang is None else f" lang={attr(lang)}"


def _brackets(el: etree._Element, inner: str) -> str:
    return f"[{inner}]" if el.get("rend") == "brackets" else inner


# ---------------------------------------------------------------------- mode "text"

def _head(page: _Page, el: etree._Element) -> str:
    return (f'<h3 class="head"{_id_attr(el)}>{page.permalink(el.get(XML_ID))}'
            f"{page.children_of(el)}</h3>")


def _opener(page: _Page, el: etree._Element) -> str:
    local = _local(el)
    n = page.preceding(el, _in_div) + 1
    ident = f"{page.doc_id}.{local}{n}"
    return (f"<div class={attr(local)} id={attr(ident)}>{page.permalink(ident)}"
            f"{page.children_of(el)}</div>")


def _seg(page: _Page, el: etree._Element) -> str:
    parent = el.getparent()
    if parent is not None and parent.tag == T + "opener":
        return (f"<p class={attr('field field-' + (el.get('type') or ''))}>"
                f"{page.children_of(el)}</p>")
    return _span(page, el)


def _span(page: _Page, el: etree._Element) -> str:
    return (f"<span class={attr(_local(el))}{_lang_attr(el)}>"
            f"{page.children_of(el)}</span>")


def _block(page: _Page, el: etree._Element) -> str:
    return f"<p class={attr(_local(el))}>{page.children_of(el)}</p>"


def _address(page: _Page, el: etree._Element) -> str:
    lines = "<br>\n".join(page.children_of(line) for line in children_named(el, T + "addrLine"))
    return f'<p class="address">{lines}</p>'


def _label(page: _Page, el: etree._Element) -> str:
    return f'<span class="label">{_brackets(el, page.children_of(el))}</span>'


def _p(page: _Page, el: etree._Element) -> str:
    return (f'<p class="p"{_lang_attr(el)}{_id_attr(el)}>{page.permalink(el.get(XML_ID))}'
            f"{page.children_of(el)}</p>")


def _div(page: _Page, el: etree._Element) -> str:
    link = page.permalink(el.get(XML_ID)) if el.get("type") == "enclosure" else ""
    return (f"<div class={attr('div-' + (el.get('type') or ''))}{_id_attr(el)}>{link}"
            f"{page.children_of(el)}</div>")


def _postscript(page: _Page, el: etree._Element) -> str:
    return (f'<div class="postscript"{_id_attr(el)}>{page.permalink(el.get(XML_ID))}'
            f"{page.children_of(el)}</div>")


def _list(page: _Page, el: etree._Element) -> str:
    kind = el.get("type") or ""
    tag = "ol" if kind in ("lettered", "numbered", "ordered") else "ul"
    items = "".join(_item(page, i) for i in children_named(el, T + "item"))
    return f"<{tag} class={attr('list list-' + kind)}>{items}</{tag}>"


def _item(page: _Page, el: etree._Element) -> str:
    label = child_named(el, T + "label")
    return (f'<li class="item"{_id_attr(el)}>{page.permalink(el.get(XML_ID))}'
            f"{'' if label is None else _label(page, label)}"
            f'<div class="item-body">{page.children_of(el, label)}</div></li>')


def _sp(page: _Page, el: etree._Element) -> str:
    speaker = "".join(page.children_of(s) for s in children_named(el, T + "speaker"))
    paragraphs = [page.children_of(q) for q in children_named(el, T + "p")]
    if paragraphs:
        paragraphs[0] = f'<span class="speaker">{speaker}</span> {paragraphs[0]}'
        body = "".join(f"<p>{q}</p>" for q in paragraphs)
    else:
        body = f'<p><span class="speaker">{speaker}</span></p>'
    return f'<div class="sp"{_id_attr(el)}>{page.permalink(el.get(XML_ID))}{body}</div>'


def _note(page: _Page, el: etree._Element) -> str:
    place = el.get("place")
    if place == "inline":
        kind = el.get("type")
        return page.insertion(el, "ins-sic" if kind == "sic" else "ins-note",
                              _NOTE_KINDS.get(kind or "", "note"))
    if place != "end":
        return page.children_of(el)
    label = child_named(el, T + "label")
    shown_label = ""
    if label is not None:
        target = "#" + (el.get(XML_ID) or "")
        ref = next((r for r in _noterefs(page) if r.get("target") == target), None)
        if ref is None:
            shown_label = _label(page, label)
        else:
            n = page.preceding(ref, _is_noteref) + 1
            aria = "Back to the reference to note " + normalize(string(label))
            back = href(f"#{page.doc_id}.noteref{n}")
            shown_label = (f'<a class="label note-back" href={back} aria-label={attr(aria)}>'
                           f"{_brackets(label, page.children_of(label))}</a>")
    return (f'<div class="endnote" role="note"{_id_attr(el)}>{page.permalink(el.get(XML_ID))}'
            f"<p>{shown_label}{page.children_of(el, label)}</p></div>")


def _noterefs(page: _Page) -> list[etree._Element]:
    return [r for r in page.root.iter(T + "ref") if _is_noteref(r)]


def _is_noteref(el: etree._Element) -> bool:
    return el.get("type") == "noteref"


def _in_div(el: etree._Element) -> bool:
    parent = el.getparent()
    return parent is not None and parent.tag == T + "div"


_NOTE_KINDS = {"gloss": "gloss", "alternative": "alternative translation",
               "literal": "literal translation", "codename": "explanation of a codename",
               "sic": "sic, so in the original", "signed": "note that the original was signed"}


def _fw(page: _Page, el: etree._Element) -> str:
    if el.get("type") != "pageNum":
        return page.children_of(el)
    marker = page.insertion(el, "ins-page", "page of the original")
    parent = el.getparent()
    tag = "p" if parent is not None and parent.tag == T + "div" else "span"
    return f'<{tag} class="page-break">{marker}</{tag}>'


def _date(page: _Page, el: etree._Element) -> str:
    when = el.get("when")
    stamp = "" if when is None else f" datetime={attr(when)}"
    return f"<time{stamp}>{page.children_of(el)}</time>"


def _supplied(page: _Page, el: etree._Element) -> str:
    return page.insertion(el, "ins-supplied", "supplied part of a name"
                          if el.get("reason") == "name-part" else "supplied words")


def _gap(page: _Page, el: etree._Element) -> str:
    what = {"illegible": "illegible", "garbled": "garbled in transmission"}.get(
        el.get("reason") or "", "omission")
    content = "".join(page.children_of(d) for d in children_named(el, T + "desc"))
    return page.insertion(el, "ins-gap", what, content)


def _ref(page: _Page, el: etree._Element) -> str:
    if el.get("type") != "noteref":
        return page.children_of(el)
    target_attr = el.get("target") or ""
    target = _after_hash(target_attr)
    inner = _brackets(el, page.children_of(el))
    if target_attr.startswith("#") and target and page.by_id(target) is not None:
        n = page.preceding(el, _is_noteref) + 1
        inner = (f"<a id={attr(f'{page.doc_id}.noteref{n}')} href={href('#' + target)} "
                 f"aria-label={attr('Note ' + normalize(string(el)))}>{inner}</a>")
    return f'<sup class="noteref">{inner}</sup>'


def _g(page: _Page, el: etree._Element) -> str:
    if el.get("type") != "control":
        return page.children_of(el)
    n = el.get("n") or ""
    return f"<span class=\"ctrl\" title={attr('control character ' + n)}>[{text(n)}]</span>"


_TEMPLATES: dict[str, Callable[[_Page, etree._Element], str]] = {
    T + "head": _head, T + "opener": _opener, T + "closer": _opener, T + "seg": _seg,
    T + "dateline": _block, T + "salute": _block, T + "signed": _block,
    T + "address": _address, T + "label": _label, T + "p": _p, T + "div": _div,
    T + "postscript": _postscript, T + "list": _list, T + "item": _item, T + "sp": _sp,
    T + "note": _note, T + "lb": lambda page, el: "<br>", T + "pb": lambda page, el: "",
    T + "fw": _fw, T + "date": _date, T + "choice": lambda page, el: page.children_of(el),
    T + "abbr": lambda page, el: f'<abbr class="abbr">{page.children_of(el)}</abbr>',
    T + "expan": lambda page, el: page.insertion(el, "ins-expan", "expansion"),
    T + "supplied": _supplied, T + "gap": _gap, T + "ref": _ref,
    **{tag: _Page.name for tag in _NAMES},
    **{T + tag: _span for tag in ("hi", "rs", "name", "num", "measure", "term")},
    T + "foreign": lambda page, el: (f'<i class="foreign"{_lang_attr(el)}>'
                                     f"{page.children_of(el)}</i>"),
    T + "title": lambda page, el: f"<cite>{page.children_of(el)}</cite>",
    T + "g": _g,
}

_TEXT_START = (
    '<section class="text" id="text" aria-labelledby="text-h"><h2 id="text-h">Text</h2>'
    '<details class="key"><summary>Key to the text</summary><dl class="key-list">'
    '<div><dt><span class="ins ins-expan">[Expansion]</span></dt><dd>an abbreviation written '
    "out by the translator or editors</dd></div>"
    '<div><dt><span class="ins ins-supplied">[Supplied]</span></dt><dd>words or parts of a '
    "name supplied to complete the sense</dd></div>"
    '<div><dt><span class="ins ins-note">[Note]</span></dt><dd>a gloss, alternative or '
    "literal rendering, explanation of a codename, or other remark</dd></div>"
    '<div><dt><span class="ins ins-gap">[…]</span></dt><dd>an omission, or words that are '
    "illegible or garbled</dd></div>"
    '<div><dt><span class="ins ins-sic">[sic]</span></dt><dd>so in the original</dd></div>'
    '<div><dt><span class="page-break"><span class="ins ins-page">[page 2]</span></span>'
    "</dt><dd>the start of a page of the original</dd></div>"
    '<div><dt><span class="ent ent-person">Person</span>, <span class="ent ent-place">place'
    '</span>, <span class="ent ent-org">organization</span></dt><dd>a name linked to the '
    "register; point at it or focus it for details</dd></div>"
    '<div><dt><span class="ent ent-person ent-ambiguous">Uncertain</span></dt><dd>a name '
    "that may refer to more than one register entry</dd></div>"
    '<div><dt><span class="ent ent-person ent-proposed">Proposed</span></dt><dd>a name '
    "found by the automatic recognizer, not yet checked</dd></div>"
    '<div><dt><span class="permalink-sample">¶ 3</span></dt><dd>the link to a passage: its '
    "number is the one to cite</dd></div></dl>"
    "<p>Square brackets are the translator’s or the editors’ insertions, as on the "
    "archive’s page.</p></details>"
    '<fieldset class="display-options" hidden="hidden"><legend>Highlight</legend>'
    '<label><input type="checkbox" data-toggle="person" checked> persons</label>'
    '<label><input type="checkbox" data-toggle="place" checked> places</label>'
    '<label><input type="checkbox" data-toggle="org" checked> organizations</label>'
    '</fieldset><div class="tei-text">')


def render(tree: etree._ElementTree, params: dict[str, str], cards: Cards) -> bytes:
    """The page of the TEI document ``tree`` as ``document.xsl`` makes it with the
    parameters ``params`` (:func:`.html.page_params`), each entry's card from ``cards``."""
    page = _Page(tree.getroot(), {**DEFAULTS, **params}, cards)
    return b"<!DOCTYPE html>\n" + page.page().encode("utf-8")


__all__ = ["DEFAULTS", "Cards", "normalize", "render", "shown", "string"]
