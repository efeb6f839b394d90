"""A quick first pass over a document: its register entries cut out of its bytes, each
distinct entry checked once per run.

A document's ``<standOff>`` holds copies of register entries (``<person>``, ``<place>``,
``<org>``), 44 % of its bytes, the same bytes in file after file.  The two-part checks
(:mod:`.schema_parts`, :mod:`.outline`, :mod:`.schematron_parts`, the summaries of
:mod:`.index`) already judge each distinct entry once; but every file still parsed its
entries, walked past them and serialized each of them to know it by its XML.  Here the
file is read *hollow* instead: each entry at ``/TEI/standOff/{list}/`` keeps its start tag
and end tag, and its content is replaced by as many line ends as it had, so that every
element keeps its line.  Each distinct entry (by its bytes, its list and the root's
namespace declarations) is parsed once per run in a wrapper (``TEI/standOff/{list}``), and
its verdicts by the project schema, tei_all, the Schematron and the date rules, its summary
and its XML are kept for the run (:class:`Entry`).  The hollow file then goes through the
same layers as any file, its entries known by the XML of their full copies (the verdicts,
summaries and hashes kept under that XML are the full entries').

The quick verdict stands only when the file has nothing to report at all (and then its
facts are those of the full file: its ids and entries keep their lines, the entries their
XML); otherwise the caller reads the whole file the normal way, so every message is what it
always was.  The bytes are cut only where nothing can be misread; the rest is refused
(read whole): :func:`cut` takes UTF-8 XML 1.0 with the declaration the writer writes, no
DOCTYPE, comment or unfinished processing instruction before the root, and entries of the
last standOff not empty; :func:`_check_new` takes an entry without comments, CDATA
sections, processing instructions or references (``&``), nor an entry nested in it (which
:func:`cut` leaves in the outer entry's bytes: it does not scan an entry's content).  The hollow tree must then
hold the hollow entries just where the cut put them (``/TEI/standOff/{list}/``, under the
root's namespaces only), and nothing else of their names.  Then a check that asks for the
walk of every element (:attr:`.index.Index.full`, to say where a fault is) has found a
fault that the hollow file cannot show: the caller reads the file whole.  The Schematron
is used on the hollow file only if no rule outside the entries can look into them
(:func:`blind_rules`); else every file is read whole.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from ..tei.ns import TEI_NS, tei
from ..tei.read import safe_parser
from .checks import _entry_clean
from .conformance import ConformanceUnavailable, outline
from .corpus import _canonical_hash
from .index import _summary, index_of
from .schema import DOCUMENT, kind_of
from .schema_parts import document_outline
from .schematron import _parts, _trimmed
from .schematron_parts import _branches, _steps
from .xmlfile import XmlFile

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
ENTRY_TAGS = frozenset(tei(kind) for kind in ("person", "place", "org"))
STAND_OFF = tei("standOff")
MAX_ENTRIES = 20_000  # distinct entries kept for the run (a register has a few thousand)
#: An entry's start tag (not an empty-element tag, which is left in place; an attribute
#: value with ``>`` in it makes a start tag that does not parse, so is refused).
_ENTRY = re.compile(rb"<(person|place|org)(?:\s[^<>]*)?(?<!/)>")
#: A start tag: its attributes' values without ``<`` or ``&`` (no entity references).
_START = re.compile(rb"<[A-Za-z_][\w.-]*(?:\s+[A-Za-z_][\w.:-]*\s*=\s*"
                    rb"(?:\"[^\"<&]*\"|'[^'<&]*'))*\s*>")
_NAMESPACE = re.compile(rb"\s(xmlns(?::[\w.-]+)?\s*=\s*(?:\"[^\"<&]*\"|'[^'<&]*'))")
_ROOT = re.compile(rb"<TEI[\s>]")


@dataclass
class Cut:
    """A document's bytes with its entries hollowed, and what was cut."""

    hollow: bytes
    namespaces: bytes  # the root's namespace declarations, as written
    entries: list[bytes]  # each entry's bytes, in document order


