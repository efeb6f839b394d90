"""Dublin Core for one document, derived from its ``teiHeader``.

One list of :class:`Term` serves two serializations: unqualified Dublin Core in the OAI-PMH
``oai_dc`` container (what METS embeds and what any harvester reads) and DSpace's own
``dublin_core.xml`` (qualified, element/qualifier pairs from DSpace's default registry, so
that a batch import needs no registry changes).  The mapping, header field by field:

=====================================  ================  ===============================
teiHeader                              oai_dc            DSpace (schema ``dc``)
=====================================  ================  ===============================
title[@type=main]                      title             title
author, correspAction[@type=sent]      creator           contributor.author
respStmt translator / obtained by      contributor       contributor.other
creation/date/@when                    date (W3CDTF)     date.created
(the package date)                     --                date.issued
abstract                               description       description.abstract
langUsage original language            description       description
classification (classDecl/catRef)      description       description
funder                                 --                description.sponsorship
keywords[@n=associated-topics]         subject           subject
keywords[@n=associated-places]         coverage          coverage.spatial
TEI/@xml:lang (BCP 47 / ISO 639-1)     language          language.iso
availability/p                         rights            rights
msIdentifier: repository, place, ref   source            relation.isbasedon
web page: publisher, record ID         source            relation.isbasedon
TEI/@xml:id                            identifier        identifier.other
DCMI Type "Text"; kind of document     type              type
edition.toml: publisher, title         publisher, rel.   publisher, relation.ispartof
=====================================  ================  ===============================

DSpace's registry has no ``contributor.translator`` (it was removed in 2001) and marks
``dc.creator`` and ``dc.source`` "only for harvested metadata"; hence the qualified forms.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import vocab
from ..model import Document, Header
from .edition import EditionDocument, EditionMeta
from .xmltext import Element, document

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_XSD = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

#: The fifteen elements in the order DCMI lists them (the order of the output).
DC_ELEMENTS = ("title", "creator", "subject", "description", "publisher", "contributor",
               "date", "type", "format", "identifier", "source", "language", "relation",
               "coverage", "rights")

DCMI_TEXT = "Text"  # DCMI Type Vocabulary: "a resource consisting primarily of words"


@dataclass(frozen=True)
class Term:
    """One statement about a document, in each of the two vocabularies.

    ``dc`` is the unqualified DC element (``None``: not said in oai_dc); ``dspace`` is the
    (element, qualifier) pair of DSpace's registry (``None``: not said in DSpace).
    """

    dc: str | None
    dspace: tuple[str, str | None] | None
    value: str
    lang: str | None = None


def describe(d: EditionDocument, doc: Document, meta: EditionMeta,
             issued: str) -> tuple[Term, ...]:
    """The Dublin Core of one document, ``doc`` its model (see the module docstring for the
    mapping)."""
    h = doc.header
    lang = d.lang or None
    terms: list[Term] = [Term("title", ("title", None), h.title, lang)]
    terms += [Term("creator", ("contributor", "author"), name) for name in creators(h)]
    terms += [Term("contributor", ("contributor", "other"), name) for name in contributors(h)]
    if h.date_when:
        terms.append(Term("date", ("date", "created"), h.date_when))
    terms.append(Term(None, ("date", "issued"), issued))
    if h.summary:
        terms.append(Term("description", ("description", "abstract"), h.summary, lang))
    original = vocab.LANGUAGE_NAMES.get(h.source_language or "")
    if original and h.source_language != d.lang:
        terms.append(Term("description", ("description", None),
                          f"Translated from {original}.", "en"))
    if h.classification in vocab.CLASSIFICATIONS:
        label = vocab.CLASSIFICATIONS[h.classification][0]
        terms.append(Term("description", ("description", None),
                          f"Classification marked on the original: {label}.", "en"))
    if h.funder:
        terms.append(Term(None, ("description", "sponsorship"), h.funder))
    terms += [Term("subject", ("subject", None), topic, lang) for topic in h.topics]
    terms += [Term("coverage", ("coverage", "spatial"), place) for place in h.places]
    if d.lang:
        terms.append(Term("language", ("language", "iso"), d.lang))
    terms += [Term("rights", ("rights", None), p, lang) for p in h.rights]
    if meta.rights:
        terms.append(Term("rights", ("rights", None), meta.rights))
    terms += [Term("source", ("relation", "isbasedon"), s) for s in sources(d, h)]
    terms.append(Term("identifier", ("identifier", "other"), doc.id))
    terms.append(Term("type", ("type", None), DCMI_TEXT))
    if h.doc_type in vocab.DOC_TYPES:
        terms.append(Term("type", ("type", None), vocab.DOC_TYPES[h.doc_type][0], "en"))
    if meta.publisher:
        terms.append(Term("publisher", ("publisher", None), meta.publisher))
    if meta.title:
        terms.append(Term("relation", ("relation", "ispartof"), meta.title))
    return tuple(t for t in terms if t.value.strip())


def creators(h: Header) -> list[str]:
    """Who made the document: its catalogued authors, then its senders, each once."""
    return _unique([*h.authors, *(p.name for p in h.parties if p.role == "sent")])


def contributors(h: Header) -> list[str]:
    """Who made the edition's text: the translator, and who obtained the document."""
    return _unique([n for n in (h.translator, h.obtained_by) if n])


def sources(d: EditionDocument, h: Header) -> list[str]:
    """Where the document is held (archive, place, reference) and the page it was read from
    (``h``: its header)."""
    out = []
    archive = ", ".join(x for x in (h.archive, h.archive_place, h.archive_reference) if x)
    if archive:
        out.append(archive)
    publisher = d.publisher
    if publisher:
        out.append(f"{publisher}, record {h.record_id}" if h.record_id else publisher)
    return out


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        if name.strip() and name not in seen:
            seen.add(name)
            out.append(name)
    return out


# ----------------------------------------------------------------------------- writers


def oai_dc(terms: tuple[Term, ...], inside: bool = False) -> Element:
    """The ``oai_dc:dc`` element: unqualified DC, elements in DCMI's order (``inside``:
    for a METS file, which declares the ``xsi`` namespace itself)."""
    attributes = [("xmlns:oai_dc", OAI_DC_NS), ("xmlns:dc", DC_NS)]
    if not inside:
        attributes.append(("xmlns:xsi", XSI_NS))
    attributes.append(("xsi:schemaLocation", f"{OAI_DC_NS} {OAI_DC_XSD}"))
    return ("oai_dc:dc", attributes, [
        (f"dc:{element}", [("xml:lang", t.lang)] if t.lang else [], t.value)
        for element in DC_ELEMENTS for t in terms if t.dc == element])


def dspace_dc(terms: tuple[Term, ...]) -> bytes:
    """DSpace's ``dublin_core.xml`` (Simple Archive Format): ``dcvalue`` per statement."""
    values: list[Element] = []
    for t in terms:
        if t.dspace is None:
            continue
        element, qualifier = t.dspace
        attributes = [("element", element), ("qualifier", qualifier or "none")]
        if t.lang:
            attributes.append(("language", t.lang))
        values.append(("dcvalue", attributes, t.value))
    return document(("dublin_core", [("schema", "dc")], values))
