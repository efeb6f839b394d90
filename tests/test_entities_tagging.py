"""The tagging rules, each on a small case, through the pass's public function ``tag``."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.convert.inlines import parse_inlines
from pipeline.entities.register import load_register
from pipeline.entities.score import located_names
from pipeline.entities.tagger import build_resources, tag
from pipeline.export.text import diplomatic
from pipeline.model import (Abbreviation, Body, Bracketed, Document, Header, Name, Paragraph,
                            Party, Signed, Text)
from pipeline.tei.read import parse, read_tei
from pipeline.tei.write import serialize

REGISTER = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t
</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc>
</fileDesc></teiHeader><standOff>
<listPerson>
 <person xml:id="per-lyndon-b-johnson"><persName type="preferred">Lyndon B. Johnson</persName>
  <persName type="variant">Lyndon Johnson</persName><persName type="variant">Johnson</persName>
  <birth when="1908"/><death when="1973"/>
  <occupation from="1963" to="1969">President of the United States</occupation>
  <nationality ref="#pla-united-states">American</nationality>
  <note type="description">US President.</note></person>
 <person xml:id="per-u-alexis-johnson"><persName type="preferred">U. Alexis Johnson</persName>
  <persName type="variant" subtype="short">Johnson</persName><birth when="1908"/>
  <occupation from="1966" to="1969">Ambassador to Japan</occupation>
  <note type="description">US diplomat.</note></person>
 <person xml:id="per-mcgeorge-bundy"><persName type="preferred">McGeorge Bundy</persName>
  <persName type="variant">Bundy</persName>
  <occupation from="1961" to="1966">National Security Advisor</occupation>
  <note type="description">NSA.</note></person>
 <person xml:id="per-william-bundy"><persName type="preferred">William Bundy</persName>
  <persName type="variant">Bundy</persName>
  <occupation from="1964" to="1969">Assistant Secretary of State</occupation>
  <note type="description">Official.</note></person>
 <person xml:id="per-tran-buu-kiem"><persName type="preferred">Tran Buu Kiem</persName>
  <note type="description">NLF.</note></person>
</listPerson>
<listPlace>
 <place xml:id="pla-united-states" type="country"><placeName type="preferred">United States</placeName>
  <placeName type="variant">U.S.</placeName><placeName type="variant">US</placeName>
  <note type="description">USA.</note></place>
 <place xml:id="pla-vietnam" type="country"><placeName type="preferred">Vietnam</placeName>
  <note type="description">Vietnam.</note></place>
 <place xml:id="pla-drv" type="country"><placeName type="preferred">Democratic Republic of Vietnam</placeName>
  <placeName type="variant">North Vietnam</placeName><country ref="#pla-vietnam">Vietnam</country>
  <note type="description">DRV.</note></place>
 <place xml:id="pla-hanoi" type="city"><placeName type="preferred">Hanoi</placeName>
  <country ref="#pla-vietnam">Vietnam</country><note type="description">City.</note></place>
 <place xml:id="pla-soviet-union" type="country"><placeName type="preferred">Soviet Union</placeName>
  <placeName type="variant">USSR</placeName><note type="description">USSR.</note></place>
</listPlace>
<listOrg>
 <org xml:id="org-cosvn" type="party-organ"><orgName type="preferred">Central Office for South Vietnam</orgName>
  <orgName type="variant">COSVN</orgName><country ref="#pla-vietnam">Vietnam</country>
  <note type="description">COSVN.</note></org>
 <org xml:id="org-nlf" type="front"><orgName type="preferred">National Liberation Front</orgName>
  <orgName type="variant" subtype="short">Front</orgName><country ref="#pla-vietnam">Vietnam</country>
  <note type="description">NLF.</note></org>
 <org xml:id="org-vwp-politburo" type="party-organ"><orgName type="preferred">Politburo of the Vietnam Workers' Party</orgName>
  <orgName type="variant" subtype="short">Politburo</orgName><country ref="#pla-drv">DRV</country>
  <note type="description">VWP.</note></org>
 <org xml:id="org-cpsu-politburo" type="party-organ"><orgName type="preferred">Politburo of the CPSU</orgName>
  <orgName type="variant" subtype="short">Politburo</orgName><country ref="#pla-soviet-union">USSR</country>
  <note type="description">CPSU.</note></org>
</listOrg></standOff></TEI>"""


