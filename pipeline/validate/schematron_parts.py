"""The Schematron of a document in two parts, like the grammars: the file with its register
entries skipped, and each distinct entry once.

Half the elements of a document are its ``<standOff>`` copies of register entries, the same
bytes in hundreds of files, and the Schematron's walk costs the same for each element.  So
a document may pass in two parts:

1. the file, by the same stylesheet with one more template, of the highest priority, that
   matches the entries (``/TEI/standOff/*/person|place|org``) and does nothing: the walk
   does not enter them; every other element is visited and judged as before;
2. each entry in a *wrapper*: a bare ``TEI/standOff/{its list}`` around a copy of it, by
   the stylesheet unchanged.  The verdict depends on the entry's XML and its list's name
   only, so it is kept for the run.  The entries a file brings that are not judged yet
   share one wrapper (each in a list of its own); only if that fails is each judged alone.

Why a pass of both is a pass of the whole: a rule fires on an element of an entry in the
wrapper exactly when it does in the file, and its tests come out the same, for every rule
that is *local* (:func:`_local_rule`): its context a path of name steps (a predicate on
the last step only, a truth value: a number there would test the element's position among
siblings it does not have in the wrapper), its predicates, variables and tests looking only
at the element, its attributes and what is inside it.  A rule that is not local (it looks at ancestors,
siblings or the document, like V306 or V330) may judge an entry differently there, so an
entry passes only if such a rule, its context loosened to the names of its steps, matches
nothing of the entry in the wrapper (then, the names of an entry's ancestors being the same
in both, it matches nothing of it in the file either).  It is used only as a *pass*: when an
entry fails, the whole file is checked by the one-step stylesheet, which gives the report;
the report of a pass (failures outside the entries) is the one-step report, element for
element.  A Schematron this module does not follow (abstract rules or patterns, includes,
a context of another form) is never split.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from lxml import etree

from ..tei.ns import TEI_NS, tei

SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"
KINDS = ("person", "place", "org")
ENTRY_TAGS = frozenset(tei(k) for k in KINDS)
STAND_OFF = tei("standOff")
MAX_VERDICTS = 20_000
_PREFIX = "teipipe-entry"
#: XPath 1.0 functions whose value depends on their arguments (or the context node's own
#: name) only, not on where the context node is.
_LOCAL_FUNCTIONS = frozenset({
    "not", "true", "false", "boolean", "number", "string", "concat", "contains",
    "starts-with", "substring", "substring-before", "substring-after", "string-length",
    "normalize-space", "translate", "count", "sum", "floor", "ceiling", "round",
    "local-name", "namespace-uri"})
_LOCAL_AXES = frozenset({"child", "descendant", "descendant-or-self", "attribute", "self"})
_NAME_STEP = re.compile(r"^(?:[\w.-]+:)?(?:[\w.-]+|\*)$")
_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")


@dataclass
class SchematronParts:
    """The file's stylesheet (entries skipped), the whole stylesheet (for the wrappers), the
    loosened contexts of the rules that are not local, and the verdicts of this run."""

    file: etree.XSLT
    whole: etree.XSLT
    not_local: etree.XPath | None  # the loosened contexts of the rules that are not local
    verdicts: dict[tuple[str, bytes], bool] = field(default_factory=dict)

    def entries_pass(self, root: etree._Element, serialized) -> bool:
        """Whether every entry at ``/TEI/standOff/*/`` passes on its own (see the module
        docstring); ``serialized`` gives an element's XML."""
        unknown: dict[tuple[str, bytes], etree._Element] = {}
        for stand_off in root:
            if stand_off.tag != STAND_OFF:
                continue
            for listed in stand_off:
                if not isinstance(listed.tag, str):
                    continue
                for entry in listed:
                    if entry.tag in ENTRY_TAGS:
                        key = (listed.tag, serialized(entry))
                        verdict = self.verdicts.get(key)
                        if verdict is False:
                            return False
                        if verdict is None:
                            unknown[key] = entry
        if unknown:
            if len(self.verdicts) + len(unknown) > MAX_VERDICTS:
                self.verdicts.clear()
            if self._judge(list(unknown.items())):
                self.verdicts.update(dict.fromkeys(unknown, True))
            else:
                for key, entry in unknown.items():
                    self.verdicts[key] = self._judge([(key, entry)])
        return all(self.verdicts[key] for key in unknown)

    def _judge(self, entries: list[tuple[tuple[str, bytes], etree._Element]]) -> bool:
        """Whether all these entries pass, each in its list in one wrapper (a rule that is
        local judges an element by what is inside it, so entries side by side do not
        change each other's verdicts; a failure is then looked for entry by entry)."""
        root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
        stand_off = etree.SubElement(root, STAND_OFF)
        copies = []
        for (list_tag, _xml), entry in entries:
            copied = copy.deepcopy(entry)
            copied.tail = None
            etree.SubElement(stand_off, list_tag).append(copied)
            copies.append(copied)
        tree = etree.ElementTree(root)
        if self.not_local is not None:
            inside = {el for copied in copies for el in copied.iter()}
            if any(node in inside for node in self.not_local(tree)):
                return False
        report = self.whole(tree).getroot()
        return next(report.iter(f"{{{SVRL}}}failed-assert",
                                f"{{{SVRL}}}successful-report"), None) is None


def split(sch: etree._ElementTree, stylesheet: etree._ElementTree) -> SchematronParts | None:
    """The two parts of a trimmed stylesheet of ``sch`` (:mod:`.schematron`), or None where
    the Schematron is not of the form the module docstring says."""
    schema = sch.getroot()
    if any(schema.iter(f"{{{SCH}}}extends", f"{{{SCH}}}include")) or any(
            el.get("abstract") == "true" for el in schema.iter(f"{{{SCH}}}rule",
                                                               f"{{{SCH}}}pattern")) or any(
            el.get("is-a") for el in schema.iter(f"{{{SCH}}}pattern")):
        return None
    namespaces = {ns.get("prefix"): ns.get("uri") for ns in schema.iter(f"{{{SCH}}}ns")}
    rules = list(schema.iter(f"{{{SCH}}}rule"))
    loosened = []
    for rule in rules:
        branches = _branches(rule.get("context", ""))
        steps = [_steps(branch) for branch in branches]
        if any(s is None for s in steps):
            return None
        if not _local_rule(rule, steps):  # type: ignore[arg-type]
            loosened += [_loosened(branch) for branch in branches]
    try:
        not_local = etree.XPath(" | ".join(loosened), namespaces=namespaces) \
            if loosened else None
    except etree.XPathSyntaxError:
        return None
    whole = etree.XSLT(stylesheet)
    skipping = copy.deepcopy(stylesheet)
    root = skipping.getroot()
    templates = [t for t in root.iterchildren(f"{{{XSL}}}template")
                 if t.get("mode") and t.get("priority")]
    modes = sorted({t.get("mode") for t in templates})
    if not modes:
        return None
    top = max(float(t.get("priority")) for t in templates) + 1
    prefix = next((p for p, uri in root.nsmap.items() if uri == TEI_NS and p), _PREFIX)
    match = " | ".join(f"/{prefix}:TEI/{prefix}:standOff/*/{prefix}:{kind}" for kind in KINDS)
    for mode in modes:
        etree.SubElement(root, f"{{{XSL}}}template", match=match, mode=mode,
                         priority=f"{top:g}", nsmap={prefix: TEI_NS})
    return SchematronParts(etree.XSLT(skipping), whole, not_local)


