"""The look-ups of children by name (:func:`pipeline.tei.read.children_named`,
:func:`~pipeline.tei.read.child_named`): loops over the children, made in place of lxml's
``iterchildren(tag)`` and ElementPath's ``find`` because those set up a matcher at each
call.  They must find the same elements, in the same order, on any tree: comments,
processing instructions, entities' stand-ins, other namespaces, names nested in names."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.tei.ns import NS, TEI_NS
from pipeline.tei.read import child_named, children_named

_LOCAL = st.sampled_from(["p", "label", "speaker", "abbr", "expan", "desc", "persName"])
_SPACE = st.sampled_from([TEI_NS, "urn:other", ""])


@st.composite
def trees(draw, depth: int = 3) -> etree._Element:
    """An element with children of a few names in a few namespaces, with comments and
    processing instructions among them."""
    ns, local = draw(_SPACE), draw(_LOCAL)
    el = etree.Element(f"{{{ns}}}{local}" if ns else local)
    el.text = draw(st.sampled_from([None, "", "x "]))
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["element", "element", "comment", "pi"]))
        if kind == "comment":
            child = etree.Comment("c")
        elif kind == "pi":
            child = etree.ProcessingInstruction("t", "d")
        else:
            child = draw(trees(depth - 1)) if depth > 0 else etree.Element(
                f"{{{TEI_NS}}}{draw(_LOCAL)}")
        child.tail = draw(st.sampled_from([None, " ", "y"]))
        el.append(child)
    return el


@settings(max_examples=200, deadline=None)
@given(trees(), _LOCAL, _SPACE)
def test_same_as_lxml(tree: etree._Element, local: str, ns: str) -> None:
    for el in tree.iter(etree.Element):
        tag = f"{{{ns}}}{local}" if ns else local
        assert children_named(el, tag) == list(el.iterchildren(tag))
        assert child_named(el, tag) is next(el.iterchildren(tag), None)
        if ns == TEI_NS:
            assert child_named(el, tag) is el.find(f"tei:{local}", NS)
