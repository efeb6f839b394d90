"""Layer 3: TEI conformance, against the official TEI P5 tei_all RELAX NG schema.

tei_all is fetched at set-up time (:mod:`pipeline.assets`).  Compiling all of it takes libxml2
6–9 s, so each file is checked against tei_all pruned to the element names the project
schemas declare plus those the file itself uses (:mod:`.prune` explains why the verdict is the
same).  The common grammar is derived once per version of the schemas and stored beside
tei_all in the cache folder (``teipipe setup`` makes it); it compiles in a few milliseconds.
Files that use other names get a grammar of their own, derived and compiled once per run.
The outline grammars (:mod:`.outline`: the file with its register entries left open, and
each entry apart) are derived from the common grammar once per version too and stored beside
it, so that a run only reads and compiles them; in them an attribute's enumerated values are
tried before its datatype (:mod:`.rng_values`: the same language, checked faster).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..assets import TEI_ALL, AssetError, asset_dir, path_of
from ..diagnostics import Diagnostic
from ..files import write_atomic
from ..tei.ns import TEI_NS, XML_NS
from . import SCHEMA_DIR
from .codes import diagnostic
from . import outline as outline_module, prune as prune_module, rng_values as values_module
from .outline import Outline, compiled, outline_parts
from .prune import PRUNE_VERSION, drop_optional_attributes, prune
from .rng_values import values_first
from .xmlfile import XmlFile

XS = "http://www.w3.org/2001/XMLSchema"
Name = tuple[str, str]  # (namespace, local name)


class ConformanceUnavailable(Exception):
    """tei_all is not set up."""


@lru_cache(maxsize=None)
def project_names() -> frozenset[Name]:
    """Every element name the project schemas declare (all in the TEI namespace)."""
    names = set()
    for xsd in sorted(SCHEMA_DIR.glob("*.xsd")):
        for el in etree.parse(str(xsd)).iter(f"{{{XS}}}element"):
            if el.get("name"):
                names.add((TEI_NS, el.get("name")))
    return frozenset(names)


@lru_cache(maxsize=None)
def project_attributes() -> frozenset[str]:
    """Every attribute name the project schemas declare, as lxml writes attribute names
    (a local attribute both with and without the schema's namespace: more is harmless)."""
    names = set()
    for xsd in sorted(SCHEMA_DIR.glob("*.xsd")):
        root = etree.parse(str(xsd)).getroot()
        target = root.get("targetNamespace")
        for el in root.iter(f"{{{XS}}}attribute"):
            if el.get("name"):
                names.add(el.get("name"))
                if target:
                    names.add(f"{{{target}}}{el.get('name')}")
            elif el.get("ref"):
                prefix, _, local = el.get("ref").rpartition(":")
                ns = XML_NS if prefix == "xml" else el.nsmap.get(prefix or None, target)
                names.add(f"{{{ns}}}{local}" if ns else local)
    return frozenset(names)


@lru_cache(maxsize=None)
def attributes_by_element() -> dict[str, frozenset[str] | None]:
    """The attributes the project schemas declare for each element name (Clark name), all
    declarations of a name together (None: one of them takes any attribute).

    Read with xmlschema, which resolves the types, groups and extensions an attribute comes
    from; it is needed only when the outline grammars are derived (:func:`_outline_parts`).
    """
    import xmlschema  # (here: a run that reads the stored outline grammars does without)
    from xmlschema.validators import XsdElement

    from .schema import SCHEMA_FILES
    found: dict[str, set[str] | None] = {}
    for name in sorted(set(SCHEMA_FILES.values())):
        maps = xmlschema.XMLSchema10(str(SCHEMA_DIR / name)).maps
        for el in maps.iter_components(XsdElement):
            declared = set(el.attributes)
            known = found.setdefault(el.name, set())
            if None in declared or known is None:
                found[el.name] = None  # an attribute wildcard
            else:
                known.update(declared)
    return {el: None if names is None else frozenset(names) for el, names in found.items()}


@lru_cache(maxsize=None)
def enumerated_values() -> dict[str, tuple[str, ...]]:
    """The values the project schemas enumerate for each attribute without a namespace (all
    declarations of a name together), for :func:`.rng_values.values_first`; read with
    xmlschema when the outline grammars are derived, like :func:`attributes_by_element`."""
    import xmlschema
    from xmlschema.validators import XsdAttribute

    from .schema import SCHEMA_FILES
    found: dict[str, dict[str, None]] = {}
    for name in sorted(set(SCHEMA_FILES.values())):
        maps = xmlschema.XMLSchema10(str(SCHEMA_DIR / name)).maps
        for attribute in maps.iter_components(XsdAttribute):
            if not attribute.name or attribute.name.startswith("{"):
                continue
            kind = attribute.type
            for each in (kind, getattr(kind, "item_type", None)):
                for value in getattr(each, "enumeration", None) or ():
                    found.setdefault(attribute.name, {})[str(value)] = None
    return {name: tuple(values) for name, values in found.items()}


def keeps_attribute(element: Name | None, attribute: str) -> bool:
    """Whether the outline grammars keep an optional attribute of an element pattern of
    tei_all (:func:`.prune.drop_optional_attributes`): where the project schemas declare
    the element, if they declare the attribute for it; elsewhere, if they declare it for
    any element."""
    declared = attributes_by_element()
    clark = f"{{{element[0]}}}{element[1]}" if element and element[0] else \
        (element[1] if element else None)
    if clark not in declared:
        return attribute in project_attributes()
    allowed = declared[clark]
    return allowed is None or attribute in allowed


def pruned_path() -> Path:
    """Where the grammar pruned to the project's names is kept (its name says its inputs)."""
    key = hashlib.sha256("\n".join([TEI_ALL.sha256, PRUNE_VERSION, *sorted(
        f"{ns} {local}" for ns, local in project_names())]).encode()).hexdigest()[:16]
    return asset_dir() / f"tei_all.pruned-{key}.rng"


def prepare() -> Path:
    """Derive the pruned grammar and the outline grammars (:func:`outline`) into the cache
    folder, if they are not there yet (``teipipe setup`` calls it; else the first run)."""
    target = _prepare_pruned()
    _outline_parts()
    return target


def _prepare_pruned() -> Path:
    target = pruned_path()
    if not target.exists():
        write_atomic(target, etree.tostring(_pruned(frozenset()), xml_declaration=True,
                                            encoding="UTF-8"))
    return target


def _pruned(extra: frozenset[Name]) -> etree._Element:
    names = project_names() | extra
    return prune(_tei_all(), lambda ns, local: (ns, local) in names)


@lru_cache(maxsize=None)
def _tei_all() -> etree._Element:
    try:
        path = path_of(TEI_ALL, fetch=False)
    except AssetError as exc:
        raise ConformanceUnavailable(str(exc)) from None
    return etree.parse(str(path)).getroot()


def _common() -> etree._Element:
    """tei_all pruned to the project's names (derived once per version, see the docstring)."""
    try:
        return etree.parse(str(_prepare_pruned())).getroot()
    except OSError:
        return _pruned(frozenset())  # a read-only cache folder: derive it in memory


@lru_cache(maxsize=64)
def grammar_for(extra: frozenset[Name]) -> etree.RelaxNG:
    """tei_all pruned to the project's names and ``extra``, compiled."""
    return etree.RelaxNG(_common() if not extra else _pruned(extra))


_outline: list[tuple[etree.RelaxNG, Outline]] = []


def outline() -> Outline:
    """The common grammar without the optional attributes the project schemas do not
    declare for the element (:func:`keeps_attribute`), split for register entries
    (:mod:`.outline`); compiled once for each compiled common grammar (so it follows
    :func:`grammar_for`'s cache)."""
    common = grammar_for(frozenset())
    if not _outline or _outline[0][0] is not common:
        _outline[:] = [(common, compiled(_outline_parts()))]
    return _outline[0][1]


def outline_path() -> Path:
    """Where the outline grammars are kept, derived once like the pruned grammar: their name
    says their inputs (the pruned grammar's, the project's schemas, and the code that
    derives them, so a change to either derives them again)."""
    code = b"".join(Path(m.__file__).read_bytes()
                    for m in (outline_module, prune_module, values_module))
    schemas = b"".join(p.read_bytes() for p in sorted(SCHEMA_DIR.glob("*.xsd")))
    key = hashlib.sha256("\n".join([pruned_path().name, *sorted(project_attributes())])
                         .encode() + code + schemas).hexdigest()[:16]
    return asset_dir() / f"tei_all.outline-{key}.xml"


def derive_outline() -> etree._Element:
    """The outline grammars, derived from the common grammar (what is stored)."""
    return outline_parts(values_first(drop_optional_attributes(_common(), keeps_attribute),
                                      enumerated_values()))


def _outline_parts() -> etree._Element:
    """The stored outline grammars (a tenth of a second saved at each start), else derived,
    and stored where the cache folder can be written."""
    target = outline_path()
    try:
        return etree.parse(str(target)).getroot()
    except (OSError, etree.XMLSyntaxError):
        pass  # not derived yet (or a broken copy): derive it again
    parts = derive_outline()
    try:
        write_atomic(target, etree.tostring(parts, xml_declaration=True, encoding="UTF-8"))
    except OSError:
        pass  # a read-only cache folder: derived in memory, each run
    return parts


def check_tei(f: XmlFile) -> list[Diagnostic]:
    """The tei_all errors of ``f``: one per line (libxml2 repeats itself down a branch).

    A file that passes in two parts (:func:`outline`: a grammar that accepts less than
    tei_all, so a pass is a pass of tei_all) passes; any other (one that uses element or
    attribute names the project does not, one with a fault) is checked against the whole
    (pruned) grammar, which decides and gives the diagnostics.  So is a file that repeats
    an xml:id, whose uniqueness only the whole file can show.
    """
    assert f.tree is not None
    index = f.index
    try:
        parts = outline() if index.ids_distinct else None
        if parts is not None and parts.passes(f.tree, index.xml_of, index.named(
                f.tree.getroot(), parts.entries), index.pointer_values):
            return []
        tags = {el.tag for el in f.tree.iter(etree.Element)}
        used = {(q.namespace or "", q.localname) for q in map(etree.QName, tags)}
        grammar = grammar_for(frozenset(used - project_names()))
    except ConformanceUnavailable as exc:
        return [diagnostic("V202", f"TEI conformance not checked: {exc}", file=f.shown)]
    if grammar.validate(f.tree):
        return []
    out: list[Diagnostic] = []
    lines: set[int] = set()
    for entry in grammar.error_log:
        if entry.line in lines:
            continue
        lines.add(entry.line)
        out.append(diagnostic("V201", f"tei_all: {_clean(entry.message)}", file=f.shown,
                              line=entry.line or None, column=_column(f, entry)))
    return out


def _clean(message: str) -> str:
    return message.replace(f"{{{TEI_NS}}}", "")


_NAMED = re.compile(r"^(?:Element|Did not expect element|Expecting element) (\w+)")


def _column(f: XmlFile, entry) -> int | None:
    if entry.column:
        return entry.column
    m = _NAMED.match(entry.message)
    if not m or f.tree is None:
        return None
    for el in f.tree.getroot().iter(f"{{{TEI_NS}}}{m.group(1)}"):
        if el.sourceline == entry.line:
            return f.column(el)
    return None
