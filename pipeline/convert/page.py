"""A page into zones: site chrome, date, title, funder, document text, summary, record.

A Wilson Center Digital Archive page, copied whole, runs:

    Skip to content                 site chrome (or "Search in ..." on older pages)
    January 23, 1967                the document's date
    Secret North Vietnam ... Cable  its title
    This document was made possible with support from <funder>
    <the document text>
    <summary paragraph>
    Associated Places / Associated Topics (or Subjects Discussed) / Document Information
    <archive line. Translated for CWIHP by ...>  <rights paragraphs>
    Original Uploaded Date / Record ID / Original Classification / <funder>

The site's older "staging" layout has single line breaks and the labels ``Author(s):``,
``Associated Places``, ``Source`` and ``Rights``.  A page cut off in the middle of the text has
no closing sections at all.  :func:`split_page` finds each zone and reports every line it could
not place instead of dropping it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from ..diagnostics import Diagnostic, warning
from .dates import DateError, parse_date

CHROME_LINES: Final = re.compile(
           r"^(skip to (main )?content|search in\b.*|search|menu|main navigation|home|"
           r"digital archive|wilson center( digital archive)?|international history declassified|"
           r"share|print|download( pdf)?|citation|cite this|back to top)$", re.I)
XML_SPACE: Final = " \t"
FUNDER_LINE: Final = re.compile(
    r"^This document was made possible with support (?:from|by) (?P<f>.+?)\.?$")

#: Labels of the closing sections, and the field each fills.
LABELS: Final = {
    
    "author(s):": "authors", "author(s)": "authors", "authors": "authors", "author": "authors",
    "associated places": "places",
    "associated topics": "topics", "subjects discussed": "topics",
    "associated people & organizations": "people", "associated people": "people",
    "associated organizations": "people",
    "document information": "docinfo",
    "source": "source",
    "rights": "rights",
    "original uploaded date": "uploaded",
    "record id": "record",
    "original classification": "classification",
    "original language": "language",
    "language": "language",
    }
#: Labels that can open the closing sections (the others only occur inside them).
OPENING_LABELS: Final = {"authors", "places", "topics", "people", "docinfo"}
TRAILER_WORDS: Final = ("source", "rights", "docinfo", "record", "uploaded", "classification")
SUMMARY_VERBS: Final = re.compile(
           r"\b(informs|reports|asks|discuss(?:es)?|passes on|briefs|records|describes|outlines|"
           r"summari[sz]es|expresses|requests|notes|explains|details|conveys|recounts|relates|"
           r"analy[sz]es|assesses|proposes|warns|tells|sends|transmits|instructs|responds|replies|"
           r"criticizes|complains|argues|presents|lists|covers|concerns|offers|agree|agrees|"
           r"talk about|talks about|reviews|evaluates|emphasizes|stresses|urges|calls for)\b")
SUMMARY_NOUNS: Final = re.compile(r"\b(report|cable|telegram|letter|memorandum|minutes|record|"
                                  r"conversation|document|note|speech|message|meeting)\b", re.I)


@dataclass(frozen=True, init=False)
class Line:
    """One line of the page.  (Its ``__init__`` is written out: compiled, the one
    :mod:`dataclasses` makes is Python code and a written one is C; a page has hundreds.)"""

    number: int  # 1-based
    start: int  # offset in the normalized page text
    text: str

    def __init__(self, number: int, start: int, text: str) -> None:
        object.__setattr__(self, "number", number)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "text", text)


@dataclass
class Zones:
    """Where each part of the page is; offsets into the normalized page text."""

    lines: list[Line]
    date_line: Line | None = None
    date_when: str | None = None
    title: Line | None = None
    funder: str | None = None
    body_start: int = 0
    body_end: int = 0
    body_first_line: int = 1
    summary: str | None = None
    staging: bool = False
    partial: bool = False
    fields: dict[str, list[str]] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    unplaced: list[Line] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def page_lines(text: str) -> list[Line]:
    lines, start = [], 0
    for number, chunk in enumerate(text.split("\n"), start=1):
        lines.append(Line(number, start, chunk))
        start += len(chunk) + 1
    return lines


def split_page(text: str, trailer: bool = True) -> Zones:
    """Find the zones of a page (see the module docstring).  ``trailer=False`` leaves the
    closing sections' fields unread: the fidelity check needs only where the text is."""
    lines = page_lines(text)
    zones = Zones(lines)
    filled = [ln for ln in lines if not blank(ln.text)]
    if not filled:
        return zones
    zones.staging = _is_staging(lines)

    # --- chrome, date, title, funder --------------------------------------------------
    i = 0
    while i < len(filled) and CHROME_LINES.match(_norm(filled[i].text)):
        i += 1
    date_at = None
    for j in range(i, min(i + 6, len(filled))):
        try:
            when = parse_date(_norm(filled[j].text))
        except DateError as exc:
            zones.diagnostics.append(warning("W003", f"the page's date {exc}; the document is "
                                             "encoded as undated", line=filled[j].number))
            when = None
            date_at = j
            break
        if when:
            date_at, zones.date_when = j, when
            break
    if date_at is not None:
        for skipped in filled[i:date_at]:
            zones.unplaced.append(skipped)
        zones.date_line = filled[date_at]
        i = date_at + 1
    else:
        zones.diagnostics.append(warning(
            "W003", "no date line found at the top of the page; the document is encoded as "
            "undated", line=filled[i].number if i < len(filled) else None,
            hint="the page should start with its date, e.g. 'January 23, 1967'"))
    if i < len(filled):
        zones.title = filled[i]
        i += 1
    if i < len(filled):
        m = FUNDER_LINE.match(_norm(filled[i].text))
        if m:
            zones.funder = m.group("f").strip()
            i += 1
    if i >= len(filled):
        return zones
    first = filled[i]
    zones.body_start = first.start + _indent(first.text)
    zones.body_first_line = first.number

    # --- closing sections ---------------------------------------------------------------
    tail = _find_tail(lines, first.number - 1)
    if tail is None:
        zones.partial = True
        last = filled[-1]
        zones.body_end = last.start + len(last.text.rstrip(XML_SPACE))
        zones.diagnostics.append(warning(
            "W006", "the page has no closing sections (Associated Places, Document "
            "Information, ...): it looks cut off; the text is kept as far as it goes",
            line=last.number, hint="copy the whole page if it can be had"))
        return zones
    body_lines = [ln for ln in lines[first.number - 1:tail] if not blank(ln.text)]
    summary_at = _summary_index(lines, first.number - 1, tail, zones.staging)
    if summary_at is not None:
        zones.summary = " ".join(ln.text.strip() for ln in lines[summary_at[0]:summary_at[1]])
        body_lines = [ln for ln in body_lines if ln.number - 1 < summary_at[0]]
    else:
        zones.diagnostics.append(warning(
            "W007", "no summary paragraph found before the closing sections",
            line=lines[tail].number, hint="if the page has a summary, it should stand just "
            "before 'Associated Places'"))
    if not body_lines:
        return zones
    last = body_lines[-1]
    zones.body_end = last.start + len(last.text.rstrip(XML_SPACE))
    if trailer:
        _read_trailer(zones, lines, tail)
    return zones


