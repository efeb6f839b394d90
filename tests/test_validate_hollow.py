"""The quick pass of a document read hollow (:mod:`pipeline.validate.hollow`) gives what the
whole file gives: the same report, faults or none, and it refuses what it cannot be sure
about."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.validate import hollow
from pipeline.validate.report import render
from pipeline.validate.run import Options, check_file, validate
from pipeline.validate.schematron import _trimmed

from conftest import ROOT

VALID = ROOT / "tests" / "valid"
CABLE = VALID / "1967-01-23_test-cable.xml"
DATA = CABLE.read_bytes()
SCH = "http://purl.oclc.org/dsdl/schematron"


def _edition(tmp: Path, data: bytes) -> Path:
    """tests/valid in a folder of its own, the cable's bytes replaced by ``data``."""
    shutil.copytree(VALID, tmp, dirs_exist_ok=True)
    (tmp / CABLE.name).write_bytes(data)
    return tmp / CABLE.name


def _report(path: Path, quick: bool) -> str:
    report = validate([path, path.parent / "register.xml"],
                      Options(jobs=1, use_cache=False, quick=quick))
    return render(report, "json")


def test_a_generated_document_passes_hollow_with_the_facts_of_the_whole(
        tmp_path: Path) -> None:
    path = _edition(tmp_path, DATA)
    assert hollow.hollow_file(path, "c.xml", 2**20) is not None
    quick, whole = check_file(path, "c.xml"), check_file(path, "c.xml", quick=False)
    assert quick.diagnostics == whole.diagnostics == []
    assert quick.facts == whole.facts
    assert quick.kind == whole.kind


@pytest.mark.parametrize("old, new", [
    (b'<country ref="#pla-vietnam">', b'<country ref="#pla-nowhere">'),
    (b'<country ref="#pla-vietnam">', b'<country ref="#pla-vietnam" xml:id="per-le-duan">'),
    (b'<birth when="1907"', b'<birth when="1907-02-31"'),
], ids=["dangling-pointer", "repeated-id", "impossible-date"])
def test_a_fault_inside_an_entry_that_the_entry_alone_does_not_show_is_reported(
        tmp_path: Path, old: bytes, new: bytes) -> None:
    """The rules across the file (pointers, ids) see into the hollow entries by their
    summaries; the place of a fault they find is in the whole file only."""
    assert old in DATA
    path = _edition(tmp_path, DATA.replace(old, new, 1))
    quick, whole = check_file(path, "c.xml"), check_file(path, "c.xml", quick=False)
    assert whole.diagnostics and quick.diagnostics == whole.diagnostics


def test_the_hollow_file_keeps_every_line_and_the_entries_start_tags() -> None:
    c = hollow.cut(DATA)
    assert c is not None and len(c.entries) == DATA.count(b"</person>") + \
        DATA.count(b"</place>") + DATA.count(b"</org>")
    assert c.hollow.count(b"\n") == DATA.count(b"\n")
    assert all(entry in DATA for entry in c.entries)
    assert re.sub(rb"(<(person|place|org)[\s>][^>]*>)\s*(</\2>)", rb"\1\3", c.hollow) == \
        re.sub(rb"(<(person|place|org)[\s>][^>]*>).*?(</\2>)", rb"\1\3", DATA, flags=re.S)


def _in_first_entry(snippet: bytes) -> bytes:
    at = DATA.index(b"<persName", DATA.index(b"<standOff>"))
    return DATA[:at] + snippet + DATA[at:]


@pytest.mark.parametrize("data", [
    _in_first_entry(b"<!-- a comment -->"),
    _in_first_entry(b"<?pi here?>"),
    _in_first_entry(b"<note><![CDATA[x]]></note>"),
    _in_first_entry(b"<note>&amp;</note>"),
    _in_first_entry(b"<place><placeName>Hanoi</placeName></place>"),
    DATA.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"', 1),
    DATA.replace(b'version="1.0"', b'version="1.1"', 1),
    DATA.replace(b"<TEI ", b"<!DOCTYPE TEI>\n<TEI ", 1),
    DATA.replace(b"<standOff>", b"<standOff><!-- <standOff> -->", 1),
    DATA.replace(b"<listPerson>", b'<listPerson xmlns:x="urn:x">', 1),
    DATA.replace(b"<text>", b"<text><!-- <standOff> <person> -->", 1),
    DATA.replace(b"<TEI ", b'<?x <TEI xmlns:x="urn:x"> ?>\n<TEI ', 1),
], ids=["comment", "pi", "cdata", "entity", "nested", "latin-1", "xml-1.1", "doctype",
        "comment-in-standoff", "namespace-on-list", "comment-in-text", "tei-in-instruction"])
