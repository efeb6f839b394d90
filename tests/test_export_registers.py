"""The register pages' index by letter (``collection.xsl``, template ``register``): a link
to the first entry of each letter, in the order of the list.  The stylesheet finds those
entries with a key; the reference here is the plain reading of that rule, checked on lists
of any letters in any order (a letter may come back after others, as ``#`` does for names
that start with a digit and with a sign)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from pipeline.export.stylesheets import stylesheet

_TYPES = ("person", "place", "org")
_PAGES = {"person": "persons.html", "place": "places.html", "org": "organizations.html"}


def _first_of_each_letter(entries: list[tuple[str, str]], kind: str) -> list[tuple[str, str]]:
    """The reference: (letter, id) of each entry of ``kind`` whose letter no entry of that
    kind before it has."""
    seen: set[str] = set()
    firsts = []
    for k, (type_, letter) in enumerate(entries):
        if type_ == kind and letter not in seen:
            seen.add(letter)
            firsts.append((letter, f"e{k}"))
    return firsts


@given(st.lists(st.tuples(st.sampled_from(_TYPES), st.sampled_from("ABCZ#É")), max_size=60),
       st.sampled_from(_TYPES))
def test_the_index_links_the_first_entry_of_each_letter(entries, kind):
    root = etree.Element("edition", {"title": "T", "count": "1", "first": "", "last": "",
                                     "register": kind, "proposed-page": "p.html"})
    etree.SubElement(root, "description").text = "D"
    for k, (type_, letter) in enumerate(entries):
        etree.SubElement(root, "entry", {
            "id": f"e{k}", "type": type_, "page": _PAGES[type_], "href": f"x/e{k}.html",
            "name": f"N{k}", "letter": letter, "passages": "1", "documents": "1"})
    page = etree.HTML(bytes(stylesheet("collection.xsl")(
        etree.ElementTree(root), page=etree.XSLT.strparam(kind))))
    links = [(a.text, a.get("href")[1:]) for a in page.iterfind(".//nav[@class='az']//a")]
    expected = _first_of_each_letter(entries, kind)
    assert links == (expected if sum(t == kind for t, _ in entries) > 12 else [])
