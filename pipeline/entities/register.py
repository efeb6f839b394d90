"""The authority register: ``source/register.xml`` loaded, checked and indexed.

The register is a TEI file whose ``<standOff>`` holds ``listPerson``, ``listPlace`` and
``listOrg`` (schema/register.md gives the rules).  :func:`load_register` reads it with the
safe parser and checks every entry; a register with errors is not used at all, because a
half-read register would silently unlink names across the whole edition.

Each entry keeps its own XML in a canonical form (:func:`canonical`), so that the tagger can
copy the entries a document refers to into that document's ``<standOff>`` verbatim, and a
check can prove that a copy still equals its entry.
"""

from __future__ import annotations

import hashlib
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic, Severity, error, warning
from ..tei.ns import NS, XML_ID, tei
from .matcher import name_key

#: Entity type -> (list element, entry element, name element, id prefix).
KINDS = {
    "person": ("listPerson", "person", "persName", "per-"),
    "place": ("listPlace", "place", "placeName", "pla-"),
    "org": ("listOrg", "org", "orgName", "org-"),
}
ID_PATTERN = re.compile(r"^(per|pla|org)-[a-z0-9]+(?:-[a-z0-9]+)*$")
IDNO_PATTERNS = {"wikidata": re.compile(r"^Q[1-9]\d*$"), "viaf": re.compile(r"^[1-9]\d*$"),
                 "geonames": re.compile(r"^[1-9]\d*$")}
_DATE = re.compile(r"^(?P<year>-?\d{4})(?:-\d{2}(?:-\d{2})?)?$")
_INDENT = re.compile(r"^\n[ \t]*$")
DEFAULT_PATH = Path("source/register.xml")


class RegisterError(Exception):
    """The register cannot be used; ``diagnostics`` say why, one line each."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class Period:
    """A span of years (either end may be open) with what it is a period of."""

    start: int | None
    end: int | None
    label: str = ""

    def contains(self, year: int) -> bool:
        return (self.start is None or self.start <= year) and \
            (self.end is None or year <= self.end)


@dataclass(frozen=True)
class Entry:
    """One person, place or organization of the register."""

    id: str
    type: str  # person | place | org
    kind: str | None  # the entry's @type: country, city, party, ...
    preferred: str
    names: tuple[str, ...]  # the preferred name and every variant matched everywhere
    short: tuple[str, ...]  # short forms (subtype="short"), matched only in context
    life: Period  # birth-death, or the years the name was in use
    roles: tuple[Period, ...]  # offices held (occupation), with their years
    country: str | None  # the register id of the country the entry belongs to
    description: str
    idnos: tuple[tuple[str, str], ...]
    xml: str  # the entry in canonical form, for copies into documents
    line: int = 0


@dataclass
class Register:
    """The entries by id, and every name (as a token key) to the ids that bear it."""

    entries: dict[str, Entry] = field(default_factory=dict)
    path: str = ""
    _by_key: dict = field(default_factory=dict, repr=False, compare=False)
    _chains: dict = field(default_factory=dict, repr=False, compare=False)

    def ids_named(self, name: str, type_: str | None = None,
                  include_short: bool = True) -> list[str]:
        """Ids of the entries with ``name`` among their names (any case-folding aside)."""
        return sorted({eid for eid, short in self._index().get(_lower_key(name), ())
                       if (include_short or not short)
                       and (not type_ or self.entries[eid].type == type_)})

    def _index(self) -> dict[tuple[str, ...], list[tuple[str, bool]]]:
        """Every name's key to (id, short form?), made once for the entries there are."""
        if self._by_key.get(None) != len(self.entries):
            index: dict = {None: len(self.entries)}
            for entry in self.entries.values():
                for names, short in ((entry.names, False), (entry.short, True)):
                    for n in names:
                        index.setdefault(_lower_key(n), []).append((entry.id, short))
            self._by_key = index
        return self._by_key

    def setting_chain(self, eid: str) -> tuple[str, ...]:
        """The entry itself when it is a place, then its country, that country's country and
        so on: what a mention of it tells of a document's setting.  Asked for every name of
        every document, so worked out once per entry (for the entries there are)."""
        if self._chains.get(None) != len(self.entries):
            self._chains = {None: len(self.entries)}
        chain = self._chains.get(eid)
        if chain is None:
            entry = self.entries[eid]
            found = [eid] if entry.type == "place" else []
            country = entry.country
            seen: list[str] = []
            while country and country not in seen:
                seen.append(country)
                entry = self.entries.get(country)
                if entry is None:
                    break
                country = entry.country
            chain = self._chains[eid] = tuple(found + seen)
        return chain

    def closure(self, ids: set[str]) -> list[Entry]:
        """The entries ``ids`` name plus those they point at (their countries), in the
        order of a standOff: people, places, organizations, each by id."""
        entries = self.entries
        todo, seen = list(ids), set()
        while todo:
            eid = todo.pop()
            if eid in seen:
                continue
            entry = entries.get(eid)
            if entry is None:
                continue
            seen.add(eid)
            if entry.country:
                todo.append(entry.country)
        # by id, then (a stable sort) by kind, in C: asked for every document
        found = sorted(map(entries.__getitem__, seen), key=_BY_ID)
        return [e for kind in KINDS for e in found if e.type == kind]


