"""The Schematron in two parts (:mod:`pipeline.validate.schematron_parts`) reports what the
one-step Schematron reports: same codes, messages, lines and columns, on files whose register
entries pass and on files whose entries hold anything at all."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree

from pipeline.tei.ns import NS, TEI_NS
from pipeline.validate import SCHEMA_DIR, schematron, schematron_parts
from pipeline.validate.xmlfile import XmlFile

from conftest import ROOT

CABLE = ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"
SCH = "http://purl.oclc.org/dsdl/schematron"
T = f"{{{TEI_NS}}}"


def _report(tree: etree._ElementTree, monkeypatch, split: bool) -> list:
    schematron._parts.cache_clear()
    if not split:
        monkeypatch.setattr(schematron, "_parts", lambda: None)
    f = XmlFile(Path("x.xml"), "x.xml", etree.tostring(tree), tree)
    found = schematron.check_schematron(f)
    monkeypatch.undo()
    return [(d.code, d.message, d.line, d.column) for d in found]


def test_the_edition_schematron_splits() -> None:
    parts = schematron._parts()
    assert parts is not None
    # the rules that look beyond the element: V306's ancestor, V330's root, V336's siblings
    assert parts.not_local is not None
    loosened = set(parts.not_local.path.split(" | "))
    assert "//tei:text//tei:persName" in loosened
    assert "//tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:respStmt" in loosened
    assert "//tei:TEI/tei:text/tei:body/tei:div" in loosened


#: Things put into a register entry of a document: each makes some rule fire inside it.
INSIDE = [
    '<idno type="wikidata">X12</idno>',  # V313, a local rule: the entry fails in its wrapper
    '<text><persName/></text>',  # V306/V307 look at ancestors: not local, never split
    '<note place="end" n="2"><label>3</label></note>',  # V329
    '<opener><seg type="to"/></opener>',  # V328
    '<respStmt xml:id="x.other"><resp>r</resp></respStmt>',  # V330's context cannot match
    '<catRef scheme="#a" target="#b.c"/>',  # V324
    '<person xml:id="per-Bad"><persName type="preferred">A</persName></person>',  # V331
    '<!-- a comment --><?pi x?>',
]


@pytest.mark.parametrize("inside", INSIDE)
def test_whatever_an_entry_holds_the_report_is_the_one_step_report(inside, monkeypatch):
    tree = etree.parse(str(CABLE))
    entries = tree.xpath("/tei:TEI/tei:standOff/*/*", namespaces=NS)
    assert entries
    for part in etree.fromstring(f'<x xmlns="{TEI_NS}">{inside}</x>'):
        entries[0].append(part)
    assert _report(tree, monkeypatch, split=True) == _report(tree, monkeypatch, split=False)


NAMES = ["persName", "placeName", "orgName", "idno", "note", "label", "seg", "opener", "text",
         "respStmt", "catRef", "date", "creation", "p", "list", "item", "ref", "person",
         "standOff", "listPerson", "correspAction", "div", "body", "TEI", "teiHeader"]
ATTRIBUTES = {"type": ["wikidata", "viaf", "geonames", "preferred", "noteref", "to",
                       "classification", "lettered", "received", "document"],
              "place": ["end"], "n": ["1", "a", "2"], "ref": ["#per-a", "#per-a #per-b"],
              "cert": ["low"], "subtype": ["copy"]}


@st.composite
def _elements(draw, depth: int = 0) -> etree._Element:
    el = etree.Element(T + draw(st.sampled_from(NAMES)))
    for name in draw(st.lists(st.sampled_from(sorted(ATTRIBUTES)), max_size=3, unique=True)):
        el.set(name, draw(st.sampled_from(ATTRIBUTES[name])))
    el.text = draw(st.sampled_from([None, "", " ", "Q12", "0", "1", "x"]))
    if depth < 2:
        for child in draw(st.lists(_elements(depth + 1), max_size=3)):
            el.append(child)
    return el


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 50), _elements()), min_size=1, max_size=3))
def test_random_content_in_entries_changes_nothing(placed) -> None:
    tree = etree.parse(str(CABLE))
    entries = tree.xpath("/tei:TEI/tei:standOff/*/*", namespaces=NS)
    for at, el in placed:
        targets = list(entries[at % len(entries)].iter())
        targets[at % len(targets)].append(copy.deepcopy(el))
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _report(tree, monkeypatch, True) == _report(tree, monkeypatch, False)


@pytest.mark.parametrize("expression, local", [
    ("@ref or (@cert and @resp)", True),
    ("count(tei:persName[@type = 'preferred']) = 1", True),
    ("contains(tei:label, @n) and .//tei:x", True),
    ("starts-with(@xml:id, $prefix)", True),  # a let of the rule
    ("not(ancestor::tei:text)", False),
    ("preceding-sibling::tei:div", False),
    ("../@n", False),
    ("/tei:TEI/@xml:id = @n", False),
    ("@n = //tei:x", False),
    ("count(//tei:x)", False),
    ("2 * /tei:TEI/@n", False),
    ("$tax/tei:category", False),  # not a let of the rule
    ("position() = 1", False),
    ("id(@ref)", False),
    ("lang('en')", False),
    ("'ancestor::x' = @n", True),  # inside a literal
])
def test_what_counts_as_local(expression: str, local: bool) -> None:
    assert schematron_parts._local(expression, {"prefix"}) is local


@pytest.mark.parametrize("predicate, boolean", [
    ("@n", True), ("@n or tei:label", True), ("@place = 'end'", True), ("tei:label/@n", True),
    ("not(@n)", True), ("count(tei:x) = 1", True),
    ("1", False), ("string-length(@n)", False), ("count(tei:x)", False), ("@n + 1", False),
    ("@n div 2", False), ("(1)", False),
])
def test_a_number_in_a_predicate_is_a_position(predicate: str, boolean: bool) -> None:
    assert schematron_parts._boolean(predicate) is boolean


@pytest.mark.parametrize("context", ["tei:standOff//tei:person[1] | tei:standOff//tei:place | "
                                     "tei:standOff//tei:org",
                                     "tei:standOff//tei:person[string-length(@xml:id)] | "
                                     "tei:standOff//tei:place | tei:standOff//tei:org"])
def test_a_rule_on_the_first_entry_only_is_not_trusted_in_the_wrapper(context, monkeypatch):
    """An entry is alone in its wrapper's list: a rule that looks at its position there
    would judge the second entry of a file as the first."""
    sch = etree.parse(str(SCHEMA_DIR / "teipipe.sch"))
    rule = next(r for r in sch.iter(f"{{{SCH}}}rule") if "standOff" in r.get("context", ""))
    rule.set("context", context)
    trimmed = schematron._trimmed()
    stylesheet = copy.deepcopy(trimmed[1])
    parts = schematron_parts.split(sch, stylesheet)
    assert parts is not None and parts.not_local is not None
    assert "//tei:standOff//tei:person" in parts.not_local.path.split(" | ")


@pytest.mark.parametrize("attribute, value", [
    ("abstract", "true"),  # an abstract rule
    ("context", "tei:p/child::tei:persName"),  # a context that is not a path of names
])
def test_a_schematron_of_another_form_is_not_split(attribute: str, value: str) -> None:
    sch = etree.parse(str(SCHEMA_DIR / "teipipe.sch"))
    rule = sch.find(f".//{{{SCH}}}rule")
    assert rule is not None
    rule.set(attribute, value)
    assert schematron_parts.split(sch, schematron._trimmed()[1]) is None