@pytest.fixture(scope="module")
def resources(tmp_path_factory):
    path = tmp_path_factory.mktemp("register") / "register.xml"
    path.write_text(REGISTER, encoding="utf-8")
    register, notes = load_register(path)
    assert not notes
    return build_resources(register, recognizer=None, gazetteer=False)


def document(*paragraphs: str, date: str | None = "1967-01-23", **header) -> Document:
    blocks = tuple(Paragraph(parse_inlines(p)[0], sep="\n\n" if k else "")
                   for k, p in enumerate(paragraphs))
    return Document("d1", Header(date_when=date, **header), Body(main=blocks))


def names(doc: Document) -> list[tuple[str, str, str | None, str | None]]:
    text, found = located_names(doc.body)
    return [(text[a:b], n.type, n.ref, n.cert) for a, b, n in found]


def tagged(resources, *paragraphs: str, **kw):
    doc, notes = tag(document(*paragraphs, **kw), resources)
    return names(doc), notes, doc


def test_register_names_are_linked_and_the_possessive_stays_outside(resources) -> None:
    found, notes, _ = tagged(resources, "Strongly attack Johnson’s speech in Hanoi.")
    assert found == [("Johnson", "person", "per-lyndon-b-johnson", None),
                     ("Hanoi", "place", "pla-hanoi", None)]
    assert notes == []


def test_abbreviations_with_full_stops_and_spaces_are_one_name(resources) -> None:
    found, _, _ = tagged(resources, "the U.S. and the U. S. and the US")
    assert [f[:3] for f in found] == [("U.S.", "place", "pla-united-states"),
                                      ("U. S.", "place", "pla-united-states"),
                                      ("US", "place", "pla-united-states")]


def test_the_longest_name_wins(resources) -> None:
    found, _, _ = tagged(resources, "the bombing of North Vietnam and of Vietnam")
    assert [f[0] for f in found] == ["North Vietnam", "Vietnam"]
    assert found[0][2] == "pla-drv"


def test_a_name_split_by_a_supplied_part_is_one_person(resources) -> None:
    _found, _, doc = tagged(resources, "If [Tran Buu] Kiem is going to be the representative")
    name = doc.body.main[0].content[1]
    assert isinstance(name, Name) and name.ref == "per-tran-buu-kiem"
    assert isinstance(name.content[0], Bracketed) and name.content[0].kind == "supplied-name"
    assert name.content[1] == Text(" Kiem")


def test_an_abbreviation_and_its_expansion_are_tagged_on_their_own(resources) -> None:
    _found, _, doc = tagged(resources, "To: COSVN [Central Office for South Vietnam] now")
    abbr = doc.body.main[0].content[1]
    assert isinstance(abbr, Abbreviation)
    assert abbr.abbr[0] == Name("org", (Text("COSVN"),), "org-cosvn")
    assert abbr.expansion.content[0].ref == "org-cosvn"  # type: ignore[union-attr]


def test_an_unknown_abbreviation_takes_the_type_of_its_expansion(resources) -> None:
    found, _, _ = tagged(resources, "the DSIP [State Secretariat for Foreign Affairs] said")
    assert [(f[0], f[1], f[2]) for f in found] == [
        ("DSIP", "org", None), ("State Secretariat for Foreign Affairs", "org", None)]


@pytest.mark.parametrize("text", [
    "the American journalist Salisbury spoke", "the Americans are undecided",
    "Vietnamese parties and the Chinese comrades", "the Sino-Soviet split",
    "CANADIANS ARRIVED"])
def test_demonyms_and_adjectives_are_never_tagged(resources, text: str) -> None:
    found, _, _ = tagged(resources, text)
    assert not [f for f in found if f[0].split()[0].rstrip("s") in
                ("American", "Vietnamese", "Chinese", "Sino-Soviet", "CANADIAN")]


