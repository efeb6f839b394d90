"""A document's share of a register page, written in Python (``occurrence_html``), is the
HTML that ``collection.xsl`` (template ``occurrences``) makes of the same occurrences, byte
for byte, whatever the text: the register pages are put together from these pieces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.export import occurrence_html
from pipeline.export.register import Occurrence
from pipeline.export.stylesheets import XSLT_DIR

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
    assert occurrence_html.document_item(page, title, date, occs) == \
        _reference(page, title, date, occs)


def test_href_escaping_matches_examples():
    # leading white space dropped, spaces and non-ASCII %-escaped, "&{" kept, "&" escaped
    assert occurrence_html.href(" \tdocuments/a b é.html#x&y&{z<}\"'<") == \
        '"documents/a%20b%20%C3%A9.html#x&amp;y&{z<}&quot;\'&lt;"'
    # "&{" without a "}" is escaped; a double quote and no single one: single quotes
    assert occurrence_html.href('a"&{') == "'a\"&amp;{'"
    assert occurrence_html.text("a&b<c>d\"e") == "a&amp;b&lt;c&gt;d\"e"
