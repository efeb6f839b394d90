"""Adding an entry to the register, the way an editor would: in place, sorted, checked.

:func:`add_entry` builds the TEI of a new person, place or organization, puts it into its
list in order of id with the file's own indentation, checks the whole register again and
returns the new file's bytes (the CLI writes them atomically).  Nothing else in the file
changes, so the change reads well in a diff.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

from ..diagnostics import Severity
from ..tei.ns import NS, XML_ID, tei
from ..tei.read import safe_parser
from .register import IDNO_PATTERNS, KINDS, read_register


class EditError(Exception):
    """The entry cannot be added; the message says why."""


@dataclass(frozen=True)
class NewEntry:
    type: str  # person | place | org
    name: str  # the preferred name
    variants: tuple[str, ...] = ()
    short: tuple[str, ...] = ()  # short forms, matched only with support from the document
    id: str | None = None
    kind: str | None = None  # @type: city, country, party, ...
    description: str = ""
    country: str | None = None  # register id of its country (nationality for a person)
    start: str | None = None  # birth, or the year the name came into use
    end: str | None = None  # death, or the year the name went out of use
    idnos: tuple[tuple[str, str], ...] = ()


def slug_id(type_: str, name: str) -> str:
    """``per-abdyl-kellezi`` from ("person", "Abdyl Këllezi")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return KINDS[type_][3] + (slug or "entry")


def add_entry(data: bytes, new: NewEntry) -> tuple[bytes, str]:
    """The register file with ``new`` added, and the new entry's id."""
    if new.type not in KINDS:
        raise EditError(f"type must be one of {', '.join(KINDS)}, not {new.type!r}")
    root = etree.fromstring(data, safe_parser())
    register, _notes = read_register(root)
    eid = new.id or slug_id(new.type, new.name)
    if eid in register.entries:
        raise EditError(f"{eid} is already in the register ({register.entries[eid].preferred})"
                        "; give another id with --id")
    clash = register.ids_named(new.name, new.type, include_short=False)
    if clash:
        raise EditError(f"“{new.name}” is already a name of {', '.join(clash)}; add it as a "
                        "variant there by editing the register, or give it as a short form")
    for kind, value in new.idnos:
        if kind not in IDNO_PATTERNS or not IDNO_PATTERNS[kind].match(value):
            raise EditError(f"idno {kind}:{value} is not a verified-looking "
                            f"{'/'.join(IDNO_PATTERNS)} id")
    list_name, entry_name, name_el, _prefix = KINDS[new.type]
    standoff = root.find("tei:standOff", NS)
    if standoff is None:
        raise EditError("the register has no <standOff>")
    lst = standoff.find(f"tei:{list_name}", NS)
    if lst is None:
        lst = etree.SubElement(standoff, tei(list_name))
    country = register.entries.get(new.country or "")
    entry = _entry(new, eid, entry_name, name_el, country.preferred if country else None)
    _insert(lst, entry, eid)
    result = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
              + etree.tostring(root.getroottree(), encoding="UTF-8") + b"\n")
    _checked, notes = read_register(etree.fromstring(result, safe_parser()))
    errors = [d for d in notes if d.severity == Severity.ERROR]
    if errors:
        raise EditError("; ".join(d.message for d in errors))
    return result, eid


def _entry(new: NewEntry, eid: str, entry_name: str, name_el: str,
           country: str | None) -> etree._Element:
    entry = etree.Element(tei(entry_name), {XML_ID: eid})
    if new.kind:
        entry.set("type", new.kind)

    def add(tag: str, text: str | None = None, **attrs: str) -> etree._Element:
        el = etree.SubElement(entry, tei(tag), {k: v for k, v in attrs.items() if v})
        el.text = text
        return el
    preferred = add(name_el, new.name, type="preferred")
    if new.type != "person":
        if new.start:
            preferred.set("from", new.start)
        if new.end:
            preferred.set("to", new.end)
    for variant in new.variants:
        add(name_el, variant, type="variant")
    for short in new.short:
        add(name_el, short, type="variant", subtype="short")
    if new.type == "person":
        if new.start:
            add("birth", when=new.start)
        if new.end:
            add("death", when=new.end)
    if new.country:
        add("nationality" if new.type == "person" else "country", country,
            ref="#" + new.country)  # its name, as in the entries written by hand
    add("note", new.description or "(description to be written)", type="description")
    for kind, value in new.idnos:
        add("idno", value, type=kind)
    return entry


def _insert(lst: etree._Element, entry: etree._Element, eid: str) -> None:
    """Put ``entry`` among its siblings in order of id, indented like them."""
    siblings = list(lst)
    indent = lst.text if lst.text and "\n" in lst.text and not lst.text.strip() \
        else "\n      "
    inner = indent + "  "
    entry.text = inner
    for k, child in enumerate(entry):
        child.tail = inner if k < len(entry) - 1 else indent
    after = None
    for child in siblings:
        if child.get(XML_ID, "") < eid:
            after = child
    if after is None:
        lst.insert(0, entry)
        entry.tail = lst.text if siblings else indent[:-2]
        lst.text = indent
    else:
        entry.tail = after.tail
        after.tail = indent
        after.addnext(entry)
