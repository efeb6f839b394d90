"""Reader: TEI written by :mod:`.write` back into a :class:`~pipeline.model.Document`.

Used by the exporters, by the fidelity check and by the round-trip tests (writing a document
and reading it back gives the same document).  Parsing is safe: no DTDs, no entities, no
network (:func:`parse`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Final, Iterator, NamedTuple

from lxml import etree

from ..model import (Abbreviation, Address, Authority, Block, Body, Bracketed, Classification,
                     Dateline, DateText, Document, Enclosure, Field, Head, Header, Inline, Item,
                     LineBreak, ListBlock, Name, Note, PageBreak, Paragraph, Party,
                     Postscript, Salute, Section, Signed, SourceInfo, SpeakerTurn, Text)
from .ns import ELEMENT_TYPES, NS, PI_TARGET, TEI_NS, XML_ID, tei

_INSERTION_BY_NOTE_TYPE = {"gloss", "alternative", "literal", "codename", "sic", "signed",
                           "editorial"}
_DIV, _NOTE = tei("div"), tei("note")
_TEI_HEADER: Final = tei("teiHeader")
_FILE_DESC: Final = tei("fileDesc")
_PROFILE_DESC: Final = tei("profileDesc")
_TITLE_STMT: Final = tei("titleStmt")
_PUBLICATION_STMT: Final = tei("publicationStmt")
_SOURCE_DESC: Final = tei("sourceDesc")
_MS_DESC: Final = tei("msDesc")
_MS_IDENTIFIER: Final = tei("msIdentifier")
_TEXT_CLASS: Final = tei("textClass")
_KEYWORDS: Final = tei("keywords")
_NOTES_STMT: Final = tei("notesStmt")
_CREATION: Final = tei("creation")
_DATE: Final = tei("date")
_CAT_REF: Final = tei("catRef")
_CORRESP_DESC: Final = tei("correspDesc")
_CORRESP_ACTION: Final = tei("correspAction")
_LANG_USAGE: Final = tei("langUsage")
_LANGUAGE: Final = tei("language")
_RESP_STMT: Final = tei("respStmt")
_RESP: Final = tei("resp")
_PERS_NAME: Final = tei("persName")
_TITLE: Final = tei("title")
_ALT_IDENTIFIER: Final = tei("altIdentifier")
_IDNO: Final = tei("idno")
_BIBL: Final = tei("bibl")
_AUTHOR: Final = tei("author")
_REPOSITORY: Final = tei("repository")
_SETTLEMENT: Final = tei("settlement")
_HISTORY: Final = tei("history")
_P: Final = tei("p")
_FUNDER: Final = tei("funder")
_AVAILABILITY: Final = tei("availability")
_ABSTRACT: Final = tei("abstract")
_TERM: Final = tei("term")
_SPEAKER: Final = tei("speaker")
_ABBR: Final = tei("abbr")
_EXPAN: Final = tei("expan")
_DESC: Final = tei("desc")
_GAP_KINDS = {"omitted": "omission", "illegible": "illegible", "garbled": "garbled"}
_LINE_END = re.compile(r"^\n[ \t\u00a0]*")
#: Compiled here, not looked up in ``re``'s cache by their text for each file.
_PSEUDO_ATTRIBUTE: Final = re.compile(r'([\w-]+)="([^"]*)"')
_PROGRAMME: Final = re.compile(r"\((\w+)\)")


class TEIError(Exception):
    """A file that is not TEI this pipeline can read."""


def safe_parser(collect_ids: bool = True) -> etree.XMLParser:
    """An XML parser that loads nothing from outside the file and expands no entities;
    without ``collect_ids``, libxml2 keeps no table of the xml:ids (a sixth of the time of
    a parse), nor stops at a repeated one: for readers that look ids up themselves."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=False,
                           collect_ids=collect_ids)


