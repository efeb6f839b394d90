"""A document's metadata records (Dublin Core, METS), made and checked the same way for
every kind of package; only where the files lie (the hrefs) differs between packages."""

from __future__ import annotations

from dataclasses import dataclass
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
from .xmltext import document


@dataclass(frozen=True)
class Records:
    terms: tuple[Term, ...]
    dc: bytes | None  # oai_dc (None: not made, see :func:`records`)
    mets: bytes
    problems: tuple[Diagnostic, ...] = ()  # what the schemas say of them


def records(d: EditionDocument, meta: EditionMeta, when: PackageDate, files: list[MetsFile],
            schemas: Schemas | None, dc_valid: bool = False) -> Records:
    """The Dublin Core and METS of ``d``, its files as ``files`` locates them, checked
    against the official schemas (problems are reported for the document's TEI file).

    ``dc_valid``: a package made before in this run found ``d``'s oai_dc valid.  It is the
    same record in every package of a run (only the METS's hrefs differ), so it is neither
    made again (:attr:`Records.dc` is None) nor checked again, unless the METS is not valid
    and both are reported."""
    doc = d.doc
    terms = describe(d, doc, meta, when.day.isoformat())
    h = doc.header
    kind = vocab.DOC_TYPES.get(h.doc_type or "", ("document",))[0].lower()
    written = None if dc_valid else document(oai_dc(terms))
    data = document(document_mets(doc.id, h.title or doc.id, kind, oai_dc(terms, inside=True),
                                  files, f"{when.day.isoformat()}T00:00:00Z", meta.organization))
    problems = ()
    if schemas is not None and not ((written is None or schemas.oai_dc.validate(parse(written)))
                                    and schemas.mets.validate(parse(data))):
        problems = tuple(check(schemas, data, written or document(oai_dc(terms)),
                               display_path(Path(d.files[0].path))))
    return Records(terms, written, data, problems)


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
