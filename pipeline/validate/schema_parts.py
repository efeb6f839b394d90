"""The project schema of a document in two parts, like tei_all (:mod:`.outline`).

A document's ``<standOff>`` holds verbatim copies of register entries, the same bytes in
hundreds of files, and libxml2 spends a quarter of its schema check on them.  So a
document may pass in two parts:

1. the file against the *outline* schema: teipipe.xsd (with what it includes written in
   place) in which the one declaration of ``person`` (``place``, ``org``) has a type that
   accepts any attributes and content, unchecked;
2. each entry against the *entry* schema of its kind: the same schema with that same
   declaration made global, so that the entry can be the root.  An entry's verdict depends
   only on its own XML, so it is kept for the run (by its exact serialization).

Why a pass of both is a pass of the whole schema: in XML Schema the type an element is
checked against comes from the one declaration that matches it in its parent's content
model, so the entries are checked against the same declaration in both ways, and nothing
else in the file depends on what is inside them, unless the schema has identity
constraints, IDREFs, wildcards, substitution groups or redefinitions (then there is no
outline: :func:`document_outline` gives None) or the file repeats an xml:id (whose
uniqueness the ID type checks across the file: the caller requires them distinct).  It is
used only as a *pass*: on any failure the caller checks the whole file the long way, which
gives the diagnostics, so they are exactly those of the one-step check.

Both parts also write a pattern facet that libxml2 matches slowly (an ambiguous regular
expression, tried one way after another at each character) as one that denotes the same
strings and is matched in one pass (:data:`SAME_LANGUAGE`), or sooner
(:func:`same_language`): the verdicts are the same.
"""

from __future__ import annotations

import copy
from functools import lru_cache

from lxml import etree

from . import SCHEMA_DIR
from .outline import Outline

XS = "http://www.w3.org/2001/XMLSchema"
KINDS = ("person", "place", "org")
OPEN_TYPE = "teipipe-open"
#: What makes an element's validity depend on more than its own subtree and declaration.
_NOT_LOCAL = ("any", "key", "keyref", "unique", "redefine", "override")
_NOT_LOCAL_ATTRIBUTES = ("substitutionGroup", "abstract")
_DEFAULTS = ("elementFormDefault", "attributeFormDefault", "blockDefault", "finalDefault")
_ID_TYPES = {"ID", "IDREF", "IDREFS", "ENTITY", "ENTITIES"}
#: Pattern facets and deterministic ones for the same strings.  "Text with something in
#: it", any characters but CR ("." is neither CR nor LF) with one not white space: the white
#: space (but CR) before the first such character, that character, then anything but CR.
SAME_LANGUAGE = {r"(.|\n)*\S(.|\n)*": r"[ \t\n]*\S[^\r]*"}
#: A pointer to a name with a suffix after a full stop (``#doc.translator``) and a pattern
#: for the same strings that libxml2 matches sooner: the name's characters up to its last
#: full stop as runs of characters but the full stop, each run ended by one (the first way
#: tries every character as that last full stop; this one only each full stop).  Ambiguous
#: still (there is no unambiguous pattern for "ends with ..."), but a sixteenth less time
#: for the project schema's check of a document.
NAME_THEN_STOP = r"#[\i-[:]][\c-[:]]*\."
STOP_BY_STOP = r"#[\i-[:]]([\c-[:.]]*\.)+"


def same_language(pattern: str) -> str:
    """A pattern facet written the way libxml2 matches faster, for the same strings."""
    pattern = SAME_LANGUAGE.get(pattern, pattern)
    if pattern.startswith(NAME_THEN_STOP):
        return STOP_BY_STOP + pattern[len(NAME_THEN_STOP):]
    return pattern


def _x(name: str) -> str:
    return f"{{{XS}}}{name}"


@lru_cache(maxsize=None)
def document_outline() -> Outline | None:
    """teipipe.xsd split as the module docstring says; None where it cannot be."""
    whole = _inlined(SCHEMA_DIR / "teipipe.xsd")
    if whole is None:
        return None
    root = whole.getroot()
    for pattern in root.iter(_x("pattern")):
        pattern.set("value", same_language(pattern.get("value", "")))
    target = root.get("targetNamespace")
    for el in root.iter(etree.Element):
        types = " ".join(el.get(a, "") for a in ("type", "base", "itemType", "memberTypes"))
        if etree.QName(el).localname in _NOT_LOCAL or any(
                a in el.attrib for a in _NOT_LOCAL_ATTRIBUTES) or \
                any(t.rpartition(":")[2] in _ID_TYPES for t in types.split()):
            return None  # (xml:id's ID type is imported, and the caller's business)
    declarations = {kind: [el for el in root.iter(_x("element")) if el.get("name") == kind]
                    for kind in KINDS}
    qualified = root.get("elementFormDefault") == "qualified"
    loosened = [kind for kind, found in declarations.items() if len(found) == 1
                and found[0].getparent() is not root and found[0].get("type")
                and len(found[0]) == 0 and found[0].get("ref") is None
                and found[0].get("form", "qualified" if qualified else "") == "qualified"]
    if not loosened:
        return None
    try:
        entries = {}
        for kind in loosened:
            single = copy.deepcopy(whole)
            declaration = copy.deepcopy(declarations[kind][0])
            for attribute in ("minOccurs", "maxOccurs", "form"):
                declaration.attrib.pop(attribute, None)
            single.getroot().append(declaration)
            entries[f"{{{target}}}{kind}"] = etree.XMLSchema(single)
        for kind in loosened:
            declarations[kind][0].set("type", f"{_prefix(root, target)}{OPEN_TYPE}")
        root.append(_open_type())
        return Outline(etree.XMLSchema(whole), entries, {})
    except etree.XMLSchemaParseError:
        return None  # (a global declaration of the same name, say): the long way only


def _inlined(path) -> etree._ElementTree | None:
    """The schema with its ``xs:include``s written in place (one level; None if deeper),
    read from its own file so that its imports are found beside it."""
    whole = etree.parse(str(path))
    root = whole.getroot()
    for include in list(root.iter(_x("include"))):
        part = etree.parse(str(path.parent / include.get("schemaLocation"))).getroot()
        imported = {i.get("namespace") for i in root.iter(_x("import"))}
        if any(part.get(a) != root.get(a) for a in _DEFAULTS):
            return None  # written in place, its declarations would read differently
        if part.find(_x("include")) is not None or part.get("targetNamespace") != \
                root.get("targetNamespace") or any(i.get("namespace") not in imported
                                                   for i in part.iter(_x("import"))):
            return None
        at = list(root).index(include)
        root.remove(include)
        for k, child in enumerate(c for c in part if c.tag != _x("import")):
            root.insert(at + k, child)
    return whole


def _prefix(root: etree._Element, namespace: str | None) -> str:
    prefix = next((p for p, ns in root.nsmap.items() if ns == namespace and p), None)
    return f"{prefix}:" if prefix else ""


def _open_type() -> etree._Element:
    """A type that accepts any attributes and any content, and checks none of it."""
    open_type = etree.Element(_x("complexType"), name=OPEN_TYPE, mixed="true")
    sequence = etree.SubElement(open_type, _x("sequence"))
    etree.SubElement(sequence, _x("any"), processContents="skip", namespace="##any",
                     minOccurs="0", maxOccurs="unbounded")
    etree.SubElement(open_type, _x("anyAttribute"), processContents="skip",
                     namespace="##any")
    return open_type
