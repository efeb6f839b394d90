"""The HTML edition in a real browser, used as a reader uses it.

Headless Chromium (Debian's package, /usr/bin/chromium) driven by Playwright from PyPI with
``executable_path`` set to it; the tests start it themselves (never ``playwright install``).
Every page a test opens is watched: a console error or warning, a script error, a failed
request, a request that leaves the edition's folder (or the local test server), or a dialog
(an injected ``alert``) fails the test.  axe-core (from the npm registry, fetched at set-up
time, checksum-checked) checks each kind of page for accessibility.  Screenshots go to
``build/screenshots/``.
"""

from __future__ import annotations

import os
import re
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.export.run import export_html

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
sync_playwright = playwright_api.sync_playwright

from conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("TEIPIPE_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
FIXTURES = Path(__file__).parent / "fixtures" / "edition"
SHOTS = ROOT / "build" / "screenshots"
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must have it (make test installs it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The edition of the hand-written fixtures: what the tests expect does not move when
    the committed edition or the register grows (test_the_committed_edition_opens_cleanly
    covers that one)."""
    out = tmp_path_factory.mktemp("site")
    result = export_html([FIXTURES], out)
    assert result.written is not None and result.written.written > 20
    return out


@pytest.fixture(scope="session")
def axe_source() -> str:
    from pipeline.assets import AXE_CORE, AssetError, path_of
    try:
        return path_of(AXE_CORE).read_text(encoding="utf-8")
    except AssetError as exc:
        _unavailable(f"axe-core could not be set up: {exc}")
        raise


class Watch:
    """What went wrong while a page was open."""

    def __init__(self, allowed: tuple[str, ...]):
        self.allowed = allowed
        self.problems: list[str] = []

    def attach(self, page) -> None:
        page.on("console", lambda m: m.type in ("error", "warning") and
                self.problems.append(f"console {m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        # a request the browser cancels because the page goes away is not a failure
        page.on("requestfailed", lambda r: "ERR_ABORTED" in (r.failure or "") or
                self.problems.append(f"failed request: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and
                self.problems.append(f"HTTP {r.status}: {r.url}"))
        page.on("request", lambda r: r.url.startswith(self.allowed) or
                self.problems.append(f"request outside the edition: {r.url}"))
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"),
                                     d.dismiss()))


@contextmanager
def opened(browser, allowed: tuple[str, ...], viewport=DESK, bypass_csp: bool = False):
    context = browser.new_context(viewport=viewport, bypass_csp=bypass_csp)
    page = context.new_page()
    watch = Watch(allowed)
    watch.attach(page)
    try:
        yield page
    finally:
        context.close()
    assert not watch.problems, watch.problems


@pytest.fixture
def page(browser, site):
    with opened(browser, (site.as_uri() + "/",)) as pg:
        yield pg


def at(site: Path, path: str) -> str:
    """The file: URL of a page of the site, with its query and fragment."""
    plain, sep, rest = path.partition("?") if "?" in path else path.partition("#")
    return (site / plain).as_uri() + (sep + rest if sep else "")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def titles(page) -> list[str]:
    return page.locator("#doc-table tbody tr:not([hidden]) td:nth-child(2)").all_inner_texts()


# ----------------------------------------------------------------------------- home page


def test_home_page_table_sorts_by_column_and_filters_as_one_types(page, site) -> None:
    page.goto(at(site, "index.html"))
    assert page.locator("h1").inner_text() == "Cold War documents in translation"
    dates = page.locator("#doc-table tbody td:first-child").all_inner_texts()
    assert dates[1:] == ["January 23, 1967", "October 16, 1968", "2 November 1968"]
    title = page.locator("th", has_text="Title")
    title.get_by_role("button").click()
    assert title.get_attribute("aria-sort") == "ascending"
    assert page.locator("th", has_text="Date").get_attribute("aria-sort") is None
    by_title = titles(page)
    assert by_title[1:] == sorted(by_title[1:], key=str.casefold)
    title.get_by_role("button").press("Enter")  # a real button: the keyboard works
    assert title.get_attribute("aria-sort") == "descending"
    assert titles(page) == by_title[::-1]
    assert "by title, descending" in page.locator("caption").inner_text()
    search = page.get_by_label("Filter the documents")
    search.press_sequentially("zhou")
    assert titles(page) == ["Record of Conversation between Zhou Enlai and a Delegation of "
                            "the NLF (test fixture)"]
    assert page.locator("#doc-filter-status").inner_text() == "Showing 1 of 4 documents"
    search.fill("cable secret 323")
    assert titles(page) == ["Secret North Vietnam Politburo Cable No. 323 (test copy without "
                            "names)"]
    search.fill("qqqq")
    assert titles(page) == [] and page.locator("#doc-filter-status").inner_text() == \
        "No document matches"
    search.fill("")
    assert len(titles(page)) == 4
    shot(page, "home-desk")


def test_skip_link_is_the_first_stop_and_moves_to_the_main_content(page, site) -> None:
    page.goto(at(site, "index.html"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


# ----------------------------------------------------------------------------- a document


def test_open_a_document_and_read_a_name_by_hover_and_by_keyboard(page, site) -> None:
    page.goto(at(site, "index.html"))
    page.get_by_role("link", name=re.compile("^Record of Conversation between Zhou Enlai")).click()
    assert page.url.endswith("documents/1968-11-02_conversation-entities.html")
    popup = page.locator("#name-popup")
    johnson = page.locator(".tei-text a.ent[data-refs='per-lyndon-b-johnson']")
    johnson.hover()
    assert popup.is_visible()
    text = popup.inner_text()
    for expected in ("Lyndon B. Johnson", "1908–1973", "President of the United States",
                     "Wikidata Q9640"):
        assert expected in text
    assert popup.get_attribute("role") == "tooltip"
    popup.hover()  # the pointer can move onto the popup: it stays
    page.wait_for_timeout(300)
    assert popup.is_visible()
    page.mouse.move(5, 5)
    popup.wait_for(state="hidden")
    # by keyboard: from the link to passage "speech 1", Tab reaches the speaker's name
    page.locator("#d1968-11-02_conversation-entities\\.sp1 > a.permalink").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.refs") == "per-zhou-enlai"
    assert popup.is_visible() and "Premier of the People’s Republic of China" in popup.inner_text()
    shot(page, "document-popup")
    page.keyboard.press("Escape")
    assert popup.is_hidden()
    page.keyboard.press("Tab")
    assert popup.is_visible() and "Lyndon B. Johnson" in popup.inner_text()


def test_uncertain_and_proposed_names_say_so(page, site) -> None:
    page.goto(at(site, "documents/1967-01-23_cable-entities.html"))
    popup = page.locator("#name-popup")
    page.locator("a.ent-ambiguous").hover()
    text = popup.inner_text()
    assert "may refer to any of these 2 entries" in text
    assert "Lyndon B. Johnson" in text and "U. Alexis Johnson" in text
    page.locator("a.ent-proposed", has_text="Haiphong").hover()
    assert "Proposed by the automatic name recognizer" in popup.inner_text()
    assert "certainty: medium" in popup.inner_text()


def test_a_name_leads_from_its_popup_to_its_entry_page_and_back_to_the_passage(page,
                                                                             site) -> None:
    page.goto(at(site, "documents/1968-11-02_conversation-entities.html"))
    name = page.locator(".tei-text a.ent", has_text="Dubček")
    name.hover()
    assert "Alexander Dubček" in page.locator("#name-popup").inner_text()
    name.click()
    assert page.url.endswith("persons/per-alexander-dubcek.html")
    entry = page.locator("#per-alexander-dubcek")
    assert entry.locator("h1").inner_text() == "Alexander Dubček"
    assert "First Secretary of the Communist Party" in entry.inner_text()
    assert "Named in 1 passage of 1 document." in entry.inner_text()
    shot(page, "entry-desk")
    occurrence = entry.locator("a.occ-passage")
    label = occurrence.inner_text()
    assert label == "speech 2"
    assert entry.locator("mark").inner_text() == "Dubček"
    occurrence.click()
    assert page.url.endswith("#d1968-11-02_conversation-entities.sp2")
    target = page.locator(":target")
    assert target.locator("a.permalink").inner_text() == label
    assert "Dubček" in target.inner_text()


def test_a_register_lists_its_entries_and_an_old_link_to_an_entry_leads_on(page,
                                                                           site) -> None:
    page.goto(at(site, "persons.html") + "#per-zhou-enlai")  # an address of earlier editions
    row = page.locator(":target")
    assert row.get_attribute("id") == "per-zhou-enlai" and row.is_visible()
    assert "Premier of the People’s Republic of China" in row.inner_text()
    assert row.locator(".entry-count").inner_text() == "1 document"
    assert page.locator(".occurrences").count() == 0  # the passages are on the entry pages
    shot(page, "persons-desk")
    row.get_by_role("link", name="Zhou Enlai").click()
    assert page.url.endswith("persons/per-zhou-enlai.html")
    assert page.locator("a.occ-passage").all_inner_texts() == [
        "about this document", "heading 1", "speech 1"]
    page.get_by_role("link", name="All persons").click()
    assert page.url.endswith("persons.html#per-zhou-enlai")


def test_a_proposed_name_leads_to_the_page_of_proposed_names(page, site) -> None:
    page.goto(at(site, "documents/1967-01-23_cable-entities.html"))
    page.locator("a.ent-proposed", has_text="Haiphong").click()
    assert page.url.endswith("proposed-places.html")
    assert page.locator("h1").inner_text() == "Places proposed by the recognizer"
    passage = page.locator("a.occ-passage")
    assert passage.inner_text() == "¶ 2"
    passage.click()
    assert page.url.endswith("#d1967-01-23_cable-entities.p2")
    assert "Haiphong" in page.locator(":target").inner_text()


def test_highlighting_can_be_switched_off_per_type(page, site) -> None:
    page.goto(at(site, "documents/1967-01-23_cable-entities.html"))
    name = page.locator(".tei-text a.ent-person").first
    before = name.evaluate("e => getComputedStyle(e).backgroundColor")
    page.get_by_label("persons").uncheck()
    after = name.evaluate("e => getComputedStyle(e).backgroundColor")
    assert before != after and after == "rgba(0, 0, 0, 0)"
    place = page.locator(".tei-text a.ent-place").first
    assert place.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"


def test_a_document_without_names_has_no_highlight_switches(page, site) -> None:
    page.goto(at(site, "documents/1968-10-16_cable-without-names.html"))
    assert page.locator(".display-options").is_hidden()
    assert page.locator(".tei-text").is_visible()


def test_previous_and_next_follow_the_reading_order(page, site) -> None:
    page.goto(at(site, "documents/1967-01-23_cable-entities.html"))
    page.locator("a[rel=next]").click()
    assert page.url.endswith("documents/1968-10-16_cable-without-names.html")
    page.locator("a[rel=prev]").click()
    assert page.url.endswith("documents/1967-01-23_cable-entities.html")


def test_the_hostile_page_runs_none_of_its_markup(page, site) -> None:
    page.goto(at(site, "documents/1970-01-01_hostile.html"))
    for name in page.locator("a.ent").all():
        name.hover()
        name.focus()
    page.locator("sup.noteref").first.hover()
    assert page.locator("h1").inner_text().startswith('<script>alert("title")</script>')
    assert page.evaluate("getComputedStyle(document.body).display") == "block"
    assert page.evaluate("document.scripts.length") == 1
    page.locator("a.ent[data-refs='per-evil']").hover()
    popup = page.locator("#name-popup").inner_text()
    assert "<img src=x onerror=alert('preferred')>" in popup
    assert "</div><script>alert('description')</script>" in popup
    assert page.evaluate("document.querySelectorAll('img, iframe, svg, style').length") == 0


# ----------------------------------------------------------------------------- search


def test_search_a_word_and_follow_a_result(page, site) -> None:
    page.goto(at(site, "search.html"))
    page.get_by_label("Words").fill("Dubcek")
    page.get_by_role("button", name="Search").click()
    status = page.locator("#search-status")
    status.filter(has_text="passage").wait_for()
    assert status.inner_text() == "1 passage in 1 document."
    result = page.locator(".result")
    assert result.locator("h2").inner_text() == ("Record of Conversation between Zhou Enlai "
                                                "and a Delegation of the NLF (test fixture)")
    assert result.locator(".date").inner_text() == "2 November 1968"
    assert result.locator("mark").all_inner_texts() == ["Dubček"]
    assert "?q=Dubcek" in page.url
    shot(page, "search-desk")
    result.locator("a.occ-passage").click()
    assert re.search(r"documents/1968-11-02_conversation-entities\.html\?q=Dubcek"
                     r"#d1968-11-02_conversation-entities\.sp2$", page.url)
    assert page.locator(".tei-text mark").all_inner_texts() == ["Dubček"]
    assert "Marked: the words of the search" in page.locator(".query-note").inner_text()


def test_search_phrases_prefixes_and_the_entity_filter(page, site) -> None:
    page.goto(at(site, "search.html?q=%22four-party+conference%22"))
    status = page.locator("#search-status")
    status.filter(has_text="passage").wait_for()
    assert status.inner_text() == "7 passages in 1 document."  # summary, ¶ 2-5, 8, 9
    page.get_by_label("Words").fill("bomb")  # whole words only: "bomb" is not "bombing"
    expect(status).to_have_text("No passage found.")
    page.get_by_label("Words").fill("bomb*")  # bombing, bombed
    page.get_by_role("button", name="Search").click()
    expect(status).to_have_text("9 passages in 3 documents.")
    page.get_by_label("Words").fill("bombed")
    page.get_by_role("button", name="Search").click()
    expect(status).to_have_text(re.compile(r"^[1-9] passages? in \d documents?\.$"))
    page.get_by_label("Words").fill("")
    page.get_by_label("Passages naming").select_option("per-zhou-enlai")
    status.filter(has_text="Zhou Enlai").wait_for()
    assert status.inner_text() == "3 passages in 1 document naming Zhou Enlai."
    assert "entity=per-zhou-enlai" in page.url
    assert page.locator(".result a.occ-passage").all_inner_texts() == [
        "about this document", "heading 1", "speech 1"]
    page.locator(".entity-note").get_by_role("link", name="Zhou Enlai").click()
    assert page.url.endswith("persons/per-zhou-enlai.html")
    assert page.locator("h1").inner_text() == "Zhou Enlai"


def test_the_search_shows_hostile_text_as_text(page, site) -> None:
    page.goto(at(site, "search.html?q=onerror"))
    page.locator("#search-status").filter(has_text="passage").wait_for()
    assert "<img src=x onerror=alert('name')>" in page.locator("#results").inner_text()
    assert page.evaluate("document.querySelectorAll('#results img, #results script').length") == 0


# ----------------------------------------------------------------------------- any server


@pytest.fixture(scope="session")
def server(site):
    """The site served over HTTP on the loopback interface, as any static web server would."""
    handler = partial(_QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


def test_the_edition_works_from_a_plain_web_server(browser, server) -> None:
    with opened(browser, (server,)) as page:
        page.goto(server + "index.html")
        page.get_by_label("Filter the documents").fill("323")
        assert len(titles(page)) == 1
        title = "Secret North Vietnam Politburo Cable No. 323 (test copy without names)"
        page.get_by_role("link", name=title, exact=True).click()
        assert page.locator("h1").inner_text() == title
        page.goto(server + "search.html?q=paris")
        page.locator("#search-status").filter(has_text="passages").wait_for()
        page.locator(".result a.occ-passage").first.click()
        assert page.locator(".tei-text mark").count() >= 1


# ----------------------------------------------------------------------------- accessibility

PAGE_TYPES = {
    "home": "index.html",
    "document": "documents/1968-11-02_conversation-entities.html",
    "document-with-names": "documents/1967-01-23_cable-entities.html",
    "document-without-names": "documents/1968-10-16_cable-without-names.html",
    "persons": "persons.html",
    "places": "places.html",
    "organizations": "organizations.html",
    "entry": "persons/per-lyndon-b-johnson.html",
    "proposed-names": "proposed-places.html",
    "search-results": "search.html?q=paris",
    "home-on-a-phone": "index.html",
    "document-on-a-phone": "documents/1968-11-02_conversation-entities.html",
}


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_accessibility_violations(browser, server, axe_source, kind: str) -> None:
    # axe fetches the style sheets to check some rules: that needs HTTP (a page opened from
    # disk may not fetch) and a pass through the pages' own Content Security Policy
    # (connect-src 'none'), which this test alone sets aside.
    viewport = PHONE if kind.endswith("-on-a-phone") else DESK
    with opened(browser, (server,), viewport=viewport, bypass_csp=True) as page:
        _axe(page, server, axe_source, kind)


def _axe(page, server: str, axe_source: str, kind: str) -> None:
    page.goto(server + PAGE_TYPES[kind])
    if kind == "search-results":
        page.locator("#search-status").filter(has_text="passages").wait_for()
    if kind == "document":
        page.locator(".tei-text a.ent").first.hover()  # with the popup open
    page.evaluate(axe_source)
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                        'wcag22aa', 'best-practice']},
        resultTypes: ['violations']})""")
    assert result["passes"] or result["violations"] is not None
    bad = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, bad
    others = [f"{v['id']} ({v['impact']})" for v in result["violations"]]
    assert not others, others


# ----------------------------------------------------------------------------- phone and print


@pytest.mark.parametrize("name,path", [("home", "index.html"),
                                       ("document", "documents/1967-01-23_cable-entities.html"),
                                       ("persons", "persons.html"),
                                       ("entry", "places/pla-paris.html"),
                                       ("search", "search.html?q=bombing")])
def test_pages_fit_a_phone_screen(browser, site, name: str, path: str) -> None:
    with opened(browser, (site.as_uri() + "/",), viewport=PHONE) as page:
        page.goto(at(site, path))
        page.wait_for_timeout(100)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than the phone"
        shot(page, f"{name}-phone")


def test_print_leaves_out_navigation_and_keeps_the_text(page, site) -> None:
    page.goto(at(site, "documents/1968-11-02_conversation-entities.html"))
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.site-header', '.pager', '.permalink', '.key']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none"] * 4
    assert page.locator(".tei-text").is_visible() and page.locator(".cite-text").is_visible()
    shot(page, "document-print")
    page.emulate_media(media="screen")
    shot(page, "document-desk")


def test_the_committed_edition_opens_cleanly(browser, tmp_path) -> None:
    """The edition as committed (tei/ and the register): every page opens with nothing
    going wrong, and a name on a document page explains itself."""
    register = ROOT / "source" / "register.xml"
    export_html([ROOT / "tei"], tmp_path, register=register if register.is_file() else None)
    with opened(browser, (tmp_path.as_uri() + "/",)) as page:
        for path in sorted(tmp_path.rglob("*.html")):
            page.goto(path.as_uri())
            assert page.locator("h1").count() == 1
        names = page.locator(".tei-text a.ent")
        for path in sorted((tmp_path / "documents").glob("*.html")):
            page.goto(path.as_uri())
            if names.count():
                names.first.hover()
                assert page.locator("#name-popup").is_visible()
                assert page.locator("#name-popup").inner_text().strip()