def parse(path_or_bytes: Path | bytes, url: Path | None = None) -> etree._ElementTree:
    """Parse TEI safely (see :func:`safe_parser`); bytes read from the file ``url`` are
    parsed as the file would be (its name in the errors, its base URL)."""
    if isinstance(path_or_bytes, (bytes, bytearray)):
        return etree.ElementTree(etree.fromstring(
            bytes(path_or_bytes), safe_parser(), base_url=None if url is None else str(url)))
    return etree.parse(str(path_or_bytes), safe_parser())


def record(tree: etree._ElementTree) -> dict[str, str]:
    """The ``<?teipipe ...?>`` record the writer puts before the root, as a dict."""
    node = tree.getroot().getprevious()
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == PI_TARGET:
            return dict(_PSEUDO_ATTRIBUTE.findall(node.text or ""))
        node = node.getprevious()
    return {}


def read_tei(tree: etree._ElementTree, text: bool = True, authority: bool = True) -> Document:
    """The document a TEI file holds (without ``text``: its header only, with an empty body
    and no register entries, for readers of metadata, who need not pay for the rest;
    without ``authority``: no register entries, for readers that take them from the tree).
    """
    root = tree.getroot()
    body = _text_body(root)
    rec = record(tree)
    source = SourceInfo(rec.get("source", ""), rec.get("source-sha256", ""),
                        rec.get("encoding", "utf-8"), rec.get("line-ends", "lf"),
                        int(rec.get("body-offset", "0") or 0))
    if not text:
        return Document(root.get(XML_ID, ""), read_header(root), Body(), source)
    return Document(root.get(XML_ID, ""), read_header(root), read_body(body), source,
                    read_authority(root) if authority else Authority())


def read_text(tree: etree._ElementTree) -> Body:
    """The document text alone (what the fidelity check compares with the source page)."""
    return read_body(_text_body(tree.getroot()))


def _text_body(root: etree._Element) -> etree._Element:
    """The ``<body>`` of a TEI file teipipe can read (else :class:`TEIError`)."""
    if root.tag != tei("TEI"):
        raise TEIError(f"the root element is {root.tag!r}, not TEI")
    body = root.find("tei:text/tei:body", NS)
    if body is None or body.find("tei:div[@type='document']", NS) is None:
        raise TEIError("no <div type=\"document\"> in the text body")
    return body


def read_authority(root: etree._Element) -> Authority:
    """The register entries copied into the file and the recognizer that proposed names."""
    from ..entities.register import canonical
    entries = tuple(canonical(el) for el in root.iterfind("tei:standOff/*/*", NS))
    recognizer = None
    for stmt in root.iterfind("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:respStmt", NS):
        name = stmt.find("tei:name", NS)
        if stmt.get(XML_ID, "").endswith(".ner") and name is not None:
            recognizer = _plain(name)
    return Authority(entries, recognizer)


def _ids(ref: str | None) -> str | None:
    """``#per-a #per-b`` -> ``per-a per-b`` (the model keeps ids without the ``#``)."""
    return " ".join(r.lstrip("#") for r in ref.split()) if ref else None


# ----------------------------------------------------------------------------- header


def _title(el: etree._Element | None) -> str:
    """The page's title; none when the encoder supplied one (``@subtype="supplied"``)."""
    return "" if el is None or el.get("subtype") == "supplied" else _plain(el)


def _local(el: etree._Element) -> str:
    """An element's name without its namespace, as ``etree.QName(el).localname`` gives it
    (and the same error for a comment) at a fraction of its cost: every element asks."""
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else etree.QName(el).localname


def _plain(el: etree._Element) -> str:
    return "".join(el.itertext())


def children_named(parent: etree._Element, tag: str) -> list[etree._Element]:
    """The children of ``parent`` named ``tag`` (``{namespace}name``), in order: what
    ``parent.iterchildren(tag)`` gives, by a loop over the children; ``iterchildren``
    sets up a matcher of the name at each call, a third of the cost of a look-up made by
    the dozen a document (the header's fields, speakers, labels), by this reader and by
    the page writer (:mod:`pipeline.export.document_html`).  The tags asked for are kept
    on the nodes by lxml, for the next walk of the tree."""
    return [el for el in parent if el.tag == tag]


