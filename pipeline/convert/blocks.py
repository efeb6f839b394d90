"""The document text into blocks: its head, its main text, its foot, enclosures and notes.

The text is cut into *units* (runs of lines between blank lines; single lines on pages in the
older layout; single lines where a run mixes header lines such as ``To:`` and ``Copy to:``).
Recognizers, tried in a fixed order, then decide what each unit is:

* from the end back: the translator's notes (``[1] Translator's note ...``), an enclosure
  or attachment that follows the signature (``Enclosure: ...``, ``Attachment: ...``),
  postscripts (``P.S.``, ``Decipherer's note: ...``), then the closing parts: signatures
  (``[Signed] ...``, ``Sd/- ...``, ``LAVRENTIEV``, a name and a title), complimentary closes
  and slogans (``Yours sincerely,``, ``¡Venceremos!``), address lines;
* from the top, while units look like a document's head: classification and handling lines
  (``TOP SECRET!``, ``Copy No. 2``, ``Classification: Secret``), labelled fields (``To:``,
  ``From:``, ``Sender:``, ``Participants:``, ``Albanian side:`` ...), datelines
  (``Beijing, 7 February 1961``), an inside address, salutations and headings;
* in between: Roman-numbered sections (``I.``, ``II.`` in sequence), numbered paragraphs,
  lettered items (``a)``, ``(b)``, ``(iii)``), bullets, speakers' turns in minutes, page
  markers, and paragraphs, which is what every other unit is.

Nothing is dropped: the white space between units is kept in each block's ``sep``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from ..diagnostics import Diagnostic
from ..model import (Address, Block, Body, Bracketed, Classification, Dateline, DateText,
                     Enclosure, Field, Head, Inline, Item, ListBlock, Note, PageBreak,
                     Paragraph, Postscript, Salute, Section, Signed, SpeakerTurn, Text)
from .. import vocab
from ..chars import SP, SPACE, UPPER
from ..rebuild import replaced
from .dates import DateError, find_date
from .inlines import parse_inlines

XML_SPACE: Final = " \t"

#: Labels of the fields at a document's head (case aside) and the kind of field each opens.
FIELD_LABELS: Final = {
           **dict.fromkeys(("to", "addressee", "addressees", "recipient", "recipients", "for",
                            "attention", "destination"), "to"),
           **dict.fromkeys(("from", "sender", "originator", "origin"), "from"),
           **dict.fromkeys(("copy to", "copies to", "copy to the", "cc", "copy", "copies",
                            "distribution", "also to", "information copy to"), "copy"),
           **dict.fromkeys(("sent", "dispatched", "despatched", "date sent", "transmitted",
                            "date of dispatch"), "sent"),
           **dict.fromkeys(("received", "arrived", "date received", "date of receipt"), "received"),
           **dict.fromkeys(("time", "date", "date and time", "dtg"), "time"),
           **dict.fromkeys(("place", "location", "venue"), "place"),
           **dict.fromkeys(("participants", "participating", "delegations"), "participants"),
           **dict.fromkeys(("present", "also present", "attended", "attending", "those present",
                            "also attending", "absent"), "present"),
           **dict.fromkeys(("subject", "re", "concerning", "topic", "title", "regarding", "about"),
                           "subject"),
           **dict.fromkeys(("reference", "ref", "ref.", "your ref", "our ref", "references"),
                           "reference"),
           **dict.fromkeys(("number", "no", "no.", "nr", "nr.", "cable no", "cable no.",
                            "telegram no", "telegram no."), "number"),
           **dict.fromkeys(("agenda", "agenda of the meeting"), "agenda"),
}
CLASSIFICATION_LABELS: Final = {"classification", "security classification", "secrecy", "grade",
                                "security", "original classification"}
LABELLED: Final = re.compile(rf"^(?P<label>(?P<word>[{UPPER}][\w’'. ]{{0,34}}?)"
                             rf"(?:{SP}*\([^)\n]{{0,30}}\))?:)(?={SP}|$)")
PARTICIPANTS_WORD: Final = re.compile(r"^(?:[\w’'-]+ )?(?:side|sides|delegation|participants|"
                                      r"participant|party|representatives)$", re.I)
BARE_FIELDS: Final = [  # telegraphese and letters write some labels without a colon
           (re.compile(r"^(?P<label>TO)(?=\s)"), "to"),
           (re.compile(r"^(?P<label>FROM)(?=\s)"), "from"),
           (re.compile(r"^(?P<label>To)(?=\s+(?:Comrades?|the|Mr\.?|Mrs\.?|Ambassador|Minister|"
                       r"Chairman|President|General|Premier|Secretary|His|Her|Shri)\b)"), "to"),
]
HANDLING: Final = re.compile(
    
    r"^(?:(?:Copy|Copies|Special|Outgoing|Incoming|Ref\.|Reg\.|File|Registration|Protocol|"
    rf"Minutes|D\.O\.|[A-Z][A-Za-z.]{{0,12}}){SP})?(?:No|Nr|Nº|№)\.?{SP}*\S+$|"
    rf"^(?:Copy|COPY){SP}+\d+$|^Copying prohibited\.?$|^To be returned( after reading)?!?\.?$|"
    r"^(?:Personal(?:ly)?|Urgent|URGENT|Immediate|IMMEDIATE|Priority|PRIORITY|Flash|FLASH|"
    r"Eyes only|EYES ONLY|Only copy|Single copy|Special (?:Dossier|File)|Proof|"
    r"Not for (?:publication|distribution)|Extremely urgent|EXTREMELY URGENT)[.!]?$",
    re.I)
SALUTE_OPEN: Final = re.compile(r"^(?:My |MY )?(?:[Dd]ear(?:est)?|DEAR|[Ee]steemed|[Rr]espected|"
                                r"Honou?red)\b.{0,70}[,!:]$|^(?:Dear )?Comrades?\b.{0,60}[!,]$|"
                                r"^(?:Sir|Madam|Gentlemen|Excellency|Your Excellency)[,!:]$")
SALUTE_CLOSE: Final = re.compile(
           r"^(?:With (?:kind|best|warm|warmest|sincere|comradely|fraternal|friendly|deep|"
           r"communist|revolutionary|socialist) (?:regards|greetings|wishes|respect|salutes?)|"
           r"Yours\b.{0,30}|Sincerely(?: yours)?|Respectfully(?: yours)?|Best regards|Kind regards|"
           r"With respect|Faithfully(?: yours)?|Cordially|Fraternally(?: yours)?|Comradely|"
           r"Revolutionary greetings|Communist greetings)[,.!]?$", re.I)
SIGNED: Final = re.compile(r"^\[(?:signed|sgd\.?|signature[^\]]*)\]|^(?:Signed|SIGNED)[:\s]|"
                           rf"^Sd/-|^\(Sgd\.?\)|^Sgd\.{SP}|"
                           r"^(?:Recorded|Prepared|Drafted|Written|Compiled|Noted|Taken down) by\b",
                           re.I)
ENCLOSURE: Final = re.compile(
    r"^(?:Enclosures?|Attachments?|Annex(?:es)?|Appendix|Appendices|"
    rf"Encl\.|Att\.)(?:{SP}+(?:No\.?{SP}*)?[\dIVX]+)?\b[.:]?", re.I)
POSTSCRIPT: Final = re.compile(rf"^(?:P\.{SP}?S\.|PS[:.]|Post-?scriptum|N\.{SP}?B\.|"
                               rf"[{UPPER}][\w-]*(?:’s|'s)?{SP}note:)")
NOTE: Final = re.compile(rf"^\[(?P<n>\d{{1,3}})\](?P<sep>{SP}+)")
ROMAN: Final = re.compile(rf"^(?P<n>[IVXL]{{1,6}})\.(?P<sep>{SP}+)(?=\S)")
NUMBERED: Final = re.compile(rf"^(?P<label>\(?(?P<n>\d{{1,3}})[.)])(?P<sep>{SP}+)(?=\S)")
LETTERED: Final = re.compile(rf"^(?P<label>\(?(?P<n>[a-z]|[ivx]{{1,4}})\))(?P<sep>{SP}+)(?=\S)")
BULLET: Final = re.compile(rf"^(?P<label>[•·▪◦‣●○■□➢►\-–—*])(?P<sep>{SP}+)(?=\S)")
SPEAKER: Final = re.compile(
           rf"^(?P<speaker>(?:[{UPPER}][\w'’.\-]*)(?:{SP}[{UPPER}][\w'’.\-]*){{0,3}}):"
           rf"(?P<sep>{SP}+)(?=\S)")
SENTENCE_END: Final = re.compile(r"[.!?:;…]['’\"”)]*$")
UNDATED_LINE: Final = re.compile(rf"^[{UPPER}][^\[\],.;:\n]{{1,40}},?{SP}\[(?:no date|undated|"
                                 r"date unknown|n\.d\.)[^\]\n]*\]$", re.I)
ADDRESS_START: Final = re.compile(
    r"^(?:Comrades?|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|His|Her|Shri|Sri|"
    r"Ambassador|Minister|President|Chairman|General|Monsieur|Herr)\b")
ROMANS: Final = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
                 "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"]


@dataclass(frozen=True, init=False)
class Unit:
    """A piece of the text that becomes one block: its text, the space before it, its line.
    (Its ``__init__`` is written out, as :class:`.page.Line`'s.)"""

    text: str
    sep: str
    line: int

    def __init__(self, text: str, sep: str, line: int) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "sep", sep)
        object.__setattr__(self, "line", line)


