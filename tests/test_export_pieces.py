"""A document's share of a register page, written in Python (``html_pieces``), is the
HTML that ``collection.xsl`` (template ``occurrences``) makes of the same occurrences, byte
for byte, whatever the text: the register pages are put together from these pieces."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.export import html, html_pieces
from pipeline.export.register import Occurrence, fold, standoff_entries
from pipeline.export.stylesheets import XSLT_DIR
from pipeline.tei.read import parse

from conftest import ROOT

#: The template of collection.xsl on its own: <doc>s in, their lists out.
_REFERENCE = etree.XSLT(etree.XML(f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="{(XSLT_DIR / 'collection.xsl').as_uri()}"/>
  <xsl:output method="html" encoding="UTF-8" indent="no"/>
  <xsl:template match="/"><xsl:for-each select="group">
    <xsl:call-template name="occurrences"/></xsl:for-each></xsl:template>
</xsl:stylesheet>"""))

#: Any text an XML attribute can hold: markup characters, white space, URI delimiters,
#: accents, astral characters, the characters HTML treats apart (``&{``, NBSP).
_TEXT = st.text(st.one_of(
    st.sampled_from(list("&<>\"'{}#%?/ \t\n\r\x7f\x85\u00a0\u2028é😀[]|^`\\;:@=+$,")),
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                  exclude_characters="\ufffe\uffff")), max_size=12)


def _reference(page: str, title: str, date: str, occs: list[Occurrence]) -> str:
    group = etree.Element("group")
    doc = etree.SubElement(group, "doc", href=page, title=title, date=date)
    for o in occs:
        etree.SubElement(doc, "in", href=f"{page}#{o.passage}", label=o.label,
                         before=o.before, match=o.match, after=o.after,
                         candidates=str(len(o.refs)))
    html = str(_REFERENCE(etree.ElementTree(group))).rstrip("\n")
    return html.removeprefix('<ul class="occurrences">').removesuffix("</ul>")


_OCCURRENCE = st.builds(
    lambda passage, label, before, match, after, refs: Occurrence(
        "doc", passage, label, before, match, after, "person", refs, None, None),
    _TEXT, _TEXT, _TEXT, _TEXT, _TEXT,
    st.lists(st.sampled_from(["per-a", "per-b", "per-c"]), max_size=3).map(tuple))


@settings(max_examples=300, deadline=None)
@given(name=_TEXT, title=_TEXT, date=_TEXT, occs=st.lists(_OCCURRENCE, max_size=3))
def test_occurrences_are_what_the_stylesheet_makes(name, title, date, occs):
    page = f"documents/{name}.html"
    assert html_pieces.document_item(page, title, date, occs) == \
        _reference(page, title, date, occs)


@settings(max_examples=150, deadline=None)
@given(names=st.lists(_TEXT, min_size=1, max_size=3),
       lists=st.lists(st.lists(_OCCURRENCE, max_size=3), min_size=1, max_size=4))
def test_links_kept_from_list_to_list_change_nothing(names, lists):
    # a document's lists for several entries (and pages), made with the links kept
    links: dict = {}
    for k, occs in enumerate(lists):
        page = f"documents/{names[k % len(names)]}.html"
        assert html_pieces.document_item(page, "t", "d", occs, links) == \
            _reference(page, "t", "d", occs)


def test_href_escaping_matches_examples():
    # leading white space dropped, spaces and non-ASCII %-escaped, "&{" kept, "&" escaped
    assert html_pieces.href(" \tdocuments/a b é.html#x&y&{z<}\"'<") == \
        '"documents/a%20b%20%C3%A9.html#x&amp;y&{z<}&quot;\'&lt;"'
    # "&{" without a "}" is escaped; a double quote and no single one: single quotes
    assert html_pieces.href('a"&{') == "'a\"&amp;{'"
    assert html_pieces.text("a&b<c>d\"e") == "a&amp;b&lt;c&gt;d\"e"


#: A document with a hostile title (markup, quotes, script) and names of every kind.
_HOSTILE = parse(ROOT / "tests" / "fixtures" / "edition" / "1970-01-01_hostile.xml")


@settings(max_examples=60, deadline=None)
@given(prev_name=_TEXT, prev_title=_TEXT, next_name=_TEXT, next_title=_TEXT,
       prev=st.booleans(), nxt=st.booleans())
def test_a_page_spliced_is_the_page_made_with_its_neighbours(prev_name, prev_title,
                                                             next_name, next_title, prev, nxt):
    neighbours = {"prev-href": f"{prev_name}.html" if prev else "",
                  "prev-title": prev_title if prev else "",
                  "next-href": f"{next_name}.html" if nxt else "",
                  "next-title": next_title if nxt else ""}
    options = html.Options(title="Edition & <co>")
    early = html.document_page(_HOSTILE, html.own_params("x", options,
                                                         **html_pieces.STAND_INS))
    params = html.own_params("x", options, **neighbours)
    assert html_pieces.splice(early, params) == html.document_page(_HOSTILE, params)


def test_a_page_without_the_stand_ins_pager_once_is_not_spliced():
    no_pager = {"prev-href": "", "prev-title": "", "next-href": "", "next-title": ""}
    page = html.document_page(_HOSTILE, html.own_params("x", html.Options(), **no_pager))
    assert html_pieces.splice(page, no_pager) is None
    early = html.document_page(_HOSTILE, html.own_params("x", html.Options(),
                                                         **html_pieces.STAND_INS))
    assert html_pieces.splice(early, no_pager) is not None
    assert html_pieces.splice(early + early, no_pager) is None


@pytest.mark.parametrize("path", sorted((ROOT / "tests" / "fixtures" / "edition").glob("*.xml"))
                         + sorted((ROOT / "tests" / "golden" / "convert").glob("*.xml")),
                         ids=lambda p: p.stem)
def test_a_page_made_early_is_the_page_made_with_its_neighbours(path):
    tree = parse(path)
    entries = {ident: etree.tostring(el, encoding="unicode", with_tail=False)
               for ident, el in standoff_entries(tree).items()}
    options = html.Options()
    neighbours = {"prev-href": "a b.html", "prev-title": "<A> & B", "next-href": "",
                  "next-title": ""}
    params = html.own_params(path.stem, options, **neighbours)
    early = html.early_page(tree, path.stem, options, entries, standoff_entries(tree))
    assert html_pieces.splice(early, params) == html.document_page(tree, params)


def test_a_card_left_out_of_the_entries_makes_the_page_whole():
    path = ROOT / "tests" / "fixtures" / "edition" / "1967-01-23_cable-entities.xml"
    tree = parse(path)
    options = html.Options()
    whole = html.document_page(tree, html.own_params(path.stem, options,
                                                     **html_pieces.STAND_INS))
    assert b'<div class="card-body" id="per-' in whole
    assert html.early_page(tree, path.stem, options, {}, standoff_entries(tree)) == whole


@settings(max_examples=500, deadline=None)
@given(st.text(st.one_of(st.sampled_from(list("aEΣσςİıé\u0301\u0327\u0345ßǅ .-")),
                         st.characters(exclude_categories=("Cs",)))))
def test_folding_run_by_run_is_folding_the_whole_text(text):
    whole = unicodedata.normalize("NFD", text)
    assert fold(text) == "".join(c for c in whole
                                 if not unicodedata.category(c).startswith("M")).lower()