def child_named(parent: etree._Element, tag: str) -> etree._Element | None:
    """The first child of ``parent`` named ``tag``, or None: ``parent.find("tei:name")``
    without ElementPath's machinery (as :func:`children_named`)."""
    for el in parent:
        if el.tag == tag:
            return el
    return None


def _kids(parents: list[etree._Element], tag: str) -> list[etree._Element]:
    """The children named ``tag`` of each of ``parents``, in order: one step of an
    ElementPath (``a/b`` is ``_kids(_kids([h], a), b)``, same elements, same order)
    without its Python machinery, a sixth of the cost of reading a header."""
    return [el for parent in parents for el in children_named(parent, tag)]


def _having(els: list[etree._Element], attr: str, value: str) -> list[etree._Element]:
    """The elements whose ``attr`` is ``value`` (ElementPath's ``[@attr='value']``)."""
    return [el for el in els if el.get(attr) == value]


def _first_text(els: list[etree._Element]) -> str | None:
    return _plain(els[0]) if els else None


def _texts(els: list[etree._Element]) -> tuple[str, ...]:
    return tuple(_plain(el) for el in els)


def read_header(root: etree._Element) -> Header:
    """The header's metadata.  Each path is walked one child step at a time from the
    elements the paths share (:func:`_kids`), so a header costs a few dozen child
    iterations rather than two dozen ElementPath look-ups."""
    heads = _kids([root], _TEI_HEADER)
    if not heads:
        raise TEIError("no teiHeader")
    h = [heads[0]]
    fds, pds = _kids(h, _FILE_DESC), _kids(h, _PROFILE_DESC)
    title_stmts, pubs = _kids(fds, _TITLE_STMT), _kids(fds, _PUBLICATION_STMT)
    ms_descs = _kids(_kids(fds, _SOURCE_DESC), _MS_DESC)
    ms_ids = _kids(ms_descs, _MS_IDENTIFIER)
    text_classes = _kids(pds, _TEXT_CLASS)
    keywords = _kids(text_classes, _KEYWORDS)
    notes = _kids(_kids(fds, _NOTES_STMT), _NOTE)
    dates = _kids(_kids(pds, _CREATION), _DATE)
    date = dates[0] if dates else None
    uploads = _having(_kids(pubs, _DATE), "type", "uploaded")
    uploaded = uploads[0] if uploads else None
    cats = {}
    for cat in _kids(text_classes, _CAT_REF):
        scheme = cat.get("scheme", "").rsplit(".", 1)[-1]
        cats[scheme] = cat.get("target", "").rsplit(".", 1)[-1]
    topics = _having(keywords, "n", "associated-topics")
    parties = []
    for action in _kids(_kids(pds, _CORRESP_DESC), _CORRESP_ACTION):
        role = "copy" if action.get("subtype") == "copy" else action.get("type", "sent")
        for el in action:
            if el.tag == _DATE:
                continue
            parties.append(Party(_plain(el), role, ELEMENT_TYPES.get(_local(el)),
                                 _ids(el.get("ref")), el.get("cert"), el.get("resp")))
    langs = _having(_kids(_kids(pds, _LANG_USAGE), _LANGUAGE), "n", "original")
    resp_stmts = _kids(title_stmts, _RESP_STMT)
    programme = None
    resp = _first_text(_kids(resp_stmts, _RESP))
    if resp:
        m = _PROGRAMME.search(resp)
        programme = m.group(1) if m else None
    translator = obtained = None
    for stmt in resp_stmts:
        sid = stmt.get(XML_ID, "")
        if sid.endswith(".translator"):
            translator = _first_text(_kids([stmt], _PERS_NAME))
        elif sid.endswith(".obtained"):
            obtained = _first_text(_kids([stmt], _PERS_NAME))
    titles = _having(_kids(title_stmts, _TITLE), "type", "main")
    return Header(
        title=_title(titles[0] if titles else None),
        date_when=date.get("when") if date is not None else None,
        date_text=_plain(date) if date is not None and (
            date.get("when") or _plain(date) != "undated") else None,
        date_approximate=date is not None and date.get("cert") == "medium",
        doc_type=cats.get("doctype"),
        doc_number=_first_text(_kids(_having(_kids(ms_ids, _ALT_IDENTIFIER), "type",
                                             "document-number"), _IDNO))
        or _first_text(_having(_kids(_kids(_kids(fds, _SOURCE_DESC), _BIBL), _IDNO), "type",
                               "document-number")),
        classification=cats.get("classification"),
        parties=tuple(parties),
        authors=_texts(_kids(title_stmts, _AUTHOR)),
        archive=_first_text(_kids(ms_ids, _REPOSITORY)),
        archive_place=_first_text(_kids(ms_ids, _SETTLEMENT)),
        archive_reference=_first_text(_having(_kids(ms_ids, _IDNO), "type", "reference")),
        archive_line=_first_text(_kids(_kids(ms_descs, _HISTORY), _P)),
        translator=translator, obtained_by=obtained, programme=programme,
        funder=_first_text(_kids(title_stmts, _FUNDER)),
        rights=_texts(_kids(_having(_kids(pubs, _AVAILABILITY), "status", "restricted"), _P)),
        summary=_first_text(_kids(_kids(pds, _ABSTRACT), _P)),
        places=_texts(_kids(_having(keywords, "n", "associated-places"), _TERM)),
        topics=_texts(_kids(topics[:1], _TERM)),
        record_id=_first_text(_having(_kids(pubs, _IDNO), "type", "record")),
        uploaded_when=uploaded.get("when") if uploaded is not None else None,
        uploaded_text=_plain(uploaded) if uploaded is not None else None,
        source_language=langs[0].get("ident") if langs else None,
        partial=bool(_having(notes, "type", "partial")),
        unplaced=_texts(_having(notes, "type", "unplaced")),
    )


