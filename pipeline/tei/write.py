"""Writer: a :class:`~pipeline.model.Document` into TEI P5, byte for byte the same every time.

The header is indented for reading.  The body is written *as the source has it*: the white
space between blocks is the source's own, so that the text of the TEI body is the document
text (brackets aside, which the encoding of each insertion stands for; see schema/README.md).
Every xml:id starts with the document's id, so ids are unique across the edition.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Final, Iterable, Mapping

from lxml import etree

from .. import __version__, vocab
from ..model import (Abbreviation, Address, Block, Body, Bracketed, Classification, Dateline,
                     DateText, Document, Field, Head, Inline, Item, LineBreak,
                     ListBlock, Name, Note, PageBreak, Paragraph, Postscript, Salute, Section,
                     Signed, SpeakerTurn, Text)
from ..rebuild import replaced
from .ns import (INSERTION_ELEMENTS, NAME_ELEMENTS, NSMAP, PI_TARGET, TEI_NS, XML_ID, XML_LANG,
                 tei)

PUBLISHER: Final = "Wilson Center Digital Archive, History and Public Policy Program"
_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def E(name: str, attrib: dict[str, str | None] | None = None) -> etree._Element:
    """A TEI element (lxml); attributes whose value is None are left out."""
    return etree.Element(tei(name), {k: v for k, v in (attrib or {}).items() if v is not None},
                         nsmap=NSMAP)


class Element:
    """An element of the header: name, attributes (those whose value is None are left out)
    and content, text and elements in order.

    The header is built as this light tree and written as the text lxml writes for it,
    indented as ``etree.indent`` indents it (:meth:`xml`): building an lxml tree element by
    element, indenting and writing it cost several times more.
    """

    __slots__ = ("name", "attrib", "content")

    def __init__(self, name: str, attrib: dict[str, str | None] | None = None):
        self.name = name
        self.attrib = attrib
        self.content: list[str | Element] = []

    def xml(self, level: int = 0) -> str:
        """The element as text, indented for its ``level`` (as ``etree.indent`` would)."""
        parts: list[str] = []
        try:
            self._write(level, parts)
        except _MixedContent:  # only where a text held characters XML cannot hold
            return self.lxml_xml(level)
        return "".join(parts)

    def _write(self, level: int, parts: list[str]) -> None:
        tag = start_tag(self.name, self.attrib)
        content = self.content
        if not content:
            parts.append(tag[:-1] + "/>")
        elif isinstance(content[0], str):
            if len(content) > 1 and not all(isinstance(part, str) for part in content):
                raise _MixedContent
            parts.append(tag + escape_text("".join(content))  # type: ignore[arg-type]
                         + f"</{self.name}>")
        else:
            parts.append(tag)
            inner = "\n" + "  " * (level + 1)
            for child in content:
                if isinstance(child, str):
                    raise _MixedContent
                parts.append(inner)
                child._write(level + 1, parts)
            parts.append("\n" + "  " * level + f"</{self.name}>")

    def lxml_xml(self, level: int = 0) -> str:
        """The element as lxml writes it indented: what :meth:`xml` writes, and how it is
        written where text and elements are mixed (``etree.indent``'s rules for those)."""
        holder = E("TEI")
        holder.append(self.lxml())
        etree.indent(holder[0], space="  ", level=level)
        out = etree.tostring(holder[0], encoding="unicode", with_tail=False)
        declared = f'<{self.name} xmlns="{TEI_NS}"'
        assert out.startswith(declared)  # written on its own, the element declares it
        return f"<{self.name}" + out[len(declared):]

    def lxml(self) -> etree._Element:
        """The element as an lxml tree."""
        el = E(self.name, self.attrib)
        for part in self.content:
            if isinstance(part, Element):
                el.append(part.lxml())
            else:
                _append(el, part)
        return el


class _MixedContent(Exception):
    """Text and elements side by side: written as lxml indents them (:meth:`Element.xml`)."""


def sub(parent: Element, name: str, attrib: dict[str, str | None] | None = None,
        text: str | None = None) -> Element:
    """A new last child of ``parent``, holding ``text`` (see :func:`add_text`)."""
    el = Element(name, attrib)
    parent.content.append(el)
    if text:
        add_text(el, text)
    return el


def add_text(parent: Element, text: str) -> None:
    """Append ``text`` at the end of ``parent``'s content.

    Characters XML 1.0 cannot hold (form feeds, other C0 controls) become
    ``<g type="control" n="U+000C"/>`` so that the source can still be rebuilt exactly.
    """
    if not text:
        return
    if _ILLEGAL.search(text) is None:  # the common case: nothing to replace
        parent.content.append(text)
        return
    for k, part in enumerate(_ILLEGAL.split(text)):
        if k:
            ch = _ILLEGAL.findall(text)[k - 1]
            sub(parent, "g", {"type": "control", "n": f"U+{ord(ch):04X}"})
        if part:
            parent.content.append(part)


def _append(parent: etree._Element, text: str) -> None:
    try:
        last = parent[-1]  # O(1) in lxml, unlike len(parent), which counts the children
    except IndexError:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


class _Ids:
    """Ids inside a document: ``<doc>.<kind><n>``, numbered in document order."""

    def __init__(self, doc_id: str):
        self.doc = doc_id
        self.counts: dict[str, int] = {}

    def __call__(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"{self.doc}.{kind}{self.counts[kind]}"

    def fixed(self, name: str) -> str:
        return f"{self.doc}.{name}"


# ----------------------------------------------------------------------------- document


def standoff_xml(entries: Iterable[str]) -> str:
    """``<standOff>`` with the register entries a document refers to, list by list, indented
    as ``etree.indent`` indents it below the root."""
    lists: dict[str, list[str]] = {}
    for xml in entries:
        name, text = _entry_xml(xml)
        lists.setdefault(name, []).append(text)
    parts = ["<standOff>"]
    for name in ("listPerson", "listPlace", "listOrg"):
        if name in lists:
            parts.append(f"\n    <{name}>")
            parts.extend("\n      " + text for text in lists[name])
            parts.append(f"\n    </{name}>")
    parts.append("\n  </standOff>")
    return "".join(parts)


@lru_cache(maxsize=4096)
def _entry_xml(xml: str) -> tuple[str, str]:
    """The list a register entry goes in, and the entry as a standOff holds it (indented at
    its depth), made once per run: documents share entries."""
    entry = etree.fromstring(xml)
    name = _ENTRY_LISTS[etree.QName(entry).localname]
    holder = E(name)
    holder.append(entry)  # as in a file: the TEI namespace declared above it
    E("standOff").append(holder)
    etree.indent(holder.getparent(), space="  ", level=1)
    text = etree.tostring(entry, encoding="unicode", with_tail=False)
    tag = f"<{etree.QName(entry).localname}"
    declared = f'{tag} xmlns="{TEI_NS}"'
    assert text.startswith(declared)  # written on its own, the entry declares it itself
    return name, tag + text[len(declared):]


_ENTRY_LISTS: Final = {"person": "listPerson", "place": "listPlace", "org": "listOrg"}


@lru_cache(maxsize=4096)
def refs(ref: str | None) -> str | None:
    """``@ref`` for register ids: ``per-a per-b`` -> ``#per-a #per-b``."""
    return " ".join("#" + r for r in ref.split()) if ref else None


def serialize(doc: Document, source_rel: str | None = None) -> bytes:
    """The bytes of the TEI file: declaration, a ``<?teipipe ...?>`` record, the tree.

    The record says where the text came from and holds a hash of the rest of the file, so
    that a later run can tell a file changed by hand from one it wrote itself.
    """
    ids = _Ids(doc.id)
    header = header_tree(doc, ids)
    text = _BodyWriter(doc, ids).write(doc.body)
    root = start_tag("TEI", {XML_ID: doc.id, XML_LANG: "en"})
    parts = [f'<TEI xmlns="{TEI_NS}"' + root[4:], "\n  ", header.xml(1), "\n  ", text]
    if doc.authority.entries:
        parts += ["\n  ", standoff_xml(doc.authority.entries)]
    parts.append("\n</TEI>\n")
    content = "".join(parts).encode("utf-8")
    record = {
        "version": __version__,
        "source": source_rel or doc.source.path,
        "source-sha256": doc.source.sha256,
        "encoding": doc.source.encoding,
        "line-ends": doc.source.line_ends,
        "body-offset": str(doc.source.body_offset),
        "content-sha256": hashlib.sha256(content).hexdigest(),
    }
    pi = " ".join(f'{k}="{_attr(v)}"' for k, v in record.items() if v)
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            + f"<?{PI_TARGET} {pi}?>\n".encode("utf-8") + content)


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


# ----------------------------------------------------------------------------- header


def header_tree(doc: Document, ids: _Ids) -> Element:
    h = doc.header
    header = Element("teiHeader")
    file_desc = sub(header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    # A page with no title gets one supplied by the encoder, marked so that it reads back as none
    sub(title_stmt, "title", {"type": "main"} if h.title else {"type": "main", "subtype": "supplied"},
        h.title or "[Untitled document]")
    for author in h.authors:
        sub(title_stmt, "author", None, author)
    if h.funder:
        sub(title_stmt, "funder", None, h.funder)
    programme = _programme(h.programme)
    if h.translator:
        resp = sub(title_stmt, "respStmt", {XML_ID: ids.fixed("translator")})
        sub(resp, "resp", None, "Translated" + (f" for the {programme}" if programme else "")
            + " by")
        sub(resp, "persName", None, h.translator)
    if h.obtained_by:
        resp = sub(title_stmt, "respStmt", {XML_ID: ids.fixed("obtained")})
        sub(resp, "resp", None, "Obtained" + (f" for the {programme}" if programme else "")
            + " by")
        sub(resp, "persName", None, h.obtained_by)
    resp = sub(title_stmt, "respStmt", {XML_ID: ids.fixed("editors")})
    sub(resp, "resp", None, "Transcription and editorial insertions not credited to a "
        "translator")
    sub(resp, "orgName", None, "Wilson Center Digital Archive")
    resp = sub(title_stmt, "respStmt", {XML_ID: ids.fixed("encoder")})
    sub(resp, "resp", None, "TEI encoding generated from the archive's web page by")
    sub(resp, "name", {"type": "software"}, f"teipipe {__version__}")
    if doc.authority.recognizer:
        resp = sub(title_stmt, "respStmt", {XML_ID: ids.fixed("ner")})
        sub(resp, "resp", None, "Names not in the authority register, proposed by machine "
            "for review (cert and resp on each name), by")
        sub(resp, "name", {"type": "software"}, doc.authority.recognizer)

    pub = sub(file_desc, "publicationStmt")
    sub(pub, "publisher", None, PUBLISHER)
    if h.record_id:
        sub(pub, "idno", {"type": "record"}, h.record_id)
    if h.uploaded_text:
        sub(pub, "date", {"type": "uploaded", "when": h.uploaded_when}, h.uploaded_text)
    availability = sub(pub, "availability", {"status": "restricted" if h.rights else "unknown"})
    for para in h.rights or ("The page states no rights or reuse terms.",):
        sub(availability, "p", None, para)

    if h.unplaced or h.partial:
        notes = sub(file_desc, "notesStmt")
        if h.partial:
            sub(notes, "note", {"type": "partial"}, "The page is cut off: the document text "
                "ends where the copy ends, and the page's closing sections are missing.")
        for line in h.unplaced:
            sub(notes, "note", {"type": "unplaced"}, line)

    source = sub(file_desc, "sourceDesc")
    bibl = sub(source, "bibl", {"type": "web-page"})
    sub(bibl, "title", None, h.title or "[Untitled document]")
    sub(bibl, "publisher", None, PUBLISHER)
    if h.record_id:
        sub(bibl, "idno", {"type": "record"}, h.record_id)
    if h.doc_number and not h.archive:
        sub(bibl, "idno", {"type": "document-number"}, h.doc_number)
    if h.archive:
        ms = sub(source, "msDesc")
        ident = sub(ms, "msIdentifier")
        if h.archive_place:
            sub(ident, "settlement", None, h.archive_place)
        sub(ident, "repository", None, h.archive)
        if h.archive_reference:
            sub(ident, "idno", {"type": "reference"}, h.archive_reference)
        if h.doc_number:
            alt = sub(ident, "altIdentifier", {"type": "document-number"})
            sub(alt, "idno", None, h.doc_number)
        if h.archive_line:
            history = sub(ms, "history")
            sub(history, "p", None, h.archive_line)

    _encoding_desc(header, doc, ids)
    _profile_desc(header, doc, ids)
    return header


def _programme(code: str | None) -> str | None:
    if not code:
        return None
    name = vocab.PROGRAMMES.get(code)
    return f"{name} ({code})" if name else code


def _encoding_desc(header: Element, doc: Document, ids: _Ids) -> None:
    enc = sub(header, "encodingDesc")
    project = sub(enc, "projectDesc")
    sub(project, "p", None, "A TEI edition of translated documents from the Wilson Center "
        "Digital Archive, converted from the text of each document's web page.")
    editorial = sub(enc, "editorialDecl")
    sub(editorial, "p", None, "The document text is kept character for character as the "
        "page gives it, with its line ends and the white space between its parts; the page's "
        "own material (site navigation, title, summary, record fields) is moved to this "
        "header.")
    sub(editorial, "p", None, "Square brackets in the text are the translator's or the "
        "editors' insertions. Each is encoded by what it is (supplied, choice/expan, note, "
        "gap, pb/fw, ref) with rend=\"brackets\"; the brackets themselves are not repeated "
        "in the text. The encoding guide of the edition (schema/README.md) gives the rules.")
    h = doc.header
    if h.doc_type or h.classification:
        # Only the categories this document uses: the closed lists are the schema's.
        class_decl = sub(enc, "classDecl")
        if h.doc_type:
            _taxonomy(class_decl, ids.fixed("doctype"), "Kind of document",
                      h.doc_type, vocab.DOC_TYPES[h.doc_type][0])
        if h.classification:
            _taxonomy(class_decl, ids.fixed("classification"), "Security classification as "
                      "marked on the original", h.classification,
                      vocab.CLASSIFICATIONS[h.classification][0])
    app = sub(sub(enc, "appInfo"), "application", {"ident": "teipipe", "version": __version__})
    sub(app, "label", None, "teipipe")


def _taxonomy(parent: Element, tax_id: str, title: str, key: str, label: str) -> None:
    tax = sub(parent, "taxonomy", {XML_ID: tax_id})
    sub(sub(tax, "bibl"), "title", None, title)
    cat = sub(tax, "category", {XML_ID: f"{tax_id}.{key}"})
    sub(cat, "catDesc", None, label)


def _profile_desc(header: Element, doc: Document, ids: _Ids) -> None:
    h = doc.header
    profile = sub(header, "profileDesc")
    if h.summary:
        sub(sub(profile, "abstract"), "p", None, h.summary)
    creation = sub(profile, "creation")
    if h.date_text:
        sub(creation, "date", {"when": h.date_when,
                               "cert": "medium" if h.date_approximate else None}, h.date_text)
    else:
        sub(creation, "date", None, "undated")
    lang = sub(profile, "langUsage")
    if h.source_language and h.source_language != "en":
        name = vocab.LANGUAGE_NAMES.get(h.source_language, h.source_language)
        sub(lang, "language", {"ident": h.source_language, "n": "original"},
            f"{name} (the language of the original)")
        sub(lang, "language", {"ident": "en", "n": "translation"},
            "English (the language of this translation)")
    elif h.source_language == "en":
        sub(lang, "language", {"ident": "en", "n": "original"},
            "English (the language of the original)")
    else:
        sub(lang, "language", {"ident": "en", "n": "translation" if h.translator else None},
            "English" + (" (the language of this translation; the original's language is "
                         "not stated)" if h.translator else ""))
    text_class = sub(profile, "textClass")
    if h.doc_type:
        sub(text_class, "catRef", {"scheme": "#" + ids.fixed("doctype"),
                                   "target": f"#{ids.fixed('doctype')}.{h.doc_type}"})
    if h.classification:
        sub(text_class, "catRef", {"scheme": "#" + ids.fixed("classification"),
                                   "target": f"#{ids.fixed('classification')}."
                                             f"{h.classification}"})
    if h.places:
        kw = sub(text_class, "keywords", {"n": "associated-places"})
        for place in h.places:
            sub(kw, "term", None, place)
    if h.topics:
        kw = sub(text_class, "keywords", {"n": "associated-topics"})
        for topic in h.topics:
            sub(kw, "term", None, topic)
    if h.parties:
        corresp = sub(profile, "correspDesc")
        for role in ("sent", "received", "copy"):
            parties = [p for p in h.parties if p.role == role]
            if not parties:
                continue
            action = sub(corresp, "correspAction", {
                "type": "received" if role == "copy" else role,
                "subtype": "copy" if role == "copy" else None})
            for party in parties:
                element = NAME_ELEMENTS.get(party.type or "", "name")
                sub(action, element, {"ref": refs(party.ref), "cert": party.cert,
                                      "resp": party.resp}, party.name)
            if role == "sent" and h.date_when:
                sub(action, "date", {"when": h.date_when})


# ----------------------------------------------------------------------------- body


class _Markup:
    """XML text written in document order: an element is opened, written into and closed.

    The body is written this way rather than as an lxml tree (it holds most of a file's
    elements, and building a tree node by node costs several times more than the text).
    The text is what lxml writes for the same elements: an element left empty is
    ``<name/>``, and text and attribute values are escaped as libxml2 escapes them
    (tests/test_tei_markup.py holds the two side by side).
    """

    def __init__(self) -> None:
        self.parts: list[str] = []

    def open(self, name: str, attrib: Mapping[str, str | None] | None = None) -> int:
        """Start element ``name`` (attributes whose value is None are left out); returns
        the mark that :meth:`close` needs."""
        self.parts.append(start_tag(name, attrib))
        return len(self.parts)

    def open_tag(self, tag: str) -> int:
        """Start an element with its start tag made already (see :func:`start_tag`)."""
        self.parts.append(tag)
        return len(self.parts)

    def close(self, name: str, mark: int) -> None:
        if len(self.parts) == mark:  # nothing was written into it
            self.parts[-1] = self.parts[-1][:-1] + "/>"
        else:
            self.parts.append(f"</{name}>")

    def empty(self, name: str, attrib: dict[str, str | None] | None = None) -> None:
        self.close(name, self.open(name, attrib))

    def text(self, text: str) -> None:
        """Character data; characters XML 1.0 cannot hold become ``<g>`` (see
        :func:`add_text`)."""
        if not text:
            return
        if _ILLEGAL.search(text) is None:  # the common case: nothing to replace
            self.parts.append(escape_text(text))
            return
        for k, part in enumerate(_ILLEGAL.split(text)):
            if k:
                ch = _ILLEGAL.findall(text)[k - 1]
                self.empty("g", {"type": "control", "n": f"U+{ord(ch):04X}"})
            if part:
                self.parts.append(escape_text(part))


def start_tag(name: str, attrib: Mapping[str, str | None] | None = None) -> str:
    """``<name a="v">`` (attributes whose value is None are left out)."""
    if not attrib:
        return f"<{name}>"
    return f"<{name}" + "".join(f' {_QNAMES.get(k, k)}="{escape_attribute(v)}"'
                                for k, v in attrib.items() if v is not None) + ">"


@lru_cache(maxsize=1 << 14)
def _name_head(type_: str, ref: str | None, cert: str | None) -> str:
    """The start tag of a name without its ``>`` (documents name the same people and places
    again and again: each is made once).  Not with ``@resp``, which names the document
    (``#d….translator``): keyed by it, the cache grew by an entry a document up to its
    limit, ~4 MB in each converting process at 10,000 pages."""
    return start_tag(NAME_ELEMENTS[type_], {"ref": refs(ref), "cert": cert})[:-1]


def _name_tag(type_: str, ref: str | None, cert: str | None, resp: str | None) -> str:
    """The start tag of a name; ``@resp`` last, as the model gives it."""
    head = _name_head(type_, ref, cert)
    return f'{head} resp="{escape_attribute(resp)}">' if resp is not None else head + ">"


_QNAMES: Final = {XML_ID: "xml:id", XML_LANG: "xml:lang"}
_ATTRIBUTE_SPECIAL: Final = re.compile('[&<>"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def escape_text(text: str) -> str:
    """Character data as libxml2 writes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def escape_attribute(value: str) -> str:
    """An attribute value (in double quotes) as libxml2 writes it; like lxml, refuses one
    that XML cannot hold."""
    if _ATTRIBUTE_SPECIAL.search(value) is None:  # most values: ids, numbers, words
        return value
    if _ILLEGAL.search(value):
        raise ValueError(f"attribute value XML cannot hold: {value!r}")
    return escape_text(value).replace('"', "&quot;").replace("\n", "&#10;") \
        .replace("\t", "&#9;")


class _BodyWriter:
    """Writes blocks and inlines; knows the document's ids and who made its insertions."""

    def __init__(self, doc: Document, ids: _Ids):
        self.doc = doc
        self.ids = ids
        self.out = _Markup()
        h = doc.header
        self.resp = "#" + ids.fixed("translator" if h.translator else "editors")
        # A note's id carries its number; a number printed twice gets a second id, and
        # references go to the first note with their number.
        self.note_ids: dict[str, str] = {}
        self.note_id_list: list[str] = []
        for k, note in enumerate(doc.body.notes, start=1):
            note_id = ids.fixed(f"note{note.n}")
            if note_id in self.note_id_list:
                note_id = ids.fixed(f"note{note.n}-{k}")
            self.note_id_list.append(note_id)
            self.note_ids.setdefault(note.n, note_id)
        self.next_note_id = iter(self.note_id_list)  # notes are written in this order

    def write(self, body: Body) -> str:
        """``<text><body>``: the document div (head, text, closer, postscripts), then a div
        per enclosure; the translator's notes close the last div."""
        out = self.out
        text, tei_body = out.open("text"), out.open("body")
        last = out.open("div", {"type": "document", "subtype": self.doc.header.doc_type})
        out.text("\n")
        opener: int | None = None
        for block in body.front:
            if isinstance(block, Head):
                if opener is not None:
                    out.close("opener", opener)
                    opener = None
                self._block(block)
                continue
            if opener is None:
                out.text(block.sep)
                opener = out.open("opener")
                block = _without_sep(block)
            self._block(block)
        if opener is not None:
            out.close("opener", opener)
        self._blocks(body.main)
        if body.back:
            out.text(body.back[0].sep)
            closer = out.open("closer")
            self._blocks((_without_sep(body.back[0]),) + body.back[1:])
            out.close("closer", closer)
        self._blocks(body.post)
        for enclosure in body.enclosures:
            out.text("\n      ")  # layout: the text ends at its last character
            out.close("div", last)
            out.text(enclosure.sep)
            last = out.open("div", {"type": "enclosure", XML_ID: self.ids("enclosure")})
            self._blocks(enclosure.blocks)
        self._blocks(body.notes)
        out.text("\n      ")
        out.close("div", last)
        out.close("body", tei_body)
        out.close("text", text)
        return "".join(out.parts)

    def _blocks(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            self._block(block)

    def _element(self, name: str, attrib: Mapping[str, str | None] | None,
                 content: Iterable[Inline], label: str | None = None,
                 label_sep: str = "") -> None:
        """An element holding an optional label and inlines."""
        mark = self.out.open(name, attrib)
        self._label(label, label_sep)
        self._inlines(content)
        self.out.close(name, mark)

    def _block(self, block: Block) -> None:
        out = self.out
        out.text(block.sep)
        if isinstance(block, Paragraph):
            self._element("p", {XML_ID: self.ids("p"), "n": block.n}, block.content,
                          block.label, block.label_sep)
        elif isinstance(block, Head):
            self._element("head", {XML_ID: self.ids("head")}, block.content)
        elif isinstance(block, Field):
            self._element("seg", {"type": block.kind}, block.content, block.label,
                          block.label_sep)
        elif isinstance(block, Classification):
            attrib = {"type": "classification" if block.level else "handling"}
            if block.level:
                attrib["ana"] = f"#{self.ids.fixed('classification')}.{block.level}"
            self._element("seg", attrib, block.content, block.label, block.label_sep)
        elif isinstance(block, Dateline):
            self._element("dateline", None, block.content)
        elif isinstance(block, Salute):
            self._element("salute", None, block.content)
        elif isinstance(block, Signed):
            self._element("signed", None, block.content)
        elif isinstance(block, Address):
            mark = out.open("address")
            for k, line in enumerate(block.lines):
                if k:
                    out.text(block.line_seps[k - 1])
                self._element("addrLine", None, line)
            out.close("address", mark)
        elif isinstance(block, ListBlock):
            mark = out.open("list", {"type": block.kind})
            for item in block.items:
                self._item(item)
            out.close("list", mark)
        elif isinstance(block, SpeakerTurn):
            mark = out.open("sp", {XML_ID: self.ids("sp")})
            self._element("speaker", None, block.speaker)
            out.text(block.speaker_sep)
            self._element("p", None, block.content)
            out.close("sp", mark)
        elif isinstance(block, PageBreak):
            self._inline(block.marker)
        elif isinstance(block, Note):
            mark = out.open("note", {XML_ID: next(self.next_note_id), "n": block.n,
                                     "type": "translator", "place": "end",
                                     "resp": self.resp})
            label = out.open("label", {"rend": "brackets"})
            out.text(block.label)
            out.close("label", label)
            out.text(block.label_sep)
            self._inlines(block.content)
            out.close("note", mark)
        elif isinstance(block, Section):
            mark = out.open("div", {"type": "section", "n": block.n,
                                    XML_ID: self.ids("section")})
            self._blocks(block.blocks)
            out.close("div", mark)
        elif isinstance(block, Postscript):
            mark = out.open("postscript", {XML_ID: self.ids("postscript")})
            self._element("p", None, block.content)
            out.close("postscript", mark)
        else:  # pragma: no cover - the model has no other blocks
            raise TypeError(f"no TEI for block {type(block).__name__}")

    def _item(self, item: Item) -> None:
        self.out.text(item.sep)
        mark = self.out.open("item", {XML_ID: self.ids("item"), "n": item.n})
        self._label(item.label, item.label_sep)
        self._inlines(item.content)
        self._blocks(item.blocks)
        self.out.close("item", mark)

    def _label(self, label: str | None, sep: str) -> None:
        if label is not None:
            mark = self.out.open("label")
            self.out.text(label)
            self.out.close("label", mark)
            self.out.text(sep)

    def _inlines(self, content: Iterable[Inline]) -> None:
        for node in content:
            self._inline(node)

    def _inline(self, node: Inline) -> None:
        out = self.out
        if isinstance(node, Text):
            out.text(node.text)
        elif isinstance(node, LineBreak):
            out.empty("lb")
            out.text(node.text)
        elif isinstance(node, Name):
            mark = out.open_tag(_name_tag(node.type, node.ref, node.cert, node.resp))
            self._inlines(node.content)
            out.close(NAME_ELEMENTS[node.type], mark)
        elif isinstance(node, DateText):
            self._element("date", {"when": node.when}, node.content)
        elif isinstance(node, Abbreviation):
            choice = out.open("choice")
            self._element("abbr", None, node.abbr)
            out.text(node.space)
            self._element("expan", {"rend": "brackets", "resp": self.resp},
                          node.expansion.content)
            out.close("choice", choice)
        elif isinstance(node, Bracketed):
            self._bracketed(node)
        else:  # pragma: no cover
            raise TypeError(f"no TEI for inline {type(node).__name__}")

    def _bracketed(self, node: Bracketed) -> None:
        if node.kind == "page":
            self.out.empty("pb", {"n": node.n})
            self._element("fw", {"type": "pageNum", "rend": "brackets", "resp": self.resp},
                          node.content)
            return
        name, fixed = INSERTION_ELEMENTS[node.kind]
        attrib: dict[str, str | None] = dict(fixed)
        attrib["rend"] = "brackets"
        if node.kind == "noteref":
            attrib["n"] = node.n
            attrib["target"] = "#" + self.note_ids[node.n] if node.n in self.note_ids else None
        else:
            attrib["resp"] = self.resp
        if name == "gap":
            mark = self.out.open(name, attrib)
            self._element("desc", None, node.content)
            self.out.close(name, mark)
        else:
            self._element(name, attrib, node.content)


def _without_sep(block: Block) -> Block:
    return replaced(block, sep="")  # type: ignore[type-var]
