"""A document's metadata records (Dublin Core, METS), made and checked the same way for
every kind of package; only where the files lie (the hrefs) differs between packages."""

from __future__ import annotations

from dataclasses import dataclass

from .. import vocab
from ..diagnostics import Diagnostic, error
from ..tei.read import parse
from . import schemas as schema_check
from .dublin_core import Term, describe, oai_dc, to_bytes
from .edition import EditionDocument, EditionMeta, PackageDate
from .fixity import Fixity
from .mets import MetsFile, document_mets
from .schemas import Schemas


@dataclass(frozen=True)
class Records:
    terms: tuple[Term, ...]
    dc: bytes  # oai_dc
    mets: bytes


def records(d: EditionDocument, meta: EditionMeta, when: PackageDate,
            files: list[MetsFile]) -> Records:
    """The Dublin Core and METS of ``d``, its files as ``files`` locates them."""
    terms = describe(d, meta, when.day.isoformat())
    h = d.doc.header
    kind = vocab.DOC_TYPES.get(h.doc_type or "", ("document",))[0].lower()
    dc = oai_dc(terms)
    written = to_bytes(dc)  # before the METS takes the element in (and indents it anew)
    mets = document_mets(d.doc.id, h.title or d.doc.id, kind, dc, files,
                         f"{when.day.isoformat()}T00:00:00Z", meta.organization)
    return Records(terms, written, mets)


def mets_file(role: str, href: str, fixity: Fixity) -> MetsFile:
    return MetsFile(role, href, fixity.size, fixity.sha256)


def check(schemas: Schemas | None, rec: Records, where: str) -> list[Diagnostic]:
    """Both records against the official schemas (nothing to say when not set up)."""
    if schemas is None:
        return []
    out = []
    for name, schema, data in (("METS", schemas.mets, rec.mets),
                               ("Dublin Core (oai_dc)", schemas.oai_dc, rec.dc)):
        for problem in schema_check.problems(schema, parse(data).getroot()):
            out.append(error("E504", f"the {name} made for this document is not valid: "
                             f"{problem}", file=where,
                             hint="this is a bug in teipipe; please report it with the file"))
    return out