# ----------------------------------------------------------------------------- body


class BodyLayout(NamedTuple):
    """Where each child of ``<body>`` goes in the document, with the white space before it.

    The one place that says how a body is laid out (front, main, back, postscript, enclosures,
    end notes) and where each block's separator comes from: the reader makes the model from
    it, and the validator's quick document text (:mod:`pipeline.validate.body_text`) makes
    text from it, so the two cannot part ways on order.  A page break in ``main`` comes with
    the block after it (the page number reads with it); every other entry has None there.
    """

    front: list[tuple[etree._Element, str]]          # head, opener
    main: list[tuple[etree._Element, str, etree._Element | None]]
    back: list[tuple[etree._Element, str]]           # closer
    post: list[tuple[etree._Element, str]]           # postscript
    enclosures: list[tuple[str, list[tuple[etree._Element, str]]]]  # lead, blocks
    notes: list[tuple[etree._Element, str]]          # end notes, document's then enclosures'


def body_layout(tei_body: etree._Element) -> BodyLayout:
    """The layout of ``<body>``: the document div, then any enclosure divs."""
    divs = [el for el in tei_body if el.tag == _DIV]
    layout = BodyLayout([], [], [], [], [], [])
    children = _elements(divs[0])
    k = 0
    while k < len(children):
        el = children[k]
        sep = _sep_before(divs[0], el)
        name = _local(el)
        if name in ("head", "opener"):
            layout.front.append((el, sep))
        elif name == "closer":
            layout.back.append((el, sep))
        elif name == "postscript":
            layout.post.append((el, sep))
        elif name == "note" and el.get("place") == "end":
            layout.notes.append((el, sep))
        elif name == "pb":
            layout.main.append((el, sep, children[k + 1]))
            k += 1
        else:
            layout.main.append((el, sep, None))
        k += 1
    for div in divs[1:]:
        blocks = []
        for el in _elements(div):
            if el.tag == _NOTE and el.get("place") == "end":
                layout.notes.append((el, _sep_before(div, el)))
            else:
                blocks.append((el, _sep_before(div, el)))
        layout.enclosures.append((div.getprevious().tail or "", blocks))
    return layout


