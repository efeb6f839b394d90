"""tei_all, pruned to the elements a file can contain: the same verdict, compiled in milliseconds.

libxml2 needs 6–9 s to compile the official tei_all RELAX NG schema (595 element patterns);
validation itself takes a fraction of a millisecond.  Most of the grammar describes elements
the edition never uses.  :func:`prune` replaces every ``<element>`` pattern whose name is not
in a given set with ``<notAllowed/>`` and then simplifies the grammar by the rules of RELAX NG
(section 4.20 of the specification): a choice loses its not-allowed branches, a group,
interleave, one-or-more, list, mixed, element or attribute with a not-allowed part is itself
not allowed, an optional or zero-or-more one becomes empty, a reference to a not-allowed
definition is not allowed, and so on to a fixed point; definitions no longer reachable from
the start go.

Why the verdict is the same: RELAX NG patterns are monotone, so the pruned grammar accepts a
subset of what tei_all accepts; and a document whose element names are all in the set is
matched, in any derivation by tei_all, only by element patterns with those names, which the
pruning keeps.  So for documents that use only names of the set, the two grammars agree.
The validator prunes to the names the project schemas declare plus whatever names the file
uses, which makes the check exact for every file (tests/test_conformance.py compares the
verdicts with the full tei_all on every test file).
"""

from __future__ import annotations

import copy
from typing import Callable

from lxml import etree

RNG = "http://relaxng.org/ns/structure/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
#: Bump when the pruning changes: it is part of the cache keys.
PRUNE_VERSION = "1"

_NA, _EMPTY, _OK = "notAllowed", "empty", "ok"
_NAME_CLASSES = {"name", "anyName", "nsName", "choice"}


def _r(name: str) -> str:
    return f"{{{RNG}}}{name}"


def _local(el: etree._Element) -> str:
    return el.tag[len(RNG) + 2:] if el.tag.startswith(f"{{{RNG}}}") else ""


def prune(grammar: etree._Element, keep: Callable[[str, str], bool]) -> etree._Element:
    """A copy of ``grammar`` (a RELAX NG ``<grammar>`` element, one file, no includes) whose
    element patterns are limited to the (namespace, local name) pairs ``keep`` accepts."""
    root = copy.deepcopy(grammar)
    _strip_annotations(root)
    for el in list(root.iter(_r("element"))):
        name = element_name(el)
        if name is not None and not keep(*name):
            _replace(el, etree.Element(_r("notAllowed")))
    defines = {d.get("name"): d for d in root.iter(_r("define"))}
    dead: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, define in defines.items():
            if name not in dead and _group(list(define), dead) == _NA:
                dead.add(name)
                changed = True
    start = root.find(_r("start"))
    if start is None or _group(list(start), dead) == _NA:
        raise ValueError("nothing is left of the grammar: its start element is not allowed")
    return drop_unreachable(root)


_GROUPS = tuple(_r(n) for n in ("group", "element", "define", "start", "oneOrMore",
                                 "zeroOrMore", "optional", "mixed", "interleave"))


def simplify(root: etree._Element) -> etree._Element:
    """Rewrite (in place) what pruning leaves behind into the same language in a form that
    libxml2 matches faster: an ``<empty/>`` among other patterns of a group (or of a pattern
    whose children form one: element content, define, one-or-more ...) goes, as
    ``(p, empty) = p``; a group of one pattern is that pattern; a one-or-more (or
    zero-or-more) of one one-or-more is one of its content, as ``(p+)+ = p+`` and
    ``(p+)* = p*``.  Wrappers that carry ``ns`` or ``datatypeLibrary`` (which their
    content inherits) are kept.

    Why it matters: pruning leaves ``listPerson`` as ``((person | listPerson)+, empty)+``,
    which libxml2 matches in time quadratic in the number of entries (a register of 878
    entries: 87 ms; 2 ms once simplified), and each element pattern keeps the empty
    leftovers of its dropped attributes (a cable: an eighth less)."""
    changed = True
    while changed:
        changed = False
        for el in list(root.iter(*_GROUPS)):
            kids = content_patterns(el) if el.tag == _r("element") else \
                [c for c in el if isinstance(c.tag, str)]
            empties = [k for k in kids if k.tag == _r("empty")]
            if empties and len(empties) < len(kids):
                for k in empties:
                    _remove(k)
                kids = [k for k in kids if k.tag != _r("empty")]
                changed = True
            if len(kids) != 1 or el.attrib:
                continue
            inner = kids[0]
            if el.tag == _r("group") and el.getparent() is not None:
                _replace(el, inner)
                changed = True
            elif el.tag in (_r("oneOrMore"), _r("zeroOrMore")) and \
                    inner.tag == _r("oneOrMore") and not inner.attrib:
                for part in [c for c in inner if isinstance(c.tag, str)]:
                    inner.addprevious(part)
                _remove(inner)
                changed = True
    return root


