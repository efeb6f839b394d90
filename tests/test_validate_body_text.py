"""The fidelity check's quick way to the document text (:mod:`pipeline.validate.body_text`)
says what the long way says, ``diplomatic(read_text(tree))``, or nothing; and its names are
where the long way, ``located_names(read_text(tree))``, puts them: on every TEI file the tests
have, on generated cables of every kind, and on files broken at random."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.batch import convert_many
from pipeline.bench import corpus
from pipeline.entities import score
from pipeline.entities.register import load_register
from pipeline.export import text as export_text
from pipeline.export.text import diplomatic
from pipeline.tei.ns import TEI_NS
from pipeline.tei.read import _inline as read_inline
from pipeline.tei.read import parse, read_text
from pipeline.validate.body_text import document_text, located_names

from conftest import ROOT

REGISTER = ROOT / "source" / "register.xml"
KNOWN = sorted([ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml",
                *(ROOT / "tests" / "golden" / "convert").glob("*.xml")])
RAISED = "(the reader refused it)"
#: Every construct the reader knows, some in unusual places: an end note before the closer,
#: a postscript, an enclosure with its own note, an item with two nested lists, comments
#: between blocks, inline page breaks with white space after them, a control character.
EVERYTHING = f"""<TEI xmlns="{TEI_NS}"><text><body><div type="document" subtype="cable">
<head>Head</head>
<opener><!-- by hand --> <seg type="to"><label>TO:</label> Hanoi</seg>
<seg type="classification" ana="#x.secret">SECRET</seg>  <dateline>1 May</dateline></opener>
<p n="1"><label>1.</label>\u00a0 Text with <persName ref="#a">Name </persName>and <pb n="2"/> \
<fw type="pageNum">page 2</fw> more<lb/>line<lb/>
  next <choice><abbr>COSVN</abbr> <expan>Central Office</expan></choice> <gap reason="omitted">\
<desc>omitted</desc></gap> <gap/> <ref type="noteref" n="1">1</ref> <g type="control" \
n="U+0007"/><hi>hi</hi><!-- note --> end</p>
<list type="lettered"><item n="a"><label>a)</label> first <persName>X</persName>
<list type="bulleted"><item>inner one</item></list>
 <list type="bulleted"><item>inner two</item></list>
