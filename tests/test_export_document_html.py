"""A document page written in Python (``document_html``) is the page ``document.xsl`` makes
of the same TEI file, byte for byte: for every TEI file of the tests, and for generated TEI
files with any text and any of the elements and attributes the stylesheet treats apart.  The
stylesheet is what users read, adapt and run on their own (and what the benchmark runs in
Saxon); these tests keep the two from drifting apart.  And any text of a paragraph comes out
escaped: a browser shows it as it is."""

from __future__ import annotations

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.export import html, html_pieces
from pipeline.export.register import standoff_entries
from pipeline.export.stylesheets import stylesheet
from pipeline.tei.ns import TEI_NS, XML_ID, XML_LANG
from pipeline.tei.read import parse

from conftest import ROOT

T = f"{{{TEI_NS}}}"
DOC = "d1"


def reference(tree: etree._ElementTree, params: dict[str, str]) -> bytes:
    """The page as ``document.xsl`` makes it (cards in place: ``layout.xsl``, mode card)."""
    values = {k: etree.XSLT.strparam(v) for k, v in params.items()}
    return html.html_page(stylesheet("document.xsl")(tree, **values))


def written(tree: etree._ElementTree, params: dict[str, str]) -> bytes:
    return html.document_page(tree, params)


_FILES = sorted({*(ROOT / "tests" / "fixtures" / "edition").glob("*.xml"),
                 *(ROOT / "tests" / "golden" / "convert").glob("*.xml"),
                 *(ROOT / "tests" / "valid").glob("*_*.xml"), *(ROOT / "tei").glob("*.xml")})

_PARAMS = [
    {},  # the stylesheet's defaults, as when it runs on its own
    html.own_params("x", html.Options(), **{
        "prev-href": "a b.html", "prev-title": "<A> & \"B\"", "next-href": "c'd.html",
        "next-title": "C"}),
    html.own_params("y", html.Options(title="<Edition> & 'co' \"x\"", base_url="https://e.org/ed/"),
                    **html_pieces.STAND_INS),
]


@pytest.mark.parametrize("path", _FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
@pytest.mark.parametrize("k", range(len(_PARAMS)))
def test_the_page_is_the_stylesheets_page(path, k) -> None:
    tree = parse(path)
    assert written(tree, _PARAMS[k]) == reference(tree, _PARAMS[k])


def test_the_test_files_are_there() -> None:
    assert len(_FILES) >= 10


def test_a_page_made_early_is_the_stylesheets_page_with_its_neighbours() -> None:
    path = ROOT / "tests" / "fixtures" / "edition" / "1967-01-23_cable-entities.xml"
    tree = parse(path)
    entries = {el.get(XML_ID): etree.tostring(el, encoding="unicode", with_tail=False)
               for el in tree.getroot().iter(T + "person", T + "place", T + "org")}
    params = _PARAMS[1]
    early = html.early_page(tree, "x", html.Options(), entries, standoff_entries(tree))
    assert html_pieces.splice(early, params) == reference(tree, params)


# ---------------------------------------------------------------------- generated TEI files

#: Any text XML can hold, with what HTML and XPath treat apart.
_TEXT = st.text(st.one_of(
    st.sampled_from(list("&<>\"'{}#%?/ \t\n\r\x7f\x85\u00a0\u2028é😀[]|^`\\;:@=+$,.")),
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                  exclude_characters="\ufffe\uffff")), max_size=8)

_IDS = [f"{DOC}.p1", f"{DOC}.p2", f"{DOC}.note1", f"{DOC}.item3", f"{DOC}.x", "per-a", "pla-b",
        "org-c", f"{DOC}.enclosure1", f"{DOC}.p٣", f"{DOC}.head", "other.p1"]
