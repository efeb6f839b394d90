"""Layer 4, part 2: rules of one file that XPath 1 cannot state, as Python checks.

Each check takes a parsed file and returns its diagnostics; each rule has one code
(:mod:`.codes`).  They must hold on any well-formed XML, so none assumes the schema passed.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from functools import lru_cache

from lxml import etree

from ..convert import doc_id
from ..convert.dates import DateError, find_date
from ..diagnostics import Diagnostic
from ..tei.ns import NS, XML_ID
from .codes import diagnostic
from .index import DATE_ATTRIBUTES, POINTER_ATTRIBUTES
from .xmlfile import XmlFile

_DATES = frozenset(DATE_ATTRIBUTES)
_ISO = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_NAME_DATE = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?=_|$)")


def _where(f: XmlFile, el: etree._Element) -> dict:
    return dict(file=f.shown, line=el.sourceline, column=f.column(el))


def duplicate_ids(f: XmlFile) -> list[Diagnostic]:
    """V302: each xml:id once in the file."""
    if f.index.ids_distinct:
        return []
    first: dict[str, etree._Element] = {}
    out = []
    for el, value, _inside in f.index.full.ids:
        if value in first:
            out.append(diagnostic("V302", f"xml:id \"{value}\" is already used on line "
                                  f"{first[value].sourceline}", **_where(f, el)))
        else:
            first[value] = el
    return out


def id_prefixes(f: XmlFile) -> list[Diagnostic]:
    """V322: in a document, every xml:id starts with the document's id and a full stop, so
    that ids are unique across the edition (the register entries copied into standOff keep
    the register's ids)."""
    assert f.tree is not None
    root = f.tree.getroot()
    prefix = f"{root.get(XML_ID, '')}."
    if root.find("tei:text", NS) is None:
        return []
    wrong = [el for el, value, inside in f.index.ids
             if not inside and el is not root and not value.startswith(prefix)]
    return [diagnostic("V322", f"xml:id \"{el.get(XML_ID)}\" does not start with the "
                       f"document id \"{prefix}\"", **_where(f, el)) for el in wrong]


def dangling_pointers(f: XmlFile) -> list[Diagnostic]:
    """V301: every "#id" in @ref, @target, @resp, @ana, @scheme names an xml:id of the file.

    The common case first, in one look at all the pointers of the file: when every "#id"
    among them is an xml:id, there is nothing to report; else each element is looked at in
    turn, for the messages.
    """
    ids = {"#" + value for value in f.index.id_values()}
    tokens = set(" ".join(f.index.pointer_values()).split())
    if not any(token.startswith("#") for token in tokens - ids):
        return []
    out = []
    for el in f.index.full.pointers:
        for attr in POINTER_ATTRIBUTES:
            for token in (el.get(attr) or "").split():
                if token.startswith("#") and token not in ids:
                    out.append(diagnostic(
                        "V301", f"<{etree.QName(el).localname} {attr}=\"{el.get(attr)}\">: "
                        f"nothing in the file has xml:id \"{token[1:]}\"", **_where(f, el)))
    return out


def dates(f: XmlFile) -> list[Diagnostic]:
    """V308: dates that do not exist; V309: a date's @when against the date its text writes
    (a @when more precise than its text is fine: the editor may know the day).

    The summarised register entries are looked at once per run each (:func:`_entry_clean`);
    when one has a fault, every element is looked at, in document order, for the messages.
    """
    index = f.index
    clean = all(_entry_clean(s.xml, entry) for entry, s in index.summarised)
    elements = index.dates if clean else index.full.dates
    return [diagnostic(code, message, **_where(f, el))
            for el in elements for code, message in _date_findings(el)]


_CLEAN: dict[bytes, bool] = {}


def _entry_clean(xml: bytes, entry: etree._Element) -> bool:
    """Whether no date under a register entry has a fault (kept for the run by the entry's
    XML: the same entries recur in every file that copies them)."""
    clean = _CLEAN.get(xml)
    if clean is None:
        clean = _CLEAN[xml] = not any(
            _date_findings(el) for el in entry.iter(etree.Element)
            if not _DATES.isdisjoint(el.keys()))
    return clean


def _date_findings(el: etree._Element) -> list[tuple[str, str]]:
    """V308 and V309 of one element with a date attribute, as (code, message)."""
    out = []
    impossible = any(_impossible(value) for attr, value in el.items() if attr in _DATES)
    if impossible:
        for attr in DATE_ATTRIBUTES:
            value = el.get(attr)
            if value is not None and _impossible(value):
                out.append(("V308", f"<{etree.QName(el).localname} {attr}="
                            f"\"{value}\">: there is no such date"))
    when = el.get("when")
    if impossible or when is None or el.tag.rpartition("}")[2] != "date" or \
            not _ISO.match(when):
        return out
    text = " ".join("".join(el.itertext()).split())
    try:
        found = find_date(text) if text else None
    except DateError:
        found = None  # the text names an impossible day; @when says what is meant
    written = found[2] if found else None
    if written and not when.startswith(written):
        out.append(("V309", f"<date when=\"{when}\">{text}</date>: the text writes {written}"))
    return out


def _impossible(value: str) -> bool:
    """A date value of ISO form that names no day."""
    return len(value) <= 16 and _impossible_short(value)


@lru_cache(maxsize=4096)
def _impossible_short(value: str) -> bool:
    """(Kept for the run: the register's dates recur in every file that copies an entry;
    only short values, which are all an ISO date can be, so the cache stays small.)"""
    m = _ISO.match(value)
    return m is not None and not _exists(*m.groups())


def _exists(year: str, month: str | None, day: str | None) -> bool:
    if month is None:
        return True
    if not 1 <= int(month) <= 12:
        return False
    if day is None:
        return True
    try:
        _dt.date(2000 if year.startswith("-") else int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def file_name(f: XmlFile) -> list[Diagnostic]:
    """V310–V312: the header's id, date and title against the file's name."""
    assert f.tree is not None
    root = f.tree.getroot()
    stem = f.path.stem
    out = []
    expected = doc_id(stem)
    if root.get(XML_ID) != expected:
        out.append(diagnostic("V310", f"the document id is \"{root.get(XML_ID)}\"; the file "
                              f"{f.path.name} needs \"{expected}\"", **_where(f, root)))
    m = _NAME_DATE.match(stem)
    date = root.find("tei:teiHeader/tei:profileDesc/tei:creation/tei:date", NS)
    if m and date is not None and date.get("when") != m.group(1):
        said = f"\"{date.get('when')}\"" if date.get("when") else "undated"
        out.append(diagnostic("V311", f"the header dates the document {said}; the file name "
                              f"says {m.group(1)}", **_where(f, date)))
    title = root.find("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", NS)
    if title is not None:
        words = _words(stem[m.end():] if m else stem)
        title_words = _words("".join(title.itertext()))
        if words and not any(_same_word(w, t) for w in words for t in title_words):
            out.append(diagnostic("V312", f"the title \"{''.join(title.itertext()).strip()}\" "
                                  f"has none of the words of the file name ({', '.join(words)})",
                                  **_where(f, title)))
    return out


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [w for w in re.split(r"[^a-z]+", plain) if len(w) >= 3]


def _same_word(a: str, b: str) -> bool:
    """``albania`` and ``albanian`` are the same word for a file name."""
    short, long_ = sorted((a, b), key=len)
    return long_.startswith(short) and len(short) >= min(4, len(long_))
