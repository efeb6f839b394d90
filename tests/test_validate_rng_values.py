"""Expected values ahead of the datatype (:mod:`pipeline.validate.rng_values`): the grammar
accepts exactly the values it accepted before."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.validate.rng_values import values_first

RNG = "http://relaxng.org/ns/structure/1.0"
XSD_TYPES = "http://www.w3.org/2001/XMLSchema-datatypes"
GRAMMAR = f"""<grammar xmlns="{RNG}" datatypeLibrary="{XSD_TYPES}"><start>
  <element name="x">
    <optional><attribute name="type"><data type="token">
      <param name="pattern">[^\\p{{C}}\\p{{Z}}]+</param></data></attribute></optional>
    <optional><attribute name="rend"><list><oneOrMore><data type="token">
      <param name="pattern">[^\\p{{C}}\\p{{Z}}]+</param></data></oneOrMore></list></attribute></optional>
    <optional><attribute name="n"><choice><data type="double"/><value>low</value></choice>
      </attribute></optional>
  </element></start></grammar>"""
VALUES = {"type": ["gloss", "two words", "no\u00a0break", " padded", "gloss"],
          "rend": ["brackets", "a b"], "n": ["7"]}
BEFORE = etree.fromstring(GRAMMAR)
AFTER = values_first(BEFORE, VALUES)
XML_CHARS = st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00",
                          max_codepoint=0x2FFF).filter(
    lambda c: c in "\t\n\r" or ord(c) >= 0x20)


def _tried_first(grammar: etree._Element, attribute: str) -> list[str]:
    pattern = next(a for a in grammar.iter(f"{{{RNG}}}attribute") if a.get("name") == attribute)
    defines = {d.get("name"): d for d in grammar.iter(f"{{{RNG}}}define")}
    return [v.text or "" for ref in pattern.iter(f"{{{RNG}}}ref")
            for v in defines[ref.get("name")].iter(f"{{{RNG}}}value")
            if v.get("datatypeLibrary") == ""]


def test_only_values_the_datatype_accepts_go_first() -> None:
    assert _tried_first(AFTER, "type") == ["gloss"]  # once; no space, no separator
    assert _tried_first(AFTER, "rend") == ["brackets"]  # an item of the list
    assert _tried_first(AFTER, "n") == []  # not a data pattern alone: left as it was
    assert _tried_first(BEFORE, "type") == []  # the grammar given is not changed


@settings(max_examples=300, deadline=None)
@given(attribute=st.sampled_from(["type", "rend", "n"]),
       value=st.one_of(st.sampled_from([v for vs in VALUES.values() for v in vs]),
                       st.text(XML_CHARS, max_size=12)))
def test_the_grammar_accepts_the_same_values(attribute: str, value: str) -> None:
    doc = etree.ElementTree(etree.Element("x", {attribute: value}))
    assert etree.RelaxNG(AFTER).validate(doc) == etree.RelaxNG(BEFORE).validate(doc)