def read_body(tei_body: etree._Element) -> Body:
    """The body model from ``<body>`` (see :func:`body_layout`)."""
    layout = body_layout(tei_body)
    front: list[Block] = []
    for el, sep in layout.front:
        if _local(el) == "head":
            front.append(Head(_inlines(el), sep))
        else:
            front.extend(_with_first_sep(_container_blocks(el, _opener_block), sep))
    main = [_main_block(el, sep) if after is None else PageBreak(_page(el, after), sep)
            for el, sep, after in layout.main]
    back: list[Block] = []
    for el, sep in layout.back:
        back.extend(_with_first_sep(_container_blocks(el, _closer_block), sep))
    post = [Postscript(_inlines(el[0]), sep) for el, sep in layout.post]
    enclosures = [Enclosure(tuple(_head_or_main(el, sep) for el, sep in blocks), lead)
                  for lead, blocks in layout.enclosures]
    notes = [_note(el, sep) for el, sep in layout.notes]
    return Body(tuple(front), tuple(main), tuple(back), tuple(post), tuple(enclosures),
                tuple(notes))


def _head_or_main(el: etree._Element, sep: str) -> Block:
    if el.tag == tei("head"):
        return Head(_inlines(el), sep)
    return _main_block(el, sep)


def _elements(parent: etree._Element) -> list[etree._Element]:
    """The child elements, without comments and processing instructions (not text)."""
    return [child for child in parent if isinstance(child.tag, str)]


def _sep_before(parent: etree._Element, el: etree._Element) -> str:
    """The white space before ``el``, with the tails of comments between it and the block
    before (a comment added by hand is not text, the white space around it is)."""
    tails = []
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        tails.append(prev.tail or "")
        prev = prev.getprevious()
    if prev is None:
        # A document or enclosure div starts with a line end of layout, not of the text.
        first = "" if parent.tag == tei("div") and parent.get("type") in (
            "document", "enclosure") else (parent.text or "")
    else:
        first = prev.tail or ""
    return first + "".join(reversed(tails))


def _with_first_sep(blocks: list[Block], sep: str) -> list[Block]:
    if blocks:
        blocks[0] = replace(blocks[0], sep=sep)  # type: ignore[type-var]
    return blocks


def _container_blocks(container: etree._Element, make) -> list[Block]:
    out = []
    for el in _elements(container):
        out.append(make(el, _sep_before(container, el)))
    return out


def _opener_block(el: etree._Element, sep: str) -> Block:
    name = _local(el)
    if name == "seg":
        kind = el.get("type", "")
        if kind in ("classification", "handling"):
            ana = el.get("ana")
            label, label_sep, content = _labelled(el)
            return Classification(content, sep, ana.rsplit(".", 1)[-1] if ana else None,
                                  label, label_sep)
        label, label_sep, content = _labelled(el)
        return Field(kind, label or "", label_sep, content, sep)
    if name == "dateline":
        return Dateline(_inlines(el), sep)
    if name == "salute":
        return Salute(_inlines(el), sep)
    if name == "address":
        return _address(el, sep)
    raise TEIError(f"unexpected <{name}> in <opener> (line {el.sourceline})")


def _address(el: etree._Element, sep: str) -> Address:
    lines = [_inlines(line) for line in _elements(el)]
    seps = [_sep_before(el, line) for line in _elements(el)[1:]]
    return Address(tuple(lines), tuple(seps), sep)


