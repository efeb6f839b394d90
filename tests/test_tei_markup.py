"""The writer's text is byte for byte what lxml writes for the same elements.

The TEI body (``pipeline.tei.write._Markup``) and the header (``pipeline.tei.write.Element``)
are written as text, as lxml once wrote them; a file must not depend on which wrote a part, so
the escaping, the empty-element form and the header's indentation are held against lxml here,
on any text and attribute value.
"""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from pipeline.tei.ns import NSMAP, XML_ID, tei
from pipeline.tei.write import Element, _Markup, add_text, sub

#: Characters XML 1.0 can hold (the writer turns the others into <g>, tested below).
_XML_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters=[
    chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]])


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _lxml_text(el: etree._Element, text: str) -> None:
    """Text appended in lxml, characters XML cannot hold as <g type="control">."""
    for k, part in enumerate(_ILLEGAL.split(text)):
        if k:
            ch = _ILLEGAL.findall(text)[k - 1]
            etree.SubElement(el, tei("g"), {"type": "control", "n": f"U+{ord(ch):04X}"})
        if part:
            if len(el):
                el[-1].tail = (el[-1].tail or "") + part
            else:
                el.text = (el.text or "") + part


def _lxml(text: str, value: str | None, empty_child: bool) -> bytes:
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    p = etree.SubElement(root, tei("p"), {"n": value, XML_ID: "d.p1"} if value is not None
                         else {})
    _lxml_text(p, text)
    if empty_child:
        etree.SubElement(p, tei("lb"))
        _lxml_text(p, text)
    out = etree.tostring(root, encoding="UTF-8")
    return out[out.index(b"<p"):out.rindex(b"</TEI>")]


def _markup(text: str, value: str | None, empty_child: bool) -> bytes:
    out = _Markup()
    mark = out.open("p", {"n": value, XML_ID: "d.p1"} if value is not None else None)
    out.text(text)
    if empty_child:
        out.empty("lb")
        out.text(text)
    out.close("p", mark)
    return "".join(out.parts).encode("utf-8")


@given(st.text(_XML_CHARS), st.none() | st.text(_XML_CHARS), st.booleans())
def test_text_and_attributes_are_escaped_as_lxml_escapes_them(text, value, empty_child):
    assert _markup(text, value, empty_child) == _lxml(text, value, empty_child)


@given(st.text())
def test_characters_xml_cannot_hold_become_g_as_in_the_tree(text):
    assert _markup(text, None, False) == _lxml(text, None, False)


def test_special_characters():
    for text in ("a & b < c > d", "]]>", "\r\n\t\"'", "Kádár’s"):
        assert _markup(text, text, True) == _lxml(text, text, True)
    assert _markup("\x0c", None, True) == _lxml("\x0c", None, True)


def test_an_attribute_xml_cannot_hold_is_refused_as_by_lxml():
    for build in (_markup, _lxml):
        with pytest.raises(ValueError):
            build("text", "a\x0cb", False)


def _standoff_by_lxml(entries: list[str]) -> str:
    """A standOff below a root, indented by lxml, as the writer once built it."""
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    standoff = etree.SubElement(root, tei("standOff"))
    lists: dict[str, etree._Element] = {}
    for xml in entries:
        entry = etree.fromstring(xml)
        name = "list" + etree.QName(entry).localname.capitalize()
        lists.setdefault(name, etree.Element(tei(name))).append(entry)
    for name in ("listPerson", "listPlace", "listOrg"):
        if name in lists:
            standoff.append(lists[name])
    etree.indent(standoff, space="  ", level=1)
    out = etree.tostring(root, encoding="unicode")
    return out[out.index("<standOff>"):out.rindex("</TEI>")]


def test_the_standoff_is_what_lxml_indents():
    from pathlib import Path

    from pipeline.entities.register import load_register
    from pipeline.tei.write import standoff_xml
    register, _notes = load_register(Path(__file__).parent.parent / "source" / "register.xml")
    entries = [e.xml for e in register.closure(set(register.entries))]
    assert len(entries) > 100
    assert standoff_xml(entries) == _standoff_by_lxml(entries)
    for k in range(0, len(entries), 97):  # a few alone, lists left out
        assert standoff_xml(entries[k:k + 1]) == _standoff_by_lxml(entries[k:k + 1])


# ----------------------------------------------------------------------------- the header

_NAMES = st.sampled_from(["title", "respStmt", "p", "idno", "date"])
_ATTRIBUTES = st.dictionaries(st.sampled_from(["type", "when", XML_ID]),
                              st.none() | st.text(_XML_CHARS), max_size=2)
#: (name, attributes, text or None, children): what the header's code builds
_TREES = st.recursive(
    st.tuples(_NAMES, _ATTRIBUTES, st.none() | st.text(), st.just([])),
    lambda children: st.tuples(_NAMES, _ATTRIBUTES, st.none(), st.lists(children, max_size=3)),
    max_leaves=8)


def _light(tree, parent: Element | None = None) -> Element:
    name, attrib, text, children = tree
    el = Element(name, attrib) if parent is None else sub(parent, name, attrib, text)
    if parent is None and text:
        add_text(el, text)
    for child in children:
        _light(child, el)
    return el


def _by_lxml(tree, level: int) -> str:
    """The tree built in lxml, indented by ``etree.indent`` and written by lxml."""
    def build(tree, parent):
        name, attrib, text, children = tree
        el = etree.SubElement(parent, tei(name), {k: v for k, v in attrib.items()
                                                  if v is not None})
        if text:
            _lxml_text(el, text)
        for child in children:
            build(child, el)
        return el
    holder = etree.Element(tei("TEI"), nsmap=NSMAP)
    el = build(tree, holder)
    etree.indent(el, space="  ", level=level)
    out = etree.tostring(holder, encoding="unicode")
    return out[out.index(">") + 1:out.rindex("</TEI>")]


@given(_TREES, st.integers(0, 3))
def test_the_header_is_written_as_lxml_indents_it(tree, level):
    assert _light(tree).xml(level) == _by_lxml(tree, level)


def test_header_text_with_controls_is_mixed_content_as_in_lxml():
    tree = ("respStmt", {}, None, [("resp", {}, "a\x0cb", []), ("title", {}, "\x0c", []),
                                   ("p", {"type": "x"}, "end\x0c", [])])
    assert "<g " in _light(tree).xml(1)
    assert _light(tree).xml(1) == _by_lxml(tree, 1)
