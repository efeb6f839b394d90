"""The HTML edition as files: every page made, every link resolving, nothing from a source
turned into markup, the register and search index complete, the same bytes every time.
(What a reader does with it in a browser is in test_browser.py.)"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline.cli import main
from pipeline.export import html
from pipeline.export.passages import passage_label, passages
from pipeline.export.register import fold, read_register
from pipeline.export.run import export_html
from pipeline.export.stylesheets import XSLT_DIR
from pipeline.export.words import words
from pipeline.tei.read import parse

from conftest import ROOT

TEI = ROOT / "tei"
FIXTURES = Path(__file__).parent / "fixtures" / "edition"
SEEDS = sorted(TEI.glob("*.xml"))
HOSTILE = "1970-01-01_hostile"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The edition of the hand-written fixtures (names, no names, hostile markup)."""
    out = tmp_path_factory.mktemp("site")
    result = export_html([FIXTURES], out)
    assert result.documents == len(list(FIXTURES.glob("*.xml")))
    assert [d.code for d in result.diagnostics] == ["W406", "W406"]  # the hostile refs
    return out


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def tree(path: Path):
    return lxml.html.parse(str(path)).getroot()


# ----------------------------------------------------------------------------- the files


def test_every_page_and_download_is_there(site: Path) -> None:
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    stems = [p.stem for p in sorted(FIXTURES.glob("*.xml"))]
    entries = {"persons": ["per-alexander-dubcek", "per-evil", "per-harrison-salisbury",
                           "per-lyndon-b-johnson", "per-u-alexis-johnson", "per-u-thant",
                           "per-zhou-enlai"],
               "places": ["pla-beijing", "pla-hanoi", "pla-north-vietnam", "pla-paris",
                          "pla-prague", "pla-vietnam"],
               "organizations": ["org-cosvn", "org-nlf", "org-us-congress",
                                 "org-vwp-politburo"]}
    expected = {"index.html", "persons.html", "places.html", "organizations.html",
                "search.html", ".teipipe-export", *(f"assets/{n}" for n in html.STATIC_FILES),
                "assets/search-index.js", "proposed-places.html", "proposed-organizations.html",
                *(f"{folder}/{i}.html" for folder, ids in entries.items() for i in ids),
                *(f"documents/{s}.html" for s in stems), *(f"tei/{s}.xml" for s in stems),
                *(f"text/{s}.txt" for s in stems)}
    assert names == expected
    for path in FIXTURES.glob("*.xml"):
        assert (site / "tei" / path.name).read_bytes() == path.read_bytes()


