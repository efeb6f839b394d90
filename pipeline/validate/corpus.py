"""Layer 4, part 4: rules across files — the edition and its entity register.

Each file yields *facts* (:func:`facts_of`): its xml:ids and their lines, the register
entries it refers to (by id, each once: no rule needs where), the entries it holds (a document's standOff copies, or the register's entries) with a hash of
each.  The facts are small and cached with the file's result, so that the corpus rules run on
every run without parsing unchanged files again:

- V303: an xml:id used in two files (the standOff copies of register entries excepted);
- V304/V305/V321: each standOff copy is its register entry verbatim, every copied or
  referenced entry is in the register, and a document copies only what it refers to;
- V314: register entries nothing refers to (when the register is checked with documents);
- V315 (one file: the register): namesakes without dates to tell them apart.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache

from lxml import etree

from ..diagnostics import Diagnostic
from ..tei.ns import NS, TEI_NS, XML_ID
from .codes import diagnostic
from .xmlfile import XmlFile

ENTRY_KINDS = {"person": "persName", "place": "placeName", "org": "orgName"}
_ENTRIES = tuple(f"{{{TEI_NS}}}{n}" for n in ENTRY_KINDS)


def facts_of(f: XmlFile) -> dict:
    """What the corpus rules need to know of one file (JSON data, see the module docstring)."""
    assert f.tree is not None
    index = f.index
    register = f.tree.getroot().find("tei:text", NS) is None
    ids = [[value, el.sourceline] for el, value, inside in (index.full if register else index).ids
           if register or not inside]
    refs = _targets(index.name_ref_values)
    entry_refs = _targets(index.all_entry_refs())
    entries = [[entry.get(XML_ID) or "", entry.sourceline,
                 _canonical_hash(index.xml_of(entry))] for entry in index.entries]
    return {"ids": ids, "refs": refs, "entry_refs": entry_refs, "entries": entries}


def _targets(values: list[str]) -> list[str]:
    """The ids that pointer values ("#a #b") name, each once, sorted (one split of all)."""
    return sorted({token[1:] for token in " ".join(values).split() if token[0] == "#"})


@lru_cache(maxsize=20_000)
def _canonical_hash(xml: bytes) -> str:
    """A hash of an entry's XML without its indentation (a copy is indented for its place):
    white space between tags goes, nothing else (entries have no mixed content).  The same
    copy recurs in many files: its hash is kept for the run (a pure function of the bytes)."""
    return hashlib.sha256(re.sub(rb">\s+<", b"><", xml)).hexdigest()


def namesakes(f: XmlFile) -> list[Diagnostic]:
    """V315: entries of one kind that share a name, unless what is known of them (a person's
    birth and death, a place's or a body's kind and country) tells them apart."""
    assert f.tree is not None
    stand_off = f.tree.getroot().find("tei:standOff", NS)
    if stand_off is None:
        return []
    by_name: dict[tuple[str, str], list[etree._Element]] = defaultdict(list)
    for entry in stand_off.iter(*_ENTRIES):
        kind = etree.QName(entry).localname
        for key in set(_names(entry)) - {""}:
            by_name[(kind, key)].append(entry)
    out = []
    reported: set[tuple[str | None, str | None]] = set()
    for (_kind, key), entries in by_name.items():
        for k, later in enumerate(entries):
            for earlier in entries[:k]:
                pair = (earlier.get(XML_ID), later.get(XML_ID))
                a, b = _distinction(earlier), _distinction(later)
                if pair in reported or (a and b and a != b):
                    continue
                reported.add(pair)
                bare = [e.get(XML_ID) for e, d in ((earlier, a), (later, b)) if not d]
                why = (f"nothing tells {' and '.join(x or '?' for x in bare)} apart (no dates, "
                       "kind or country)" if bare else f"both are {a}")
                out.append(diagnostic(
                    "V315", f"\"{later.get(XML_ID)}\" and \"{earlier.get(XML_ID)}\" (line "
                    f"{earlier.sourceline}) share the name \"{_names(later)[key]}\", and {why}",
                    file=f.shown, line=later.sourceline, column=f.column(later)))
    return out


def _names(entry: etree._Element) -> dict[str, str]:
    """An entry's names by their comparison key (case, accents and punctuation aside)."""
    tag = f"{{{TEI_NS}}}{ENTRY_KINDS[etree.QName(entry).localname]}"
    out = {}
    for name in entry.iter(tag):
        text = " ".join("".join(name.itertext()).split())
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        out.setdefault(" ".join(re.findall(r"[a-z0-9]+", plain.casefold())), text)
    return out


def _distinction(entry: etree._Element) -> str:
    """What tells an entry from a namesake: a person's birth and death, the kind and country
    of a place or an organization (and the years its names were used)."""
    parts = []
    kind = etree.QName(entry).localname
    if kind != "person" and entry.get("type"):
        parts.append(entry.get("type", ""))
    for child in entry:
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name in ("birth", "death"):
            parts.append(f"{name} {child.get('when', '')}")
        elif name == "country":
            parts.append(f"in {child.get('ref', '')}")
        elif kind == "org" and name == "orgName" and (child.get("from") or child.get("to")):
            parts.append(f"{child.get('from', '')}–{child.get('to', '')}")
    return ", ".join(parts)