def _branches(context: str) -> list[str]:
    from .schematron import _branches as branches
    return branches(context)


def _steps(branch: str) -> list[tuple[str, str | None]] | None:
    """A context branch as its name steps, each with its predicate (None: no predicate);
    None if it is not a path of name steps (``a/b//c[p]``, maybe from the root)."""
    text = branch.strip()
    parts = re.split(r"(//?)(?![^\[]*\])", text)
    if parts and parts[0] == "":
        parts = parts[2:]  # from the root: the name steps follow
    out = []
    for k, part in enumerate(parts):
        if k % 2:
            continue  # a separator
        name, bracket, rest = part.partition("[")
        if not _NAME_STEP.match(name.strip()) or (bracket and not rest.endswith("]")):
            return None
        out.append((name.strip(), rest[:-1] if bracket else None))
    return out or None


def _local_rule(rule: etree._Element, steps: list[list[tuple[str, str | None]]]) -> bool:
    """Whether the rule judges an element by the element alone (see the module
    docstring)."""
    lets: set[str] = set()
    for branch in steps:
        if any(predicate is not None for _name, predicate in branch[:-1]):
            return False
        predicate = branch[-1][1]
        if predicate is not None and not (_local(predicate, lets) and _boolean(predicate)):
            return False
    for el in rule:
        if el.tag == f"{{{SCH}}}let":
            if not _local(el.get("value", ""), lets):
                return False
            lets.add(el.get("name", ""))
        elif el.tag in (f"{{{SCH}}}assert", f"{{{SCH}}}report"):
            if not _local(el.get("test", ""), lets):
                return False
    return True