def test_files_are_readable_as_the_umask_says_so_a_web_server_can_serve_them(site: Path) -> None:
    mask = os.umask(0)
    os.umask(mask)
    for path in (site / "index.html", site / "assets" / "search-index.js"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_the_same_tei_gives_the_same_bytes(site: Path, tmp_path: Path) -> None:
    export_html([FIXTURES], tmp_path)
    for path in site.rglob("*"):
        if path.is_file():
            assert (tmp_path / path.relative_to(site)).read_bytes() == path.read_bytes(), path


def test_every_link_resolves_to_a_file_and_an_id(site: Path) -> None:
    assert_links_resolve(site)


def test_the_committed_edition_exports_with_every_link_resolving(tmp_path: Path) -> None:
    register = ROOT / "source" / "register.xml"
    result = export_html([TEI], tmp_path, register=register if register.is_file() else None)
    assert not [d for d in result.diagnostics if d.severity.name == "ERROR"], result.diagnostics
    assert result.documents == len(SEEDS)
    assert_links_resolve(tmp_path)


def assert_links_resolve(site: Path) -> None:
    """Every link, script, style sheet and form of every page points at a file of the site,
    and every fragment at an id of its page; ids are unique; only authority links leave."""
    ids: dict[Path, set[str]] = {}
    for page in pages(site):
        found = [el.get("id") for el in tree(page).iter() if el.get("id")]
        assert len(found) == len(set(found)), f"duplicate ids in {page}"
        ids[page] = set(found)
    for page in pages(site):
        for el in tree(page).iter():
            for attr in ("href", "src", "action"):
                value = el.get(attr)
                if value is None:
                    continue
                parts = urlsplit(value)
                if parts.scheme:
                    assert parts.scheme == "https" and "authority" in el.get("class", ""), \
                        f"{page.name}: external link {value}"
                    continue
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                assert target.is_file(), f"{page.name}: {value} is missing"
                if parts.fragment and target.suffix == ".html":
                    assert unquote(parts.fragment) in ids[target], f"{page.name}: {value}"


def test_every_page_declares_its_language_policy_and_landmarks(site: Path) -> None:
    for page in pages(site):
        root = tree(page)
        assert root.get("lang")
        csp = root.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        assert csp and "default-src 'none'" in csp[0] and "connect-src 'none'" in csp[0]
        assert root.xpath("count(//main)") == 1 and root.xpath("count(//h1)") == 1
        assert root.xpath("//header") and root.xpath("//footer") and root.xpath("//nav")
        assert root.xpath("//footer//*[contains(@class,'cite-text')]")[0].text_content()


# ----------------------------------------------------------------------------- escaping


def test_nothing_from_a_source_becomes_markup(site: Path) -> None:
    for page in pages(site):
        root = tree(page)
        for script in root.iter("script"):
            assert re.fullmatch(r"(\.\./)?assets/[a-z-]+\.js", script.get("src", "")), page
            assert not (script.text or "").strip()
        assert not root.xpath("//style | //iframe | //img | //svg | //object | //embed | //b")
        for el in root.iter():
            for name, value in el.attrib.items():
                assert not name.lower().startswith("on"), f"{page.name}: {name}={value}"
                assert name != "style" and name != "autofocus", f"{page.name}: {name}"
                assert not value.strip().lower().startswith("javascript:"), f"{page.name}"


def test_the_hostile_page_shows_the_markup_as_text(site: Path) -> None:
    root = tree(site / "documents" / f"{HOSTILE}.html")
    text = root.text_content()
    for shown in ("<script>alert('text')</script>", "\" onmouseover=\"alert('quote')",
                  "<img src=x onerror=alert('preferred')>", "</div></main><script>alert('note')",
                  '<script>alert("title")</script>', "<style>body{display:none}</style>"):
        assert shown in text
    assert root.xpath("string(//h1)") == '<script>alert("title")</script> & " onmouseover=' \
                                         "\"alert('title')"
    # a ref that is not a local pointer links nowhere; a javascript: idno is not a link
    assert not root.xpath("//a[contains(., 'Nowhere')]")
    assert root.xpath("//span[contains(@class,'authority')][contains(., \"javascript:alert('uri')\")]")


def search_index(site: Path) -> dict:
    data = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert data.startswith("/* teipipe search index")
    return json.loads(data[data.index("=") + 1:].rstrip().rstrip(";"))


def test_the_search_index_cannot_end_its_script(site: Path) -> None:
    data = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in data and "\u2028" not in data
    index = search_index(site)
    assert any("<script>alert('text')</script>" in p[3] for p in index["passages"])


# ----------------------------------------------------------------------------- documents


def test_a_document_page_has_its_metadata_text_and_names(site: Path) -> None:
    root = tree(site / "documents" / "1967-01-23_cable-entities.html")
    meta = {dt.text_content(): dd.text_content() for dt, dd in
            zip(root.xpath("//dl[@class='meta']//dt"), root.xpath("//dl[@class='meta']//dd"))}
    assert meta["Date"] == "January 23, 1967"
    assert meta["Classification"] == "Secret"
    assert meta["From"] == "North Vietnam Politburo"
    assert meta["To"] == "COSVN; Region V"
    assert meta["Archive"] == "Archive of the Party Central Committee, Hanoi"
    assert meta["Reference"] == "Fond 1, file 42"
    assert meta["Translator"] == "Merle Pribbenow"
    assert meta["Funder"] == "Henry Luce Foundation"
    assert meta["Rights"].startswith("The History and Public Policy Program welcomes")
    assert root.xpath("string(//p[@class='summary'])").startswith("The Vietnamese Politburo")
    thant = root.xpath("//a[@data-refs='per-u-thant']")[0]
    assert thant.get("href") == "../persons/per-u-thant.html"
    assert thant.get("aria-describedby") == "per-u-thant"
    description = root.get_element_by_id("per-u-thant").text_content()  # what a reader hears
    assert "Secretary-General" in description and "In the register" not in description
    johnson = root.xpath("//a[contains(@class,'ent-ambiguous')]")[0]
    assert johnson.get("data-refs") == "per-lyndon-b-johnson per-u-alexis-johnson"
    proposed = root.xpath("//a[contains(@class,'ent-proposed')]")
    assert [a.text_content() for a in proposed] == ["Haiphong"]
    assert proposed[0].get("href") == "../proposed-places.html"
    # a correspDesc name with no @ref, @cert or @resp is plain text
    assert not root.xpath("//a[normalize-space()='Region V']")
    assert root.xpath("//a[@rel='prev']") and root.xpath("//a[@rel='next']")


def test_insertions_are_bracketed_labelled_and_told_apart(site: Path) -> None:
    root = tree(site / "documents" / "1968-11-02_conversation-entities.html")
    kinds = {span.get("class").split()[1]: span.text_content()
             for span in root.xpath("//*[contains(@class,'tei-text')]//span[contains(@class,'ins ')]")}
    assert kinds["ins-supplied"] == "[Translator’s supplied part of a name: Tran Buu]"
    assert kinds["ins-sic"] == "[Translator’s sic, so in the original: sic]"
    assert kinds["ins-gap"].startswith("[Editors’ ")
    assert kinds["ins-page"] == "[Editors’ page of the original: page 2]"
    literal = root.xpath("//span[@title='Translator’s literal translation']")[0]
    assert literal.xpath("string(span[@class='vh'])") == "Translator’s literal translation: "
    note_ref = root.xpath("//sup[@class='noteref']/a")[0]
    note = root.get_element_by_id(note_ref.get("href")[1:])
    assert "talks in Paris had opened" in note.text_content()
    assert note.xpath(".//a[contains(@class,'note-back')]/@href")[0] == "#" + note_ref.get("id")
    assert root.xpath("//p[@class='page-break']")
    assert root.xpath("//p[@class='address']/br")


def test_every_passage_has_its_tei_id_and_a_link_to_itself(site: Path) -> None:
    path = FIXTURES / "1967-01-23_cable-entities.xml"
    root = tree(site / "documents" / f"{path.stem}.html")
    for passage in passages(parse(path)):
        el = root.get_element_by_id(passage.id)
        link = el.xpath("./a[@class='permalink']")[0]
        assert link.get("href") == "#" + passage.id
        assert link.text_content() == passage.label


def test_pages_without_any_names_have_no_names_section(site: Path) -> None:
    root = tree(site / "documents" / "1968-10-16_cable-without-names.html")
    assert not root.xpath("//*[@id='names']") and not root.xpath("//a[contains(@class,'ent')]")
    assert root.xpath("string(//h1)").endswith("(test copy without names)")


def test_document_stylesheet_runs_on_its_own_on_a_tei_file() -> None:
    xslt = etree.XSLT(etree.parse(str(XSLT_DIR / "document.xsl")))
    result = lxml.html.fromstring(bytes(xslt(parse(FIXTURES / "1967-01-23_cable-entities.xml"))))
    assert result.xpath("string(//h1)").startswith("Secret North Vietnam Politburo Cable")
    assert result.xpath("//a[@data-refs='per-u-thant']/@href") == ["../persons/per-u-thant.html"]


# ----------------------------------------------------------------------------- registers


def test_a_register_is_a_light_list_linking_to_each_entrys_page(site: Path) -> None:
    root = tree(site / "persons.html")
    assert not root.xpath("//*[@class='occurrences']")  # the passages are on the entry pages
    row = root.get_element_by_id("per-lyndon-b-johnson")  # old links to #id land here
    assert row.xpath("a[@class='entry-link']/@href") == ["persons/per-lyndon-b-johnson.html"]
    assert row.xpath("string(a[@class='entry-link'])") == "Lyndon B. Johnson"
    text = row.text_content()
    assert "Person" in text and "1908–1973" in text and "President of the United States" in text
    assert row.xpath("string(*[@class='entry-count'])") == "2 documents"
    assert [r.get("id") for r in root.xpath("//li[contains(@class,'register-row')]")] == [
        "per-evil", "per-alexander-dubcek", "per-harrison-salisbury", "per-lyndon-b-johnson",
        "per-u-thant", "per-u-alexis-johnson", "per-zhou-enlai"]
    places = tree(site / "places.html")
    proposed = places.get_element_by_id("proposed")
    assert "Haiphong" in proposed.text_content() and "medium" in proposed.text_content()
    assert proposed.xpath(".//a/@href") == ["proposed-places.html"]


def test_an_entry_page_has_its_card_and_every_passage_with_its_snippet(site: Path) -> None:
    root = tree(site / "persons" / "per-lyndon-b-johnson.html")
    assert root.xpath("string(//h1)") == "Lyndon B. Johnson"
    entry = root.get_element_by_id("per-lyndon-b-johnson")
    assert "1908–1973" in entry.text_content()
    assert entry.xpath(".//a[@class='authority']/@href") == ["https://www.wikidata.org/wiki/Q9640"]
    assert root.xpath("//p[@class='register-back']/a/@href") == [
        "../persons.html#per-lyndon-b-johnson"]
    occurrences = entry.xpath(".//a[@class='occ-passage']")
    assert [(a.get("href"), a.text_content()) for a in occurrences] == [
        ("../documents/1967-01-23_cable-entities.html#d1967-01-23_cable-entities.item3",
         "item 3"),
        ("../documents/1968-11-02_conversation-entities.html"
         "#d1968-11-02_conversation-entities.sp1", "speech 1")]
    first = occurrences[0].getparent()
    assert first.xpath("string(.//mark)") == "Johnson"
    assert "uncertain: one of 2" in first.text_content()
    assert "Named in 2 passages of 2 documents" in entry.text_content()
    zhou = tree(site / "persons" / "per-zhou-enlai.html")
    labels = [a.text_content() for a in zhou.xpath("//a[@class='occ-passage']")]
    assert labels == ["about this document", "heading 1", "speech 1"]
    assert zhou.xpath("string(//*[@class='cite-text'])").startswith(
        "Zhou Enlai. In Cold War documents in translation, TEI edition: Persons.")  # no count
    proposed = tree(site / "proposed-places.html")
    assert [a.get("href") for a in proposed.xpath("//a[@class='occ-passage']")] == [
        "documents/1967-01-23_cable-entities.html#d1967-01-23_cable-entities.p2"]
    assert proposed.xpath("string(//ul[@class='proposed-list']/li/strong)") == "Haiphong"


def test_passage_labels_are_the_same_in_python_and_in_the_stylesheet(site: Path) -> None:
    checked = 0
    for register in sorted(site.glob("*/*.html")):
        for a in tree(register).xpath("//a[@class='occ-passage']"):
            page, _, fragment = a.get("href").partition("#")
            if fragment == "meta":
                continue
            target = tree(register.parent / page).get_element_by_id(fragment)
            assert target.xpath("string(a[@class='permalink'])") == a.text_content()
            checked += 1
    assert checked > 20


@pytest.mark.parametrize("fragment,label", [
    ("d1.p7", "¶ 7"), ("d1.item12", "item 12"), ("d1.sp3", "speech 3"), ("d1.head1", "heading 1"),
    ("d1.note2", "note 2"), ("d1.opener1", "opening 1"), ("d1.section4", "section 4"),
    ("d1.translator", "translator"), ("d1.p1a", "p1a"), ("other.p3", "other.p3")])
def test_passage_label(fragment: str, label: str) -> None:
    assert passage_label("d1", fragment) == label


def test_a_register_file_fills_in_entries_a_file_lacks(tmp_path: Path) -> None:
    register = tmp_path / "register.xml"
    register.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><standOff><listPlace>'
        '<place xml:id="pla-haiphong" type="city"><placeName type="preferred">Haiphong'
        '</placeName><note type="description">Port city of North Vietnam.</note></place>'
        '</listPlace></standOff></TEI>', encoding="utf-8")
    doc = (FIXTURES / "1967-01-23_cable-entities.xml").read_text(encoding="utf-8")
    doc = doc.replace('<placeName cert="medium" resp="#d1967-01-23_cable-entities.ner">',
                      '<placeName ref="#pla-haiphong">')
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "1967-01-23_cable-entities.xml").write_text(doc, encoding="utf-8")
    result = export_html([tmp_path / "in"], tmp_path / "out", register=register)
    assert not result.diagnostics
    page = tree(tmp_path / "out" / "documents" / "1967-01-23_cable-entities.html")
    assert page.xpath("//a[@data-refs='pla-haiphong']/@href") == ["../places/pla-haiphong.html"]
    assert "Port city" in page.get_element_by_id("pla-haiphong").text_content()
    places = tree(tmp_path / "out" / "places.html")
    assert places.get_element_by_id("pla-haiphong").xpath("string(a)") == "Haiphong"
    haiphong = tree(tmp_path / "out" / "places" / "pla-haiphong.html")
    assert "Port city" in haiphong.get_element_by_id("pla-haiphong").text_content()
    entries, problems = read_register(tmp_path / "nope.xml")
    assert not entries and problems[0].code == "E405"