_BY_ID = operator.attrgetter("id")


def canonical(el: etree._Element) -> str:
    """An entry's XML without its indentation: the form copies are compared in.

    Only white space that starts with a line end and holds nothing else is layout; spaces
    inside names and descriptions are content and stay.
    """
    copy = etree.fromstring(etree.tostring(el))
    for node in copy.iter():
        if node.text is not None and _INDENT.match(node.text):
            node.text = None
        if node.tail is not None and _INDENT.match(node.tail):
            node.tail = None
    copy.tail = None
    return etree.tostring(copy, encoding="unicode")


def load_register(path: Path) -> tuple[Register, list[Diagnostic]]:
    """Read and check the register; raise :class:`RegisterError` when it has errors.

    A run reads the register more than once (``convert`` checks it before it writes
    anything, then loads it for the tagger): the last register read is remembered by its
    path and content, and the same bytes give a fresh :class:`Register` over the same (frozen)
    entries rather than being parsed and checked again.
    """
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegisterError([error("E301", f"cannot read the register: {exc.strerror}",
                                   file=shown)]) from None
    key = (shown, hashlib.sha256(data).digest())
    if key not in _LAST:
        _LAST.clear()
        _LAST[key] = _parse_register(data, shown)
    register, notes = _LAST[key]
    return Register(dict(register.entries), register.path), list(notes)


#: The last register read: (path, sha256 of its bytes) -> what :func:`_parse_register` made.
_LAST: dict[tuple[str, bytes], tuple[Register, list[Diagnostic]]] = {}


def _parse_register(data: bytes, shown: str) -> tuple[Register, list[Diagnostic]]:
    from ..tei.read import safe_parser
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise RegisterError([error("E301", f"the register is not well-formed XML: {exc.msg}",
                                   file=shown, line=line)]) from None
    register, notes = read_register(root)
    register.path = shown
    notes = [d.with_file(shown) for d in notes]
    if any(d.severity == Severity.ERROR for d in notes):
        raise RegisterError([d for d in notes if d.severity == Severity.ERROR])
    return register, notes


def _lower_key(name: str) -> tuple[str, ...]:
    return tuple(k.lower() for k in name_key(name))


def read_register(root: etree._Element) -> tuple[Register, list[Diagnostic]]:
    """The register held by a parsed TEI tree, and what is wrong with it (pure)."""
    notes: list[Diagnostic] = []
    register = Register()
    standoff = root.find("tei:standOff", NS)
    if root.tag != tei("TEI") or standoff is None:
        return register, [error("E302", "not a TEI register: expected <TEI> with a "
                                "<standOff> holding listPerson, listPlace and listOrg",
                                line=root.sourceline,
                                hint="see schema/register.md for the register's form")]
    lines: dict[str, int] = {}
    for type_, (list_name, entry_name, _name, _prefix) in KINDS.items():
        for el in standoff.findall(f"tei:{list_name}/tei:{entry_name}", NS):
            entry, found = _entry(el, type_)
            notes.extend(found)
            if entry is None:
                continue
            if entry.id in register.entries:
                notes.append(error("E304", f"xml:id {entry.id} is used twice (first on line "
                                   f"{lines[entry.id]})", line=el.sourceline,
                                   hint="give each entry its own id"))
                continue
            lines[entry.id] = el.sourceline
            register.entries[entry.id] = entry
    for entry in register.entries.values():
        if entry.country and register.entries.get(entry.country, None) is None:
            notes.append(error("E306", f"{entry.id} points at #{entry.country}, which is not "
                               "in the register", line=entry.line,
                               hint="add that entry or correct the pointer"))
        elif entry.country and register.entries[entry.country].type != "place":
            notes.append(error("E306", f"{entry.id} points at #{entry.country} as its "
                               "country, but that entry is not a place", line=entry.line))
    return register, notes