def drop_unreachable(root: etree._Element) -> etree._Element:
    """Remove (in place) the definitions that the grammar's start cannot reach: they do not
    change what it accepts, and libxml2 compiles every definition it is given."""
    start = root.find(_r("start"))
    if start is None:
        return root
    parts: dict[str, list[etree._Element]] = {}
    for define in root.iter(_r("define")):
        parts.setdefault(define.get("name", ""), []).append(define)
    reachable = _reachable(start, parts)
    for name, defines in parts.items():
        if name not in reachable:
            for define in defines:
                define.getparent().remove(define)
    return root


def drop_optional_attributes(grammar: etree._Element,
                             keep: Callable[[tuple[str, str] | None, str], bool]
                             ) -> etree._Element:
    """A copy of ``grammar`` without the optional attributes ``keep`` refuses: it is asked
    with the (namespace, local name) of the element pattern the attribute belongs to (None
    when the optional attribute is not inside one, but in a definition shared by several)
    and the attribute's name as lxml writes it (``n``,
    ``{http://www.w3.org/XML/1998/namespace}id``).

    libxml2 tries every optional attribute pattern of an element on each element it
    validates: tei_all's attribute classes give an element dozens, of which a file uses a
    handful.  The result accepts less (an empty pattern where an optional one was), so a
    file it accepts, tei_all accepts, whatever ``keep`` says; and for a file none of whose
    elements carries an attribute dropped from its pattern the verdict is the same: such an
    ``<optional>`` can only match by its empty branch, which is what replaces it.  Only an
    ``<optional>`` holding just one attribute with a plain name is dropped.

    First the references of element patterns to definitions that hold attributes only (the
    ``att.*.attributes`` classes) are replaced by what they define, as RELAX NG's own
    simplification does (section 4.19; a group is associative, so the verdict is the same):
    measured on the edition's files, libxml2 validates the result in half the time, and
    dropping attributes without this first step makes it slower, not faster.
    """
    root = copy.deepcopy(grammar)
    _inline_attribute_classes(root)
    for optional in list(root.iter(_r("optional"))):
        kids = [c for c in optional if isinstance(c.tag, str)]
        if len(kids) != 1 or _local(kids[0]) != "attribute" or kids[0].get("name") is None:
            continue
        if not keep(_owner(optional), _attribute_name(kids[0])):
            _replace(optional, etree.Element(_r("empty")))
    return root


def _owner(pattern: etree._Element) -> tuple[str, str] | None:
    """The name of the element pattern whose attributes ``pattern`` describes: the nearest
    element pattern around it, unless a definition (which others may refer to from other
    elements) or an attribute pattern comes first."""
    for up in pattern.iterancestors():
        name = _local(up)
        if name == "element":
            return element_name(up)
        if name in ("define", "attribute"):
            return None
    return None


def _inline_attribute_classes(root: etree._Element) -> None:
    """Replace each ``<ref>`` child of an element pattern to a definition (not combined)
    that holds attribute patterns only by the definition's patterns, until none is left."""
    defines: dict[str, list[etree._Element]] = {}
    for define in root.iter(_r("define")):
        defines.setdefault(define.get("name", ""), []).append(define)
    known: dict[str, bool] = {}

    def attributes_only(name: str) -> bool:
        if name not in known:
            known[name] = False  # a definition that refers to itself is not inlined
            found = defines.get(name, [])
            known[name] = len(found) == 1 and found[0].get("combine") is None and all(
                _local(el) not in ("element", "text", "data", "value", "list")
                or any(_local(up) == "attribute" for up in el.iterancestors())
                for el in found[0].iter() if isinstance(el.tag, str)) and all(
                attributes_only(ref.get("name", "")) for ref in found[0].iter(_r("ref")))
        return known[name]

    changed = True
    while changed:
        changed = False
        for element in root.iter(_r("element")):
            for ref in [c for c in element if isinstance(c.tag, str) and _local(c) == "ref"]:
                name = ref.get("name", "")
                if not attributes_only(name):
                    continue
                at = element.index(ref)
                element.remove(ref)
                parts = [c for c in defines[name][0] if isinstance(c.tag, str)]
                for k, part in enumerate(parts):
                    element.insert(at + k, copy.deepcopy(part))
                changed = True