</item>
<item n="b"><label>b)</label> second</item></list>
<sp><speaker>Zhou:</speaker>\u00a0 <p>Words <supplied reason="sense">said</supplied>.</p></sp>
<div type="section" n="I"><head>I</head>
<p>Section text <note place="inline" type="gloss">gloss</note></p><pb n="3"/><fw>page 3</fw>
<p>After</p></div>
<note place="end" type="translator" n="1"><label>1</label> An end note</note>
<closer><signed>Signed</signed>
<address><addrLine>Line 1</addrLine>
<!-- c --><addrLine>Line 2</addrLine></address></closer>
<postscript><p>PS text</p></postscript>
</div>
<div type="enclosure" xml:id="x.enc1">
<head>Enclosure</head>
<p>Enclosed <date when="1967-01-23">23 January</date></p>
<note place="end" n="2"><label>2</label>  Note in enclosure</note>
</div>
</body></text></TEI>"""
#: Names everywhere a name may be, and where it is none (in a label, in <hi>, in a page number
#: between blocks): names that end with an abbreviation, also one inside another and one
#: whose abbreviation is a name, names in expansions, nested and empty names, names that end
#: with a date, a line break, a page break, a name of an address line, of a note, ...
N = ' resp="#x.ner" cert="low"'
NAMED = f"""<TEI xmlns="{TEI_NS}"><text><body><div type="document" subtype="cable">
<head>Head <persName{N}>Zed Head</persName></head>
<opener><seg type="to"><label>TO:</label> <placeName ref="#a #b">Hanoi</placeName></seg>
<dateline><placeName{N}>Paris</placeName>, 1 May</dateline></opener>
<p n="1"><label>1.</label> The <orgName{N}>Embassy of the <choice><abbr>GDR</abbr> <expan>\
<placeName{N}>German Democratic Republic</placeName></expan></choice></orgName> said.
Then <orgName><persName>X of the <choice><abbr><orgName>KPA</orgName></abbr> <expan>Korean \
<persName>People</persName></expan></choice></persName></orgName> and
<orgName>the <choice><abbr>A</abbr> <expan>B <choice><abbr>C</abbr> <expan>D</expan></choice>\
</expan></choice><!-- c --><hi></hi></orgName> more <orgName>dated <choice><abbr>A</abbr>\
<expan>B</expan></choice><date/></orgName> and <orgName><date>in <choice><abbr>Q</abbr>\
<expan>R</expan></choice></date></orgName> and <persName>A<choice><abbr>B<lb/></abbr> \
<expan>C</expan></choice><persName/></persName>.</p>
<p><label><persName>Label</persName></label> Names in <hi>plain <persName>Hidden</persName></hi>, \
<persName/> empty, <persName><persName>Same</persName></persName>,
<persName>line<lb/></persName>next <persName>page <pb n="2"/><fw>p 2 <persName>Fw</persName>\
</fw></persName> end</p>
<pb n="3"/><fw type="pageNum">page 3 <persName>Block Fw</persName></fw>
<list type="bulleted"><item><label>a)</label> <persName>Item</persName> text
<list type="bulleted"><item><persName>Inner</persName></item></list>
</item></list>
<sp><speaker><persName>Speaker</persName>:</speaker> <p>Said <supplied reason="name-part">\
<persName>Sup</persName></supplied> <note place="inline" type="gloss"><persName>Gloss</persName>\
</note> <gap reason="omitted"><desc><persName>Gap</persName></desc></gap></p></sp>
<div type="section" n="I"><head><orgName>Section</orgName></head><p>In <placeName>Far</placeName>\
</p><pb n="4"/><fw><persName>Fw2</persName></fw>
<p>After <placeName>Near</placeName></p></div>
<note place="end" type="translator" n="1"><label>1</label> Note on <persName>Noted</persName></note>
<closer><signed><persName>Signer</persName></signed>
<address><addrLine><placeName>Street</placeName></addrLine>
<persName>Line as name</persName></address></closer>
<postscript><p>PS <persName>Post</persName></p></postscript>
</div></body></text></TEI>"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    """Generated cables of every kind (lists, speakers, sections, notes, page breaks ...)."""
    base = tmp_path_factory.mktemp("body-text")
    pages = corpus.generate(base / "source", 30, load_register(REGISTER)[0])
    settings_ = {"register": str(REGISTER), "register-sha256": "", "ner": False}
    convert_many(pages, base / "tei", settings=settings_)
    return sorted((base / "tei").glob("*.xml"))


def _long_way(tree: etree._ElementTree) -> str:
    try:
        return diplomatic(read_text(tree))
    except Exception:  # noqa: BLE001 - any refusal counts as one
        return RAISED


def _agree(tree: etree._ElementTree) -> str | None:
    """The quick text (None: no quick answer), checked against the long way's; and the quick
    names, where there are, against the long way's: the same text, the same spans in the same
    order, and at each the element the reader reads as the long way's name there."""
    quick = document_text(tree)
    if quick is not None:
        assert quick == _long_way(tree)
    _export_agrees(tree)
    located = located_names(tree)
    if located is not None:
        text, spans = located
        long_way = _long_way_names(tree)
        assert long_way != RAISED
        assert text == long_way[0]
        assert [span[:2] for span in spans] == [span[:2] for span in long_way[1]]
        for (_start, _end, el), (_a, _b, node) in zip(spans, long_way[1]):
            assert read_inline(el) == node
        for half in 0, 1:  # some names only: each where it was
            some = [el for _start, _end, el in spans][half::2]
            assert located_names(tree, some) == (text, [s for s in spans if s[2] in some])
    return quick


def _export_agrees(tree: etree._ElementTree) -> None:
    """The export's names to review come from the document it read: the text and names of
    its one walk (:func:`pipeline.export.text.located_names`) are the long way's."""
    try:
        body = read_text(tree)
    except Exception:  # noqa: BLE001 - a file the reader refuses is not exported
        return
    long_way = score.located_names(body)
    text, spans = export_text.located_names(body)
    assert text == long_way[0]
    assert len(spans) == len(long_way[1])
    assert all(a[:2] == b[:2] and a[2] is b[2] for a, b in zip(spans, long_way[1]))


def _long_way_names(tree: etree._ElementTree):
    try:
        return score.located_names(read_text(tree))
    except Exception:  # noqa: BLE001 - any refusal counts as one
        return RAISED


def test_the_quick_way_reads_every_construct() -> None:
    tree = etree.ElementTree(etree.fromstring(EVERYTHING))
    text = _agree(tree)
    assert text is not None
    assert "[page 2] more\nline\n" in text and text.endswith("[2]  Note in enclosure")


def test_the_quick_way_finds_every_name_where_the_long_way_does() -> None:
    tree = etree.ElementTree(etree.fromstring(NAMED))
    assert _agree(tree) is not None
    located = located_names(tree)
    assert located is not None
    text, spans = located
    assert [text[start:end] for start, end, _el in spans][3:8] == [
        "Embassy of the GDR", "German Democratic Republic", "X of the KPA", "X of the KPA",
        "KPA"]
    assert "Block Fw" in text and "Block Fw" not in [text[a:b] for a, b, _el in spans]


@pytest.mark.parametrize("path", KNOWN, ids=lambda p: p.name)
def test_the_quick_way_reads_the_known_files(path: Path) -> None:
    tree = parse(path)
    assert _agree(tree) is not None
    assert located_names(tree) is not None


