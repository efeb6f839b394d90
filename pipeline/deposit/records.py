"""A document's metadata records (Dublin Core, METS), made and checked the same way for
every kind of package; only where the files lie (the hrefs) differs between packages."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import vocab
from ..diagnostics import Diagnostic, error
from ..files import display_path
from ..tei.read import parse
from . import schemas as schema_check
from .dublin_core import Term, describe, oai_dc
from .edition import EditionDocument, EditionMeta, PackageDate
from .fixity import Fixity
from .mets import MetsFile, document_mets
from .schemas import Schemas
from .xmltext import apart, document

#: The attribute that says where a file lies, the one part of a document's METS that
#: differs between packages.  The METS schema gives it the type ``xs:anyURI`` (the XLink
#: schema it imports), and no key, unique or reference of the schema looks at it.
HREF = "xlink:href"

#: A relative reference every ``xs:anyURI`` check takes (RFC 3986: unreserved characters,
#: ``/`` and percent-escapes, which is all :func:`.mets._url` writes; no ``:``, so no
#: scheme, and nothing XML escapes, so as written is as read).  Anything else is left to the
#: schema.
PLAIN_URI = re.compile(r"(?:[A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2})*")


@dataclass
class Valid:
    """What the packages made before in this run found valid: the documents whose oai_dc
    is (the same record in every package of a run), and the *shapes* of the METS that are
    (:func:`shape`).  A document's METS in one package and in another differ only in their
    hrefs, which the schema checks one by one, each for itself (:data:`HREF`): a METS of a
    shape found valid, whose hrefs are all :data:`PLAIN_URI`, is valid too.  So each record
    is checked against its schema once per run, not once per package; any other METS is
    checked in full.

    A DSpace item lists fewer files than the bag's METS when the HTML edition holds copies
    of the document's TEI and text (as ``teipipe export`` makes it: the item lists those
    bytes once, :func:`.saf.item_names`).  The package that checks a METS also takes the
    shape of the METS it would make listing only ``fewer`` of its files (:func:`records`),
    valid as well when they are :func:`within` its files: the schema lets a ``fileGrp`` hold
    any number of ``file`` elements and a ``div`` any number of ``fptr``, the file IDs are
    numbered anew (unique still) and every ``FILEID`` points at one of them, and a
    ``fileSec`` keeps a group as long as one file is left."""

    dc: set[str] = field(default_factory=set)
    mets: set[bytes] = field(default_factory=set)

    def learn(self, stem: str, forms: tuple[bytes, ...]) -> None:
        """The records of the document ``stem`` were found valid, its METS of the shapes
        ``forms`` (:attr:`Records.shapes`)."""
        self.dc.add(stem)
        self.mets.update(forms)


@dataclass(frozen=True)
class Records:
    terms: tuple[Term, ...]
    dc: bytes | None  # oai_dc (None: not made, see :func:`records`)
    mets: bytes
    problems: tuple[Diagnostic, ...] = ()  # what the schemas say of them
    #: The METS's :func:`shape` (none: not taken), then that of the METS listing ``fewer``.
    shapes: tuple[bytes, ...] = ()


def records(d: EditionDocument, meta: EditionMeta, when: PackageDate, files: list[MetsFile],
            schemas: Schemas | None, valid: Valid | None = None,
            fewer: list[MetsFile] | None = None) -> Records:
    """The Dublin Core and METS of ``d``, its files as ``files`` locates them, checked
    against the official schemas (problems are reported for the document's TEI file).

    ``valid``: what packages made before in this run found valid.  A Dublin Core found
    valid is neither made again (:attr:`Records.dc` is None) nor checked again, nor is a
    METS of a shape found valid (see :class:`Valid`), unless the other record is not valid
    and both are reported.  With ``valid``, the METS's shape is taken
    (:attr:`Records.shapes`), for the packages made after this one, and so is that of the
    METS listing ``fewer`` of the files instead, when they are :func:`within` ``files``
    (what another package lists of the document: see :class:`Valid`)."""
    doc = d.doc
    terms = describe(d, doc, meta, when.day.isoformat())
    h = doc.header
    kind = vocab.DOC_TYPES.get(h.doc_type or "", ("document",))[0].lower()
    written = None if valid is not None and d.stem in valid.dc else document(oai_dc(terms))
    inside, created = oai_dc(terms, inside=True), f"{when.day.isoformat()}T00:00:00Z"
    mets = document_mets(doc.id, h.title or doc.id, kind, inside, files, created,
                         meta.organization)
    known = False
    forms: tuple[bytes, ...] = ()
    if valid is None:
        data = document(mets)
    else:
        data, hollow, hrefs = apart(mets, HREF)
        forms = (shape(hollow),)
        known = forms[0] in valid.mets and all(PLAIN_URI.fullmatch(href) for href in hrefs)
        if fewer is not None and within(fewer, files):
            forms += (shape(apart(document_mets(doc.id, h.title or doc.id, kind, inside,
                                                fewer, created, meta.organization),
                                  HREF)[1]),)
    problems = ()
    if schemas is not None and not ((written is None or schemas.oai_dc.validate(parse(written)))
                                    and (known or schemas.mets.validate(parse(data)))):
        problems = tuple(check(schemas, data, written or document(oai_dc(terms)),
                               display_path(Path(d.files[0].path))))
    return Records(terms, written, data, problems, forms)


def shape(hollow: bytes) -> bytes:
    """The shape of a METS: a digest of its bytes with every href left empty
    (:func:`.xmltext.apart`)."""
    return hashlib.sha256(hollow).digest()


def within(fewer: list[MetsFile], files: list[MetsFile]) -> bool:
    """Whether the METS listing ``fewer`` is the METS listing ``files`` with some of its
    ``file`` elements left out (and their ``fptr``), hrefs aside: at least one file, and
    of each kind the files in the order ``files`` has them (a METS groups its files by
    kind: :func:`.mets.document_mets`), each with its size and SHA-256."""
    if not fewer:
        return False
    left = {role: iter([(f.size, f.sha256) for f in files if f.role == role])
            for role in {f.role for f in files}}
    return all(f.role in left and (f.size, f.sha256) in left[f.role] for f in fewer)


def mets_file(role: str, href: str, fixity: Fixity) -> MetsFile:
    return MetsFile(role, href, fixity.size, fixity.sha256)


def check(schemas: Schemas, mets: bytes, dc: bytes, where: str) -> list[Diagnostic]:
    """Both records, as written, against the official schemas: each problem with its line
    (the records are checked as they are made; this says what is wrong when one is not
    valid)."""
    out = []
    for name, schema, data in (("METS", schemas.mets, mets),
                               ("Dublin Core (oai_dc)", schemas.oai_dc, dc)):
        for problem in schema_check.problems(schema, parse(data).getroot()):
            out.append(error("E504", f"the {name} made for this document is not valid: "
                             f"{problem}", file=where,
                             hint="this is a bug in teipipe; please report it with the file"))
    return out