def _closer_block(el: etree._Element, sep: str) -> Block:
    name = _local(el)
    if name == "signed":
        return Signed(_inlines(el), sep)
    if name == "salute":
        return Salute(_inlines(el), sep)
    if name == "dateline":
        return Dateline(_inlines(el), sep)
    if name == "address":
        return _address(el, sep)
    raise TEIError(f"unexpected <{name}> in <closer> (line {el.sourceline})")


def _main_block(el: etree._Element, sep: str) -> Block:
    name = _local(el)
    if name == "p":
        label, label_sep, content = _labelled(el)
        return Paragraph(content, sep, label, label_sep, el.get("n"))
    if name == "list":
        items = []
        for item in _elements(el):
            items.append(_item(item, _sep_before(el, item) if item.getprevious() is not None
                               else ""))
        return ListBlock(el.get("type", "bulleted"), tuple(items), sep)
    if name == "sp":
        speaker = child_named(el, _SPEAKER)
        p = child_named(el, _P)
        if speaker is None or p is None:
            raise TEIError(f"<sp> without <speaker> and <p> (line {el.sourceline})")
        return SpeakerTurn(_inlines(speaker), speaker.tail or "", _inlines(p), sep)
    if name == "div" and el.get("type") == "section":
        blocks: list[Block] = []
        kids = _elements(el)
        k = 0
        while k < len(kids):
            kid = kids[k]
            kid_sep = _sep_before(el, kid)
            kid_name = _local(kid)
            if kid_name == "head":
                blocks.append(Head(_inlines(kid), kid_sep))
            elif kid_name == "pb":
                blocks.append(PageBreak(_page(kid, kids[k + 1]), kid_sep))
                k += 1
            else:
                blocks.append(_main_block(kid, kid_sep))
            k += 1
        return Section(el.get("n", ""), tuple(blocks), sep)
    raise TEIError(f"unexpected <{name}> in the text (line {el.sourceline})")


def _item(el: etree._Element, sep: str) -> Item:
    label, label_sep, content, blocks = _labelled(el, allow_blocks=True)
    return Item(label or "", label_sep, content, sep, el.get("n"), blocks)


def _labelled(el: etree._Element, allow_blocks: bool = False):
    """Split an element that starts with ``<label>`` into label, separator and content.

    The writer puts the label's separator and the start of the content in the label's tail;
    the separator is the run of spaces there.  With ``allow_blocks``, lists at the end of an
    item are its nested blocks; the white space before each is its separator.
    """
    kids = list(el)
    label = None
    label_sep = ""
    first_text = el.text or ""
    if kids and kids[0].tag == tei("label") and not first_text:
        label = _plain(kids[0])
        tail = kids[0].tail or ""
        cut = len(tail) - len(tail.lstrip(" \u00a0"))
        label_sep, first_text = tail[:cut], tail[cut:]
        kids = kids[1:]
    lists: list[etree._Element] = []
    if allow_blocks:
        while kids and kids[-1].tag == tei("list"):
            lists.insert(0, kids.pop())
    content = list(_inline_seq(first_text, kids, el))
    blocks: list[Block] = []
    if lists:
        sep = ""
        if content and isinstance(content[-1], Text):
            text = content[-1].text
            kept = text.rstrip(" \t\n")
            sep = text[len(kept):]
            content[-1:] = [Text(kept)] if kept else []
        for k, lst in enumerate(lists):
            blocks.append(_main_block(lst, sep if k == 0 else (lists[k - 1].tail or "")))
    if allow_blocks:
        return label, label_sep, tuple(content), tuple(blocks)
    return label, label_sep, tuple(content)


def _note(el: etree._Element, sep: str) -> Note:
    label, label_sep, content = _labelled(el)
    return Note(el.get("n", ""), label or "", label_sep, content, sep)