@dataclass
class Entry:
    """One distinct entry, checked once for the run: its XML (lxml's serialization, as
    :meth:`.index.Index.xml_of` gives it in the full file) and whether it passes."""

    xml: bytes
    ok: bool
    #: (which of :func:`_tables`, key, verdict): the verdicts the two-part checks look up
    verdicts: list[tuple[int, tuple[str, bytes], bool]]


_ENTRIES: dict[tuple[bytes, str, bytes], Entry | None] = {}


def cut(data: bytes) -> Cut | None:
    """The document with its entries hollowed (see the module docstring), or None where the
    bytes are not of the form it can be sure about.  What is cut is checked by
    :func:`hollow_file`: the hollow file must hold each hollow entry just where it was."""
    if not data.startswith(DECLARATION):
        return None
    root = _ROOT.search(data)
    if root is None or data.find(b"<!", 0, root.start()) >= 0 or \
            data.count(b"<?", 0, root.start()) != data.count(b"?>", 0, root.start()):
        return None  # a DOCTYPE or comment before the root, or "<TEI" in an instruction
    root_tag = _START.match(data, root.start())
    start = data.rfind(b"<standOff>")
    end = data.find(b"</standOff>", start)
    if root_tag is None or start < 0 or end < 0:
        return None
    namespaces = b" ".join(_NAMESPACE.findall(root_tag.group()))
    parts: list[bytes] = []
    entries: list[bytes] = []
    at = 0
    # (each search starts after the entry before: an entry's content, most of the bytes, is
    # not scanned; an entry nested in it stays in its bytes, which _check_new refuses)
    m = _ENTRY.search(data, start, end)
    while m is not None:
        inside = m.end()
        name = m.group(1)
        close = data.find(b"</%s>" % name, inside, end)
        if close < 0:
            return None  # an end tag of another form
        parts.append(data[at:inside])
        parts.append(b"\n" * data.count(b"\n", inside, close))
        at = close
        entries.append(data[m.start():close + len(name) + 3])
        m = _ENTRY.search(data, close, end)
    if not entries:
        return None
    parts.append(data[at:])
    return Cut(b"".join(parts), namespaces, entries)


def hollow_file(path: Path, shown: str, max_bytes: int) -> XmlFile | None:
    """The document at ``path`` read hollow, ready for the layers, or None where the quick
    pass cannot be sure (or an entry has a fault, or the file is no document, or it cannot
    be read): read it whole then (:func:`.xmlfile.read_xml`), which says why."""
    if not blind_rules():
        return None
    try:
        if path.stat().st_size > max_bytes:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    c = cut(data)
    if c is None:
        return None
    try:
        tree = etree.fromstring(c.hollow, safe_parser(collect_ids=False)).getroottree()
    except etree.XMLSyntaxError:
        return None
    root = tree.getroot()
    if root.tag != tei("TEI") or kind_of(tree) != DOCUMENT:
        return None
    placed = _placed(root)
    if len(placed) != len(c.entries):
        return None
    tables = _tables()
    if tables is None:
        return None
    keys = [(c.namespaces, list_tag, entry_bytes) for (_el, list_tag), entry_bytes
            in zip(placed, c.entries)]
    new = {key: el.tag for key, (el, _list) in zip(keys, placed) if key not in _ENTRIES}
    if new:
        _check_new(c.namespaces, new)
    xml: dict[etree._Element, bytes] = {}
    for key, (el, _list) in zip(keys, placed):
        entry = _ENTRIES.get(key)
        if entry is None or not entry.ok:
            return None
        for which, verdict_key, verdict in entry.verdicts:
            tables[which][verdict_key] = verdict  # (kept even if a table was emptied)
        xml[el] = entry.xml
    f = XmlFile(path, shown, c.hollow, tree)
    f._index = index_of(root, xml=xml)
    if len(f._index.entry_tags) != len(placed):
        return None  # an entry elsewhere would be judged the usual way (and might empty
        # the tables of verdicts the hollow entries stand on)
    return f


def _tables() -> tuple[dict, dict, dict] | None:
    """The tables of verdicts on entries that the project schema's, tei_all's and the
    Schematron's two-part checks look up, as they are now (tei_all's is made anew when its
    grammar is compiled again); None where a check is not split."""
    xsd, sch = document_outline(), _parts()
    try:
        rng = outline()
    except ConformanceUnavailable:
        return None
    if xsd is None or sch is None:
        return None
    return xsd.verdicts, rng.verdicts, sch.verdicts