def read_body(text: str, first_line: int, staging: bool,
              ) -> tuple[Body, list[Diagnostic]]:
    """The blocks of a document text (see the module docstring) and what went wrong."""
    units = _units(text, first_line, staging)
    builder = _Builder(_is_all_caps(text))
    notes_at = len(units)
    while notes_at > 0 and NOTE.match(units[notes_at - 1].text):
        notes_at -= 1
    enclosure_at = _enclosure_start(units, notes_at)
    post_at = enclosure_at
    while post_at > 1 and POSTSCRIPT.match(units[post_at - 1].text):
        post_at -= 1
    back_at = post_at
    while back_at > 1 and _is_closer(units[back_at - 1], at_end=back_at == post_at):
        back_at -= 1
    front_at = 0
    while front_at < back_at and _opener_kind(units[front_at]) is not None:
        front_at += 1
    if front_at == back_at and front_at > 0:
        # Nothing but head-like lines: keep the ones that are clearly header lines on top,
        # and read the rest as text.
        front_at = 0
        while front_at < back_at and _opener_kind(units[front_at]) not in (None, "head"):
            front_at += 1
    body = Body(
        front=tuple(builder.opener(u) for u in units[:front_at]),
        main=builder.main(units[front_at:back_at]),
        back=tuple(builder.closer(u) for u in units[back_at:post_at]),
        post=tuple(Postscript(builder.inlines(u.text, u.line), u.sep)
                   for u in units[post_at:enclosure_at]),
        enclosures=builder.enclosure(units[enclosure_at:notes_at]),
        notes=tuple(builder.note(u) for u in units[notes_at:]),
    )
    return body, builder.diagnostics