def test_titles_stay_outside_and_unknown_people_are_proposed(resources) -> None:
    found, notes, doc = tagged(resources, "Comrade Koča Popović met Ambassador Chervonenko.")
    assert found == [("Koča Popović", "person", None, "medium"),
                     ("Chervonenko", "person", None, "medium")]
    text, located = located_names(doc.body)
    assert all(n.resp == "#d1.ner" for _a, _b, n in located)
    assert doc.authority.recognizer and "rules" in doc.authority.recognizer
    assert [d.code for d in notes] == ["I302"]


def test_a_surname_after_the_full_name_is_the_same_person(resources) -> None:
    found, _, _ = tagged(resources, "Comrade Abdyl Këllezi arrived. Later Këllezi said no.")
    assert [f[0] for f in found] == ["Abdyl Këllezi", "Këllezi"]
    found, _, _ = tagged(resources, "Later Këllezi said no. Comrade Abdyl Këllezi arrived.")
    assert [f[0] for f in found] == ["Abdyl Këllezi"]  # a short form must follow the name


def test_a_given_name_alone_is_the_person_unless_two_people_share_it(resources) -> None:
    found, _, _ = tagged(resources, "Comrade Abdyl Këllezi arrived. Abdyl said no.")
    assert [f[0] for f in found] == ["Abdyl Këllezi", "Abdyl"]
    found, _, _ = tagged(resources, "Comrade Kim Tu-bong and Comrade Kim Chang-man came. "
                         "Kim said no.")
    assert [f[0] for f in found] == ["Kim Tu-bong", "Kim Chang-man"]


def test_a_full_name_in_the_document_decides_a_shared_surname(resources) -> None:
    found, notes, _ = tagged(resources, "U. Alexis Johnson arrived. Johnson said no.")
    assert [f[2] for f in found] == ["per-u-alexis-johnson", "per-u-alexis-johnson"]
    assert notes == []


def test_a_title_decides_a_shared_surname(resources) -> None:
    found, _, _ = tagged(resources, "Ambassador Johnson said no; President Johnson yes.")
    assert [f[2] for f in found] == ["per-u-alexis-johnson", "per-lyndon-b-johnson"]


def test_the_date_decides_a_shared_surname(resources) -> None:
    found, _, _ = tagged(resources, "Bundy said no.", date="1968-05-01")
    assert found == [("Bundy", "person", "per-william-bundy", None)]
    found, _, _ = tagged(resources, "Bundy said no.", date="1962-05-01")
    assert found == [("Bundy", "person", "per-mcgeorge-bundy", None)]


def test_what_stays_ambiguous_gets_every_candidate_low_certainty_and_a_warning(
        resources) -> None:
    found, notes, doc = tagged(resources, "Bundy said no.", date="1965-05-01")
    assert found == [("Bundy", "person", "per-mcgeorge-bundy per-william-bundy", "low")]
    assert [d.code for d in notes] == ["W301"]
    refs = {e.split('xml:id="')[1].split('"')[0] for e in doc.authority.entries}
    assert {"per-mcgeorge-bundy", "per-william-bundy"} <= refs


def test_short_forms_need_support_from_the_document(resources) -> None:
    found, _, _ = tagged(resources, "In Hanoi the Politburo said the Front must fight.")
    assert [f[2] for f in found] == ["pla-hanoi", "org-vwp-politburo", "org-nlf"]
    found, _, _ = tagged(resources, "In the USSR the Politburo met.")
    assert [f[2] for f in found] == ["pla-soviet-union", "org-cpsu-politburo"]
    found, _, _ = tagged(resources, "The Front said so.")
    assert ("Front", "org", "org-nlf", None) not in found


def test_a_common_word_in_capitals_is_a_name_only_after_the(resources) -> None:
    found, _, _ = tagged(resources, "THEY TOLD US THAT THE US WILL NOT STOP")
    assert found == [("US", "place", "pla-united-states", None)]


def test_text_in_capitals_is_read_as_ordinary_type(resources) -> None:
    found, _, _ = tagged(resources, "THE SOVIET EMBASSY AND THE MINISTRY OF FOREIGN AFFAIRS "
                         "SAID THE SHIP CARRIED MEN")
    assert [(f[0], f[1]) for f in found] == [("SOVIET EMBASSY", "org"),
                                            ("MINISTRY OF FOREIGN AFFAIRS", "org")]