def test_a_ref_to_no_entry_is_a_warning_with_file_and_line(tmp_path: Path) -> None:
    result = export_html([FIXTURES / f"{HOSTILE}.xml"], tmp_path)
    found = [(d.code, d.line) for d in result.diagnostics]
    assert found == [("W406", 53), ("W406", 59)]


# ----------------------------------------------------------------------------- search index


def test_the_search_index_finds_words_without_accents_and_names_by_entity(site: Path) -> None:
    index = search_index(site)
    hits = index["words"]["dubcek"]
    assert any("Dubček" in index["passages"][k][3] for k in hits)
    ids = [e[0] for e in index["entities"]]
    zhou = ids.index("per-zhou-enlai")
    naming = [p for p in index["passages"] if zhou in p[4]]
    assert [p[2] for p in naming] == ["about this document", "heading 1", "speech 1"]
    assert index["documents"][index["passages"][hits[0]][0]][0] == \
        "documents/1968-11-02_conversation-entities.html"
    assert words("Dubček’s U.S.") == ["dubcek", "s", "u", "s"] and fold("ÉÇ") == "ec"
    assert sorted(index["words"]) == list(index["words"])
    for word, found in index["words"].items():  # each word, in every passage that has it
        assert found == [k for k, p in enumerate(index["passages"]) if word in words(p[3])]