def _local(expression: str, lets: set[str]) -> bool:
    """Whether an XPath 1.0 expression looks only at the context element, its attributes
    and what is inside it (and at ``lets``, variables that do the same)."""
    text = _LITERAL.sub("''", expression)
    if ".." in text or "::" in text and any(
            axis not in _LOCAL_AXES for axis in re.findall(r"([\w-]+)\s*::", text)):
        return False
    if any(name not in _LOCAL_FUNCTIONS for name in re.findall(r"([\w.:-]+)\s*\(", text)
           if name not in ("node", "text", "comment", "processing-instruction",
                           "and", "or", "div", "mod")):
        return False
    if any(name not in lets for name in re.findall(r"\$([\w.-]+)", text)):
        return False
    for m in re.finditer(r"/", text):
        before = text[:m.start()].rstrip()
        if before.endswith("/"):
            before = before[:-1].rstrip()
        if not before or before[-1] in "([,|=<>!+" or re.search(
                r"(?:^|\W)(?:and|or|div|mod)$", before) or (
                before[-1] == "*" and not re.search(r"(?:^|[/(\[,|:])\s*\*$", before)) or (
                before[-1] == "-" and (len(before) == 1 or before[-2].isspace())):
            return False  # a path from the root
    return True


def _boolean(predicate: str) -> bool:
    """Whether a predicate is surely a truth value, never a number: a number in a pattern's
    predicate tests the element's position among its siblings, which differ in the wrapper.
    So: a comparison or ``and``/``or`` at its top level, one call of a function that gives a
    truth value, or a location path."""
    text = _LITERAL.sub("''", predicate).strip()
    top, depth = [], 0
    for char in text:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        top.append(char if depth == 0 or char in "([" else " ")
    flat = "".join(top)
    if re.search(r"[=<>]|\b(?:and|or)\b", flat):
        return True
    call = re.fullmatch(r"([\w-]+)\s*\(\s*\)", flat)
    if call:
        return call.group(1) in ("not", "boolean", "true", "false", "contains", "starts-with")
    return bool(re.fullmatch(r"[@.*\w][\w.:@*/-]*", flat)) and not flat[0].isdigit() and \
        not re.search(r"\b(?:div|mod)\b|\s[-+*]\s", flat)


def _loosened(branch: str) -> str:
    """The branch without its predicates, as an expression from the root: it selects every
    element the branch can match (and more)."""
    steps = _steps(branch)
    assert steps is not None
    separators = re.findall(r"//?(?![^\[]*\])", branch.strip())
    rooted = branch.strip().startswith("/")
    names = [name for name, _p in steps]
    path = ""
    for k, name in enumerate(names):
        separator = separators[k - 1] if k else ""
        if rooted:
            separator = separators[k]
        path += separator + name
    return path if rooted else "//" + path
