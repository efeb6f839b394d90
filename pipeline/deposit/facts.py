"""What a package needs from a TEI file, as small JSON-able data.

A package describes each document from its ``teiHeader`` (Dublin Core, METS, the README's
list).  Holding every parsed tree of a 10,000-document edition would cost gigabytes, and
parsing every TEI file again after a one-page change costs seconds, so a TEI file is read
once into these facts (the header, the language, the web page's publisher, where the source
page is) and the facts are remembered by the file's content (:mod:`.fixity`).
"""

from __future__ import annotations

from dataclasses import fields

from lxml import etree

from ..model import Body, Document, Header, Party, SourceInfo
from ..tei.ns import NS, XML_ID, XML_LANG, tei
from ..tei.read import TEIError, read_header, record

HEADER = tei("teiHeader")
#: Bytes of a TEI file parsed at a time, until its header is complete (most headers are
#: 5 to 7 KB).
PIECE = 8192
PUBLISHER = "tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl[@type='web-page']/tei:publisher"


def read_facts(data: bytes) -> dict:
    """The facts of a TEI file's bytes (:class:`~pipeline.tei.read.TEIError` when it is
    not TEI teipipe reads; :class:`lxml.etree.XMLSyntaxError` when what is read of it is
    not well-formed).

    Only what comes before the end of the ``teiHeader`` is parsed (:func:`header_tree`):
    the header is a fifth of a file, and parsing the body cost more than reading the facts
    did.  What the body holds is the exports' and the validator's to check."""
    tree = header_tree(data)
    root = tree.getroot()
    if root.tag != tei("TEI"):
        raise TEIError(f"the root element is {root.tag!r}, not TEI")
    publisher = root.find(PUBLISHER, NS)
    return {"id": root.get(XML_ID, ""), "header": header_data(read_header(root)),
            "source": record(tree).get("source", ""), "lang": root.get(XML_LANG, ""),
            "publisher": "".join(publisher.itertext()).strip() if publisher is not None
            else None}


def header_tree(data: bytes) -> etree._ElementTree:
    """The tree of ``data`` as far as the end of its ``teiHeader`` (all of it when it has
    none), parsed as safely as :func:`~pipeline.tei.read.parse` parses."""
    parser = etree.XMLPullParser(events=("end",), tag=HEADER, resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=False)
    for start in range(0, len(data), PIECE):
        parser.feed(data[start:start + PIECE])
        for _event, header in parser.read_events():
            return header.getroottree()
    return etree.ElementTree(parser.close())


def header_data(h: Header) -> dict:
    """A :class:`Header` as JSON-able data (what ``dataclasses.asdict`` gives, tuples as
    lists, without its deep copies of every string)."""
    return {name: [dict(vars(v)) if isinstance(v, Party) else v for v in value]
            if isinstance(value, tuple) else value
            for name, value in ((name, getattr(h, name)) for name in _HEADER_FIELDS)}


def document(facts: dict) -> Document:
    """The header-only document the facts describe."""
    return Document(facts["id"], header(facts["header"]), Body(), SourceInfo(facts["source"]))


def header(data: dict) -> Header:
    """A :class:`Header` from its :func:`header_data` (lists back to tuples, parties to
    Party)."""
    values = {}
    for f in fields(Header):
        value = data[f.name]
        if isinstance(value, (list, tuple)):
            value = tuple(Party(**v) if isinstance(v, dict) else v for v in value)
        values[f.name] = value
    return Header(**values)


_HEADER_FIELDS = tuple(f.name for f in fields(Header))
