"""The deposit's records written as text (:mod:`pipeline.deposit.xmltext`) are the bytes
lxml writes for the same trees: the lxml builders the deposit used before are kept here as
the reference, and both are given header values with every character XML can hold (and
some it cannot, which both must refuse)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline import __version__
from pipeline.deposit.dublin_core import (DC_ELEMENTS, DC_NS, OAI_DC_NS, OAI_DC_XSD, XSI_NS,
                                          Term, dspace_dc, oai_dc)
from pipeline.deposit.mets import (METS_NS, METS_XSD, TEI_MIME, USES, XLINK_NS, MetsFile,
                                   _url, document_mets, edition_mets)
from pipeline.deposit.xmltext import document

# ----------------------------------------------------------------------------- the reference


def to_bytes(root: etree._Element) -> bytes:
    etree.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8") \
        + b"\n"


def lxml_oai_dc(terms: tuple[Term, ...]) -> etree._Element:
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS,
                                                        "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_XSD}")
    for element in DC_ELEMENTS:
        for t in terms:
            if t.dc == element:
                el = etree.SubElement(root, f"{{{DC_NS}}}{element}")
                el.text = t.value
                if t.lang:
                    el.set("{http://www.w3.org/XML/1998/namespace}lang", t.lang)
    return root


def lxml_dspace_dc(terms: tuple[Term, ...]) -> bytes:
    root = etree.Element("dublin_core", schema="dc")
    for t in terms:
        if t.dspace is None:
            continue
        element, qualifier = t.dspace
        el = etree.SubElement(root, "dcvalue", element=element, qualifier=qualifier or "none")
        if t.lang:
            el.set("language", t.lang)
        el.text = t.value
    return to_bytes(root)


def _m(name: str) -> str:
    return f"{{{METS_NS}}}{name}"


def lxml_root(obj_id: str, label: str, created: str, organization: str) -> etree._Element:
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


def lxml_file_sec(root: etree._Element, files: list[MetsFile], prefix: str) -> list[str]:
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


def lxml_document_mets(doc_id: str, label: str, kind: str, dc: etree._Element,
                       files: list[MetsFile], created: str, organization: str) -> bytes:
    root = lxml_root(doc_id, label, created, organization)
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
    ids = lxml_file_sec(root, files, "file")
    struct = etree.SubElement(root, _m("structMap"), TYPE="logical",
                              LABEL="the document and its files")
    div = etree.SubElement(struct, _m("div"), TYPE=kind, LABEL=label, DMDID=" ".join(dmd_ids))
    for file_id in ids:
        etree.SubElement(div, _m("fptr"), FILEID=file_id)
    return to_bytes(root)


def lxml_edition_mets(edition_id: str, label: str, documents: list[tuple[str, str, str]],
                      files: list[MetsFile], created: str, organization: str) -> bytes:
    root = lxml_root(edition_id, label, created, organization)
    ids = lxml_file_sec(root, files, "edition-file") if files else []
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


# ----------------------------------------------------------------------------- values

#: Characters with a meaning in XML, white space of every kind, non-ASCII and astral ones,
#: and a few XML cannot hold at all.
HOSTILE = st.sampled_from(["&", "<", ">", '"', "'", "\t", "\n", "\r", " ", "]]>", "&amp;",
                           "\x85", "\u2028", "\u00e9", "\U0001f600", "\x7f", "\x00", "\x0b",
                           "\ufffe", "\uffff"])
VALUE = st.lists(st.one_of(HOSTILE, st.text(st.characters(blacklist_categories=("Cs",)),
                                            max_size=5)), max_size=6).map("".join)
ELEMENTS = st.sampled_from([None, *DC_ELEMENTS])
DSPACE = st.one_of(st.none(), st.tuples(st.sampled_from(["title", "date", "type"]),
                                        st.one_of(st.none(), st.sampled_from(["created",
                                                                              "other"]))))
TERMS = st.lists(st.builds(Term, ELEMENTS, DSPACE, VALUE, st.one_of(st.none(), st.just(""),
                                                                      VALUE)),
                 max_size=8).map(tuple)
FILES = st.lists(st.builds(MetsFile, st.sampled_from([*USES]), VALUE,
                           st.integers(0, 10**12), st.text("0123456789abcdef", max_size=64)),
                 max_size=6)


def same(made, reference) -> None:  # noqa: ANN001 (two functions of no arguments)
    """Both give the same bytes, or both refuse with lxml's ValueError."""
    try:
        expected = reference()
    except ValueError:
        try:
            made()
        except ValueError:
            return
        raise AssertionError("lxml refused a value the text writer took")
    assert made() == expected


# ----------------------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(TERMS)
def test_dublin_core_is_the_bytes_lxml_writes(terms: tuple[Term, ...]) -> None:
    same(lambda: document(oai_dc(terms)), lambda: to_bytes(lxml_oai_dc(terms)))
    same(lambda: dspace_dc(terms), lambda: lxml_dspace_dc(terms))


@settings(max_examples=300, deadline=None)
@given(TERMS, VALUE, VALUE, VALUE, FILES, VALUE, VALUE)
def test_document_mets_is_the_bytes_lxml_writes(terms: tuple[Term, ...], doc_id: str,
                                                label: str, kind: str, files: list[MetsFile],
                                                created: str, organization: str) -> None:
    same(lambda: document(document_mets(doc_id, label, kind, oai_dc(terms, inside=True), files,
                                        created, organization)),
         lambda: lxml_document_mets(doc_id, label, kind, lxml_oai_dc(terms), files, created,
                                    organization))


@settings(max_examples=200, deadline=None)
@given(VALUE, VALUE, st.lists(st.tuples(VALUE, VALUE, VALUE), max_size=4), FILES, VALUE,
       VALUE)
def test_edition_mets_is_the_bytes_lxml_writes(edition_id: str, label: str,
                                               documents: list[tuple[str, str, str]],
                                               files: list[MetsFile], created: str,
                                               organization: str) -> None:
    same(lambda: edition_mets(edition_id, label, documents, files, created, organization),
         lambda: lxml_edition_mets(edition_id, label, documents, files, created, organization))


@given(TERMS.filter(lambda terms: all(
    c >= " " or c in "\t\n\r" for t in terms for c in t.value + (t.lang or ""))
    and not any(c in "\ufffe\uffff" for t in terms for c in t.value + (t.lang or ""))))
@settings(max_examples=100, deadline=None)
def test_values_xml_can_hold_are_written(terms: tuple[Term, ...]) -> None:
    """A value of characters XML allows is written, and read back as it was."""
    root = etree.fromstring(document(oai_dc(terms)))
    assert [el.text or "" for el in root] == [t.value for element in DC_ELEMENTS
                                              for t in terms if t.dc == element]