def _placed(root: etree._Element) -> list[tuple[etree._Element, str]]:
    """The entries at ``/TEI/standOff/*/`` with their lists' tags, under a standOff and
    lists of the root's namespaces (so that each is read in its wrapper as in the file)."""
    placed = []
    namespaces = root.nsmap
    for stand_off in root.iterchildren(STAND_OFF):
        # (the standOff with entries is the one cut: its start tag is "<standOff>")
        for listed in stand_off.iterchildren(etree.Element):
            entries = [el for el in listed.iterchildren(*ENTRY_TAGS)]
            if entries and listed.nsmap != namespaces:
                return []
            placed += [(el, listed.tag) for el in entries]
    return placed


def _check_new(namespaces: bytes, new: dict[tuple[bytes, str, bytes], str]) -> None:
    """Check entries not met before in this run (by key: namespaces, list, bytes; with the
    tag each must have) and keep what is found in :data:`_ENTRIES` (None: an entry not of
    the form the quick pass can be sure about).  The entries a file brings are parsed in
    one wrapper (each in a list of its own) and judged by the Schematron together, as
    :class:`.schematron_parts.SchematronParts` does; only if that fails, each alone."""
    if len(_ENTRIES) + len(new) > MAX_ENTRIES:
        _ENTRIES.clear()
    wrapped = {}
    for key, tag in new.items():
        _ns, list_tag, entry_bytes = key
        if not list_tag.startswith(f"{{{TEI_NS}}}") or b"<!" in entry_bytes or \
                b"<?" in entry_bytes or b"&" in entry_bytes:
            _ENTRIES[key] = None  # comments, CDATA, processing instructions, references
        else:
            wrapped[key] = tag
    if not wrapped:
        return
    lists = [b"<%s>%s</%s>" % (name, entry_bytes, name) for name, entry_bytes in (
        (list_tag[len(TEI_NS) + 2:].encode(), entry_bytes)
        for _ns, list_tag, entry_bytes in wrapped)]
    try:
        root = etree.fromstring(b"<TEI %s><standOff>%s</standOff></TEI>" % (
            namespaces, b"".join(lists)), safe_parser())
    except etree.XMLSyntaxError:
        if len(wrapped) == 1:
            _ENTRIES.update(dict.fromkeys(wrapped))
        else:
            for key, tag in wrapped.items():
                _check_new(namespaces, {key: tag})
        return
    stand_off = root[0] if root.tag == tei("TEI") and len(root) == 1 else None
    if stand_off is None or len(stand_off) != len(wrapped):
        _ENTRIES.update(dict.fromkeys(wrapped))
        return
    elements = {}
    for (key, tag), listed in zip(wrapped.items(), stand_off):
        el = listed[0] if len(listed) == 1 else None
        if el is None or el.tag != tag or next(el.iterdescendants(*ENTRY_TAGS), None) \
                is not None:
            _ENTRIES[key] = None  # not one entry, or nested entries
        else:
            elements[key] = el
    _entries(elements)


def _entries(elements: dict[tuple[bytes, str, bytes], etree._Element]) -> None:
    """Every check of an entry on each of these (parsed in a wrapper), kept by key."""
    xml = {key: etree.tostring(el, with_tail=False, encoding="UTF-8")
           for key, el in elements.items()}
    schematron = _schematron_verdicts(elements, xml)
    for key, el in elements.items():
        verdicts = _verdicts(el, xml[key])
        if verdicts is None or schematron is None:
            _ENTRIES[key] = None
            continue
        verdicts.append(schematron[key])
        _summary(xml[key], el)
        _canonical_hash(xml[key])
        ok = all(v for _t, _k, v in verdicts) and _entry_clean(xml[key], el)
        _ENTRIES[key] = Entry(xml[key], ok, verdicts)


