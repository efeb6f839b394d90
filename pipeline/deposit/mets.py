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

from dataclasses import dataclass
from urllib.parse import quote

from lxml import etree

from .. import __version__
from .dublin_core import to_bytes

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


def document_mets(doc_id: str, label: str, kind: str, dc: etree._Element,
                  files: list[MetsFile], created: str, organization: str = "",
                  ) -> etree._Element:
    """The METS of one document (see the module docstring), to be checked and written
    (:func:`~.dublin_core.to_bytes`)."""
    root = _root(doc_id, label, created, organization)
    dmd = etree.SubElement(root, _m("dmdSec"), ID="dmd-dc")
    wrap = etree.SubElement(dmd, _m("mdWrap"), MDTYPE="DC", MIMETYPE="text/xml",
                            LABEL="Dublin Core (oai_dc), derived from the teiHeader")
    etree.SubElement(wrap, _m("xmlData")).append(dc)
    dmd_ids = ["dmd-dc"]
    tei = next((f for f in files if f.role == "tei"), None)
    if tei is not None:
        dmd = etree.SubElement(root, _m("dmdSec"), ID="dmd-tei")
        ref = etree.SubElement(dmd, _m("mdRef"), LOCTYPE="URL", MDTYPE="TEIHDR",
                               MIMETYPE=TEI_MIME, LABEL="the teiHeader of the TEI file")
        ref.set(f"{{{XLINK_NS}}}href", _url(tei.href))
        dmd_ids.append("dmd-tei")
    ids = _file_sec(root, files, "file")
    struct = etree.SubElement(root, _m("structMap"), TYPE="logical",
                              LABEL="the document and its files")
    div = etree.SubElement(struct, _m("div"), TYPE=kind, LABEL=label, DMDID=" ".join(dmd_ids))
    for file_id in ids:
        etree.SubElement(div, _m("fptr"), FILEID=file_id)
    return root


def edition_mets(edition_id: str, label: str, documents: list[tuple[str, str, str]],
                 files: list[MetsFile], created: str, organization: str = "") -> bytes:
    """The METS of the whole edition: one ``div`` per document (``mptr`` to its METS), and
    the files of the edition as a whole.  ``documents`` holds (id, label, METS href)."""
    root = _root(edition_id, label, created, organization)
    ids = _file_sec(root, files, "edition-file") if files else []
    struct = etree.SubElement(root, _m("structMap"), TYPE="logical",
                              LABEL="the edition and its documents")
    top = etree.SubElement(struct, _m("div"), TYPE="edition", LABEL=label)
    for file_id in ids:
        etree.SubElement(top, _m("fptr"), FILEID=file_id)
    for order, (doc_id, doc_label, href) in enumerate(documents, 1):
        div = etree.SubElement(top, _m("div"), TYPE="document", LABEL=doc_label,
                               ORDER=str(order), CONTENTIDS=doc_id)
        ptr = etree.SubElement(div, _m("mptr"), LOCTYPE="URL")
        ptr.set(f"{{{XLINK_NS}}}href", _url(href))
    return to_bytes(root)


def _root(obj_id: str, label: str, created: str, organization: str) -> etree._Element:
    root = etree.Element(_m("mets"), nsmap={"mets": METS_NS, "xlink": XLINK_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{METS_NS} {METS_XSD}")
    root.set("OBJID", obj_id)
    root.set("LABEL", label)
    root.set("TYPE", "Text")
    hdr = etree.SubElement(root, _m("metsHdr"), CREATEDATE=created)
    agent = etree.SubElement(hdr, _m("agent"), ROLE="CREATOR", TYPE="OTHER",
                             OTHERTYPE="SOFTWARE")
    etree.SubElement(agent, _m("name")).text = f"teipipe {__version__}"
    if organization:
        agent = etree.SubElement(hdr, _m("agent"), ROLE="DISSEMINATOR", TYPE="ORGANIZATION")
        etree.SubElement(agent, _m("name")).text = organization
    return root


def _file_sec(root: etree._Element, files: list[MetsFile], prefix: str) -> list[str]:
    sec = etree.SubElement(root, _m("fileSec"))
    ids: list[str] = []
    for role, (use, what) in USES.items():
        group = [f for f in files if f.role == role]
        if not group:
            continue
        grp = etree.SubElement(sec, _m("fileGrp"), USE=use)
        for n, f in enumerate(group, 1):
            file_id = f"{prefix}-{role}-{n}"
            el = etree.SubElement(grp, _m("file"), ID=file_id, MIMETYPE=f.mimetype,
                                  SIZE=str(f.size), CHECKSUM=f.sha256, CHECKSUMTYPE="SHA-256")
            loc = etree.SubElement(el, _m("FLocat"), LOCTYPE="URL")
            loc.set(f"{{{XLINK_NS}}}type", "simple")
            loc.set(f"{{{XLINK_NS}}}title", what)
            loc.set(f"{{{XLINK_NS}}}href", _url(f.href))
            ids.append(file_id)
    return ids


def _url(path: str) -> str:
    """A relative URL for a POSIX path: every character a URL cannot hold is escaped."""
    return quote(path, safe="/")


def _m(name: str) -> str:
    return f"{{{METS_NS}}}{name}"