def test_what_the_quick_pass_cannot_be_sure_about_is_read_whole(
        tmp_path: Path, data: bytes) -> None:
    path = _edition(tmp_path, data)
    f = hollow.hollow_file(path, "c.xml", 2**20)
    if f is not None:  # (a comment between entries is read in the hollow file itself)
        assert data.count(b"<!--") and f.tree is not None
    assert _report(path, quick=True) == _report(path, quick=False)


def test_an_entry_elsewhere_than_in_the_standoff_lists_is_read_whole(tmp_path: Path) -> None:
    entry = re.search(rb"<person .*?</person>", DATA, re.S)
    assert entry is not None
    data = DATA.replace(b"</standOff>", b"<listPerson>" + entry.group().replace(
        b'xml:id="', b'xml:id="x') + b"</listPerson><listEvent/></standOff>", 1)
    path = _edition(tmp_path, data.replace(b"<standOff>", b"<standOff><standOff/>", 1))
    assert hollow.hollow_file(path, "c.xml", 2**20) is None


def test_the_rules_of_the_edition_do_not_look_into_the_entries() -> None:
    assert hollow.rules_blind(_trimmed()[0])


@pytest.mark.parametrize("rule", [
    '<sch:rule context="tei:listPerson"><sch:assert test="tei:person">x</sch:assert></sch:rule>',
    '<sch:rule context="tei:standOff"><sch:assert test="*">x</sch:assert></sch:rule>',
    '<sch:rule context="tei:p"><sch:assert test="count(//tei:person) &gt; 0">x</sch:assert>'
    '</sch:rule>',
    '<sch:rule context="tei:p"><sch:assert test="/tei:TEI/tei:standOff">x</sch:assert>'
    '</sch:rule>',
    '<sch:rule context="tei:p"><sch:let name="a" value="ancestor::tei:TEI/tei:standOff"/>'
    '<sch:assert test="$a">x</sch:assert></sch:rule>',
    '<sch:rule context="tei:p"><sch:assert test="id(@corresp)">x</sch:assert></sch:rule>',
    '<sch:rule context="tei:p"><sch:assert test="following::tei:person">x</sch:assert>'
    '</sch:rule>',
    '<sch:rule context="tei:head"><sch:assert test="following-sibling::tei:person">x'
    '</sch:assert></sch:rule>',
    '<sch:rule context="tei:p[../tei:person]"><sch:assert test="1">x</sch:assert></sch:rule>',
])
def test_a_rule_that_may_look_into_the_entries_is_seen(rule: str) -> None:
    sch = etree.fromstring(
        f'<sch:schema xmlns:sch="{SCH}"><sch:ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>'
        f'<sch:pattern>{rule}</sch:pattern></sch:schema>')
    assert not hollow.rules_blind(etree.ElementTree(sch))


# ------------------------------------------------------------------ faults of all kinds

_ENTRY_SPANS = [m.span() for m in re.finditer(rb"<(person|place|org)[\s>].*?</\1>", DATA,
                                              re.S)]
_OUTSIDE = [(0, _ENTRY_SPANS[0][0])] + [(a[1], b[0]) for a, b in
                                        zip(_ENTRY_SPANS, _ENTRY_SPANS[1:])] + \
    [(_ENTRY_SPANS[-1][1], len(DATA))]
_SNIPPETS = [b"x", b" ", b"\n", b"<", b"&amp;", b"<b/>", b"<note>n</note>", b"<!-- c -->",
             b"<?pi x?>", b"<![CDATA[c]]>", b'"', b"</persName>", b"<persName>",
             b"&#233;", b"<person xml:id=\"per-zz\"><persName type=\"preferred\">Z</persName>"
             b"</person>"]