# ----------------------------------------------------------------------------- command line


def test_export_html_command(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["export", "html", *map(str, SEEDS), "-o", str(out),
                                       "--title", "Test <edition>", "--base-url",
                                       "https://example.org/ed"])
    assert result.exit_code == 0, result.output
    assert f"open {out / 'index.html'}" in result.output
    home = tree(out / "index.html")
    assert home.xpath("string(//h1)") == "Test <edition>"
    assert len(home.xpath("//table//tbody/tr")) == len(SEEDS)
    page = tree(out / "documents" / f"{SEEDS[0].stem}.html")
    assert f"https://example.org/ed/documents/{SEEDS[0].stem}.html" in \
        page.xpath("string(//*[@class='cite-text'])")


# ----------------------------------------------------------------------------- every page


@pytest.fixture(scope="module")
def every_page(tmp_path_factory) -> tuple[Path, Path]:
    """Every page the project has (seeds, samples, own test pages), converted and exported."""
    from pipeline.batch import convert_many
    from conftest import all_pages
    tei = tmp_path_factory.mktemp("tei")
    results = convert_many(all_pages(), tei, jobs=1)
    assert all(r.ok for r in results)
    out = tmp_path_factory.mktemp("site")
    result = export_html([tei], out)
    assert not result.diagnostics and result.documents == len(all_pages())
    return tei, out


