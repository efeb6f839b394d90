"""tei_all in two parts: the file with its register entries left open, and each entry once.

Every document carries verbatim copies of the register entries it refers to (``<standOff>``),
and libxml2 spends more time on those ``<person>``, ``<place>`` and ``<org>`` elements than on
the rest of the file (their TEI content models are long sequences of optional parts, which
its RELAX NG validator matches by trying each way).  The same entry, byte for byte, recurs
in hundreds of files.  So the check is split:

1. the file against the *outline* grammar: the pruned tei_all in which the one element
   pattern of ``person`` (``place``, ``org``) accepts any attributes and content;
2. each entry against the *entry* grammar of its kind: the pruned tei_all whose start is
   that element pattern.  An entry's verdict depends only on its own XML, so it is kept
   for the run (by its exact serialization) and an entry met again is not checked again.

Why a pass of both is a pass of tei_all: the outline grammar differs only in those element
patterns, so a derivation of the file by the outline grammar becomes one by the real grammar
once the subtree of each entry matched by a loosened pattern is given its derivation by the
real pattern, which step 2 found.  This holds only where a name has exactly one element
pattern (else an entry might be matched in context by another one): kinds with more are not
loosened.  It is used only as a *pass*: when either part fails, or the file repeats an
xml:id (whose uniqueness tei_all's ID type checks across the whole file), the caller
validates the whole file against the real grammar and reports what it says, so diagnostics
are exactly those of the one-step check.  Nothing is kept between runs.

The outline grammar also takes the pointer attributes (``@ref``, ``@target``, ``@resp``,
``@ana``: lists of ``anyURI``) as any text, for libxml2 checks each URI of each list at a
cost: those patterns (:data:`POINTER_LISTS`) become ``text`` and the outline is asked only
about a file whose every pointer value is a list of local pointers (:func:`local_pointers`:
``#`` and letters, digits, ``_.-``, which are surely URIs).  For such a file an attribute
matches the loosened pattern exactly when it matches the real one, so the derivations are
the same; any other file is left to the whole grammar.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Callable

from lxml import etree

from ..tei.ns import TEI_NS
from .prune import RNG, content_patterns, drop_unreachable, element_name, simplify

KINDS = ("person", "place", "org")
ANYTHING = "teipipe.anything"
PARTS = "urn:teipipe:outline"
MAX_VERDICTS = 20_000  # distinct entries remembered in a run (a register has a few thousand)
POINTER_LISTS = frozenset({"ref", "target", "resp", "ana"})
XSD_TYPES = "http://www.w3.org/2001/XMLSchema-datatypes"
_WS = "[ \t\n\r]"  # what separates the items of a RELAX NG list (XML's white space)
_LIST = f"{_WS}*#[A-Za-z0-9_.-]+(?:{_WS}+#[A-Za-z0-9_.-]+)*{_WS}*"
_LOCAL_LIST = re.compile(_LIST)
#: Values already judged by :func:`local_pointers` (a pure function of the value; a file's
#: values are mostly the register's ids, the same in file after file), at most
#: :data:`MAX_VALUES`: each document brings values of its own too (pointers to its own
#: ids), and 20,000 of them held 2.5 MB.
_LOCAL: dict[str, bool] = {}
MAX_VALUES = 4096


def local_pointers(values: list[str]) -> bool:
    """Whether every value is a white-space-separated list of one or more local pointers
    (``#`` and at least one of ASCII letters, digits, ``_.-``): each such token is a URI
    reference (a fragment of unreserved characters), so the list matches
    ``list { anyURI+ }``.  A cheap, exact-enough test: a ``True`` is always right; a
    ``False`` only sends the file to the whole grammar.  Each distinct value is judged once
    per run."""
    for value in set(values):
        local = _LOCAL.get(value)
        if local is None:
            if len(_LOCAL) >= MAX_VALUES:
                _LOCAL.clear()
            local = _LOCAL[value] = _LOCAL_LIST.fullmatch(value) is not None
        if not local:
            return False
    return True


def _r(name: str) -> str:
    return f"{{{RNG}}}{name}"


@dataclass
class Outline:
    """An outline check in two parts (here for tei_all; :mod:`.schema_parts` for the project
    schema): the validator of the file with its entries left open, one validator per
    loosened kind (by Clark name), and the verdicts of this run."""

    file: etree.RelaxNG | etree.XMLSchema
    entries: dict[str, etree.RelaxNG | etree.XMLSchema]
    verdicts: dict[tuple[str, bytes], bool]
    #: whether ``file`` takes the POINTER_LISTS as text (asked only of local pointers)
    loose_pointers: bool = False
    _values: Callable[[etree._ElementTree], list[str]] | None = field(default=None,
                                                                      repr=False)

    def passes(self, tree: etree._ElementTree, serialized, elements=None,
               pointer_values: Callable[[], list[str]] | None = None) -> bool:
        """Whether the file surely passes (False: ask the whole grammar).  Every element of
        a loosened name is checked on its own, wherever it is (``elements``: those elements,
        in document order, when the caller has found them already; ``pointer_values``: the
        values of at least every POINTER_LISTS attribute of the file, when the caller has
        them)."""
        if self.loose_pointers and not local_pointers(
                pointer_values() if pointer_values else _pointer_values(tree)):
            return False
        for el in tree.iter(*self.entries) if elements is None else elements:
            key = (el.tag, serialized(el))
            verdict = self.verdicts.get(key)
            if verdict is None:
                tree_of_entry = etree.ElementTree(copy.deepcopy(el))
                verdict = bool(self.entries[el.tag].validate(tree_of_entry))
                if len(self.verdicts) >= MAX_VERDICTS:
                    self.verdicts.clear()
                self.verdicts[key] = verdict
            if not verdict:
                return False
        return bool(self.file.validate(tree))


def outline_parts(grammar: etree._Element) -> etree._Element:
    """Split a (pruned) tei_all grammar as the module docstring says: the outline grammar
    and the entry grammar of each loosened kind, in one container (``<parts>``, each grammar
    in a ``<part name="file|{Clark name}">``), so that they are stored and read together."""
    patterns: dict[str, list[etree._Element]] = {kind: [] for kind in KINDS}
    for el in grammar.iter(_r("element")):
        name = element_name(el)
        if name is not None and name[0] == TEI_NS and name[1] in patterns:
            patterns[name[1]].append(el)
    loosened = [kind for kind in KINDS if len(patterns[kind]) == 1]
    container = etree.Element(f"{{{PARTS}}}parts", nsmap={None: PARTS})
    outline = copy.deepcopy(grammar)
    for el in list(outline.iter(_r("element"))):
        name = element_name(el)
        if name is not None and name[0] == TEI_NS and name[1] in loosened:
            for part in content_patterns(el):
                el.remove(part)
            etree.SubElement(el, _r("ref"), name=ANYTHING)
    _pointers_as_text(outline)
    outline.append(_anything())
    etree.SubElement(container, f"{{{PARTS}}}part", name="file",
                     pointers="text").append(drop_unreachable(simplify(outline)))
    for kind in loosened:
        etree.SubElement(container, f"{{{PARTS}}}part", name=f"{{{TEI_NS}}}{kind}").append(
            _started_by(grammar, patterns[kind][0]))
    return container


def compiled(parts: etree._Element) -> Outline:
    """The grammars of :func:`outline_parts`' container, compiled, for a run."""
    grammars = {part.get("name"): etree.RelaxNG(part[0]) for part in parts}
    file = grammars.pop("file")
    loose = any(part.get("pointers") == "text" for part in parts if part.get("name") == "file")
    return Outline(file, grammars, {}, loose_pointers=loose)


def _pointer_values(tree: etree._ElementTree) -> list[str]:
    return [value for el in tree.iter(etree.Element) for name, value in el.items()
            if name in POINTER_LISTS]


def _pointers_as_text(grammar: etree._Element) -> None:
    """Make each ``attribute X { list { anyURI+ } }`` of the POINTER_LISTS (no namespace,
    the XSD datatypes) ``attribute X { text }``, in place (see the module docstring)."""
    for attribute in list(grammar.iter(_r("attribute"))):
        if attribute.get("name") not in POINTER_LISTS or attribute.get("ns", "") != "" \
                or len(attribute) != 1:
            continue
        listed = attribute[0]
        if listed.tag != _r("list") or len(listed) != 1 or listed[0].tag != _r("oneOrMore") \
                or len(listed[0]) != 1:
            continue
        data = listed[0][0]
        if data.tag != _r("data") or data.get("type") != "anyURI" or len(data) \
                or _library(data) != XSD_TYPES:
            continue
        attribute.remove(listed)
        etree.SubElement(attribute, _r("text"))


def _library(el: etree._Element) -> str:
    """The datatype library in force at ``el`` (inherited, as RELAX NG says)."""
    node: etree._Element | None = el
    while node is not None:
        library = node.get("datatypeLibrary")
        if library is not None:
            return library
        node = node.getparent()
    return ""


def _started_by(grammar: etree._Element, pattern: etree._Element) -> etree._Element:
    """A copy of ``grammar`` whose start is (a copy of) the element pattern ``pattern``."""
    out = copy.deepcopy(grammar)
    start = out.find(_r("start"))
    assert start is not None
    for part in list(start):
        start.remove(part)
    start.attrib.pop("combine", None)
    start.append(copy.deepcopy(pattern))
    return drop_unreachable(simplify(out))


def _anything() -> etree._Element:
    """``teipipe.anything = (attribute * { text })*, mixed { element * { anything }* }``.

    The same language as ``(attribute * { text } | text | element * { anything })*`` (any
    attributes, any content), written so that libxml2 matches it faster: attributes apart
    from content, and text interleaved with the elements rather than a choice at each step
    (the outline's check costs a sixth less).
    """
    define = etree.Element(_r("define"), name=ANYTHING)
    attribute = etree.SubElement(etree.SubElement(define, _r("zeroOrMore")), _r("attribute"))
    etree.SubElement(attribute, _r("anyName"))
    mixed = etree.SubElement(define, _r("mixed"))
    element = etree.SubElement(etree.SubElement(mixed, _r("zeroOrMore")), _r("element"))
    etree.SubElement(element, _r("anyName"))
    etree.SubElement(element, _r("ref"), name=ANYTHING)
    return define