def _enclosure_start(units: list[Unit], end: int) -> int:
    """Where an enclosure begins: a unit opening with "Enclosure"/"Attachment"... that
    follows a signature or a complimentary close; ``end`` when there is none."""
    for k in range(2, end):
        if ENCLOSURE.match(units[k].text) and any(
                SIGNED.match(u.text) or _is_closer(u, at_end=False)
                for u in units[max(0, k - 3):k]):
            return k
    return end


# ----------------------------------------------------------------------------- units


def _units(text: str, first_line: int, staging: bool) -> list[Unit]:
    lines = text.split("\n")
    runs: list[tuple[int, int]] = []  # (first, end) line indexes
    k = 0
    while k < len(lines):
        if not lines[k].strip(XML_SPACE):
            k += 1
            continue
        j = k + 1
        if not staging:
            while j < len(lines) and lines[j].strip(XML_SPACE):
                j += 1
        runs.append((k, j))
        k = j
    offsets = [0]
    for ln in lines:
        offsets.append(offsets[-1] + len(ln) + 1)
    units: list[Unit] = []
    prev_end = 0
    for first, end in runs:
        for a, b in _split_run(lines, first, end):
            start = offsets[a] + len(lines[a]) - len(lines[a].lstrip(XML_SPACE))
            stop = offsets[b - 1] + len(lines[b - 1].rstrip(XML_SPACE))
            units.append(Unit(text[start:stop], text[prev_end:start], first_line + a))
            prev_end = stop
    return units