def _norm(text: str) -> str:
    """Whitespace of any kind (no-break spaces too) as single spaces, for matching only."""
    return " ".join(text.split())


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(XML_SPACE))


def blank(text: str) -> bool:
    """A blank line holds nothing but XML white space (a no-break space is text)."""
    if text and text[0] not in XML_SPACE:
        return False  # most lines: known from the first character, without a copy
    return not text.strip(XML_SPACE)


def _is_staging(lines: list[Line]) -> bool:
    """The older layout has no blank lines between its parts."""
    filled_at = [k for k, ln in enumerate(lines) if not blank(ln.text)]
    if len(filled_at) < 4:
        return False
    inner = lines[filled_at[0]:filled_at[-1] + 1]
    return not any(blank(ln.text) for ln in inner)


def _label(text: str) -> str | None:
    # a line of more words than any label is none (most lines: their words are not joined)
    words = text.split(None, _LABEL_WORDS)
    return None if len(words) > _LABEL_WORDS else LABELS.get(" ".join(words).lower())


_LABEL_WORDS: Final = max(len(label.split()) for label in LABELS)


def _find_tail(lines: list[Line], start: int) -> int | None:
    """Index of the line that opens the closing sections, or None on a cut-off page.

    An opening label counts only when a trailer label (Document Information, Source, Rights,
    Record ID, ...) follows it, so that a body line that happens to read "Associated Places"
    is not taken for the page's chrome.
    """
    for k in range(start, len(lines)):
        kind = _label(lines[k].text)
        if kind in OPENING_LABELS:
            rest = {_label(ln.text) for ln in lines[k:]}
            if kind == "docinfo" or rest.intersection(TRAILER_WORDS):
                return k
    return None


def _chunks(lines: list[Line], start: int, end: int, staging: bool) -> list[tuple[int, int]]:
    """``(first, last + 1)`` line indexes of each run of non-blank lines (each line in staging)."""
    out, k = [], start
    while k < end:
        if blank(lines[k].text):
            k += 1
            continue
        j = k + 1
        if not staging:
            while j < end and not blank(lines[j].text):
                j += 1
        out.append((k, j))
        k = j
    return out


_NUMBERED_OR_LABELLED: Final = re.compile(r"^[IVX]+\.\s|^[a-z]\)\s|^[A-Z][\w.\s]{0,30}:\s")


def _summary_index(lines: list[Line], start: int, tail: int,
                   staging: bool) -> tuple[int, int] | None:
    chunks = _chunks(lines, start, tail, staging)
    if len(chunks) < 2:
        return None
    first, end = chunks[-1]
    if end - first != 1:
        return None
    text = _norm(lines[first].text)
    if len(text) < 80 or text[0] in "[(•-–*\"“" or text[0].isdigit() or text.isupper():
        return None
    if _NUMBERED_OR_LABELLED.match(text):
        return None
    gap = first - chunks[-2][1]
    if gap >= 3 or SUMMARY_VERBS.search(text) or SUMMARY_NOUNS.search(text):
        return first, end
    return None


def _read_trailer(zones: Zones, lines: list[Line], tail: int) -> None:
    """Fill ``zones.fields`` from the closing sections; unknown lines go to ``unplaced``."""
    current: str | None = None
    for k in range(tail, len(lines)):
        ln = lines[k]
        text = _norm(ln.text)
        if not text:
            continue
        kind = _label(text)
        if kind is not None:
            current = kind
            zones.fields.setdefault(kind, [])
            zones.field_lines.setdefault(kind, ln.number)
            continue
        if zones.funder and text.rstrip(".") == zones.funder.rstrip("."):
            continue  # the site repeats the funder at the foot of the page
        if current is None:
            zones.unplaced.append(ln)
            continue
        zones.fields[current].append(text)
        zones.field_lines.setdefault(f"{current}#{len(zones.fields[current])}", ln.number)
