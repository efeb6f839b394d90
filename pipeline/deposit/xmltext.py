"""Small XML records written as text, in the bytes lxml writes for them.

Every document of a deposit gets a Dublin Core record, a METS file and, in a DSpace batch,
a ``dublin_core.xml``: tens of elements each, tens of thousands of records per edition.
Building them as lxml trees, indenting and serializing them cost about a quarter of a
millisecond per record (an element made from Python costs about a microsecond, and the
indenting walks the tree again); writing the same text from a few nested tuples costs a
tenth of that.  The bytes are those of ``etree.indent(root, space="  ")`` and
``etree.tostring(root, encoding="UTF-8")`` after an XML declaration, with a final newline
(the tests hold the lxml builders as the reference and compare the two on hostile
values): text escapes ``& < >`` and carriage returns, attribute values ``& < > "``, tabs,
line ends and carriage returns, and a character XML cannot hold is refused with the
:class:`ValueError` lxml raises.  A record that is to be checked against a schema is
parsed back from these bytes (lxml's C parser costs less than building the tree).
"""

from __future__ import annotations

import re
from typing import Union

#: An element: its qualified name (``prefix:local``), its attributes in order (namespace
#: declarations first, as ``xmlns:prefix``), and its content: text, child elements, or
#: None (empty).
Element = tuple[str, list[tuple[str, str]], Union[str, list["Element"], None]]

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
INDENT = "  "

#: What text and attribute values must escape, and what lxml refuses to put in a tree:
#: control characters but tab and line ends, and the non-characters U+FFFE and U+FFFF.
_SPECIAL = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_REFUSED = "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control " \
    "characters"


def document(root: Element) -> bytes:
    """``root`` as an indented UTF-8 XML file: declaration, element, final newline."""
    out = [DECLARATION]
    _write(root, "\n", out, "", [])
    out.append("\n")
    return "".join(out).encode("utf-8")


def apart(root: Element, attribute: str) -> tuple[bytes, bytes, list[str]]:
    """:func:`document` of ``root``; the same bytes with the value of every ``attribute``
    (a qualified name, as ``root`` holds it) left empty; and those values, as written, in
    order.  Two records whose second bytes are the same differ in those values alone
    (cut out where they are written, not searched for in the text): a METS made for one
    package and the same document's METS in another differ in where their files lie
    (:func:`.records.records`)."""
    out = [DECLARATION]
    holes: list[int] = []
    _write(root, "\n", out, attribute, holes)
    out.append("\n")
    whole = "".join(out).encode("utf-8")
    values = []
    for n in holes:
        values.append(out[n])
        out[n] = ""
    return whole, "".join(out).encode("utf-8"), values


def _write(element: Element, newline: str, out: list[str], attribute: str,
           holes: list[int]) -> None:
    """``element`` onto ``out``; ``newline`` is a line end and its indentation; the value of
    each ``attribute`` is a piece of its own, whose place in ``out`` goes to ``holes``."""
    name, attributes, content = element
    out.append("<" + name)
    for key, value in attributes:
        written = _attribute(value) if _SPECIAL.search(value) else value
        if key == attribute:
            out.append(f' {key}="')
            holes.append(len(out))
            out.append(written)
            out.append('"')
        else:
            out.append(f' {key}="{written}"')
    if content is None or (not content and not isinstance(content, str)):
        out.append("/>")
    elif isinstance(content, str):
        out.append(f">{_text(content) if _SPECIAL.search(content) else content}</{name}>")
    else:
        inner = newline + INDENT
        out.append(">")
        for child in content:
            out.append(inner)
            _write(child, inner, out, attribute, holes)
        out.append(f"{newline}</{name}>")


def _text(value: str) -> str:
    _check(value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace("\r", "&#13;")


def _attribute(value: str) -> str:
    _check(value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;") \
        .replace("\r", "&#13;")


def _check(value: str) -> None:
    if _NOT_XML.search(value):
        raise ValueError(_REFUSED)