def test_an_english_word_in_capitals_in_a_heading_is_no_acronym(resources) -> None:
    """``CIPHERED TELEGRAM No. 1136``: long words shaped like English words (-ED, -ING,
    -TION ...) are words, while a real acronym beside them is still proposed."""
    found, _, _ = tagged(resources, "The CIPHERED TELEGRAM from the KPN was DISPATCHED today.")
    assert [(f[0], f[1]) for f in found] == [("KPN", "org")]


def test_existing_names_are_left_alone(resources) -> None:
    doc = Document("d1", Header(), Body(main=(Paragraph((
        Name("person", (Text("Hanoi Hannah"),), None), Text(" in Hanoi"))),)))
    tagged_doc, _ = tag(doc, resources)
    assert names(tagged_doc) == [("Hanoi Hannah", "person", None, None),
                                 ("Hanoi", "place", "pla-hanoi", None)]


def test_the_header_parties_are_linked(resources) -> None:
    doc = document("Text.", parties=(Party("COSVN", "received"), Party("Nobody", "sent")))
    tagged_doc, _ = tag(doc, resources)
    assert tagged_doc.header.parties == (Party("COSVN", "received", "org", "org-cosvn"),
                                         Party("Nobody", "sent"))
    assert any('xml:id="org-cosvn"' in e for e in tagged_doc.authority.entries)


def test_initials_at_the_end_of_a_paragraph_are_no_name(resources) -> None:
    """A paragraph may end with initials and a space ("... TO ST. JOHN'S. ", "by L. I. ")."""
    found, _, _ = tagged(resources, "REPORTS SENT TO ST. JOHN'S. ", "signed by L. I. ")
    assert found == []


def test_the_standoff_holds_each_entry_referred_to_and_its_country(resources) -> None:
    _found, _, doc = tagged(resources, "In Hanoi.")
    ids = [e.split('xml:id="')[1].split('"')[0] for e in doc.authority.entries]
    assert ids == ["pla-hanoi", "pla-vietnam"]


WORDS = st.sampled_from(["Johnson’s", "U.S.", "[Tran Buu] Kiem", "Hanoi", "the", "Front",
                         "Comrade", "Ivan", "Politburo", "COSVN [Central Office for South "
                         "Vietnam]", "said", ",", "American", "Bundy", "\n", "USSR", "Sino-Soviet",
                         "[signed]", "Këllezi", "no.", "L. I.", "ST. JOHN'S."])


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=25), st.sampled_from(["", " ", ". ", "\u00a0"]))
def test_tagging_never_changes_the_text(resources, words: list[str], end: str) -> None:
    doc = document(" ".join(words) + end)
    tagged_doc, _ = tag(doc, resources)
    assert diplomatic(tagged_doc.body) == diplomatic(doc.body)
    for _a, _b, name in located_names(tagged_doc.body)[1]:
        assert name.content, "a name wraps text"


def test_a_name_may_end_with_an_abbreviation_and_hold_its_expansion(resources,
                                                                     tei_all) -> None:
    """``Embassy of the DRV [Democratic Republic of Vietnam]``: the organization's name ends
    with the abbreviation; the translator's expansion is inside it but not part of its
    surface, and the place it names is a mention of its own."""
    text = "We met the Embassy of the DRV [Democratic Republic of Vietnam] in Hanoi."
    found, _, doc = tagged(resources, text)
    assert [f[:3] for f in found] == [
        ("Embassy of the DRV", "org", None),
        ("Democratic Republic of Vietnam", "place", "pla-drv"),
        ("Hanoi", "place", "pla-hanoi")]
    org = doc.body.main[0].content[1]
    assert isinstance(org, Name) and org.content[0] == Text("Embassy of the ")
    abbr = org.content[1]
    assert isinstance(abbr, Abbreviation) and abbr.abbr == (Text("DRV"),)
    assert abbr.expansion.content == (Name("place", (Text("Democratic Republic of Vietnam"),),
                                           "pla-drv"),)
    assert diplomatic(doc.body) == text
    data = serialize(doc)
    assert b'<orgName cert="medium" resp="#d1.ner">Embassy of the <choice><abbr>DRV</abbr> ' \
        b'<expan rend="brackets" resp="#d1.editors"><placeName ref="#pla-drv">Democratic ' \
        b'Republic of Vietnam</placeName></expan></choice></orgName>' in data
    tree = parse(data)
    assert tei_all.validate(tree), tei_all.error_log.last_error
    assert read_tei(tree).body == doc.body


