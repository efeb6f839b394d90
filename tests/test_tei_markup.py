"""The writer's body text is byte for byte what lxml writes for the same elements.

The TEI body is written as text (``pipeline.tei.write._Markup``) while the rest of a file is
an lxml tree; a file must not depend on which of the two wrote a part, so the escaping and
the empty-element form are held against lxml here, on any text and attribute value.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from pipeline.tei.ns import NSMAP, XML_ID, tei
from pipeline.tei.write import _Markup, add_text

#: Characters XML 1.0 can hold (the writer turns the others into <g>, tested below).
_XML_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters=[
    chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]])


def _lxml(text: str, value: str | None, empty_child: bool) -> bytes:
    root = etree.Element(tei("TEI"), nsmap=NSMAP)
    p = etree.SubElement(root, tei("p"), {"n": value, XML_ID: "d.p1"} if value is not None
                         else {})
    add_text(p, text)
    if empty_child:
        etree.SubElement(p, tei("lb"))
        add_text(p, text)
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
