"""The outline grammars, simplified (:func:`pipeline.validate.prune.simplify`), accept what
they accept unsimplified: on small grammars with every rewrite in them and random content,
and on every test file, the register and broken copies with the real grammars."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree

from pipeline.validate import conformance, outline as outline_module, prune
from pipeline.validate.xmlfile import read_xml

from conftest import ROOT

RNG = "http://relaxng.org/ns/structure/1.0"
#: Each rewrite, nested: an empty among other patterns, a group of one, (p+)+ and (p+)*.
SMALL = f"""<grammar xmlns="{RNG}"><start><element name="r">
  <group><zeroOrMore><element name="h"><empty/></element></zeroOrMore><empty/></group>
  <oneOrMore><group><oneOrMore><choice><ref name="a"/><ref name="b"/></choice></oneOrMore>
    <empty/></group></oneOrMore>
  <zeroOrMore><oneOrMore><element name="c"><empty/><text/></element></oneOrMore></zeroOrMore>
  <optional><empty/><attribute name="n"/></optional><empty/>
</element></start>
<define name="a"><element name="a"><empty/></element><empty/></define>
<define name="b"><group><element name="b"><optional><attribute name="x"/></optional>
  <empty/></element></group></define>
</grammar>"""


def test_each_rewrite_is_made() -> None:
    simple = prune.simplify(etree.fromstring(SMALL))
    text = etree.tostring(simple).decode()
    assert text.count("<empty/>") == 2  # the element patterns h and a: nothing else in them
    assert "<group>" not in text
    assert "<oneOrMore><oneOrMore>" not in text.replace("\n", "").replace(" ", "")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["h", "a", "b", "c", "x", "bx"]), max_size=8),
       st.booleans())
def test_a_simplified_grammar_accepts_what_the_grammar_accepts(children, numbered) -> None:
    whole = etree.RelaxNG(etree.fromstring(SMALL))
    simple = etree.RelaxNG(prune.simplify(etree.fromstring(SMALL)))
    root = etree.Element("r", n="1") if numbered else etree.Element("r")
    for name in children:
        child = etree.SubElement(root, name[0])
        if name == "bx":
            child.set("x", "1")
        if name == "c":
            child.text = "text"
    tree = etree.ElementTree(root)
    assert bool(simple.validate(tree)) == bool(whole.validate(tree))


def test_a_wrapper_that_gives_its_content_a_namespace_is_kept() -> None:
    grammar = etree.fromstring(f'<grammar xmlns="{RNG}"><start><group ns="urn:x">'
                               '<element name="a"><empty/></element></group></start></grammar>')
    assert etree.tostring(prune.simplify(copy.deepcopy(grammar))) == etree.tostring(grammar)


FILES = sorted([ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml",
                ROOT / "tests" / "valid" / "register.xml", ROOT / "source" / "register.xml",
                *(ROOT / "tests" / "golden" / "convert").glob("*.xml"),
                *(p for p in (ROOT / "tests" / "invalid").glob("*.xml")
                  if read_xml(p, p.name).tree is not None)])


@pytest.fixture(scope="module")
def unsimplified():
    """The outline grammars derived without :func:`prune.simplify`."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(outline_module, "simplify", lambda grammar: grammar)
        parts = outline_module.outline_parts(prune.drop_optional_attributes(
            conformance._common(), conformance.keeps_attribute))
    return outline_module.compiled(parts)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_simplified_outline_gives_the_verdicts_of_the_outline(path: Path,
                                                                   unsimplified) -> None:
    f = read_xml(path, path.name)
    assert f.tree is not None
    mine = conformance.outline()
    assert bool(mine.file.validate(f.tree)) == bool(unsimplified.file.validate(f.tree))
    for el in f.tree.iter(*mine.entries):
        entry = etree.ElementTree(copy.deepcopy(el))
        assert bool(mine.entries[el.tag].validate(entry)) == \
            bool(unsimplified.entries[el.tag].validate(entry))
