"""Layer 2: the project schema (schema/teipipe.xsd, schema/register.xsd).

xmlschema, the project's XML Schema library, reports the errors: each becomes a diagnostic
with a code, the one a named type of the schema carries in its ``xs:appinfo`` (``tp:code``)
or else the one of the kind of error (an element out of place, a missing element or
attribute, a value outside a list ...); the schema's ``tp:hint`` overrides the rule's hint.

xmlschema is pure Python and needs 3–10 ms for a cable, most of a cold run.  libxml2
(lxml.etree.XMLSchema) reads the same schema, XML Schema 1.0, in 2 ms and validates a cable
in 0.1–0.3 ms.  So libxml2 decides first; only a file it rejects is read by xmlschema, for
the diagnostics.  The two agree on every test file (tests/test_schema.py); should xmlschema
find nothing in a file libxml2 rejects, the file is reported anyway (V107), never passed.
In a file too large for xmlschema's reports to take bounded time, libxml2's are reported.
A document's register entries are checked once per run where they can be (:mod:`.schema_parts`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from ..diagnostics import Diagnostic
from .codes import diagnostic
from . import SCHEMA_DIR
from .xmlfile import XmlFile

TP = "urn:teipipe:schema"
#: Schema errors read from one file: a file with thousands repeats a few faults, and each
#: error costs xmlschema half a millisecond.
MAX_ERRORS = 100
#: Beyond these sizes xmlschema's reports would cost seconds or minutes (it reports every
#: child of an element that does not fit, at a cost that grows with their number): libxml2's
#: own messages are reported instead, coded by kind.
MAX_ELEMENTS, MAX_CHILDREN = 50_000, 5_000
DOCUMENT, REGISTER = "document", "register"
SCHEMA_FILES = {DOCUMENT: "teipipe.xsd", REGISTER: "register.xsd"}
_CLARK = re.compile(r"\{http://www\.tei-c\.org/ns/1\.0\}|tei:")
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"


def kind_of(tree: etree._ElementTree) -> str:
    """Which schema a file answers to: a register is a TEI file with a standOff and no text."""
    root = tree.getroot()
    has = {etree.QName(el).localname for el in root if isinstance(el.tag, str)}
    return REGISTER if "standOff" in has and "text" not in has else DOCUMENT


@lru_cache(maxsize=None)
def project_schema(kind: str):
    """The schema of a kind of file for xmlschema (built once per process: ~0.2 s)."""
    import xmlschema  # imported here: a run whose files are all valid never needs it

    return xmlschema.XMLSchema10(str(SCHEMA_DIR / SCHEMA_FILES[kind]))


@lru_cache(maxsize=None)
def fast_schema(kind: str) -> etree.XMLSchema:
    """The same schema for libxml2 (2 ms)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / SCHEMA_FILES[kind])))


def check_schema(f: XmlFile, kind: str) -> tuple[list[Diagnostic], set[int]]:
    """Every error of ``f`` against its project schema, in document order, and the lines of
    the elements they concern (a diagnostic may point into an element, at its stray text)."""
    assert f.tree is not None
    if kind == DOCUMENT and _passes_in_parts(f):
        return [], set()
    if fast_schema(kind).validate(f.tree):
        return [], set()
    if _too_big_for_xmlschema(f.tree):
        return _libxml2_diagnostics(fast_schema(kind).error_log, f)
    out: list[Diagnostic] = []
    elements: set[int] = set()
    seen: set[tuple[int | None, str]] = set()
    for count, error in enumerate(project_schema(kind).iter_errors(f.tree)):
        if count == MAX_ERRORS:
            out.append(diagnostic("V107", f"more than {MAX_ERRORS} schema errors: the rest "
                                  "are not listed; fix these first", file=f.shown))
            break
        d = _diagnostic(error, f)
        if d is not None and (d.line, d.message) not in seen:
            seen.add((d.line, d.message))
            out.append(d)
            elem = getattr(error, "elem", None)
            if isinstance(elem, etree._Element) and elem.sourceline:
                elements.add(elem.sourceline)
    if not out and not _only_repeated_ids(fast_schema(kind).error_log):
        last = fast_schema(kind).error_log.last_error
        out.append(diagnostic("V107", f"libxml2: {_clean(last.message)}", file=f.shown,
                              line=last.line or None))
    return out, elements


def _passes_in_parts(f: XmlFile) -> bool:
    """The quick pass of :mod:`.schema_parts` (its register entries each checked once per
    run); a file that repeats an xml:id is left to the whole schema."""
    from .schema_parts import document_outline
    outline = document_outline()
    index = f.index
    return outline is not None and index.ids_distinct and outline.passes(
        f.tree, index.xml_of, index.named(f.tree.getroot(), outline.entries))


def _too_big_for_xmlschema(tree: etree._ElementTree) -> bool:
    count = 0
    for el in tree.iter():
        count += 1
        if count > MAX_ELEMENTS or len(el) > MAX_CHILDREN:
            return True
    return False


_LIBXML2_KINDS = (("This element is not expected", "V101"), ("Missing child element", "V102"),
                  ("is not allowed", "V103"), ("is required but missing", "V104"),
                  ("Character content", "V106"), ("[facet", "V105"),
                  ("is not a valid value", "V105"))


