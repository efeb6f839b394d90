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
import marshal
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from itertools import groupby

from lxml import etree

from .. import sqlite_cache
from ..diagnostics import Diagnostic
from ..tei.ns import NS, TEI_NS, XML_ID
from .codes import diagnostic
from .xmlfile import XmlFile

#: Facts rows held before they are written (some 100 kB)
PENDING = 1024
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
    rules across files need: the xml:ids of each file and its line of each (for V303), each
    document's standOff copies (id, line, hash, whether the document refers to it) and the
    set of register ids the documents refer to.

    The ids and copies go to a temporary SQLite database on disk as they come (deleted when
    the run ends): held in memory they grew with the files (20-40 ids a document, 4 kB of
    memory a document in all), on disk the memory stays the same for 100 files or 10,000.
    What the rules need of them is read back once, in file order (:meth:`clashes`,
    :meth:`copies`)."""

    def __init__(self) -> None:
        self.names: list[str] = []  # the files, by number
        self.documents = 0
        self.used: set[str] = set()
        self.db = sqlite_cache.temporary(_create)
        #: rows not yet written: one call per a few thousand rows, not one per file
        self._ids: list[tuple[str, int, int | None]] = []
        self._copies: list[tuple[int, bytes]] = []

    def add(self, shown: str, is_document: bool, facts: dict) -> None:
        number = len(self.names)
        self.names.append(shown)
        self._ids.extend([(value, number, line) for value, line in facts["ids"]])
        if is_document:
            self.documents += 1
            refs = set(facts["refs"])
            self.used |= refs
            referred = refs | set(facts["entry_refs"])
            if facts["entries"]:  # (a document's copies in one row: read back whole)
                self._copies.append((number, marshal.dumps(
                    [(eid, line, digest, eid in referred)
                     for eid, line, digest in facts["entries"]])))
        if len(self._ids) + 16 * len(self._copies) >= PENDING:
            self._write()

    def _write(self) -> None:
        self.db.executemany("INSERT INTO ids VALUES (?, ?, ?)", self._ids)
        self.db.executemany("INSERT INTO copies VALUES (?, ?)", self._copies)
        self._ids, self._copies = [], []

    def clashes(self) -> Iterator[Diagnostic]:
        """V303, in file order: xml:ids of a file that an earlier file uses too; one report
        per pair of files, at the first such id (a copied file repeats them all)."""
        # The ids that more than one file has, read in the order of an index (nothing is
        # sorted in memory), each with its first line in each file (what comes again in one
        # file is V302's business), the first file that has it first
        self._write()
        db = self.db
        db.executescript("CREATE INDEX ids_value ON ids (value, file);"
                         "CREATE TABLE clash (file INTEGER, seq INTEGER, value TEXT, "
                         "line INTEGER, other INTEGER, other_line INTEGER)")
        shared = db.execute("SELECT value FROM ids GROUP BY value HAVING min(file) < max(file)")
        for value, in shared:
            (other, other_line, _seq), *later = db.cursor().execute(
                "SELECT file, line, min(rowid) FROM ids WHERE value = ? GROUP BY file "
                "ORDER BY file", (value,))
            db.executemany("INSERT INTO clash VALUES (?, ?, ?, ?, ?, ?)",
                           [(number, seq, value, line, other, other_line)
                            for number, line, seq in later])
        rows = db.execute("SELECT file, value, line, other, other_line FROM clash "
                          "ORDER BY file, seq")
        for number, found in groupby(rows, key=lambda row: row[0]):
            by_other: dict[int, list[tuple[str, int | None, int | None]]] = {}
            for _number, value, line, other, other_line in found:
                by_other.setdefault(other, []).append((value, line, other_line))
            for other, clashing in by_other.items():
                value, line, other_line = clashing[0]
                more = f" and {len(clashing) - 1} more of its ids are" if len(clashing) > 1 \
                    else " is"
                yield diagnostic("V303", f"xml:id \"{value}\"{more} also used in "
                                 f"{self.names[other]} (line {other_line})",
                                 file=self.names[number], line=line)

    def copies(self) -> Iterator[tuple[str, list[tuple[str, int | None, str, bool]]]]:
        """Each document's copies as (id, line, hash, referred to), in file order."""
        self._write()
        for number, entries in self.db.execute("SELECT file, entries FROM copies "
                                               "ORDER BY rowid"):
            yield self.names[number], marshal.loads(entries)


def _create(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA cache_size = -512")  # (512 KiB of pages in memory, the rest on disk)
    db.execute("CREATE TABLE ids (value TEXT, file INTEGER, line INTEGER)")
    db.execute("CREATE TABLE copies (file INTEGER, entries BLOB)")


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
