"""The project schema and its rules: in step with pipeline/vocab.py, documented, every code
known, the rule table of the encoding guide current, and pruned tei_all as strict as tei_all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from pipeline import vocab
from pipeline.validate import SCHEMA_DIR, conformance, schema
from pipeline.validate.codes import RULES, markdown_table
from pipeline.validate.prune import prune

from conftest import ROOT, all_pages

XS = "http://www.w3.org/2001/XMLSchema"
NS = {"xs": XS, "tp": "urn:teipipe:schema", "sch": "http://purl.oclc.org/dsdl/schematron"}
XSDS = sorted(SCHEMA_DIR.glob("*.xsd"))


def _values(type_name: str) -> list[str]:
    """The values a named type of teipipe.xsd allows: its enumeration, or the alternatives
    of ``(a|b|c)`` at the end of each of its patterns, one list per pattern."""
    tree = etree.parse(str(SCHEMA_DIR / "teipipe.xsd"))
    [simple] = tree.xpath(f"//xs:simpleType[@name='{type_name}']", namespaces=NS)
    enumeration = simple.xpath(".//xs:enumeration/@value", namespaces=NS)
    if enumeration:
        return [list(enumeration)]
    return [re.search(r"\(([a-z|-]+)\)$", p).group(1).split("|")
            for p in simple.xpath(".//xs:pattern/@value", namespaces=NS)]


def test_document_types_are_vocab_doc_types() -> None:
    assert _values("docType") == [list(vocab.DOC_TYPES)]
    assert _values("categoryPointer")[0] == list(vocab.DOC_TYPES)


def test_classification_levels_are_vocab_classifications() -> None:
    assert _values("classificationPointer") == [list(vocab.CLASSIFICATIONS)]
    assert _values("categoryPointer")[1] == list(vocab.CLASSIFICATIONS)


@pytest.mark.parametrize("xsd", XSDS, ids=lambda p: p.name)
def test_every_named_type_is_documented(xsd: Path) -> None:
    tree = etree.parse(str(xsd))
    parts = tree.xpath("//xs:simpleType[@name] | //xs:complexType[@name] | //xs:group[@name]"
                       " | /xs:schema/xs:element | /xs:schema/xs:attribute", namespaces=NS)
    undocumented = [p.get("name") or p.get("test") for p in parts
                    if not p.xpath("xs:annotation/xs:documentation[normalize-space()]",
                                   namespaces=NS)]
    assert undocumented == []


def test_every_code_of_the_schemas_and_the_schematron_is_a_rule() -> None:
    codes = set()
    for xsd in XSDS:
        tree = etree.parse(str(xsd))
        codes |= set(tree.xpath("//tp:code/text()", namespaces=NS))
    sch = etree.parse(str(SCHEMA_DIR / "teipipe.sch"))
    sch_codes = set(sch.xpath("//sch:assert/@id | //sch:report/@id", namespaces=NS))
    assert codes | sch_codes <= set(RULES)
    by_schematron = {c for c, r in RULES.items() if r.by == "schema/teipipe.sch"}
    assert sch_codes == by_schematron
    warnings = set(sch.xpath("//sch:assert[@role='warning']/@id", namespaces=NS))
    assert warnings == {c for c in sch_codes if str(RULES[c].severity) == "warning"}


def test_the_encoding_guide_has_the_current_rule_table() -> None:
    guide = (ROOT / "schema" / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in guide, "run `python -m pipeline.validate.codes` and paste it"


def test_the_schema_ships_with_the_package() -> None:
    """pipeline/schema links to schema/, so that an installed teipipe carries the schemas."""
    assert (ROOT / "pipeline" / "schema").resolve() == (ROOT / "schema").resolve()
    assert {p.name for p in SCHEMA_DIR.iterdir()} >= {"teipipe.xsd", "register.xsd",
                                                        "entities.xsd", "teipipe.sch"}


# ----------------------------------------------------------------------------- tei_all


def _test_files() -> list[Path]:
    files = sorted((ROOT / "tests" / "valid").glob("*.xml"))
    files += sorted((ROOT / "tests" / "invalid").rglob("*.xml"))
    return files + sorted((ROOT / "tei").glob("*.xml"))


def _parse(path: Path) -> etree._ElementTree | None:
    try:  # recover: a repeated xml:id stops libxml2's parser, not the validator's
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, load_dtd=False,
                                                     no_network=True, recover="V302" in path.name))
    except etree.XMLSyntaxError:
        return None
    return tree if tree.docinfo.doctype == "" else None


@pytest.mark.parametrize("path", _test_files(), ids=lambda p: p.stem)
def test_libxml2_and_xmlschema_agree_on_the_project_schema(path: Path) -> None:
    """libxml2 is the fast path of the project schema: it must pass exactly what xmlschema
    passes (a repeated xml:id is rejected by both, and reported as V302)."""
    tree = _parse(path)
    if tree is None:
        pytest.skip("not parsed by the validator")
    kind = schema.kind_of(tree)
    assert schema.fast_schema(kind).validate(tree) == \
        (not list(schema.project_schema(kind).iter_errors(tree)))


@pytest.mark.parametrize("path", _test_files(), ids=lambda p: p.stem)
def test_pruned_tei_all_gives_the_verdict_of_tei_all(path: Path, tei_all) -> None:
    tree = _parse(path)
    if tree is None:
        pytest.skip("not parsed by the validator")
    assert _pruned_for(tree).validate(tree) == tei_all.validate(tree)


def _pruned_for(tree: etree._ElementTree) -> etree.RelaxNG:
    used = {(etree.QName(el).namespace or "", etree.QName(el).localname)
            for el in tree.iter() if isinstance(el.tag, str)}
    return conformance.grammar_for(frozenset(used - conformance.project_names()))


def test_converted_pages_are_valid_in_both_tei_alls(tei_all) -> None:
    from pipeline.convert import read_page
    from pipeline.files import read_source
    from pipeline.tei.read import parse
    from pipeline.tei.write import serialize
    for page in all_pages():
        source = read_source(page)
        tree = parse(serialize(read_page(source.text, page.stem)[0]))
        assert _pruned_for(tree).validate(tree) and tei_all.validate(tree), page.name


def test_pruning_keeps_only_what_is_asked_and_is_deterministic() -> None:
    full = etree.parse(str(conformance.path_of(fetch=False))).getroot()
    tei = "http://www.tei-c.org/ns/1.0"
    keep = {"TEI", "teiHeader", "fileDesc", "titleStmt", "title", "publicationStmt", "p",
            "sourceDesc", "text", "body"}
    small = prune(full, lambda ns, local: ns == tei and local in keep)
    names = {el.get("name") for el in small.iter("{http://relaxng.org/ns/structure/1.0}element")}
    assert names <= keep and {"TEI", "p", "body"} <= names
    assert etree.tostring(small) == etree.tostring(prune(full, lambda ns, local: ns == tei
                                                         and local in keep))
    minimal = etree.fromstring(
        f'<TEI xmlns="{tei}"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        '<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc>'
        '</fileDesc></teiHeader><text><body><p>x</p></body></text></TEI>')
    assert etree.RelaxNG(small).validate(minimal)
    with_head = etree.fromstring(etree.tostring(minimal).replace(b"<p>x</p>",
                                                                 b"<head>h</head><p>x</p>"))
    assert not etree.RelaxNG(small).validate(with_head)  # head was not kept


def test_pruning_every_element_away_is_an_error() -> None:
    full = etree.parse(str(conformance.path_of(fetch=False))).getroot()
    with pytest.raises(ValueError):
        prune(full, lambda ns, local: False)


def test_rule_codes_are_well_formed() -> None:
    for code, rule in RULES.items():
        assert re.fullmatch(r"V[0-3]\d\d", code) and rule.code == code
        assert {"0": "file", "1": "schema", "2": "tei", "3": "rules"}[code[1]] == rule.layer