def _attribute_name(el: etree._Element) -> str:
    """An attribute pattern's name, as lxml writes attribute names.  Unlike an element's,
    an attribute's unprefixed name is in no namespace unless the pattern itself has ``ns``
    (RELAX NG, section 4.8)."""
    name = el.get("name", "").strip()
    if ":" in name:
        prefix, local = name.split(":", 1)
        ns = XML_NS if prefix == "xml" else el.nsmap.get(prefix, "")
    else:
        local, ns = name, el.get("ns", "")
    return f"{{{ns}}}{local}" if ns else local


def _strip_annotations(root: etree._Element) -> None:
    """Drop foreign elements (documentation, embedded Schematron) and comments: lxml's
    RelaxNG ignores them, and the pruned grammar is a tenth of the size without them."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or not el.tag.startswith(f"{{{RNG}}}"):
            parent = el.getparent()
            if parent is not None:
                _remove(el)


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    assert parent is not None
    parent.remove(el)  # the tail is white space in a grammar


def _replace(old: etree._Element, new: etree._Element) -> None:
    parent = old.getparent()
    assert parent is not None
    new.tail = old.tail
    parent.replace(old, new)


def element_name(el: etree._Element) -> tuple[str, str] | None:
    """(namespace, local name) of an element pattern with a single name, else None."""
    name = el.get("name")
    if name is None:
        first = next((c for c in el if isinstance(c.tag, str)), None)
        if first is None or _local(first) != "name":
            return None
        name, ns_holder = (first.text or "").strip(), first
    else:
        ns_holder = el
    if ":" in name:
        prefix, local = name.split(":", 1)
        return el.nsmap.get(prefix, ""), local
    node: etree._Element | None = ns_holder
    while node is not None and node.get("ns") is None:
        node = node.getparent()
    return (node.get("ns") if node is not None else "") or "", name


def content_patterns(el: etree._Element) -> list[etree._Element]:
    """The pattern children of an element or attribute pattern (after its name class)."""
    kids = [c for c in el if isinstance(c.tag, str)]
    if el.get("name") is None and kids and _local(kids[0]) in _NAME_CLASSES:
        kids = kids[1:]
    return kids


def _group(kids: list[etree._Element], dead: set[str]) -> str:
    states = [_simplify(k, dead) for k in kids]
    if _NA in states:
        return _NA
    return _EMPTY if all(s == _EMPTY for s in states) else _OK


def _simplify(p: etree._Element, dead: set[str]) -> str:
    """Simplify pattern ``p`` in place; return whether it is now not-allowed, empty or other."""
    tag = _local(p)
    if tag == "notAllowed":
        return _NA
    if tag == "empty":
        return _EMPTY
    if tag == "ref":
        return _NA if p.get("name") in dead else _OK
    if tag in ("element", "attribute"):
        return _NA if _group(content_patterns(p), dead) == _NA else _OK
    if tag == "choice":
        states = []
        for kid in [c for c in p if isinstance(c.tag, str)]:
            state = _simplify(kid, dead)
            if state == _NA:
                _remove(kid)
            else:
                states.append(state)
        if not states:
            return _NA
        return _EMPTY if all(s == _EMPTY for s in states) else _OK
    if tag in ("group", "interleave"):
        return _group([c for c in p if isinstance(c.tag, str)], dead)
    if tag in ("optional", "zeroOrMore"):
        state = _group([c for c in p if isinstance(c.tag, str)], dead)
        if state == _NA:
            _replace(p, etree.Element(_r("empty")))
            return _EMPTY
        return state
    if tag in ("oneOrMore", "list", "mixed"):
        state = _group([c for c in p if isinstance(c.tag, str)], dead)
        return _OK if state == _EMPTY and tag != "oneOrMore" else state
    return _OK  # text, value, data (their except holds data patterns only), parentRef ...


def _reachable(start: etree._Element, defines: dict[str, list[etree._Element]]) -> set[str]:
    """The names of the definitions ``start`` refers to, directly or not (a name defined in
    parts, ``combine``, is followed into all of them)."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        for ref in node.iter(_r("ref")):
            name = ref.get("name")
            if name not in seen and name in defines:
                seen.add(name)
                todo.extend(defines[name])
    return seen
