"""The header reader walks child steps (:func:`pipeline.tei.read.read_header`); it must read
every header as the ElementPath look-ups it replaced did.  The previous reader is kept here,
only as the reference: same Header (or the same error) on every TEI file in tests/, on
converted pages (the seeds, samples and generated bench pages) and on headers mutated at
random (elements removed, repeated, moved, wrapped in white space, unexpected children and
attribute values added).
"""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.bench import corpus
from pipeline.convert import read_page
from pipeline.entities.register import load_register
from pipeline.model import Header, Party, SourceInfo
from pipeline.tei.ns import ELEMENT_TYPES, NS, XML_ID, tei
from pipeline.tei.read import TEIError, parse, read_header
from pipeline.tei.write import serialize

from conftest import ROOT, all_pages, converted

TEI_FILES = sorted((ROOT / "tests").rglob("*.xml"))


# ----------------------------------------------------------------------------- reference


def _plain(el) -> str:
    return "".join(el.itertext())


def _t(root, path: str) -> str | None:
    el = root.find(path, NS)
    return _plain(el) if el is not None else None


def _all(root, path: str) -> tuple[str, ...]:
    return tuple(_plain(el) for el in root.findall(path, NS))


def _title(el) -> str:
    return "" if el is None or el.get("subtype") == "supplied" else _plain(el)


def _ids(ref):
    return " ".join(r.lstrip("#") for r in ref.split()) if ref else None


def reference_header(root) -> Header:
    """``read_header`` as it was before it walked child steps (ElementPath look-ups)."""
    h = root.find("tei:teiHeader", NS)
    if h is None:
        raise TEIError("no teiHeader")
    fd = "tei:fileDesc/"
    date = h.find("tei:profileDesc/tei:creation/tei:date", NS)
    uploaded = h.find(fd + "tei:publicationStmt/tei:date[@type='uploaded']", NS)
    cats = {}
    for cat in h.findall("tei:profileDesc/tei:textClass/tei:catRef", NS):
        scheme = cat.get("scheme", "").rsplit(".", 1)[-1]
        cats[scheme] = cat.get("target", "").rsplit(".", 1)[-1]
    topics = h.find("tei:profileDesc/tei:textClass/tei:keywords[@n='associated-topics']", NS)
    parties = []
    for action in h.findall("tei:profileDesc/tei:correspDesc/tei:correspAction", NS):
        role = "copy" if action.get("subtype") == "copy" else action.get("type", "sent")
        for el in action:
            if el.tag == tei("date"):
                continue
            parties.append(Party(_plain(el), role,
                                 ELEMENT_TYPES.get(etree.QName(el).localname),
                                 _ids(el.get("ref")), el.get("cert"), el.get("resp")))
    langs = h.findall("tei:profileDesc/tei:langUsage/tei:language[@n='original']", NS)
    programme = None
    resp = _t(h, fd + "tei:titleStmt/tei:respStmt/tei:resp")
    if resp:
        m = re.search(r"\((\w+)\)", resp)
        programme = m.group(1) if m else None
    translator = obtained = None
    for stmt in h.findall(fd + "tei:titleStmt/tei:respStmt", NS):
        sid = stmt.get(XML_ID, "")
        if sid.endswith(".translator"):
            translator = _t(stmt, "tei:persName")
        elif sid.endswith(".obtained"):
            obtained = _t(stmt, "tei:persName")
    return Header(
        title=_title(h.find(fd + "tei:titleStmt/tei:title[@type='main']", NS)),
        date_when=date.get("when") if date is not None else None,
        date_text=_plain(date) if date is not None and (
            date.get("when") or _plain(date) != "undated") else None,
        date_approximate=date is not None and date.get("cert") == "medium",
        doc_type=cats.get("doctype"),
        doc_number=_t(h, fd + "tei:sourceDesc/tei:msDesc/tei:msIdentifier/tei:altIdentifier"
                      "[@type='document-number']/tei:idno")
        or _t(h, fd + "tei:sourceDesc/tei:bibl/tei:idno[@type='document-number']"),
        classification=cats.get("classification"),
        parties=tuple(parties),
        authors=_all(h, fd + "tei:titleStmt/tei:author"),
        archive=_t(h, fd + "tei:sourceDesc/tei:msDesc/tei:msIdentifier/tei:repository"),
        archive_place=_t(h, fd + "tei:sourceDesc/tei:msDesc/tei:msIdentifier/tei:settlement"),
        archive_reference=_t(h, fd + "tei:sourceDesc/tei:msDesc/tei:msIdentifier/"
                             "tei:idno[@type='reference']"),
        archive_line=_t(h, fd + "tei:sourceDesc/tei:msDesc/tei:history/tei:p"),
        translator=translator, obtained_by=obtained, programme=programme,
        funder=_t(h, fd + "tei:titleStmt/tei:funder"),
        rights=_all(h, fd + "tei:publicationStmt/tei:availability[@status='restricted']/tei:p"),
        summary=_t(h, "tei:profileDesc/tei:abstract/tei:p"),
        places=_all(h, "tei:profileDesc/tei:textClass/tei:keywords[@n='associated-places']"
                    "/tei:term"),
        topics=_all(topics, "tei:term") if topics is not None else (),
        record_id=_t(h, fd + "tei:publicationStmt/tei:idno[@type='record']"),
        uploaded_when=uploaded.get("when") if uploaded is not None else None,
        uploaded_text=_plain(uploaded) if uploaded is not None else None,
        source_language=langs[0].get("ident") if langs else None,
        partial=h.find(fd + "tei:notesStmt/tei:note[@type='partial']", NS) is not None,
        unplaced=_all(h, fd + "tei:notesStmt/tei:note[@type='unplaced']"),
    )