def _page(pb: etree._Element, fw: etree._Element) -> Bracketed:
    return Bracketed("page", _inlines(fw), pb.get("n"))


# ----------------------------------------------------------------------------- inlines


def _inlines(el: etree._Element) -> tuple[Inline, ...]:
    return _inline_seq(el.text, list(el), el)


def _inline_seq(text: str | None, kids: list[etree._Element],
                parent: etree._Element) -> tuple[Inline, ...]:
    out: list[Inline] = []
    _text(out, text or "")
    k = 0
    while k < len(kids):
        el = kids[k]
        name = _local(el) if isinstance(el.tag, str) else ""
        tail = el.tail or ""
        if name == "lb":
            m = _LINE_END.match(tail)
            brk = m.group(0) if m else ""
            out.append(LineBreak(brk or "\n"))
            _text(out, tail[len(brk):])
            k += 1
            continue
        if name == "pb" and k + 1 < len(kids):
            out.append(_page(el, kids[k + 1]))
            _text(out, kids[k + 1].tail or "")
            k += 2
            continue
        node = _inline(el)
        if isinstance(node, Text):
            _text(out, node.text)
        elif node is not None:
            out.append(node)
        _text(out, tail)
        k += 1
    return tuple(out)


def _text(out: list[Inline], text: str) -> None:
    if not text:
        return
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text + text)
    else:
        out.append(Text(text))


def _inline(el: etree._Element) -> Inline | None:
    if not isinstance(el.tag, str):
        return None  # comments and processing instructions are not text
    name = _local(el)
    if name in ELEMENT_TYPES:
        return name_node(el, _inlines(el))
    if name == "date":
        return DateText(_inlines(el), el.get("when"))
    if name == "choice":
        abbr = child_named(el, _ABBR)
        expan = child_named(el, _EXPAN)
        if abbr is None or expan is None:
            raise TEIError(f"<choice> without <abbr> and <expan> (line {el.sourceline})")
        return Abbreviation(_inlines(abbr), abbr.tail or "",
                            Bracketed("expansion", _inlines(expan)))
    if name == "supplied":
        kind = "supplied-name" if el.get("reason") == "name-part" else "supplied"
        return Bracketed(kind, _inlines(el))
    if name == "note" and el.get("place") == "inline":
        kind = el.get("type", "editorial")
        return Bracketed(kind if kind in _INSERTION_BY_NOTE_TYPE else "editorial", _inlines(el))
    if name == "gap":
        desc = child_named(el, _DESC)
        return Bracketed(_GAP_KINDS.get(el.get("reason", ""), "omission"),
                         _inlines(desc) if desc is not None else ())
    if name == "ref" and el.get("type") == "noteref":
        return Bracketed("noteref", _inlines(el), el.get("n"))
    if name == "g" and el.get("type") == "control":
        return Text(chr(int(el.get("n", "U+FFFD")[2:], 16)))
    if name in ("seg", "hi", "foreign", "term", "rs", "name", "title", "num", "measure"):
        # Elements a scholar may add by hand: their text counts, their markup is kept out.
        return Text(_plain(el))
    raise TEIError(f"unexpected <{name}> in running text (line {el.sourceline})")


def name_node(el: etree._Element, content: tuple[Inline, ...] = ()) -> Name:
    """The model's name for a ``<persName|placeName|orgName>`` with the inlines ``content``
    (a reader that has the element's place in the text needs no content: the review)."""
    return Name(ELEMENT_TYPES[_local(el)], content, _ids(el.get("ref")), el.get("cert"),
                el.get("resp"))


def iter_blocks(blocks) -> Iterator[Block | Item]:
    """Every block, nested ones included, in document order."""
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from iter_blocks(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield item
                yield from iter_blocks(item.blocks)


__all__ = ["TEI_NS", "TEIError", "child_named", "children_named", "parse", "read_tei", "record",
           "safe_parser", "iter_blocks"]