def _split_run(lines: list[str], first: int, end: int) -> list[tuple[int, int]]:
    """A run of lines into units: header-like lines (fields, datelines ...) stand alone."""
    if end - first == 1:
        return [(first, end)]
    kinds = [_line_kind(lines[k].strip(XML_SPACE)) for k in range(first, end)]
    if all(kind is None for kind in kinds):
        return [(first, end)]
    out: list[tuple[int, int]] = []
    start = first
    for k in range(first, end):
        kind = kinds[k - first]
        prev_kind = kinds[k - first - 1] if k > first else None
        if k > start and (kind is not None or prev_kind is not None):
            out.append((start, k))
            start = k
    out.append((start, end))
    return out


def _is_all_caps(text: str) -> bool:
    head = text[:len(text) // 5]  # in most texts, the first fifth holds enough small letters
    if sum(map(head.count, _ASCII_LOWER)) * 10 >= len(text) or \
            sum(map(text.count, _ASCII_LOWER)) * 10 >= len(text):
        return False  # a tenth of the text in lower case: not capitals (most texts; quick)
    letters = list(filter(str.isalpha, text))
    return len(letters) >= 40 and sum(map(str.isupper, letters)) / len(letters) > 0.9


_ASCII_LOWER: Final = "abcdefghijklmnopqrstuvwxyz"


# ----------------------------------------------------------------------------- recognizers


def _field(text: str) -> tuple[str, str] | None:
    """``(kind, label)`` of a labelled line at a document's head, or None."""
    m = LABELLED.match(text)
    if m:
        word = " ".join(m.group("word").split()).lower()
        if word in FIELD_LABELS:
            return FIELD_LABELS[word], m.group("label")
        if word in CLASSIFICATION_LABELS:
            return "classification", m.group("label")
        if PARTICIPANTS_WORD.match(word):
            return "participants", m.group("label")
    for pattern, kind in BARE_FIELDS:
        m = pattern.match(text)
        if m:
            return kind, m.group("label")
    return None


def _is_dateline(text: str) -> bool:
    if len(text) > 90 or "\n" in text:
        return False
    if UNDATED_LINE.match(text):
        return True
    try:
        found = find_date(text)
    except DateError:
        return False
    if not found:
        return False
    start, end, iso = found
    if len(iso) < 7:
        return False
    before, after = text[:start], text[end:]
    place_ok = before == "" or _PLACE_BEFORE_DATE.fullmatch(before) is not None
    return place_ok and _TIME_AFTER_DATE.fullmatch(after) is not None


#: What may stand before a dateline's date ("Moscow, the ") and after it (a time of day).
_PLACE_BEFORE_DATE: Final = re.compile(
    rf"[{UPPER}][^,.;:!?]{{0,60}}(?:\[[^\]]*\])?,{SP}*(?:the{SP}+)?")
_TIME: Final = rf"\d{{1,2}}[.:]\d{{2}}(?:{SP}*[ap]\.?m\.?)?"
_TIME_AFTER_DATE: Final = re.compile(
    rf"[{SPACE},.]*(?:{_TIME}(?:{SP}*[–-]{SP}*{_TIME})?"
    rf"(?:{SP}*(?:hours|hrs\.?|local time))?[{SPACE}.]*)?")


def _line_kind(text: str) -> str | None:
    """What a single line is when it is one of the lines that stand alone at a document's head."""
    if not text:
        return None
    if _field(text):
        return "field"
    if len(text) <= 80 and vocab.classification_of(text):
        return "classification"
    if len(text) <= 60 and HANDLING.match(text):
        return "handling"
    if _is_dateline(text):
        return "dateline"
    if len(text) <= 80 and SALUTE_OPEN.match(text):
        return "salute"
    return None


def _opener_kind(unit: Unit) -> str | None:
    """What a unit at the top of the document is, or None when the main text has begun."""
    kind = _line_kind(unit.text)
    if kind is not None:
        return kind
    text = unit.text
    if (ROMAN.match(text) or NUMBERED.match(text) or LETTERED.match(text)
            or BULLET.match(text) or NOTE.match(text)):
        return None
    if _is_inside_address(text):
        return "address"
    if text.startswith("[") and not text.endswith("]"):
        return None
    if SPEAKER.match(text.split("\n", 1)[0]):
        return None
    if len(text) <= 250 and (not SENTENCE_END.search(text) or _is_caps_line(text)
                             or text.startswith("[")):
        return "head"
    return None


def _is_inside_address(text: str) -> bool:
    """``Comrade Carlos Lechuga Hevia / Ambassador ... / New York`` at a letter's head."""
    lines = text.split("\n")
    return (2 <= len(lines) <= 5 and ADDRESS_START.match(lines[0]) is not None
            and all(len(ln) <= 90 and not SENTENCE_END.search(ln.rstrip(",")) for ln in lines))


def _is_caps_line(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _is_slogan(text: str) -> bool:
    """``Patria o Muerte / ¡Venceremos!``: a short cry closing a letter."""
    lines = text.split("\n")
    return len(lines) <= 3 and all(len(ln) <= 40 for ln in lines) and text.endswith("!")


def _is_closer(unit: Unit, at_end: bool) -> bool:
    text = unit.text
    lines = text.split("\n")
    if SIGNED.match(text) or (len(text) <= 60 and SALUTE_CLOSE.match(text)):
        return True
    if _is_slogan(text) or _IN_BRACKETS.fullmatch(text):
        return True  # (M. J. Desai)
    if len(lines) >= 2 and all(ln.rstrip().endswith(",") for ln in lines[:-1]) \
            and all(len(ln) <= 60 for ln in lines):
        return True  # an address block
    if _is_dateline(text) and at_end:
        return True
    return (len(lines) <= 3 and all(_is_name_line(ln.strip(XML_SPACE)) for ln in lines))


#: Patterns of the block rules below, compiled once (``re.fullmatch(pattern, ...)`` looks each
#: up in re's cache, in Python, at every call: once a block).
_IN_BRACKETS: Final = re.compile(r"\([^()\n]{2,60}\)")
_INITIALS: Final = re.compile(r"(?:[A-Z]\.){1,4}")
_LINE_ENDS: Final = re.compile(r"(\n[ \t]*)")
_PAGE_MARK: Final = re.compile(rf"\[(?:page|p\.|pg\.?){SP}*\d+[a-z]?\]", re.I)


def _is_name_line(line: str) -> bool:
    """``LAVRENTIEV``, ``Army General``, ``MINISTER:``, ``P.M.``."""
    if _INITIALS.fullmatch(line):
        return True  # the addressee of a note: "P.M."
    if not line or len(line) > 60 or len(line.split()) > 8 or not line[0].isupper():
        return False
    if line.endswith(":") and _is_caps_line(line):
        line = line[:-1]  # "MINISTER:" above the signature
    if SENTENCE_END.search(line) or any(ch.isdigit() for ch in line) or "[" in line:
        return False
    if SPEAKER.match(line + " x"):
        return False
    return True


# ----------------------------------------------------------------------------- builder


class _Builder:
    """Turns units into blocks, collecting diagnostics on the way."""

    def __init__(self, all_caps: bool):
        self.all_caps = all_caps
        self.diagnostics: list[Diagnostic] = []

    def inlines(self, text: str, line: int) -> tuple[Inline, ...]:
        found, notes = parse_inlines(text, line, self.all_caps)
        self.diagnostics.extend(notes)
        return found

    # --- the top ---------------------------------------------------------------------

    def opener(self, unit: Unit) -> Block:
        kind = _opener_kind(unit)
        text, sep, line = unit.text, unit.sep, unit.line
        if kind == "field":
            found = _field(text)
            assert found is not None
            field_kind, label = found
            rest = text[len(label):]
            label_sep = rest[:len(rest) - len(rest.lstrip(" \u00a0"))]
            content = self.inlines(rest[len(label_sep):], line)
            if field_kind == "classification":
                return Classification(content, sep, vocab.classification_of(
                    rest.strip()), label, label_sep)
            if field_kind in ("sent", "received", "time"):
                content = tag_dates(content)
            return Field(field_kind, label, label_sep, content, sep)
        if kind == "classification":
            return Classification(self.inlines(text, line), sep,
                                  vocab.classification_of(text))
        if kind == "handling":
            return Classification(tag_dates(self.inlines(text, line)), sep, None)
        if kind == "dateline":
            return Dateline(tag_dates(self.inlines(text, line)), sep)
        if kind == "salute":
            return Salute(self.inlines(text, line), sep)
        if kind == "address":
            return self._address(unit)
        return Head(self.inlines(text, line), sep)

    def _address(self, unit: Unit) -> Address:
        parts = _LINE_ENDS.split(unit.text)
        lines = tuple(self.inlines(parts[k], unit.line + k // 2) for k in range(0, len(parts), 2))
        return Address(lines, tuple(parts[1::2]), unit.sep)

    # --- the foot --------------------------------------------------------------------

    def closer(self, unit: Unit) -> Block:
        text, sep, line = unit.text, unit.sep, unit.line
        lines = text.split("\n")
        if (len(text) <= 60 and SALUTE_CLOSE.match(text)) or _is_slogan(text):
            return Salute(self.inlines(text, line), sep)
        if _is_dateline(text):
            return Dateline(tag_dates(self.inlines(text, line)), sep)
        if _INITIALS.fullmatch(text) or (
                len(lines) >= 2 and all(ln.rstrip().endswith(",") for ln in lines[:-1])
                and not SIGNED.match(text)):
            return self._address(unit)
        return Signed(self.inlines(text, line), sep)

    def note(self, unit: Unit) -> Note:
        m = NOTE.match(unit.text)
        assert m is not None
        return Note(m.group("n"), m.group("n"), m.group("sep"),
                    self.inlines(unit.text[m.end():], unit.line), unit.sep)

    def enclosure(self, units: list[Unit]) -> tuple[Enclosure, ...]:
        if not units:
            return ()
        head = Head(self.inlines(units[0].text, units[0].line), "")
        return (Enclosure((head,) + self.main(units[1:]), units[0].sep),)

    # --- the main text ---------------------------------------------------------------

    def main(self, units: list[Unit]) -> tuple[Block, ...]:
        speakers = self._speakers(units)
        blocks: list = []
        sections: list[tuple[str, list, str]] = []  # (n, blocks, sep)
        target = blocks
        expected = 0
        for unit in units:
            m = ROMAN.match(unit.text)
            sp = SPEAKER.match(unit.text.split("\n", 1)[0])
            is_speaker = bool(sp and sp.group("speaker") in speakers)
            if m and not is_speaker and expected < len(ROMANS) \
                    and m.group("n") == ROMANS[expected]:
                expected += 1
                sections.append((m.group("n"), [], unit.sep))
                target = sections[-1][1]
                target.append(self._section_start(unit, m))
                continue
            self._add(target, unit, is_speaker)
        out = tuple(_group_lists(blocks))
        out += tuple(Section(n, tuple(_group_lists(bs)), sep) for n, bs, sep in sections)
        return out

    def _speakers(self, units: list[Unit]) -> set[str]:
        counts: dict[str, int] = {}
        for unit in units:
            m = SPEAKER.match(unit.text.split("\n", 1)[0])
            if m and _field(unit.text) is None and not POSTSCRIPT.match(unit.text):
                counts[m.group("speaker")] = counts.get(m.group("speaker"), 0) + 1
        if sum(counts.values()) >= 2:
            return set(counts)
        return set()

    def _section_start(self, unit: Unit, m: re.Match[str]) -> Block:
        rest = unit.text[m.end():]
        label = m.group("n") + "."
        if len(rest) <= 150 and (not SENTENCE_END.search(rest) or _is_caps_line(rest)):
            return Head(self.inlines(unit.text, unit.line), "")
        return Paragraph(self.inlines(rest, unit.line), "", label, m.group("sep"), m.group("n"))

    def _add(self, target: list, unit: Unit, is_speaker: bool) -> None:
        text, sep, line = unit.text, unit.sep, unit.line
        if _PAGE_MARK.fullmatch(text):
            marker = self.inlines(text, line)[0]
            assert isinstance(marker, Bracketed)
            target.append(PageBreak(marker, sep))
            return
        if is_speaker:
            m = SPEAKER.match(text)
            assert m is not None
            rest = text[m.end():]
            target.append(SpeakerTurn(self.inlines(m.group("speaker") + ":", line),
                                      m.group("sep"), self.inlines(rest, line), sep))
            return
        for pattern, kind in ((LETTERED, "lettered"), (BULLET, "bulleted")):
            m = pattern.match(text)
            if m:
                n = m.groupdict().get("n")
                target.append(_Pending(kind, Item(m.group("label"), m.group("sep"),
                                                  self.inlines(text[m.end():], line), sep,
                                                  n or None)))
                return
        m = NUMBERED.match(text)
        if m:
            target.append(Paragraph(self.inlines(text[m.end():], line), sep, m.group("label"),
                                    m.group("sep"), m.group("n")))
            return
        target.append(Paragraph(self.inlines(text, line), sep))


@dataclass(frozen=True)
class _Pending:
    """An item waiting to be put in a list by :func:`_group_lists`."""

    kind: str
    item: Item


def _group_lists(blocks: list) -> list[Block]:
    """Consecutive items into lists; bullets right after a lettered item nest in it."""
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, _Pending):
            out.append(block)
            continue
        kind, item = block.kind, block.item
        last = out[-1] if out else None
        if isinstance(last, ListBlock) and last.kind == kind:
            out[-1] = replaced(last, items=last.items + (item,))
        elif kind == "bulleted" and isinstance(last, ListBlock) and last.kind == "lettered":
            parent = last.items[-1]
            inner = parent.blocks
            if inner and isinstance(inner[-1], ListBlock):
                nested = replaced(inner[-1], items=inner[-1].items + (item,))
                parent = replaced(parent, blocks=inner[:-1] + (nested,))
            else:
                parent = replaced(parent, blocks=inner + (ListBlock("bulleted", (replaced(
                    item, sep=""),), item.sep),))
            out[-1] = replaced(last, items=last.items[:-1] + (parent,))
        else:
            out.append(ListBlock(kind, (replaced(item, sep=""),), item.sep))
    return out


def tag_dates(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Mark the first date written in plain text as a :class:`DateText` with its ISO value."""
    out: list[Inline] = []
    done = False
    for node in content:
        if done or not isinstance(node, Text):
            out.append(node)
            continue
        try:
            found = find_date(node.text)
        except DateError:
            found = None
        if not found:
            out.append(node)
            continue
        start, end, iso = found
        if start:
            out.append(Text(node.text[:start]))
        out.append(DateText((Text(node.text[start:end]),), iso))
        if end < len(node.text):
            out.append(Text(node.text[end:]))
        done = True
    return tuple(out)