def _entry(el: etree._Element, type_: str) -> tuple[Entry | None, list[Diagnostic]]:
    _list, entry_name, name_el, prefix = KINDS[type_]
    line = el.sourceline
    notes: list[Diagnostic] = []
    eid = el.get(XML_ID)
    if not eid or not ID_PATTERN.match(eid) or not eid.startswith(prefix):
        has = f"xml:id {eid!r}" if eid else "no xml:id"
        notes.append(error("E303", f"<{entry_name}> has {has}; ids are {prefix}… in lower-case "
                           "ASCII letters, digits and hyphens", line=line,
                           hint=f"e.g. xml:id=\"{prefix}hanoi\""))
        return None, notes
    preferred: list[str] = []
    names: list[str] = []
    short: list[str] = []
    life_from = life_to = None
    for name in el.findall(f"tei:{name_el}", NS):
        text = " ".join("".join(name.itertext()).split())
        if not text or not name_key(text):
            notes.append(error("E309", f"{eid} has an empty <{name_el}>", line=name.sourceline))
            continue
        kind = name.get("type")
        if kind == "preferred":
            preferred.append(text)
            life_from = _year(name.get("from"), eid, name, notes)
            life_to = _year(name.get("to"), eid, name, notes)
        elif kind != "variant":
            notes.append(error("E305", f"{eid}: <{name_el}> needs type=\"preferred\" or "
                               f"type=\"variant\", not {kind!r}", line=name.sourceline))
            continue
        target = short if name.get("subtype") == "short" else names
        if text in names or text in short:
            notes.append(warning("W310", f"{eid} lists the name “{text}” twice",
                                 line=name.sourceline))
            continue
        target.append(text)
    if len(preferred) != 1:
        notes.append(error("E305", f"{eid} has {len(preferred)} preferred names; it needs "
                           "exactly one", line=line,
                           hint=f"mark one <{name_el}> with type=\"preferred\""))
        return None, notes
    if type_ == "person":
        birth = el.find("tei:birth", NS)
        death = el.find("tei:death", NS)
        life_from = _year(birth.get("when") if birth is not None else None, eid, birth, notes)
        life_to = _year(death.get("when") if death is not None else None, eid, death, notes)
    life = Period(life_from, life_to, "life" if type_ == "person" else "name in use")
    if life.start is not None and life.end is not None and life.start > life.end:
        notes.append(error("E307", f"{eid}: its dates run backwards ({life.start} to "
                           f"{life.end})", line=line))
    roles = []
    for occ in el.findall("tei:occupation", NS):
        start = _year(occ.get("from"), eid, occ, notes)
        end = _year(occ.get("to"), eid, occ, notes)
        roles.append(Period(start, end, " ".join("".join(occ.itertext()).split())))
    country = None
    pointer = el.find("tei:nationality" if type_ == "person" else "tei:country", NS)
    if pointer is not None:
        ref = pointer.get("ref", "")
        if not ref.startswith("#"):
            notes.append(error("E306", f"{eid}: <{etree.QName(pointer).localname}> needs "
                               "ref=\"#pla-…\"", line=pointer.sourceline))
        else:
            country = ref[1:]
    idnos = []
    for idno in el.findall("tei:idno", NS):
        kind, value = idno.get("type", ""), (idno.text or "").strip()
        pattern = IDNO_PATTERNS.get(kind)
        if pattern is None or not pattern.match(value):
            notes.append(error("E308", f"{eid}: idno type={kind!r} value {value!r} is not a "
                               f"{'/'.join(IDNO_PATTERNS)} identifier", line=idno.sourceline,
                               hint="only verified Wikidata (Q…), VIAF or GeoNames ids"))
            continue
        idnos.append((kind, value))
    desc = el.find("tei:note[@type='description']", NS)
    description = " ".join("".join(desc.itertext()).split()) if desc is not None else ""
    if not description:
        notes.append(warning("W311", f"{eid} has no one-line description", line=line,
                             hint="add <note type=\"description\">…</note>"))
    return Entry(eid, type_, el.get("type"), preferred[0], tuple(names), tuple(short), life,
                 tuple(roles), country, description, tuple(idnos), canonical(el), line), notes


def _year(value: str | None, eid: str, el: etree._Element | None,
          notes: list[Diagnostic]) -> int | None:
    if value is None:
        return None
    m = _DATE.match(value)
    if not m:
        notes.append(error("E307", f"{eid}: {value!r} is not a date (YYYY, YYYY-MM or "
                           "YYYY-MM-DD)", line=el.sourceline if el is not None else None))
        return None
    return int(m.group("year"))
