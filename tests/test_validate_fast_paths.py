"""The validator's shortcuts give the answers of the long way: the one-walk index against the
XPath queries it replaces, tei_all in two parts (:mod:`pipeline.validate.outline`, without
undeclared optional attributes) against the whole grammar, the trimmed Schematron against
lxml's own report."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, isoschematron

from pipeline.tei.ns import NS, TEI_NS, XML_ID
from pipeline.validate import SCHEMA_DIR, checks, conformance, schema, schema_parts, schematron
from pipeline.validate import outline as outline_mod
from pipeline.validate.prune import RNG
from pipeline.validate.xmlfile import XmlFile, read_xml

from conftest import ROOT

FILES = sorted([ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml",
                ROOT / "tests" / "valid" / "register.xml",
                *(ROOT / "tests" / "golden" / "convert").glob("*.xml"),
                *(p for p in (ROOT / "tests" / "invalid").glob("*.xml")
                  if read_xml(p, p.name).tree is not None)])
T = f"{{{TEI_NS}}}"


def _file(tree: etree._ElementTree, name: str = "x.xml") -> XmlFile:
    return XmlFile(Path(name), name, etree.tostring(tree), tree)


def _whole(tree: etree._ElementTree) -> bool:
    """The verdict of tei_all (pruned to the file's names, which is exact) on the whole file."""
    tags = {el.tag for el in tree.iter(etree.Element)}
    used = {(etree.QName(t).namespace or "", etree.QName(t).localname) for t in tags}
    return bool(conformance.grammar_for(frozenset(used - conformance.project_names()))
                .validate(tree))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_index_finds_what_the_xpath_queries_found(path: Path) -> None:
    f = read_xml(path, path.name)
    assert f.tree is not None
    tree, index = f.tree, f.index.full
    pointers = "//*[@ref or @target or @resp or @ana or @scheme]"
    dates = "//*[@when or @from or @to or @notBefore or @notAfter]"
    outside = "[not(ancestor::tei:standOff)]"
    names = "self::tei:persName or self::tei:placeName or self::tei:orgName"
    assert [el for el, _v, _i in index.ids] == tree.xpath("//*[@xml:id]")
    assert [el for el, _v, inside in index.ids if not inside] == tree.xpath(
        f"//*[@xml:id]{outside}", namespaces=NS)
    assert index.pointers == tree.xpath(pointers)
    assert index.dates == tree.xpath(dates)
    assert index.name_refs == tree.xpath(f"//*[{names}][@ref]{outside}", namespaces=NS)
    assert index.name_ref_values == tree.xpath(f"//*[{names}]{outside}/@ref", namespaces=NS)
    assert index.pointer_values() == tree.xpath(
        "//*/@*[name() = 'ref' or name() = 'target' or name() = 'resp' or name() = 'ana' "
        "or name() = 'scheme']")
    assert index.entries == tree.xpath("/tei:TEI/tei:standOff//*[self::tei:person or "
                                       "self::tei:place or self::tei:org]", namespaces=NS)
    assert index.entry_refs == tree.xpath("/tei:TEI/tei:standOff//@ref", namespaces=NS)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_summarised_index_is_the_full_walk_without_the_register_entries(
        path: Path) -> None:
    """The entries under a top-level standOff are summarised, not walked: the element lists
    are the full walk's without the elements in them, and the values are all there."""
    f = read_xml(path, path.name)
    assert f.tree is not None
    index, full = f.index, f.index.full
    within = {el for entry, _s in index.summarised for el in entry.iter()}
    assert [entry for entry, _s in index.summarised] == [
        e for e in full.entries if not any(a in within for a in e.iterancestors())]
    for name in ("ids", "pointers", "dates", "name_refs"):
        def outer(items: list) -> list:
            return [x for x in items if (x[0] if isinstance(x, tuple) else x) not in within]
        assert getattr(index, name) == outer(getattr(full, name)), name
    assert sorted(index.id_values()) == sorted(v for _el, v, _i in full.ids)
    assert sorted(index.pointer_values()) == sorted(
        v for el in full.pointers for a, v in el.items()
        if a in ("ref", "target", "resp", "ana", "scheme"))
    assert sorted(index.all_entry_refs()) == sorted(full.entry_refs)


def _cable_with_copy() -> tuple[etree._ElementTree, etree._Element]:
    tree = etree.parse(str(ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"))
    person = tree.find("tei:standOff//tei:person", NS)
    assert person is not None
    return tree, person


def test_an_impossible_date_in_a_register_copy_is_reported_where_it_is() -> None:
    tree, person = _cable_with_copy()
    etree.SubElement(person, f"{T}birth", when="1900-02-30")
    etree.SubElement(person, f"{T}date", when="1950").text = "12 May 1951"
    tree = etree.ElementTree(etree.fromstring(etree.tostring(tree)))  # lines for the new ones
    birth = tree.find('tei:standOff//tei:birth[@when="1900-02-30"]', NS)
    date = tree.find("tei:standOff//tei:date[@when='1950']", NS)
    assert birth is not None and date is not None
    found = [(d.code, d.line, d.message) for d in checks.dates(_file(tree))]
    assert found == [
        ("V308", birth.sourceline, '<birth when="1900-02-30">: there is no such date'),
        ("V309", date.sourceline,
         '<date when="1950">12 May 1951</date>: the text writes 1951-05-12')]


def test_a_dangling_pointer_or_repeated_id_in_a_register_copy_is_reported() -> None:
    tree, person = _cable_with_copy()
    body_id = tree.xpath("//tei:text//*[@xml:id]", namespaces=NS)[0]
    etree.SubElement(person, f"{T}note", ana="#nowhere")
    etree.SubElement(person, f"{T}idno", {XML_ID: body_id.get(XML_ID)})
    f = _file(tree)
    assert [d.message.split(": ")[1] for d in checks.dangling_pointers(f)] == [
        'nothing in the file has xml:id "nowhere"']
    assert [d.code for d in checks.duplicate_ids(f)] == ["V302"]


def test_an_inner_stand_off_counts_as_stand_off() -> None:
    """``ancestor::tei:standOff`` is any standOff, not only the root's child."""
    tree = etree.ElementTree(etree.fromstring(
        f'<TEI xmlns="{TEI_NS}"><text><standOff><listPerson><person xml:id="a">'
        '<persName ref="#b">A</persName></person></listPerson></standOff>'
        '<persName ref="#c">C</persName></text></TEI>'))
    index = _file(tree).index
    assert [(v, inside) for _el, v, inside in index.ids] == [("a", True)]
    assert [el.get("ref") for el in index.name_refs] == ["#c"]
    assert index.entries == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_tei_all_in_two_parts_agrees_with_the_whole(path: Path) -> None:
    f = read_xml(path, path.name)
    assert f.tree is not None
    index = f.index
    fast = conformance.outline().passes(f.tree, index.xml_of)
    if fast:
        assert _whole(f.tree)
    elements = {el.tag for el in f.tree.iter(etree.Element)}
    names = {f"{{{ns}}}{n}": (ns, n) for ns, n in conformance.project_names()}
    projects = elements <= set(names) and all(
        conformance.keeps_attribute(names[el.tag], attribute)
        for el in f.tree.iter(etree.Element) for attribute in el.keys())
    if projects and outline_mod.local_pointers(index.pointer_values()) and _whole(f.tree):
        assert fast  # the shortcut is taken wherever it can be


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_outline_keeps_every_attribute_the_project_schema_allows(path: Path) -> None:
    """The outline grammars drop optional attributes element by element; a file the
    project schema accepts must keep the shortcut (else every valid file is checked twice)."""
    f = read_xml(path, path.name)
    assert f.tree is not None
    if not schema.fast_schema(schema.kind_of(f.tree)).validate(f.tree):
        return  # the project schema's business
    names = {f"{{{ns}}}{n}": (ns, n) for ns, n in conformance.project_names()}
    dropped = [(el.tag, attribute) for el in f.tree.iter(etree.Element)
               for attribute in el.keys()
               if not conformance.keeps_attribute(names[el.tag], attribute)]
    assert dropped == []


def _broken_entry() -> etree._ElementTree:
    """The test cable with a name of a place after its note: the project schema's business
    too, but here it matters that tei_all says so (its place content is ordered)."""
    tree = etree.parse(str(ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"))
    place = tree.find(".//tei:standOff//tei:place", NS)
    assert place is not None
    name = place.find("tei:placeName", NS)
    assert name is not None
    place.remove(name)
    place.append(name)
    return tree


def test_a_broken_register_copy_fails_both_ways_with_the_same_message() -> None:
    tree = _broken_entry()
    f = _file(tree)
    index = f.index
    assert not conformance.outline().passes(tree, index.xml_of)
    assert not _whole(tree)
    found = conformance.check_tei(f)
    grammar = conformance.grammar_for(frozenset())
    assert not grammar.validate(tree)
    assert found
    assert [d.line for d in found] == list(dict.fromkeys(e.line for e in grammar.error_log))


def test_a_verdict_is_not_taken_for_a_different_entry() -> None:
    """The good copy first (remembered as good), then the broken one: still caught."""
    good = etree.parse(str(ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"))
    assert conformance.check_tei(_file(good)) == []
    assert conformance.check_tei(_file(_broken_entry()))


def test_an_attribute_the_project_does_not_declare_is_left_to_the_whole_grammar() -> None:
    """@facs is TEI (att.global.facs) but not the project's: tei_all accepts it, so must the
    check, although the shortcut's grammar (without undeclared attributes) does not."""
    tree = etree.parse(str(ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"))
    p = tree.find(".//tei:body//tei:p", NS)
    assert p is not None
    p.set("facs", "#page1")
    assert conformance.check_tei(_file(tree)) == []
    assert not conformance.outline().file.validate(tree)


def test_the_outline_leaves_an_entry_open_to_any_attributes_and_content() -> None:
    """The outline's loosened entry accepts what any XML may hold there (attributes of any
    name, text between, before and after elements, elements of any name nested), so it
    never rejects what tei_all would accept; the entry's own grammar does the checking."""
    tree = etree.parse(str(ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"))
    place = tree.find(".//tei:standOff//tei:place", NS)
    assert place is not None
    place.set("odd", "1")
    place.set("{urn:x}odd", "2")
    place.text = "before "
    stray = etree.SubElement(place, "{urn:x}stray", {"a": "b"})
    stray.text, stray.tail = "inside", " after"
    etree.SubElement(etree.SubElement(stray, f"{T}p"), "nested").tail = "tail"
    assert conformance.outline().file.validate(tree)
    index = _file(tree).index
    assert not conformance.outline().passes(tree, index.xml_of)
    assert not _whole(tree)


def test_a_repeated_id_is_left_to_the_whole_grammar() -> None:
    tree = etree.parse(str(ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"))
    ids = tree.xpath("//tei:text//*[@xml:id]", namespaces=NS)
    assert len(ids) >= 2
    ids[1].set(XML_ID, ids[0].get(XML_ID))
    f = _file(tree)
    whole = conformance.grammar_for(frozenset())
    expected = [] if whole.validate(tree) else sorted({e.line for e in whole.error_log})
    assert sorted({d.line for d in conformance.check_tei(f)}) == expected


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_trimmed_schematron_reports_what_lxml_reports(path: Path) -> None:
    f = read_xml(path, path.name)
    assert f.tree is not None
    sch = isoschematron.Schematron(etree.parse(str(SCHEMA_DIR / "teipipe.sch")),
                                   store_report=True)
    sch.validate(f.tree)
    svrl = "{http://purl.oclc.org/dsdl/svrl}"
    theirs = [(e.get("id"), e.get("location"), " ".join("".join(e.itertext()).split()))
              for e in sch.validation_report.iter(f"{svrl}failed-assert",
                                                  f"{svrl}successful-report")]
    mine = [(d.code, d.line, d.message) for d in schematron.check_schematron(f)]
    assert [(c, m) for c, _l, m in theirs] == [(c, m) for c, _l, m in mine]


@pytest.mark.parametrize("context", ["tei:p/@n", "tei:p/text()", "@ref", "tei:p | comment()",
                                     "node()", "tei:text//tei:p/attribute::n"])
def test_a_rule_on_more_than_elements_stops_the_trimmed_walk(context: str) -> None:
    sch = etree.parse(str(SCHEMA_DIR / "teipipe.sch"))
    rule = sch.find(".//{http://purl.oclc.org/dsdl/schematron}rule")
    assert rule is not None
    rule.set("context", context)
    with pytest.raises(ValueError, match="more than elements"):
        schematron._element_contexts(sch)


def test_the_rules_of_the_edition_are_on_elements() -> None:
    schematron._element_contexts(etree.parse(str(SCHEMA_DIR / "teipipe.sch")))  # no error


def test_impossible_dates_are_reported_per_attribute_in_a_fixed_order() -> None:
    """The look at all of an element's date attributes at once (in the order the file
    gives them) reports them in the rules' order; a long value is no date."""
    tree = etree.parse(str(ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"))
    date = tree.find(".//tei:creation/tei:date", NS)
    assert date is not None
    for attr in ("to", "when"):
        date.attrib.pop(attr, None)
    date.set("to", "1967-02-30")
    date.set("notAfter", "1967-01-23" * 3)
    date.set("from", "1967-13")
    date.set("when", "1967-01-23")
    found = [(d.code, d.message) for d in checks.dates(_file(tree))]
    assert found == [("V308", '<date from="1967-13">: there is no such date'),
                     ("V308", '<date to="1967-02-30">: there is no such date')]


def test_one_dangling_pointer_among_many_is_found_where_it_is() -> None:
    tree = etree.parse(str(ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"))
    f = _file(tree)
    assert checks.dangling_pointers(f) == []
    pointers = tree.xpath("//tei:text//*[@ref]", namespaces=NS)
    assert len(pointers) >= 2
    last = pointers[-1]
    last.set("ref", last.get("ref") + "  #nowhere\t#nowhere")
    last.set("target", "#also-nowhere notapointer")
    found = checks.dangling_pointers(_file(tree))
    assert [(d.line, d.message.split(": ")[1]) for d in found] == [
        (last.sourceline, 'nothing in the file has xml:id "nowhere"'),
        (last.sourceline, 'nothing in the file has xml:id "nowhere"'),
        (last.sourceline, 'nothing in the file has xml:id "also-nowhere"')]


def test_the_outline_grammars_are_stored_once_and_derived_again_when_broken(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The outline grammars are kept beside the pruned grammar (derived data, not results):
    a stored copy is the derivation byte for byte, and a broken one is derived again."""
    conformance.prepare()
    stored = conformance.outline_path()
    assert stored.is_file()
    derived = conformance.derive_outline()
    assert stored.read_bytes() == etree.tostring(derived, xml_declaration=True,
                                                 encoding="UTF-8")
    assert [p.get("name") for p in derived] == ["file"] + [f"{T}{k}" for k in
                                                         ("person", "place", "org")]
    broken = tmp_path / stored.name
    broken.write_bytes(b"<parts")
    monkeypatch.setattr(conformance, "outline_path", lambda: broken)
    parts = conformance._outline_parts()
    assert etree.tostring(parts) == etree.tostring(derived)
    assert broken.read_bytes() == stored.read_bytes()


# ------------------------------------------------------------ the project schema in two parts

DOCUMENTS = [p for p in FILES if p.name != "register.xml"]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_the_project_schema_in_two_parts_agrees_with_the_whole(path: Path) -> None:
    f = read_xml(path, path.name)
    assert f.tree is not None
    outline = schema_parts.document_outline()
    assert outline is not None
    fast = outline.passes(f.tree, f.index.xml_of)
    whole = schema.fast_schema(schema.DOCUMENT).validate(f.tree)
    ids = [value for _el, value, _in in f.index.ids]
    if fast:
        assert whole
    if whole and len(set(ids)) == len(ids):
        assert fast  # the shortcut is taken wherever it can be


def test_a_broken_copy_fails_the_schema_in_parts_and_is_reported_the_long_way() -> None:
    tree = _broken_entry()
    outline = schema_parts.document_outline()
    assert outline is not None
    assert outline.file.validate(tree)  # the outline leaves the entry open ...
    assert not outline.passes(tree, _file(tree).index.xml_of)  # ... its own check fails
    found, _lines = schema.check_schema(_file(tree), schema.DOCUMENT)
    place = tree.find(".//tei:standOff//tei:place", NS)
    assert found and {d.code for d in found} <= {"V101", "V102"}
    assert place is not None and {d.line for d in found} <= {
        el.sourceline for el in place.iter()}


def test_a_schema_verdict_is_not_taken_for_a_different_entry() -> None:
    good = etree.parse(str(ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"))
    assert schema.check_schema(_file(good), schema.DOCUMENT) == ([], set())
    assert schema.check_schema(_file(_broken_entry()), schema.DOCUMENT)[0]


def test_an_entry_out_of_its_list_is_not_left_open() -> None:
    tree = etree.parse(str(ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"))
    place = tree.find(".//tei:standOff//tei:place", NS)
    p = tree.find(".//tei:body//tei:p", NS)
    assert place is not None and p is not None
    p.append(copy.deepcopy(place))
    outline = schema_parts.document_outline()
    assert outline is not None
    assert not outline.passes(tree, _file(tree).index.xml_of)
    assert schema.check_schema(_file(tree), schema.DOCUMENT)[0]


@pytest.mark.parametrize("addition", [
    '<xs:element name="x"><xs:complexType><xs:sequence><xs:any processContents="lax"/>'
    '</xs:sequence></xs:complexType></xs:element>',
    '<xs:element name="x"><xs:complexType><xs:attribute name="to" type="xs:IDREF"/>'
    '</xs:complexType><xs:key name="k"><xs:selector xpath="."/><xs:field xpath="@to"/>'
    '</xs:key></xs:element>'])
def test_a_schema_whose_entries_are_not_on_their_own_has_no_outline(
        addition: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Wildcards, keys, IDREFs: no shortcut."""
    for xsd in SCHEMA_DIR.glob("*.xsd"):
        (tmp_path / xsd.name).write_bytes(xsd.read_bytes())
    assert schema_parts.document_outline.__wrapped__() is not None
    text = (tmp_path / "teipipe.xsd").read_text(encoding="utf-8")
    (tmp_path / "teipipe.xsd").write_text(text.replace("</xs:schema>", addition +
                                                       "</xs:schema>"), encoding="utf-8")
    monkeypatch.setattr(schema_parts, "SCHEMA_DIR", tmp_path)
    assert schema_parts.document_outline.__wrapped__() is None


def test_a_name_declared_twice_is_not_left_open(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for xsd in SCHEMA_DIR.glob("*.xsd"):
        (tmp_path / xsd.name).write_bytes(xsd.read_bytes())
    text = (tmp_path / "teipipe.xsd").read_text(encoding="utf-8")
    (tmp_path / "teipipe.xsd").write_text(text.replace(
        "</xs:schema>", '<xs:element name="person" type="xs:string"/></xs:schema>'),
        encoding="utf-8")
    monkeypatch.setattr(schema_parts, "SCHEMA_DIR", tmp_path)
    outline = schema_parts.document_outline.__wrapped__()
    assert outline is not None and sorted(outline.entries) == [f"{T}org", f"{T}place"]


_URI_LIST = etree.RelaxNG(etree.fromstring(
    f'<element name="x" xmlns="{RNG}" datatypeLibrary="{outline_mod.XSD_TYPES}">'
    '<attribute name="ref"><list><oneOrMore><data type="anyURI"/></oneOrMore></list>'
    '</attribute></element>'))
_POINTER_TEXT = st.text(st.sampled_from("#ab-_.9 \t\n|%:/é?"), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(_POINTER_TEXT, max_size=4))
def test_local_pointers_are_lists_of_uris(values: list[str]) -> None:
    """What lets the outline take pointer lists as text: every value the cheap test passes
    is one libxml2 accepts as ``list { anyURI+ }``."""
    assert not _URI_LIST.validate(etree.ElementTree(etree.Element("x", ref=" ")))
    if outline_mod.local_pointers(values):
        for value in values:
            x = etree.Element("x", ref=value)
            assert _URI_LIST.validate(etree.ElementTree(x)), value


@settings(max_examples=60, deadline=None)
@given(_POINTER_TEXT, st.sampled_from(["ref", "resp", "target"]))
def test_tei_all_in_two_parts_agrees_with_the_whole_on_any_pointer(value: str,
                                                                   attr: str) -> None:
    """Whatever a pointer attribute holds (a local pointer, a URI, an empty or broken
    list), the conformance check says what the whole grammar says."""
    tree = etree.parse(str(ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"))
    el = tree.find(f".//tei:body//*[@{attr}]", NS)
    assert el is not None
    el.set(attr, value)
    assert (conformance.check_tei(_file(tree)) == []) == _whole(tree)


def test_a_pointer_that_is_not_local_is_left_to_the_whole_grammar() -> None:
    """tei_all takes any URI; the outline's pointers as text are asked about local ones only."""
    tree = etree.parse(str(ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"))
    ref = tree.find(".//tei:body//tei:ref[@target]", NS)
    assert ref is not None
    ref.set("target", "https://example.org/notes#n1")
    assert not conformance.outline().passes(tree, _file(tree).index.xml_of)
    assert conformance.check_tei(_file(tree)) == []
    ref.set("target", "")
    assert conformance.outline().file.validate(tree)  # text: the outline alone would pass
    assert conformance.check_tei(_file(tree))  # the whole grammar does not


def _pattern_schema(pattern: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.fromstring(
        f'<xs:schema xmlns:xs="{schema_parts.XS}"><xs:element name="x"><xs:simpleType>'
        f'<xs:restriction base="xs:string"><xs:pattern value="{pattern}"/></xs:restriction>'
        '</xs:simpleType></xs:element></xs:schema>'))


_SAME_LANGUAGE = [(_pattern_schema(a), _pattern_schema(b))
                  for a, b in schema_parts.SAME_LANGUAGE.items()]


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(" \t\n\r.xé\u00a0\u2028#"), max_size=8))
def test_a_rewritten_pattern_takes_the_same_strings(text: str) -> None:
    """The schema in parts writes some patterns another way (schema_parts.SAME_LANGUAGE):
    libxml2 takes the same strings with both."""
    x = etree.Element("x")
    x.text = text
    for slow, fast in _SAME_LANGUAGE:
        assert slow.validate(etree.ElementTree(x)) == fast.validate(etree.ElementTree(x))


_SCHEMA_PATTERNS = sorted({p.get("value") for path in SCHEMA_DIR.glob("*.xsd")
                           for p in etree.parse(str(path)).iter(f"{{{schema_parts.XS}}}pattern")})
_NAME_THEN_STOP = [(_pattern_schema(p), _pattern_schema(schema_parts.same_language(p)))
                   for p in _SCHEMA_PATTERNS if p.startswith(schema_parts.NAME_THEN_STOP)]
_POINTER_PIECES = ["#", "d", "1950-02", "_x", "é", ".", ":", " ", "\n", "translator", "editors",
                   "ner", "classification", "secret", "doctype", "cable", "-", "·"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_POINTER_PIECES), max_size=8).map("".join))
def test_a_pointer_pattern_written_stop_by_stop_takes_the_same_strings(text: str) -> None:
    """The pointers to a name with a suffix (``#doc.translator``) are matched by runs ended
    by full stops in the schema in parts (schema_parts.same_language): libxml2 takes the
    same strings both ways."""
    assert len(_NAME_THEN_STOP) >= 4  # the project schema's four
    x = etree.Element("x")
    x.text = text
    for slow, fast in _NAME_THEN_STOP:
        assert slow.validate(etree.ElementTree(x)) == fast.validate(etree.ElementTree(x))


@pytest.mark.parametrize("text", ["#d1.translator", "#d.x.y.editors", "#d.ner", "#d..ner",
                                  "#d.ner.ner", "#a-b_c.classification.secret"])
def test_the_pointers_of_a_document_match_stop_by_stop(text: str) -> None:
    x = etree.Element("x")
    x.text = text
    assert any(fast.validate(etree.ElementTree(x)) for _slow, fast in _NAME_THEN_STOP)


def test_the_rewritten_patterns_are_those_of_the_schema() -> None:
    """Each pattern written another way is one the project schema has (else the rewrite
    would do nothing, silently)."""
    values = {p.get("value") for path in SCHEMA_DIR.glob("*.xsd")
              for p in etree.parse(str(path)).iter(f"{{{schema_parts.XS}}}pattern")}
    assert set(schema_parts.SAME_LANGUAGE) <= values


_CHECKS = """<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <sch:pattern>
    <sch:rule context="tei:p">
      <sch:let name="n" value="string-length(@n)"/>
      <sch:assert id="A1" test="$n &lt; 3">n too long: <sch:value-of select="@n"/></sch:assert>
      <sch:report id="R1" test="@rend = 'x'">rend x</sch:report>
      <sch:assert id="A2" test="normalize-space(.) != ''">empty</sch:assert>
    </sch:rule>
  </sch:pattern>
</sch:schema>"""


@pytest.mark.parametrize("p", ['<p n="1">a</p>', '<p rend="x" n="1">a</p>', '<p n="1234">a</p>',
                               '<p rend="x" n="1"/>', '<p n="12345" rend="x"/>',
                               '<p>a</p><p n="9999"/>'])
def test_a_rules_checks_asked_at_once_report_what_they_reported_one_by_one(p: str) -> None:
    stylesheet = isoschematron.Schematron(etree.fromstring(_CHECKS),
                                          store_xslt=True).validator_xslt
    guarded = copy.deepcopy(stylesheet)
    svrl = "{http://purl.oclc.org/dsdl/svrl}"
    for fired in list(guarded.iter(f"{svrl}fired-rule")):  # as the trimmed stylesheet has it
        fired.getparent().remove(fired)
    for template in guarded.getroot():
        schematron._checks_at_once(template)
    xsl = "{http://www.w3.org/1999/XSL/Transform}"
    assert len([el for el in guarded.iter(f"{xsl}if") if el.get("test", "").startswith(
        "not((")]) == 1
    doc = etree.fromstring(f'<TEI xmlns="{TEI_NS}"><text>{p}</text></TEI>').getroottree()

    def found(xslt: etree._ElementTree) -> list[tuple[str | None, str | None, str]]:
        report = etree.XSLT(xslt)(doc).getroot()
        return [(e.get("id"), e.get("location"), "".join(e.itertext()).strip())
                for e in report.iter(f"{svrl}failed-assert", f"{svrl}successful-report")]

    assert found(guarded) == found(stylesheet)