_ATTRS = {
    "type": st.sampled_from(["noteref", "pageNum", "control", "sic", "gloss", "alternative",
                             "literal", "codename", "signed", "editorial", "lettered",
                             "bulleted", "numbered", "enclosure", "document", "section",
                             "classification", "to", ""]),
    "place": st.sampled_from(["end", "inline", "foot"]),
    "rend": st.just("brackets"),
    "resp": st.sampled_from([f"#{DOC}.translator", f"#{DOC}.editors", f"#{DOC}.ner",
                             ".translator ", "x"]),
    "ref": st.sampled_from(["#per-a", "#pla-b", "#org-c", "#per-a #pla-b", " #per-a ",
                            "#per-a\t#nobody", "#nobody", "#", "", "per-a", "javascript:x"]),
    "cert": st.sampled_from(["low", "medium", "high"]),
    "target": st.sampled_from([f"#{DOC}.note1", f"#{DOC}.p1", f"{DOC}.note1", "#", "#a b"]),
    "reason": st.sampled_from(["name-part", "sense", "omitted", "illegible", "garbled"]),
    XML_ID: st.sampled_from(_IDS),
    XML_LANG: st.sampled_from(["ru", "zh-Latn", "", "x\"y"]),
    "when": st.sampled_from(["1967-01-23", "", "<\"'>"]),
    "n": _TEXT,
}
_TAGS = ["p", "head", "opener", "closer", "seg", "dateline", "salute", "signed", "address",
         "addrLine", "label", "div", "postscript", "list", "item", "sp", "speaker", "note",
         "lb", "pb", "fw", "date", "choice", "abbr", "expan", "supplied", "gap", "desc", "ref",
         "persName", "placeName", "orgName", "hi", "rs", "name", "num", "measure", "term",
         "foreign", "title", "g", "ab", "q"]

_NODE = st.recursive(
    _TEXT,
    lambda children: st.tuples(
        st.sampled_from(_TAGS),
        st.dictionaries(st.sampled_from(sorted(_ATTRS)), st.just(None), max_size=4).flatmap(
            lambda keys: st.fixed_dictionaries({k: _ATTRS[k] for k in keys})),
        st.lists(children, max_size=4)),
    max_leaves=14)


def _build(parent: etree._Element, nodes: list) -> None:
    """Nodes (text, or (tag, attributes, children)) into ``parent``, as lxml holds them."""
    for node in nodes:
        if isinstance(node, str):
            last = parent[-1] if len(parent) else None
            if last is None:
                parent.text = (parent.text or "") + node
            else:
                last.tail = (last.tail or "") + node
        else:
            tag, attributes, children = node
            child = etree.SubElement(parent, T + tag, {k: v for k, v in attributes.items()})
            _build(child, children)