def test_a_name_of_the_abbreviation_alone_stays_inside_it(resources) -> None:
    found, _, doc = tagged(resources, "the COSVN [Central Office for South Vietnam] said")
    abbr = doc.body.main[0].content[1]
    assert isinstance(abbr, Abbreviation) and isinstance(abbr.abbr[0], Name)
    assert [f[:3] for f in found] == [("COSVN", "org", "org-cosvn"),
                                      ("Central Office for South Vietnam", "org", "org-cosvn")]


class ScriptedRecognizer:
    """Stands in for spaCy: answers what it is told for each surface (label person|place|org),
    so that what the tagger makes of the recognizer's answers can be tested exactly."""

    description = "scripted recognizer"

    def __init__(self, answers: dict[str, str]):
        self.answers = answers

    def entities(self, _key: str, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        out = []
        for text in texts:
            found = []
            for surface, label in self.answers.items():  # the recognizer reads text in
                at = text.upper().find(surface.upper())  # capitals in ordinary case
                while at >= 0:
                    found.append((at, at + len(surface), label))
                    at = text.upper().find(surface.upper(), at + 1)
            out.append(sorted(found))
        return out


@pytest.fixture(scope="module")
def register(resources):
    return resources.register


def recognized(register, answers: dict[str, str], *paragraphs: str):
    res = build_resources(register, ScriptedRecognizer(answers), gazetteer=False)
    doc, _notes = tag(document(*paragraphs), res)
    return [f[:2] for f in names(doc)]


@pytest.mark.parametrize("text", [
    "to clear the coastal plain of Binh Dinh.", "the road across the Aksai Chin to Tibet",
    "our posts on the Chang Chenmo are supplied", "north from Lingzi Tang the patrol went",
    "the Aksai Chin area is claimed", "rumours in Kardzhali and the Rhodopes"])
def test_the_words_around_a_recognized_person_make_it_a_place(register, text: str) -> None:
    name = next(n for n in ("Binh Dinh", "Aksai Chin", "Chang Chenmo", "Lingzi Tang",
                            "Rhodopes") if n in text)
    found = recognized(register, {name: "person", "Kardzhali": "place"}, text)
    assert (name, "place") in found


@pytest.mark.parametrize("text", ["in Kosygin’s view the talks failed",
                                  "the Nagy government fell", "Kim Tu-bong said so"])
def test_a_person_stays_a_person(register, text: str) -> None:
    name = next(n for n in ("Kosygin", "Nagy", "Kim Tu-bong") if n in text)
    assert (name, "person") in recognized(register, {name: "person"}, text)


def test_coordinated_names_share_the_type_the_register_knows(register) -> None:
    found = recognized(register, {"Chu Lai": "person", "Nikola Ljubičić": "org"},
                       "the bases at Hanoi, Chu Lai and Vietnam; copy to Lyndon Johnson, "
                       "Nikola Ljubičić and Bundy")
    assert ("Chu Lai", "place") in found and ("Nikola Ljubičić", "person") in found


def test_numbered_offices_are_bodies_but_numbered_events_are_not(resources) -> None:
    found, _, _ = tagged(resources, "Copy to the Third Non-European Department of the "
                         "Ministry; the Fourteenth Congress of the Party met.")
    assert [f[:2] for f in found] == [("Third Non-European Department of the Ministry",
                                       "org")]


def test_an_abbreviation_expanded_once_names_the_same_entity_throughout(resources) -> None:
    found, _, _ = tagged(resources, "the DRV [Democratic Republic of Vietnam] said.",
                         "The people of the DRV.")
    assert found == [("DRV", "place", "pla-drv", None),
                     ("Democratic Republic of Vietnam", "place", "pla-drv", None),
                     ("DRV", "place", "pla-drv", None)]
    found, _, _ = tagged(resources, "the DRV [Democratic Republic of Vietnam] said.",
                         "the DRV [Directorate of Rural Veterans] too.", "The DRV.")
    assert found[-1] == ("DRV", "org", None, "low")  # expanded two ways: left to the rules


@pytest.mark.parametrize("text, person", [
    ("Present: O. Černík, F. Kriegel and J. Špaček", "J. Špaček"),
    ("Comrades Mehmet Shehu, Abdyl Këllezi, Spiro Koleka and Kiço Ngjela", "Kiço Ngjela"),
    ("I asked about Yun Gong-heum and the others", "Yun Gong-heum"),
    ("Kim Il Sung complained that Kim Tu-bong, Chairman of the Presidium", "Kim Tu-bong")])
def test_people_the_register_lacks_are_found_by_their_form(resources, text, person) -> None:
    found, _, _ = tagged(resources, text)
    assert (person, "person") in [f[:2] for f in found]


@pytest.mark.parametrize("text", ["St. Petersburg is far", "Plan B. The end", "No. 5 Brown"])
def test_initials_need_a_surname(resources, text: str) -> None:
    found, _, _ = tagged(resources, text)
    assert not [f for f in found if f[1] == "person"]


def test_the_name_that_signs_is_a_person(resources) -> None:
    doc = Document("d1", Header(), Body(main=(
        Paragraph((Text("We will report."),)),
        Signed(parse_inlines("[Signed] Szalay")[0], sep="\n\n"),
        Signed(parse_inlines("Sd/- S. Dutt\nForeign Secretary")[0], sep="\n\n"),
        Signed((Text("DUMITRU POPA"),), sep="\n\n"),
        Signed((Text("Minister of Foreign Affairs"),), sep="\n\n"))))
    tagged_doc, _ = tag(doc, resources)
    assert [f[:2] for f in names(tagged_doc)] == [
        ("Szalay", "person"), ("S. Dutt", "person"), ("DUMITRU POPA", "person")]


def test_a_codename_is_a_name_of_what_its_explanation_names(resources) -> None:
    found, _, _ = tagged(resources, "Comrade Wiesław [party pseudonym of Lyndon Johnson] "
                         "thanked him; the source “Orchid” [codename of an informant] said so.")
    assert [f[:3] for f in found] == [
        ("Wiesław", "person", "per-lyndon-b-johnson"),
        ("Lyndon Johnson", "person", "per-lyndon-b-johnson"),
        ("Orchid", "person", None)]


def test_a_name_and_its_other_form_in_brackets_are_one_entity(register) -> None:
    found = recognized(register, {"Mazu": "org", "Ünen": "org"},
                       "The shelling of Mazu [Hanoi] and the editorial of Ünen [Truth] "
                       "contradictions [disputes]")
    assert found == [("Mazu", "place"), ("Hanoi", "place"), ("Ünen", "org"),
                     ("Truth", "org")]


@pytest.mark.parametrize("text, country", [
    ("THEY TOLD US THAT", False), ("THE US WILL NOT STOP", True),
    ("JOHNSON MAY CALL UP RESERVES AND US WILL BRING QUESTION", True),
    ("WHILE US FORCES ARE TIED DOWN", True), ("LET US SEE", False)])
def test_us_in_capitals_is_the_country_before_a_verb_or_its_forces(resources, text,
                                                                    country) -> None:
    found, _, _ = tagged(resources, text)
    assert (("US", "place", "pla-united-states", None) in found) is country


def test_in_capitals_a_demonym_and_a_generic_word_are_no_body(resources) -> None:
    found, _, _ = tagged(resources, "WHILE AMERICAN FORCES ARE TIED DOWN, ACCORDING TO "
                         "WESTERN RADIO, THE SOVIET EMBASSY BELIEVES")
    assert [f[:2] for f in found] == [("SOVIET EMBASSY", "org")]


def test_the_recognizer_is_not_trusted_on_codes_vessels_and_parts_of_words(register) -> None:
    found = recognized(register, {"USW-06317": "org", "TT": "org", "Pueblo": "place",
                                  "Bayan": "place"},
                       "Number: USW-06317, cable 112/TT. The ship “Pueblo” was seized; "
                       "in Bayan-Ölgii there is talk")
    assert found == [("Bayan-Ölgii", "place")]


def test_an_expansion_in_capitalised_words_is_one_name(register) -> None:
    found = recognized(register, {"Saint-Gobain Techniques": "org"},
                       "the contract with SGN [Saint-Gobain Techniques Nouvelles] was signed")
    assert found == [("SGN", "org"), ("Saint-Gobain Techniques Nouvelles", "org")]


@pytest.fixture(scope="module")
def with_gazetteer(register):
    return build_resources(register, recognizer=None, gazetteer=True)


@pytest.mark.parametrize("text, place", [
    ("there is no road east of Leh fit for lorries", "Leh"),
    ("in Bayan-Ölgii and Khovd there is talk", "Khovd"),
    ("the visit of Leh to the capital", None),
    ("the ship Pueblo was seized", None)])
def test_small_towns_of_geonames_need_the_text_to_say_they_are_places(
        with_gazetteer, text, place) -> None:
    doc, _ = tag(document(text), with_gazetteer)
    found = [f[:2] for f in names(doc)]
    assert found == ([(place, "place")] if place else [])


def test_a_town_of_geonames_is_not_the_first_word_of_a_longer_name(with_gazetteer) -> None:
    doc, _ = tag(document("the bases at Da Nang, Chu Lai and Bien Hoa"), with_gazetteer)
    assert [f[0] for f in names(doc)] == ["Da Nang", "Bien Hoa"]  # not "Chu" (Kazakhstan)


def test_in_capitals_the_recognizer_is_trusted_only_on_rare_words(register) -> None:
    found = recognized(register, {"COMMUNAL KITCHENS": "person", "SOVIET DELEGATION": "person",
                                  "AMERICAN WARSHIPS": "org", "COMMUNE AT XUSHUI": "org",
                                  "HENAN": "place", "SUDARIKOV": "person"},
                       "THEY SAW COMMUNAL KITCHENS. SOVIET DELEGATION CAME. AMERICAN WARSHIPS "
                       "SAILED. THE COMMUNE AT XUSHUI; IN HENAN. COUNSELOR SUDARIKOV SAID")
    assert found == [("XUSHUI", "place"), ("HENAN", "place"), ("SUDARIKOV", "person")]


def test_in_capitals_only_an_embassy_or_the_like_stands_alone(resources) -> None:
    found, _, _ = tagged(resources, "THE MOVEMENT IS COMPLETE. THE EMBASSY BELIEVES. TO: MFA, "
                         "HANOI")
    assert [f[:2] for f in found] == [("EMBASSY", "org"), ("MFA", "org"), ("HANOI", "place")]


def test_a_proposed_name_keeps_the_type_its_context_gave_it(register) -> None:
    found = recognized(register, {"Jabal Saraj": "person"},
                       "the cement works at Jabal Saraj. Machines for Jabal Saraj wait.")
    assert found == [("Jabal Saraj", "place"), ("Jabal Saraj", "place")]


def test_legislatures_of_other_languages_are_bodies(resources) -> None:
    found, _, _ = tagged(resources, "It may come up in the Lok Sabha or the Loya Jirga.")
    assert [f[:2] for f in found] == [("Lok Sabha", "org"), ("Loya Jirga", "org")]


@settings(max_examples=100, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=25), st.data())
def test_names_are_put_back_the_same_with_the_listed_segments(words: list[str], data) -> None:
    """``apply_names`` given the segments :func:`segments` listed puts names exactly where it
    puts them when it makes the segments again (any spans on token boundaries)."""
    from pipeline.entities.segments import Span, apply_names, segments
    body = document(" ".join(words)).body
    segs = segments(body)
    spans: dict[int, list[Span]] = {}
    for seg in segs:
        edges = sorted({t.start for t in seg.tokens()} | {t.end for t in seg.tokens()})
        cuts = sorted(set(data.draw(st.lists(st.sampled_from(edges), max_size=4)))) \
            if edges else []
        found: list[Span] = []
        for a, b in zip(cuts[::2], cuts[1::2]):
            start, end = seg.widen(a, b)
            if not found or found[-1].end <= start:  # names never overlap
                found.append(Span(start, end, "person", "per-x"))
        if found:
            spans[seg.index] = found
    assert apply_names(body, spans, segs) == apply_names(body, spans)
    assert diplomatic(apply_names(body, spans, segs)) == diplomatic(body)