# ----------------------------------------------------------------------------- across files


class CorpusFacts:
    """The facts of a run's files, taken in file order as they come and reduced to what the
    rules across files need, so that memory does not grow with each file's details: the
    first file and line of each xml:id (V303 is found as the files come), each document's
    standOff copies (id, line, hash, whether the document refers to it) and the set of
    register ids the documents refer to."""

    def __init__(self) -> None:
        self.names: list[str] = []  # the files, by number
        #: each xml:id: the number of the first file that has it and its line there, packed
        #: into one int (a tuple would cost twice the memory, and there is one per id)
        self.first: dict[str, int] = {}
        self.clashes: list[Diagnostic] = []  # V303, in file order
        #: each document's standOff copies: (file, copies, their lines, a bit set of those
        #: the document refers to); a copy is an (id, hash) pair kept once for the run
        self.documents: list[tuple[str, tuple[tuple[str, str], ...], array, int]] = []
        self.used: set[str] = set()
        self._copies: dict[tuple[str, str], tuple[str, str]] = {}

    def add(self, shown: str, is_document: bool, facts: dict) -> None:
        self.names.append(shown)
        self.clashes.extend(_clashes(self.first, self.names, facts))
        if not is_document:
            return
        refs = set(facts["refs"])
        self.used |= refs
        referred = refs | set(facts["entry_refs"])
        keep = self._copies.setdefault
        pairs = []
        lines = array("q")
        bits = 0
        for k, (eid, line, digest) in enumerate(facts["entries"]):  # (one loop: run per file)
            pair = (eid, digest)
            pairs.append(keep(pair, pair))
            lines.append(line if line is not None else -1)
            if eid in referred:
                bits |= 1 << k
        self.documents.append((shown, tuple(pairs), lines, bits))

    def copies(self) -> Iterator[tuple[str, list[tuple[str, int | None, str, bool]]]]:
        """Each document's copies as (id, line, hash, referred to), in file order."""
        for shown, pairs, lines, referred in self.documents:
            yield shown, [(eid, line if line >= 0 else None, digest, bool(referred >> k & 1))
                          for k, ((eid, digest), line) in enumerate(zip(pairs, lines))]


def _clashes(first: dict[str, int], names: list[str], facts: dict) -> list[Diagnostic]:
    """V303: xml:ids of the last file of ``names`` that an earlier file uses too; one report
    per pair of files, at the first such id (a copied file repeats them all)."""
    number = len(names) - 1
    shown = names[number]
    out = []
    clashes: dict[int, list[tuple[str, int, int | None]]] = {}
    seen_here: set[str] = set()
    for value, line in facts["ids"]:
        if value in seen_here:
            continue  # V302's business
        seen_here.add(value)
        earlier = first.get(value)
        if earlier is not None and earlier >> 32 != number:
            other_line = (earlier & 0xFFFFFFFF) - 1
            clashes.setdefault(earlier >> 32, []).append(
                (value, line, other_line if other_line >= 0 else None))
        elif earlier is None:
            first[value] = number << 32 | (line + 1 if line is not None else 0)
    for other, found in clashes.items():
        value, line, other_line = found[0]
        more = f" and {len(found) - 1} more of its ids are" if len(found) > 1 else " is"
        out.append(diagnostic("V303", f"xml:id \"{value}\"{more} also used in "
                              f"{names[other]} (line {other_line})", file=shown, line=line))
    return out


def standoff_copies(shown: str, entries: list[tuple[str, int | None, str, bool]],
                    known: dict[str, str] | None, register_name: str) -> list[Diagnostic]:
    """V304, V305, V321 for one document's standOff copies against the register's entries
    (``known``: the hash of each by its id; None when there is no register)."""
    if not entries:
        return []
    if known is None:
        return [diagnostic("V305", f"the register {register_name} is not there: the "
                           f"{len(entries)} entries in standOff cannot be checked against it",
                           file=shown, line=entries[0][1])]
    out = []
    for eid, line, digest, referred in entries:
        if eid not in known:
            out.append(diagnostic("V305", f"\"{eid}\" is not an entry of {register_name}",
                                  file=shown, line=line))
        elif known[eid] != digest:
            out.append(diagnostic("V304", f"the copy of \"{eid}\" differs from its entry in "
                                  f"{register_name}", file=shown, line=line))
        if not referred:
            out.append(diagnostic("V321", f"\"{eid}\" is copied into standOff but nothing in "
                                  "the document refers to it", file=shown, line=line))
    return out


def register_use(register_shown: str, register: dict, used: set[str]) -> list[Diagnostic]:
    """V314: register entries that no document refers to (``used``: what documents refer
    to)."""
    used = used | set(register["entry_refs"])  # countries and nationalities of other entries
    return [diagnostic("V314", f"no document refers to \"{eid}\"", file=register_shown,
                       line=line)
            for eid, line, _digest in register["entries"] if eid not in used]