def _libxml2_diagnostics(log, f: XmlFile) -> tuple[list[Diagnostic], set[int]]:
    """libxml2's schema errors, for files too large for xmlschema's reports."""
    out = []
    for entry in list(log)[:MAX_ERRORS]:
        if "'xs:ID'" in entry.message:
            continue  # V302's
        code = next((c for text, c in _LIBXML2_KINDS if text in entry.message), "V107")
        out.append(diagnostic(code, f"(libxml2) {_clean(entry.message)}", file=f.shown,
                              line=entry.line or None))
    return out, {d.line for d in out if d.line}


def _only_repeated_ids(log) -> bool:
    """libxml2 also rejects a repeated xml:id, which is rule V302's to report."""
    return all("'xs:ID'" in e.message or "already defined" in e.message for e in log)


def _diagnostic(error, f: XmlFile) -> Diagnostic | None:
    from xmlschema.validators.exceptions import XMLSchemaChildrenValidationError

    reason = error.reason or str(error)
    elem = error.elem if isinstance(getattr(error, "elem", None), etree._Element) else None
    where = dict(file=f.shown, line=elem.sourceline if elem is not None else error.sourceline,
                 column=f.column(elem) if elem is not None else None)
    name = f"<{_local(elem)}>" if elem is not None else "the element"
    validator = error.validator
    if "duplicated xs:ID" in reason:
        return None  # rule V302 reports repeated ids, with both places
    if isinstance(error, XMLSchemaChildrenValidationError):
        return _children(error, name, where)
    code, hint = _code_of_type(validator)
    if code:
        return diagnostic(code, f"{name} {_clean(reason)}", hint=hint, **where)
    if "not allowed for element" in reason:
        return diagnostic("V103", f"{name}: {_clean(reason)}", **where)
    if "missing required attribute" in reason:
        return diagnostic("V104", f"{name}: {_clean(reason)}", **where)
    if "character data" in reason:
        line, text = _stray_text(elem) if elem is not None else (None, "")
        return diagnostic("V106", f"{name}: text is not allowed between its child elements "
                          f"(\"{text}\")", **dict(where, line=line or where["line"],
                                                     column=None))
    if reason.startswith("attribute ") or "value must be one of" in reason:
        return diagnostic("V105", f"{name} {_clean(reason)}", **where)
    return diagnostic("V107", f"{name}: {_clean(reason)}", **where)


def _stray_text(el: etree._Element) -> tuple[int | None, str]:
    """Where the first non-blank text directly inside ``el`` is, and what it says.

    lxml knows the line an element starts on, not where text lies; text before a child
    ends on that child's line, so it starts that many line ends earlier.
    """
    runs = [(el.text, el[0] if len(el) else None)]
    runs += [(child.tail, child.getnext()) for child in el]
    for text, after in runs:
        if text and text.strip():
            if after is None or after.sourceline is None:
                return None, text.strip()
            lead = len(text) - len(text.lstrip())
            start = after.sourceline - text.count("\n")
            return start + text.count("\n", 0, lead), " ".join(text.split())[:60]
    return None, ""


def _children(error, name: str, where: dict) -> Diagnostic:
    """An element out of place (V101) or a required one missing (V102)."""
    expected = [f"<{_clean(t)}>" for t in (error.expected_tags or [])]
    wanted = " or ".join(expected)
    if error.invalid_tag is None:
        return diagnostic("V102", f"{name} is incomplete: {wanted or 'more content'} expected "
                          "at its end", **where)
    found = f"<{_clean(error.invalid_tag)}>"
    child = error.invalid_child
    if isinstance(child, etree._Element):
        where = dict(where, line=child.sourceline)
        where["column"] = None
    known = {e.name for e in error.validator.iter_elements()} if hasattr(
        error.validator, "iter_elements") else set()
    if error.invalid_tag in known and expected:
        return diagnostic("V102", f"{name}: {wanted} expected before {found}", **where)
    message = f"{found} is not allowed in {name}"
    return diagnostic("V101", message + (f"; expected {wanted}" if wanted else ""), **where)


def _code_of_type(component) -> tuple[str | None, str | None]:
    """The code of the named simple type a value error comes from (facet -> type)."""
    node = component
    for _ in range(4):
        if node is None or type(node).__name__.startswith(("XsdAttribute", "XsdComplex")):
            break
        code, hint = _annotated(node)
        if code:
            return code, hint
        node = getattr(node, "parent", None)
    return None, None


def _annotated(component) -> tuple[str | None, str | None]:
    annotation = getattr(component, "annotation", None)
    if annotation is None:
        return None, None
    code = hint = None
    for appinfo in annotation.appinfo:
        for el in appinfo:
            if el.tag == f"{{{TP}}}code":
                code = (el.text or "").strip()
            elif el.tag == f"{{{TP}}}hint":
                hint = " ".join((el.text or "").split())
    return code, hint


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _clean(text: str) -> str:
    """Schema messages without namespace clutter: ``{...tei...}hi`` -> ``hi``."""
    return _CLARK.sub("", str(text)).replace(_XML_NS, "xml:")
