"""Layer 4, part 1: the Schematron rules (schema/teipipe.sch), with lxml's ISO Schematron.

Each failed assertion's ``@id`` is its code; its text is the message.  The SVRL report gives
the place as an XPath, which is evaluated on the tree to get the element, its line and column.

lxml compiles the Schematron into an XSLT stylesheet (the ISO skeleton), which is run here
directly, with three things the skeleton does that this validator never reads taken out:
an ``<svrl:fired-rule>`` written for every element a rule applies to, a walk of the whole
document in the default mode (it writes nothing: text is stripped) inside
``<svrl:active-pattern>``, and the visit of every attribute, comment and processing
instruction: the rules' contexts are all elements (:func:`_element_contexts` makes sure),
so the walk visits elements only.  The failed assertions and successful reports are the
same; a file costs half the time.  A rule's checks are also asked at once first
(:func:`_checks_at_once`): where all pass, as they do on nearly every element, one XPath
evaluation stands for several.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree, isoschematron

from ..diagnostics import Diagnostic
from . import SCHEMA_DIR
from .codes import RULES, diagnostic
from .schematron_parts import SchematronParts, split
from .xmlfile import XmlFile

SVRL = "http://purl.oclc.org/dsdl/svrl"
SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
_WALK = "@*|*|comment()|processing-instruction()"
#: The last step of a location path that selects an element (a name test, no axis or
#: node-type test), with predicates.
_ELEMENT_STEP = re.compile(r"^(?:[\w.-]+:)?(?:[\w.-]+|\*)(?:\[.*\])?$")


@lru_cache(maxsize=None)
def _schematron() -> etree.XSLT:
    return etree.XSLT(_trimmed()[1])


@lru_cache(maxsize=None)
def _parts() -> SchematronParts | None:
    """The stylesheet in two parts (:mod:`.schematron_parts`), or None."""
    return split(*_trimmed())


@lru_cache(maxsize=None)
def _trimmed() -> tuple[etree._ElementTree, etree._ElementTree]:
    """The Schematron and its stylesheet without what this validator never reads."""
    sch = etree.parse(str(SCHEMA_DIR / "teipipe.sch"))
    _element_contexts(sch)
    stylesheet = isoschematron.Schematron(sch, store_xslt=True).validator_xslt
    root = stylesheet.getroot()
    for fired in list(root.iter(f"{{{SVRL}}}fired-rule")):
        fired.getparent().remove(fired)
    for pattern in root.iter(f"{{{SVRL}}}active-pattern"):
        for walk in pattern.findall(f"{{{XSL}}}apply-templates"):
            if walk.get("mode") is None and walk.get("select") is None:
                pattern.remove(walk)
    for walk in root.iter(f"{{{XSL}}}apply-templates"):
        if walk.get("select") == _WALK:
            walk.set("select", "*")
    for template in root.iterchildren(f"{{{XSL}}}template"):
        _checks_at_once(template)
    return sch, stylesheet


def _checks_at_once(template: etree._Element) -> None:
    """Put a rule's checks (the skeleton's ``choose`` per assertion, ``if`` per report, one
    after the other) under one ``if`` that asks whether any of them would write something:
    ``not(T1 and T2 and not(R1))``.  Where none would, that one test stands for all of
    theirs; where one would, they run as before, in order, and write what they wrote."""
    children = [child for child in template if isinstance(child.tag, str)]
    lets = 0
    while lets < len(children) and children[lets].tag == f"{{{XSL}}}variable":
        lets += 1
    checks = children[lets:-1]  # after the rule's variables, before the walk on
    tests = [_passes_when(check) for check in checks]
    if len(tests) < 2 or None in tests or children[-1].tag != f"{{{XSL}}}apply-templates":
        return
    guard = etree.Element(f"{{{XSL}}}if", test=f"not({' and '.join(tests)})")
    checks[0].addprevious(guard)
    for check in checks:
        guard.append(check)  # (lxml moves the element, its tail with it)


def _passes_when(check: etree._Element) -> str | None:
    """The test under which a check of the skeleton writes nothing, in parentheses; None
    for anything else."""
    kids = [kid for kid in check if isinstance(kid.tag, str)]
    if check.tag == f"{{{XSL}}}choose" and len(kids) == 2 and kids[0].tag == \
            f"{{{XSL}}}when" and kids[1].tag == f"{{{XSL}}}otherwise" and len(kids[0]) == 0 \
            and kids[0].get("test"):
        return f"({kids[0].get('test')})"
    if check.tag == f"{{{XSL}}}if" and check.get("test") and \
            next(check.iter(f"{{{SVRL}}}successful-report"), None) is not None:
        return f"not({check.get('test')})"
    return None


def _element_contexts(sch: etree._ElementTree) -> None:
    """Make sure every rule's context selects elements only (else the walk must not skip
    attributes and the rest): each branch of the union ends in an element name test."""
    for rule in sch.iter(f"{{{SCH}}}rule"):
        context = rule.get("context", "")
        for branch in _branches(context):
            last = re.split(r"/(?![^\[]*\])", branch.strip())[-1]
            if not _ELEMENT_STEP.match(last):
                raise ValueError(f"teipipe.sch: the rule context {context!r} may select "
                                 "more than elements; the Schematron walk visits elements only")


def _branches(context: str) -> list[str]:
    """The branches of a union, ``|`` inside predicates aside."""
    out, depth, start = [], 0, 0
    for k, char in enumerate(context):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "|" and depth == 0:
            out.append(context[start:k])
            start = k + 1
    return [*out, context[start:]]


def check_schematron(f: XmlFile) -> list[Diagnostic]:
    assert f.tree is not None
    parts = _parts()
    if parts is not None and parts.entries_pass(f.tree.getroot(), f.index.xml_of):
        report = parts.file(f.tree).getroot()
    else:
        report = _schematron()(f.tree).getroot()
    out: list[Diagnostic] = []
    for failed in report.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        code = failed.get("id", "")
        if code not in RULES:
            code = "V399"
        text = " ".join("".join(failed.itertext()).split())
        hits = f.tree.xpath(failed.get("location", "/*"))
        el = hits[0] if hits and isinstance(hits[0], etree._Element) else None
        out.append(diagnostic(code, text, file=f.shown,
                              line=el.sourceline if el is not None else None,
                              column=f.column(el) if el is not None else None))
    return out