BLOCKS = ("p", "div", "li", "h3", "br", "ul", "ol", "section", "dd", "dt")


def shown_words(page: Path) -> list[str]:
    """The words a reader sees in the text of a document page, blocks kept apart."""
    text = tree(page).xpath("//*[contains(@class,'tei-text')]")[0]
    for el in text.xpath(".//*[contains(@class,'vh') or contains(@class,'permalink')]"):
        el.drop_tree()
    for el in text.iter(*BLOCKS):
        el.tail = " " + (el.tail or "")
    return text.text_content().split()


def test_every_page_shows_every_word_of_its_text(every_page) -> None:
    from pipeline.tei.read import read_tei
    from pipeline.export.text import diplomatic
    tei, out = every_page
    for path in sorted(tei.glob("*.xml")):
        expected = diplomatic(read_tei(parse(path)).body).split()
        assert shown_words(out / "documents" / f"{path.stem}.html") == expected, path.name


def test_every_page_gives_every_passage_a_label_and_a_link(every_page) -> None:
    tei, out = every_page
    for path in sorted(tei.glob("*.xml")):
        root = tree(out / "documents" / f"{path.stem}.html")
        for passage in passages(parse(path)):
            el = root.get_element_by_id(passage.id)
            assert el.xpath("string(a[@class='permalink'])") == passage.label, passage.id


