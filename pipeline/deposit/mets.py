"""METS: one file per document tying its files together, with their checksums.

A METS document is what Fedora/Islandora, Archivematica and DSpace's METS packager read to
know which files make up an object and what they are.  Each document's METS has:

- ``metsHdr``: the package date and the software that made it;
- ``dmdSec dmd-dc``: its Dublin Core (``oai_dc``, MDTYPE DC) wrapped in;
- ``dmdSec dmd-tei``: a reference to its ``teiHeader`` (MDTYPE TEIHDR), the full record;
- ``fileSec``: one ``fileGrp`` per kind of file (TEI, SOURCE, HTML, TEXT), each file with
  MIME type, size and SHA-256, located by a relative URL;
- ``structMap``: the document as one ``div`` pointing at its metadata and files.

The edition's METS (:func:`edition_mets`) points at the documents' METS files (``mptr``) and
lists the files that belong to the edition as a whole (register, schema, site files).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from urllib.parse import quote

from .. import __version__
from .xmltext import Element, document

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
METS_XSD = "http://www.loc.gov/standards/mets/mets.xsd"

#: Kind of file -> (METS fileGrp USE, what it is).
USES = {
    "tei": ("TEI", "the TEI P5 encoding: the edition's master file"),
    "source": ("SOURCE", "the archive page the TEI was made from"),
    "html": ("HTML", "the HTML reading edition"),
    "text": ("TEXT", "the plain-text edition"),
    "edition": ("EDITION", "files of the edition as a whole"),
}

#: MIME types by file name ending; a fixed table, so that the output does not depend on the
#: machine's ``mime.types``.
MIME_TYPES = {
    ".xml": "application/xml", ".html": "text/html", ".htm": "text/html",
    ".txt": "text/plain", ".md": "text/markdown", ".css": "text/css",
    ".js": "text/javascript", ".json": "application/json", ".rng": "application/xml",
    ".xsd": "application/xml", ".sch": "application/xml", ".odd": "application/xml",
    ".rnc": "application/relax-ng-compact-syntax", ".svg": "image/svg+xml",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".csv": "text/csv",
    ".tsv": "text/tab-separated-values", ".woff2": "font/woff2", ".pdf": "application/pdf",
}
TEI_MIME = "application/tei+xml"  # RFC 6129


@dataclass(frozen=True)
class MetsFile:
    """A file as METS lists it: its kind, where it is from the METS file, size, SHA-256."""

    role: str
    href: str  # POSIX path relative to the METS file
    size: int
    sha256: str

    @property
    def mimetype(self) -> str:
        if self.role == "tei":
            return TEI_MIME
        suffix = "." + self.href.rsplit(".", 1)[-1].lower() if "." in self.href else ""
        return MIME_TYPES.get(suffix, "application/octet-stream")


def document_mets(doc_id: str, label: str, kind: str, dc: Element,
                  files: list[MetsFile], created: str, organization: str = "") -> Element:
    """The METS of one document (see the module docstring), ``dc`` its Dublin Core (for a
    METS file: :func:`~.dublin_core.oai_dc` ``inside``), to be written
    (:func:`~.xmltext.document`)."""
    dmd: list[Element] = [("mets:dmdSec", [("ID", "dmd-dc")], [
        ("mets:mdWrap", [("MDTYPE", "DC"), ("MIMETYPE", "text/xml"),
                         ("LABEL", "Dublin Core (oai_dc), derived from the teiHeader")],
         [("mets:xmlData", [], [dc])])])]
    dmd_ids = ["dmd-dc"]
    tei = next((f for f in files if f.role == "tei"), None)
    if tei is not None:
        dmd.append(("mets:dmdSec", [("ID", "dmd-tei")], [
            ("mets:mdRef", [("LOCTYPE", "URL"), ("MDTYPE", "TEIHDR"), ("MIMETYPE", TEI_MIME),
                            ("LABEL", "the teiHeader of the TEI file"),
                            ("xlink:href", _url(tei.href))], None)]))
        dmd_ids.append("dmd-tei")
    sec, ids = _file_sec(files, "file")
    pointers: list[Element] = [("mets:fptr", [("FILEID", file_id)], None) for file_id in ids]
    div: Element = ("mets:div", [("TYPE", kind), ("LABEL", label),
                                 ("DMDID", " ".join(dmd_ids))], pointers)
    return _root(doc_id, label, created, organization, [
        *dmd, sec, ("mets:structMap", [("TYPE", "logical"),
                                       ("LABEL", "the document and its files")], [div])])


def edition_mets(edition_id: str, label: str, documents: Iterable[tuple[str, str, str]],
                 files: list[MetsFile], created: str, organization: str = "") -> bytes:
    """The METS of the whole edition: one ``div`` per document (``mptr`` to its METS), and
    the files of the edition as a whole.  ``documents`` holds (id, label, METS href)."""
    return b"".join(edition_mets_pieces(edition_id, label, documents, files, created,
                                        organization))


def edition_mets_pieces(edition_id: str, label: str, documents: Iterable[tuple[str, str, str]],
                        files: list[MetsFile], created: str, organization: str = "",
                        ) -> Iterator[bytes]:
    """:func:`edition_mets` in pieces, ``documents`` taken as they are written (the METS of
    10,000 documents was ~20 MB as elements and text): the whole with a mark where the
    documents' ``div`` go, each of which is written on its own and indented as it would be
    there (its attributes hold no line end: :mod:`.xmltext` escapes them).  An edition div
    with no content is written whole (an empty element)."""
    sec, ids = _file_sec(files, "edition-file") if files else (None, [])
    top: list[Element] = [("mets:fptr", [("FILEID", file_id)], None) for file_id in ids]
    docs = iter(documents)
    first = next(docs, None)
    if first is not None:
        top.append((_MARK, [], None))
    edition: list[Element] = [("mets:div", [("TYPE", "edition"), ("LABEL", label)], top)]
    struct: Element = ("mets:structMap", [("TYPE", "logical"),
                                          ("LABEL", "the edition and its documents")], edition)
    whole = document(_root(edition_id, label, created, organization,
                           [sec, struct] if sec is not None else [struct]))
    if first is None:
        yield whole
        return
    head, _mark, tail = whole.partition(f"<{_MARK}/>".encode())
    newline = head[head.rindex(b"\n"):]
    yield head[:-len(newline)]
    divs = enumerate(chain((first,), docs), 1)
    while chunk := list(islice(divs, _DIVS)):
        yield b"".join(newline + _document_div(order, doc_id, doc_label, href, newline)
                       for order, (doc_id, doc_label, href) in chunk)
    yield tail


#: Where the documents' ``div`` go in :func:`edition_mets_pieces` (no name METS uses).
_MARK = "teipipe-documents"
#: Documents' ``div`` written in one piece.
_DIVS = 512


def _document_div(order: int, doc_id: str, doc_label: str, href: str, newline: bytes) -> bytes:
    """A document's ``div`` in the edition's METS, indented at ``newline``."""
    pointer: list[Element] = [("mets:mptr", [("LOCTYPE", "URL"),
                                             ("xlink:href", _url(href))], None)]
    div: Element = ("mets:div", [("TYPE", "document"), ("LABEL", doc_label),
                                 ("ORDER", str(order)), ("CONTENTIDS", doc_id)], pointer)
    alone = document(div)
    return alone[alone.index(b"\n") + 1:-1].replace(b"\n", newline)


def _root(obj_id: str, label: str, created: str, organization: str,
          sections: list[Element]) -> Element:
    agents: list[Element] = [("mets:agent", [("ROLE", "CREATOR"), ("TYPE", "OTHER"),
                                             ("OTHERTYPE", "SOFTWARE")],
                              [("mets:name", [], f"teipipe {__version__}")])]
    if organization:
        agents.append(("mets:agent", [("ROLE", "DISSEMINATOR"), ("TYPE", "ORGANIZATION")],
                       [("mets:name", [], organization)]))
    return ("mets:mets", [("xmlns:mets", METS_NS), ("xmlns:xlink", XLINK_NS),
                          ("xmlns:xsi", XSI_NS), ("xsi:schemaLocation", f"{METS_NS} {METS_XSD}"),
                          ("OBJID", obj_id), ("LABEL", label), ("TYPE", "Text")],
            [("mets:metsHdr", [("CREATEDATE", created)], agents), *sections])


def _file_sec(files: list[MetsFile], prefix: str) -> tuple[Element, list[str]]:
    groups: list[Element] = []
    ids: list[str] = []
    for role, (use, what) in USES.items():
        group: list[Element] = []
        for n, f in enumerate((f for f in files if f.role == role), 1):
            file_id = f"{prefix}-{role}-{n}"
            group.append(("mets:file", [
                ("ID", file_id), ("MIMETYPE", f.mimetype), ("SIZE", str(f.size)),
                ("CHECKSUM", f.sha256), ("CHECKSUMTYPE", "SHA-256")],
                [("mets:FLocat", [("LOCTYPE", "URL"), ("xlink:type", "simple"),
                                  ("xlink:title", what), ("xlink:href", _url(f.href))], None)]))
            ids.append(file_id)
        if group:
            groups.append(("mets:fileGrp", [("USE", use)], group))
    return ("mets:fileSec", [], groups), ids


def _url(path: str) -> str:
    """A relative URL for a POSIX path: every character a URL cannot hold is escaped."""
    return quote(path, safe="/")