def _schematron_verdicts(elements: dict[tuple[bytes, str, bytes], etree._Element],
                         xml: dict[tuple[bytes, str, bytes], bytes]) -> dict | None:
    """The Schematron's verdict on each entry, with its table and key (None: the
    Schematron is not split); those not known yet are judged together first."""
    sch = _parts()
    if sch is None:
        return None
    keys = {key: (el.getparent().tag, xml[key]) for key, el in elements.items()}
    unknown = [(keys[key], el) for key, el in elements.items()
               if keys[key] not in sch.verdicts]
    together = bool(unknown) and sch._judge(unknown)
    out = {}
    for key, el in elements.items():
        verdict = sch.verdicts.get(keys[key])
        if verdict is None:
            verdict = together or sch._judge([(keys[key], el)])
        out[key] = (2, keys[key], verdict)
    return out


def _verdicts(el: etree._Element,
              xml: bytes) -> list[tuple[int, tuple[str, bytes], bool]] | None:
    """The entry's verdicts by the project schema and tei_all, each with the table and key
    the two-part checks look them up by (None: one of the checks is not split, so a hollow
    file cannot pass it)."""
    xsd = document_outline()
    try:
        rng = outline()
    except ConformanceUnavailable:
        return None
    if xsd is None or el.tag not in xsd.entries or el.tag not in rng.entries:
        return None
    out = []
    for which, grammar in enumerate((xsd, rng)):
        key = (el.tag, xml)
        verdict = grammar.verdicts.get(key)
        if verdict is None:
            verdict = bool(grammar.entries[el.tag].validate(etree.ElementTree(
                copy.deepcopy(el))))
        out.append((which, key, verdict))
    return out


@cache
def blind_rules() -> bool:
    """Whether no Schematron rule outside the entries can look into them, so that the
    rules judge a hollow file as they judge the full one (the entries being judged apart):
    no rule's context can be an entry's ancestor (``TEI``, ``standOff``, a list, or any
    element), and no expression of a rule (its context's predicates, its variables, its
    tests) walks down from the root but into the header or the text, nor walks other than
    down, up or aside to a test (no ``//``, ``..``, descendant, following or preceding
    axis, no ``id()``, ``key()`` or ``document()``, no path after an ancestor, parent or
    sibling step, no sibling step to an entry or any element)."""
    sch = _trimmed()[0]
    return rules_blind(sch)


SCH = "http://purl.oclc.org/dsdl/schematron"
_ANCESTORS = {"TEI", "standOff", "listPerson", "listPlace", "listOrg", "*"}
_FORBIDDEN = re.compile(r"//|\.\.|descendant|(?:following|preceding)::|\bid\s*\(|\bkey\s*\(|"
                        r"document\s*\(|(?:ancestor|parent)(?:-or-self)?::[^\s,)\]]*/|"
                        r"(?:following|preceding)-sibling::(?:[^\s,)\]]*/|(?:tei:)?"
                        r"(?:person|place|org)\b|\*|node\s*\()")
_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
_ROOTED = re.compile(r"(?:^|[^\w.)\]*@])\s*/(?!/)")
_ALLOWED_ROOTED = re.compile(r"/(?:tei:)?TEI/(?:@|(?:tei:)?teiHeader\b|(?:tei:)?text\b)")


def rules_blind(sch: etree._ElementTree) -> bool:
    """:func:`blind_rules` of a Schematron."""
    for rule in sch.iter(f"{{{SCH}}}rule"):
        for branch in _branches(rule.get("context", "")):
            steps = _steps(branch)
            if steps is None or steps[-1][0].rpartition(":")[2] in _ANCESTORS:
                return False
            if any(p is not None and not _expression_blind(p) for _n, p in steps):
                return False
    for el in sch.iter(f"{{{SCH}}}let", f"{{{SCH}}}assert", f"{{{SCH}}}report"):
        if not _expression_blind(el.get("value") or el.get("test") or ""):
            return False
    return True


def _expression_blind(expression: str) -> bool:
    text = _LITERAL.sub("''", expression)
    if _FORBIDDEN.search(text):
        return False
    for m in _ROOTED.finditer(text):
        at = m.end() - 1
        if not _ALLOWED_ROOTED.match(text, at):
            return False
    return True
