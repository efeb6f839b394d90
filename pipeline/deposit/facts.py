"""What a package needs from a TEI file, as small JSON-able data.

A package describes each document from its ``teiHeader`` (Dublin Core, METS, the README's
list).  Holding every parsed tree of a 10,000-document edition would cost gigabytes, and
parsing every TEI file again after a one-page change costs seconds, so a TEI file is read
once into these facts (the header, the language, the web page's publisher, where the source
page is) and the facts are remembered by the file's content (:mod:`.fixity`).
"""

from __future__ import annotations

import atexit
import marshal
import os
import tempfile
import threading
from dataclasses import dataclass, fields
from typing import BinaryIO

from lxml import etree

from ..model import Body, Document, Header, Party, SourceInfo
from ..tei.ns import NS, XML_LANG
from ..tei.read import read_tei

PUBLISHER = "tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl[@type='web-page']/tei:publisher"


def read_facts(tree: etree._ElementTree) -> dict:
    """The facts of a parsed TEI file (:class:`~pipeline.tei.read.TEIError` when it is not
    TEI teipipe reads)."""
    return facts_of(read_tei(tree, text=False), tree.getroot())


def facts_of(doc: Document, root: etree._Element) -> dict:
    """The facts of the TEI file whose root is ``root`` and whose document (its header at
    least: the body is not looked at) is ``doc``."""
    publisher = root.find(PUBLISHER, NS)
    return {"id": doc.id, "header": header_data(doc.header), "source": doc.source.path,
            "lang": root.get(XML_LANG, ""),
            "publisher": "".join(publisher.itertext()).strip() if publisher is not None
            else None}


def header_data(h: Header) -> dict:
    """A :class:`Header` as JSON-able data (what ``dataclasses.asdict`` gives, tuples as
    lists, without its deep copies of every string)."""
    return {name: [dict(vars(v)) if isinstance(v, Party) else v for v in value]
            if isinstance(value, tuple) else value
            for name, value in ((name, getattr(h, name)) for name in _HEADER_FIELDS)}


@dataclass(frozen=True, slots=True)
class Packed:
    """A TEI file's facts as :mod:`marshal` bytes: ~1.5 KB where the dicts and strings
    take ~4.7 KB, and a deposit holds every document's from the time the edition is
    gathered until its last package is made (the edition and the file memory share
    them: :mod:`.fixity`).  Unpacked where they are used: once per document and package,
    where its records are made (7 microseconds)."""

    data: bytes

    def unpack(self) -> dict:
        return marshal.loads(self.data)


@dataclass(frozen=True, slots=True)
class Spilled:
    """:class:`Packed` facts kept on disk: where they lie in this process's spill file
    (:func:`spill`), two numbers where the bytes took ~1.5 KB a document.  Read back where
    they are used (:meth:`unpack`), by this process or a worker forked from it, which
    inherits the file."""

    offset: int
    size: int

    def unpack(self) -> dict:
        return marshal.loads(os.pread(_spill_file().fileno(), self.size, self.offset))


def spill(facts: Packed) -> Spilled:
    """The facts written to the end of this process's spill file (an unnamed temporary file,
    gone with the process: what a run gathered of its edition is of no use after it)."""
    with _LOCK:
        handle = _spill_file()
        offset = handle.seek(0, os.SEEK_END)
        handle.write(facts.data)
        handle.flush()
    return Spilled(offset, len(facts.data))


_SPILL: list[BinaryIO] = []  # the spill file, once made
_LOCK = threading.Lock()


def _spill_file() -> BinaryIO:
    if not _SPILL:
        _SPILL.append(tempfile.TemporaryFile())
        atexit.register(_SPILL[0].close)
    return _SPILL[0]


def pack(facts: dict | Packed) -> Packed:
    """The facts :class:`Packed` (as they are when they are already)."""
    return facts if isinstance(facts, Packed) else Packed(marshal.dumps(facts))


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