_VALUES = [b"", b"#nowhere", b"per-x", b"1999-02-31", b"1967", b"preferred", b"variant",
           b"d1967-01-23_test-cable.x", b"per-Bad", b"#pla-hanoi #per-ho-chi-minh",
           b"Q0", b"12a"]


@st.composite
def _fault(draw, data: bytes) -> bytes:
    """One fault, inside an entry or outside them: a byte cut, a snippet put in, an
    attribute's value changed (a pointer to nowhere or elsewhere, an id repeated, a date
    that does not exist), an element dropped or doubled."""
    inside = draw(st.integers(0, 2)) > 0  # (most of the bytes the quick pass cuts)
    spans = _ENTRY_SPANS if inside else _OUTSIDE
    start, end = draw(st.sampled_from(spans))
    end = min(end, len(data))
    kind = draw(st.sampled_from(["cut", "put", "value", "pointer", "id", "date", "drop",
                                 "double"]))
    if kind in ("pointer", "id", "date"):
        pattern = {"pointer": rb' (?:ref|target|resp|ana)="([^"]*)"', "id": rb' xml:id="([^"]*)"',
                   "date": rb' (?:when|from|to|notBefore|notAfter)="([^"]*)"'}[kind]
        found = list(re.finditer(pattern, data[start:end]))
        if not found:
            return data
        m = draw(st.sampled_from(found))
        ids = re.findall(rb'xml:id="([^"]*)"', data)
        value = draw(st.sampled_from(
            [b"#nowhere", b"#" + draw(st.sampled_from(ids))] if kind == "pointer" else
            [draw(st.sampled_from(ids)), b"per-new"] if kind == "id" else
            [b"1907-02-31", b"1999-13", b"2001-04-31", b"1950", b"1961-08-13"]))
        return data[:start + m.start(1)] + value + data[start + m.end(1):]
    if kind in ("cut", "put"):
        at = draw(st.integers(start, max(start, end - 1)))
        if kind == "cut":
            return data[:at] + data[at + 1:]
        return data[:at] + draw(st.sampled_from(_SNIPPETS)) + data[at:]
    if kind == "value":
        values = list(re.finditer(rb'="([^"]*)"', data[start:end]))
        if not values:
            return data
        m = draw(st.sampled_from(values))
        ids = re.findall(rb'xml:id="([^"]*)"', data)
        value = draw(st.sampled_from(_VALUES + [b"#" + i for i in ids[:20]] + ids[:20]))
        return data[:start + m.start(1)] + value + data[start + m.end(1):]
    elements = list(re.finditer(rb"<(\w+)[^<>]*>[^<]*</\1>", data[start:end]))
    if not elements:
        return data
    m = draw(st.sampled_from(elements))
    a, b = start + m.start(), start + m.end()
    return data[:a] + data[b:] if kind == "drop" else data[:b] + data[a:b] + data[b:]


@st.composite
def _faulty(draw) -> bytes:
    data = DATA
    for _ in range(draw(st.integers(0, 2))):
        data = draw(_fault(data))
    return data


@settings(max_examples=500, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(_faulty())
def test_with_faults_anywhere_the_quick_pass_reports_what_the_whole_file_does(
        tmp_path: Path, data: bytes) -> None:
    path = _edition(tmp_path, data)
    assert _report(path, quick=True) == _report(path, quick=False)


def test_the_entries_verdicts_reach_a_tei_all_outline_compiled_anew(tmp_path: Path) -> None:
    """The verdicts kept for the run are put in the tables the checks look up as they are
    at each file (tei_all's outline is made anew when its grammar is compiled again)."""
    from pipeline.validate import conformance
    path = _edition(tmp_path, DATA)
    assert check_file(path, "c.xml").diagnostics == []
    conformance._outline.clear()
    f = hollow.hollow_file(path, "c.xml", 2**20)
    assert f is not None
    entries = [el for el, _tag in f.index.entry_tags]
    fresh = conformance.outline().verdicts
    assert all(fresh[(el.tag, f.index.xml_of(el))] for el in entries)