def test_a_long_register_has_a_letter_index(tmp_path: Path) -> None:
    names = ["Andropov", "Brezhnev", "Castro", "Dubček", "Eden", "Ford", "Gromyko", "Ho",
             "Indra", "Jaruzelski", "Kania", "Le Duan", "Mao", "Nasser", "Ochab"]
    ids = [f"per-{fold(n).replace(' ', '-')}" for n in names]
    text = ", ".join(f'<persName ref="#{i}">{n}</persName>' for i, n in zip(ids, names))
    people = "".join(f'<person xml:id="{i}"><persName type="preferred">{n}</persName></person>'
                     for i, n in zip(ids, names))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "1970-01-01_list.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="d1970-01-01_list"><teiHeader>'
        '<fileDesc><titleStmt><title type="main">List</title></titleStmt></fileDesc>'
        '</teiHeader><text><body><div type="document">'
        f'<p xml:id="d1970-01-01_list.p1">{text}.</p></div></body></text>'
        f'<standOff><listPerson>{people}</listPerson></standOff></TEI>', encoding="utf-8")
    result = export_html([tmp_path / "in"], tmp_path / "out")
    assert not result.diagnostics
    root = tree(tmp_path / "out" / "persons.html")
    letters = root.xpath("//nav[@class='az']//a")
    assert [a.text_content() for a in letters] == [n[0] for n in names]
    assert [a.get("href") for a in letters] == [f"#{i}" for i in ids]
    assert [a.text_content() for a in root.xpath("//a[@class='entry-link']")] == names


def test_a_killed_exports_work_folder_is_removed_by_the_next_and_a_running_ones_kept(
        tmp_path: Path) -> None:
    out = tmp_path / "out"
    gone = out / ".teipipe-work-4194999"  # above Linux's largest process id: not running
    (gone / "pages").mkdir(parents=True)
    (gone / "pages" / "x.html").write_bytes(b"half")
    alive = out / f".teipipe-work-{os.getppid()}"  # the process that started the tests
    alive.mkdir()
    result = export_html([FIXTURES], out)
    assert result.written is not None and not result.written.problems
    assert not gone.exists()
    assert alive.is_dir()
    assert [p.name for p in out.iterdir() if p.name.startswith(".teipipe-work-")] == \
        [alive.name]