def outcome(read, root):
    """What a reader makes of a root: its Header, or the error it raises."""
    try:
        return read(root)
    except Exception as error:  # noqa: BLE001 - the readers must fail alike too
        return type(error), str(error)


# ----------------------------------------------------------------------------- roots


@functools.cache
def generated_roots() -> tuple[etree._Element, ...]:
    """Every 20th page of the bench's generated corpus (every kind of page), converted."""
    names = corpus.register_names(load_register(ROOT / "source" / "register.xml")[0])
    roots = []
    for k in range(0, 1000, 20):
        stem, text = corpus.page(k, names)
        doc, _ = read_page(text, stem, SourceInfo(stem + ".txt", "", "utf-8", "lf"))
        roots.append(parse(serialize(doc)).getroot())
    return tuple(roots)


@functools.cache
def page_roots() -> tuple[etree._Element, ...]:
    return tuple(parse(serialize(converted(path)[1])).getroot() for path in all_pages())


def file_root(path: Path):
    try:
        return parse(path).getroot()
    except etree.XMLSyntaxError:
        return None


@functools.cache
def seed_roots() -> tuple[etree._Element, ...]:
    roots = [file_root(path) for path in TEI_FILES]
    return tuple(r for r in roots if r is not None) + page_roots() + generated_roots()


@pytest.mark.parametrize("path", TEI_FILES, ids=lambda p: str(p.relative_to(ROOT / "tests")))
def test_every_tei_file_in_the_tests_reads_as_before(path: Path) -> None:
    root = file_root(path)
    if root is None:
        pytest.skip("not well-formed XML")
    assert outcome(read_header, root) == outcome(reference_header, root)


def test_converted_and_generated_pages_read_as_before() -> None:
    roots = page_roots() + generated_roots()
    assert len(roots) > 50
    for root in roots:
        assert read_header(root) == reference_header(root)


# ----------------------------------------------------------------------------- mutations

_NAMES = ["teiHeader", "fileDesc", "profileDesc", "titleStmt", "publicationStmt", "sourceDesc",
          "msDesc", "msIdentifier", "textClass", "keywords", "notesStmt", "creation", "date",
          "catRef", "correspDesc", "correspAction", "langUsage", "language", "respStmt", "resp",
          "persName", "placeName", "orgName", "title", "altIdentifier", "idno", "bibl",
          "author", "repository", "settlement", "history", "p", "funder", "availability",
          "abstract", "term", "note", "seg"]
_VALUES = ["main", "uploaded", "associated-topics", "associated-places", "original",
           "document-number", "reference", "record", "restricted", "partial", "unplaced",
           "copy", "supplied", "medium", "undated", "x"]
_ATTRS = ["type", "n", "status", "subtype", "cert", "when", "ident", "scheme", "target"]


def _mutate(header: etree._Element, data) -> None:
    """One random change to an element of the header (or the header itself)."""
    els = [header] + [el for el in header.iter() if isinstance(el.tag, str)][1:]
    el = data.draw(st.sampled_from(els))
    parent = el.getparent()
    kind = data.draw(st.sampled_from(["remove", "repeat", "move", "space", "child", "comment",
                                      "attr", "foreign"]))
    if kind == "remove" and el is not header:
        parent.remove(el)
    elif kind == "repeat" and el is not header:
        twin = copy.deepcopy(el)  # told apart from the first, or order would not show
        for part in twin.iter(etree.Element):
            part.text = (part.text or "") + "2"
            for name in ("when", "ident", "ref", "target"):
                if part.get(name):
                    part.set(name, part.get(name) + "2")
        el.addnext(twin)
    elif kind == "move" and el is not header:
        parent.remove(el)
        parent.insert(data.draw(st.integers(0, len(parent))), el)
    elif kind == "space":
        space = data.draw(st.sampled_from([" ", "\n  ", "\t", "\u00a0"]))
        el.text = (el.text or "") + space
        if el is not header:
            el.tail = space + (el.tail or "")
    elif kind == "child":
        child = etree.Element(tei(data.draw(st.sampled_from(_NAMES))))
        child.text = data.draw(st.sampled_from(["", "undated", "Text (CWIHP) here", "x"]))
        if data.draw(st.booleans()):
            child.set(data.draw(st.sampled_from(_ATTRS)), data.draw(st.sampled_from(_VALUES)))
        el.insert(data.draw(st.integers(0, len(el))), child)
    elif kind == "comment":
        el.insert(data.draw(st.integers(0, len(el))), etree.Comment("by hand"))
    elif kind == "attr":
        el.set(data.draw(st.sampled_from(_ATTRS)), data.draw(st.sampled_from(_VALUES)))
    elif kind == "foreign":
        el.insert(data.draw(st.integers(0, len(el))), etree.Element("{urn:other}date"))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_headers_read_as_before(data) -> None:
    root = copy.deepcopy(data.draw(st.sampled_from(seed_roots())))
    header = root.find("tei:teiHeader", NS)
    if header is not None:
        for _ in range(data.draw(st.integers(1, 8))):
            _mutate(header, data)
    assert outcome(read_header, root) == outcome(reference_header, root)