def _tei(title: str, date: str, values: list[str], body: list, names: list,
         entries: list[str]) -> etree._ElementTree:
    """A TEI file with the header fields the page shows (from ``values``), the text
    ``body``, ``names`` as senders, the register entries ``entries`` (preferred names)."""
    v = iter(values)
    E = lambda tag, *children, **attrs: _element(tag, children, attrs)  # noqa: E731
    header = E("teiHeader",
               E("fileDesc",
                 E("titleStmt", E("title", title, type="main"), E("author", next(v)),
                   E("funder", next(v)),
                   E("respStmt", E("persName", next(v)), **{XML_ID: f"{DOC}.translator"})),
                 E("publicationStmt", E("publisher", next(v)), E("idno", next(v), type="record"),
                   E("date", next(v), type="uploaded"),
                   E("availability", E("p", next(v)))),
                 E("notesStmt", E("note", next(v), type="unplaced")),
                 E("sourceDesc", E("msDesc", E("msIdentifier", E("settlement", next(v)),
                                               E("repository", next(v)),
                                               E("idno", next(v), type="reference"))))),
               E("encodingDesc", E("classDecl", E("taxonomy", E(
                   "category", E("catDesc", next(v)), **{XML_ID: f"{DOC}.doctype.cable"}),
                   **{XML_ID: f"{DOC}.doctype"}))),
               E("profileDesc",
                 E("abstract", E("p", next(v))),
                 E("creation", E("date", date, when="1967-01-23")),
                 E("langUsage", E("language", next(v), ident="ru", n="original")),
                 E("textClass", E("catRef", scheme=f"#{DOC}.doctype",
                                  target=f"#{DOC}.doctype.cable"),
                   E("keywords", E("term", next(v)), n="associated-places")),
                 E("correspDesc", E("correspAction", type="sent"),
                   E("correspAction", type="received"),
                   E("correspAction", type="received", subtype="copy"))))
    root = E("TEI", header, E("text", E("body")), **{XML_ID: DOC})
    _build(root.find(f"{T}text/{T}body"), body)
    for action, nodes in zip(root.iter(T + "correspAction"), names):
        _build(action, nodes)
    stand_off = etree.SubElement(root, T + "standOff")
    for ident, name in zip(("per-a", "pla-b", "org-c"), entries):
        kind = {"p": "person", "o": "org"}.get(ident[0], "place")
        lists = etree.SubElement(stand_off, T + {"person": "listPerson", "place": "listPlace",
                                                 "org": "listOrg"}[kind])
        entry = etree.SubElement(lists, T + kind, {XML_ID: ident})
        etree.SubElement(entry, T + f"{kind if kind != 'person' else 'pers'}Name",
                         type="preferred").text = name
    seen = set()
    for el in root.iter():  # an id twice is not well-formed (libxml2 does not read it)
        ident = el.get(XML_ID)
        if ident in seen:
            del el.attrib[XML_ID]
        elif ident is not None:
            seen.add(ident)
    return etree.ElementTree(root)


def _element(tag: str, children: tuple, attrs: dict[str, str]) -> etree._Element:
    el = etree.Element(T + tag, attrs)
    for child in children:
        if isinstance(child, str):
            el.text = child
        else:
            el.append(child)
    return el


#: Parts of the header a file may lack.
_OPTIONAL = ["author", "funder", "respStmt", "publisher", "idno", "availability", "notesStmt",
             "settlement", "repository", "msIdentifier", "taxonomy", "abstract", "creation",
             "language", "catRef", "keywords", "correspDesc", "standOff"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_TEXT, date=_TEXT, values=st.lists(_TEXT, min_size=16, max_size=16),
       body=st.lists(_NODE, max_size=5),
       names=st.lists(st.lists(_NODE, max_size=2), max_size=3),
       entries=st.lists(_TEXT, max_size=3), k=st.integers(0, len(_PARAMS) - 1),
       lacking=st.sets(st.sampled_from(_OPTIONAL), max_size=4))
def test_any_generated_page_is_the_stylesheets_page(title, date, values, body, names, entries,
                                                    k, lacking):
    tree = _tei(title, date, values, body, names, entries)
    for el in [el for el in tree.getroot().iter() if etree.QName(el).localname in lacking]:
        if el.getparent() is not None:
            el.getparent().remove(el)
    tree = parse(etree.tostring(tree))  # as files are read: ids in libxml2's table
    assert written(tree, _PARAMS[k]) == reference(tree, _PARAMS[k])


@settings(max_examples=300, deadline=None)
@given(words=_TEXT)
def test_any_text_of_a_paragraph_is_shown_as_it_is(words):
    """What a browser shows of a paragraph is its text, character for character (line ends
    as HTML reads them), and nothing of it became an element or an attribute."""
    tree = _tei("T", "D", [""] * 16, [("p", {XML_ID: f"{DOC}.p1"}, [words])], [], [])
    tree = parse(etree.tostring(tree))
    page = lxml.html.document_fromstring(written(tree, _PARAMS[1]))
    (p,) = page.find_class("p")
    assert [el.tag for el in p.iter()] == ["p", "a"]  # the paragraph and its permalink
    shown = (p.text or "") + "".join(el.tail or "" for el in p)
    assert shown == words.replace("\r\n", "\n").replace("\r", "\n")