def test_the_quick_way_reads_generated_cables(generated: list[Path]) -> None:
    assert len(generated) == 30
    for path in generated:
        tree = parse(path)
        assert _agree(tree) is not None, path.name
        assert located_names(tree) is not None, path.name


T = f"{{{TEI_NS}}}"
NAMES = ["p", "hi", "seg", "lb", "pb", "fw", "label", "list", "item", "head", "note", "gap",
         "desc", "choice", "abbr", "expan", "persName", "date", "supplied", "ref", "g", "sp",
         "speaker", "div", "opener", "closer", "address", "addrLine", "signed", "salute",
         "dateline", "postscript", "unknown"]
ATTRIBUTES = [("place", "end"), ("place", "inline"), ("type", "noteref"),
              ("type", "control"), ("n", "U+0007"), ("n", "U+zz"), ("type", "section"),
              ("type", "enclosure"), ("type", "classification")]
TEXTS = ["", " ", "\n", "\n   ", "word", " [x] ", "\u00a0", "\n\n"]

mutation = st.tuples(st.sampled_from(["drop", "drop-keep-tail", "rename", "comment", "text",
                                      "tail", "attribute", "move", "wrap", "lb", "unwrap"]),
                     st.integers(0, 10_000), st.integers(0, 10_000),
                     st.sampled_from(NAMES), st.sampled_from(TEXTS),
                     st.sampled_from(ATTRIBUTES))


def _mutate(tree: etree._ElementTree, change) -> None:
    what, at, other, name, text, (attribute, value) = change
    body = tree.getroot().find(f"{T}text/{T}body")
    assert body is not None
    nodes = list(body.iter())[1:]
    if not nodes:
        return
    el = nodes[at % len(nodes)]
    parent = el.getparent()
    if what == "drop" and parent is not None:
        parent.remove(el)
    elif what == "drop-keep-tail" and parent is not None:
        tail = el.tail
        previous = el.getprevious()
        parent.remove(el)
        if previous is not None:
            previous.tail = (previous.tail or "") + (tail or "")
        else:
            parent.text = (parent.text or "") + (tail or "")
    elif what == "rename" and isinstance(el.tag, str):
        el.tag = T + name
    elif what == "comment" and parent is not None:
        comment = etree.Comment("hand-made")
        comment.tail = text
        parent.insert(parent.index(el) + (other % 2), comment)
    elif what == "text" and isinstance(el.tag, str):
        el.text = text or None
    elif what == "tail":
        el.tail = text or None
    elif what == "attribute" and isinstance(el.tag, str):
        el.set(attribute, value)
    elif what == "move" and parent is not None:
        target = nodes[other % len(nodes)]
        if isinstance(target.tag, str) and el not in list(target.iterancestors()) \
                and target is not el:
            parent.remove(el)
            target.append(el)
    elif what == "wrap" and parent is not None and isinstance(el.tag, str):
        wrapper = etree.Element(T + name)
        parent.replace(el, wrapper)
        wrapper.tail, el.tail = el.tail, None
        wrapper.append(el)
    elif what == "lb" and isinstance(el.tag, str):
        lb = etree.SubElement(el, T + "lb")
        lb.tail = text
    elif what == "unwrap" and parent is not None and isinstance(el.tag, str) and len(el):
        index = parent.index(el)
        for k, child in enumerate(list(el)):
            parent.insert(index + k, child)
        parent.remove(el)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.data_too_large])
@given(st.sampled_from([*KNOWN, EVERYTHING, NAMED]),
       st.lists(mutation, min_size=1, max_size=4))
def test_a_broken_file_is_read_alike_or_left_to_the_long_way(path: Path | str,
                                                              changes) -> None:
    tree = copy.deepcopy(_parsed(path)) if isinstance(path, Path) else etree.ElementTree(
        etree.fromstring(path))
    for change in changes:
        _mutate(tree, change)
    _agree(tree)


_CACHE: dict[Path, etree._ElementTree] = {}


def _parsed(path: Path) -> etree._ElementTree:
    if path not in _CACHE:
        _CACHE[path] = parse(path)
    return _CACHE[path]


def test_a_file_the_reader_refuses_gets_no_quick_answer() -> None:
    tree = copy.deepcopy(_parsed(KNOWN[0]))
    p = tree.getroot().find(f".//{T}body//{T}p")
    assert p is not None
    etree.SubElement(p, T + "unknown").text = "x"
    assert _long_way(tree) == RAISED
    assert document_text(tree) is None
    assert located_names(tree) is None


def test_a_control_character_that_would_read_as_a_mark_gets_no_quick_names() -> None:
    tree = etree.ElementTree(etree.fromstring(NAMED.replace(
        "<persName>Post</persName>", '<persName>Post</persName><g type="control" n="U+0001"/>')))
    assert _agree(tree) is not None
    assert located_names(tree) is None
