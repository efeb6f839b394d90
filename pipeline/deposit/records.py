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
    is checked against its schema once per run, not once per package; any other METS (one
    that lists other files, say) is checked in full.  That includes the DSpace METS of a
    document whose HTML edition holds copies of its TEI and text (as ``teipipe export``
    makes it): its item lists those bytes once (:func:`.saf.item_names`), so its METS lists
    two files fewer than the bag's."""

    dc: set[str] = field(default_factory=set)
    mets: set[bytes] = field(default_factory=set)

    def learn(self, stem: str, form: bytes | None) -> None:
        """The records of the document ``stem`` were found valid, its METS of the shape
        ``form`` (:attr:`Records.shape`)."""
        self.dc.add(stem)
        if form is not None:
            self.mets.add(form)


@dataclass(frozen=True)
class Records:
    terms: tuple[Term, ...]
    dc: bytes | None  # oai_dc (None: not made, see :func:`records`)
    mets: bytes
    problems: tuple[Diagnostic, ...] = ()  # what the schemas say of them
    shape: bytes | None = None  # the METS's :func:`shape` (None: not taken)


def records(d: EditionDocument, meta: EditionMeta, when: PackageDate, files: list[MetsFile],
            schemas: Schemas | None, valid: Valid | None = None) -> Records:
    """The Dublin Core and METS of ``d``, its files as ``files`` locates them, checked
    against the official schemas (problems are reported for the document's TEI file).

    ``valid``: what packages made before in this run found valid.  A Dublin Core found
    valid is neither made again (:attr:`Records.dc` is None) nor checked again, nor is a
    METS of a shape found valid (see :class:`Valid`), unless the other record is not valid
    and both are reported.  With ``valid``, the METS's shape is taken
    (:attr:`Records.shape`), for the packages made after this one."""
    doc = d.doc
    terms = describe(d, doc, meta, when.day.isoformat())
    h = doc.header
    kind = vocab.DOC_TYPES.get(h.doc_type or "", ("document",))[0].lower()
    written = None if valid is not None and d.stem in valid.dc else document(oai_dc(terms))
    mets = document_mets(doc.id, h.title or doc.id, kind, oai_dc(terms, inside=True), files,
                         f"{when.day.isoformat()}T00:00:00Z", meta.organization)
    known, form = False, None
    if valid is None:
        data = document(mets)
    else:
        data, hollow, hrefs = apart(mets, HREF)
        form = shape(hollow)
        known = form in valid.mets and all(PLAIN_URI.fullmatch(href) for href in hrefs)
    problems = ()
    if schemas is not None and not ((written is None or schemas.oai_dc.validate(parse(written)))
                                    and (known or schemas.mets.validate(parse(data)))):
        problems = tuple(check(schemas, data, written or document(oai_dc(terms)),
                               display_path(Path(d.files[0].path))))
    return Records(terms, written, data, problems, form)


def shape(hollow: bytes) -> bytes:
    """The shape of a METS: a digest of its bytes with every href left empty
    (:func:`.xmltext.apart`)."""
    return hashlib.sha256(hollow).digest()


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
