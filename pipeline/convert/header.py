"""The page's fields into the document's header: who, when, which archive, under what terms.

The page says many things twice: the classification in the title, at the head of the text
and in the record fields; the sender in the title, in a ``From:`` line and in the signature.
Each field below names the places it is read from, in order of trust.
"""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Final

from ..chars import SP
from ..diagnostics import Diagnostic, warning
from ..model import (Abbreviation, Body, Bracketed, Classification, DateText,
                     Field, Head, Header, Inline, LineBreak, Name, Party, Signed, Text)
from ..rebuild import replaced
from .. import vocab
from .dates import DateError, is_approximate, parse_date
from .page import Zones

CREDIT: Final = re.compile(
           rf"(?:^|(?<=[.;])){SP}*(?P<credit>(?:Translated|Obtained|Contributed|Donated|"
           r"Provided|Transcribed)\b.*)$")
CREDIT_VERBS: Final = r"(?:obtained|translated|contributed|donated|provided|transcribed)"
CREDIT_CLAUSE: Final = re.compile(
    
    r"^(?P<verb>obtained and translated|translated and annotated|" + CREDIT_VERBS[3:-1] + r")"
    r"(?: for (?P<prog>[A-Z][A-Za-z]+))?(?: by (?P<who>.+?))?"
    r"(?: for (?P<prog2>[A-Z][A-Za-z]+))?$", re.I)
ORG_WORDS: Final = re.compile(
           r"\b(Embassy|Ministry|Committee|Politburo|Party|Government|Council|Department|Office|"
           r"Legation|Mission|Delegation|Front|Command|Headquarters|Bureau|Secretariat|Commission|"
           r"Service|Agency|Army|Consulate|Presidium|CC|Central|Comintern|Cominform|Section|"
           r"Directorate|Administration|Staff|Union|Federation|League|Alliance|Institute|MFA|"
           r"Ministry|Region|Zone|Province|COSVN|Soviet)\b")
PERSON_TITLES: Final = re.compile(
    
    r"^(?:(?:Soviet|American|Chinese|Yugoslav|Polish|Hungarian|Romanian|Bulgarian|Czechoslovak|"
    r"Vietnamese|Korean|Cuban|Indian|Albanian|Mongolian|East German|West German|British|"
    r"French|Indonesian|Egyptian|Iranian|Foreign|Deputy|First|Vice|Prime|Acting|Former|"
    r"Comrades?|Ambassador|Minister|Secretary|Premier|Chairman|President|General|Marshal|"
    r"Foreign Secretary|Mr\.|Mrs\.|Dr\.|Prof\.|Shri|Sri|Comrade|Chargé d'Affaires|"
    rf"Counsellor|Counselor|Consul|Leader|Head|Chief|Defense|Defence|Party|State){SP}+)+")
INITIALS: Final = re.compile(rf"\b(?:[A-ZÀ-Ž][a-z]?\.{SP}?)+[A-ZÀ-Ž][\w'’-]+")
RECORD_ID: Final = re.compile(r"^[A-Za-z0-9][\w.-]{0,40}$")


def build_header(zones: Zones, body: Body) -> tuple[Header, list[Diagnostic]]:
    """The header of a page (see the module docstring) and what could not be placed."""
    notes: list[Diagnostic] = []
    f = zones.fields
    title = _norm(zones.title.text) if zones.title else ""
    archive_line = _first(f.get("docinfo")) or _first(f.get("source"))
    rights = tuple(f.get("docinfo", [])[1:]) + tuple(f.get("rights", []))
    archive, place, reference, credit = _split_archive(archive_line)
    translator = obtained = programme = None
    if credit:
        translator, obtained, programme = _split_credit(credit)
    classification = _classification(zones, title, body)
    unplaced = [ln.text.strip() for ln in zones.unplaced]
    for ln in zones.unplaced:
        notes.append(warning("W005", f"line not placed: “{_clip(ln.text)}”; kept in the header "
                             "as a note", line=ln.number,
                             hint="if it belongs to the page, tell the converter's page "
                             "reader about it (pipeline/convert/page.py)"))
    record_id = _first(f.get("record"))
    if record_id and not RECORD_ID.match(record_id):
        unplaced.append(f"Record ID: {record_id}")
        notes.append(warning("W005", f"record ID “{_clip(record_id)}” is not an identifier; "
                             "kept in the header as a note", line=zones.field_lines.get("record")))
        record_id = None
    uploaded_text = _first(f.get("uploaded"))
    uploaded_when = None
    if uploaded_text:
        try:
            uploaded_when = parse_date(uploaded_text)
        except DateError:
            uploaded_when = None
    language = _language(f, archive, place, translator)
    header = Header(
        title=title,
        date_when=zones.date_when,
        date_text=_norm(zones.date_line.text) if zones.date_line else None,
        date_approximate=bool(zones.date_line and is_approximate(_norm(zones.date_line.text))),
        doc_type=vocab.doc_type_of(title) or _type_from_heads(body) or "other",
        doc_number=_number(title, body),
        classification=classification,
        parties=_parties(title, body),
        authors=tuple(f.get("authors", [])),
        archive=archive, archive_place=place, archive_reference=reference,
        archive_line=archive_line,
        translator=translator, obtained_by=obtained, programme=programme,
        funder=zones.funder,
        rights=rights,
        summary=zones.summary,
        places=tuple(f.get("places", [])),
        topics=tuple(f.get("topics", [])),
        record_id=record_id,
        uploaded_when=uploaded_when, uploaded_text=uploaded_text,
        source_language=language,
        partial=zones.partial,
        unplaced=tuple(unplaced),
    )
    return _clean(header), notes


_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _clean(header: Header) -> Header:
    """Header values are copies of what the page says, for reading: no control characters,
    single spaces.  (The body keeps the text exactly, control characters and all.)"""
    return replaced(header, **{f.name: _fix(getattr(header, f.name)) for f in fields(header)})


def _fix(value):
    if isinstance(value, str):
        return _norm(_CONTROL.sub(" ", value))
    if isinstance(value, tuple):
        return tuple(_fix(v) for v in value)
    if isinstance(value, Party):
        return replaced(value, name=_fix(value.name))
    return value


def _norm(text: str) -> str:
    return " ".join(text.split())


def _clip(text: str, width: int = 60) -> str:
    text = _norm(text)
    return text if len(text) <= width else text[:width - 1] + "…"


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None


def _split_archive(line: str | None) -> tuple[str | None, str | None, str | None, str | None]:
    """``Archive, Place, reference. Translated for CWIHP by X.`` into its four parts."""
    if not line:
        return None, None, None, None
    credit = None
    m = CREDIT.search(line)
    if m:
        credit = m.group("credit").strip()
        line = line[:m.start()].strip()
    line = line.rstrip(".").strip()
    if not line:
        return None, None, None, credit
    parts = _split_commas(line)
    archive = parts[0]
    place = reference = None
    rest = parts[1:]
    if rest and _looks_like_place(rest[0]):
        place = rest.pop(0)
    if rest:
        reference = ", ".join(rest)
    return archive, place, reference, credit


def _split_commas(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            parts.append(text[start:k].strip())
            start = k + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _looks_like_place(text: str) -> bool:
    words = text.split()
    return (1 <= len(words) <= 4 and not any(ch.isdigit() for ch in text)
            and all(w[0].isupper() or w in ("de", "da", "am", "an", "der", "upon", "on")
                    for w in words)
            and not ORG_WORDS.search(text) and "Archive" not in text)


#: Two clauses of a credit ("Obtained by X and translated for CWIHP by Y"), and where they
#: part.  (The patterns of this module are compiled once here, not looked up in re's cache
#: by their text at each call: a page asks dozens of them.)
_AND_CREDIT_VERB: Final = re.compile(r" and " + CREDIT_VERBS, re.I)
_CREDIT_CLAUSES: Final = re.compile(r",? and (?=" + CREDIT_VERBS + r"\b)", re.I)


def _split_credit(credit: str) -> tuple[str | None, str | None, str | None]:
    """``(translator, obtained by, programme)`` from ``Translated for CWIHP by X``,
    ``Obtained by X and translated for CWIHP by Y``, ``Translated by X for NKIDP`` ..."""
    translator = obtained = programme = None
    credit = credit.strip().rstrip(".")
    whole = CREDIT_CLAUSE.match(credit)
    if whole and not _AND_CREDIT_VERB.search(whole.group("who") or ""):
        clauses = [credit]  # one clause, e.g. "Obtained and translated for CWIHP by X"
    else:
        clauses = _CREDIT_CLAUSES.split(credit)
    for clause in clauses:
        m = CREDIT_CLAUSE.match(clause.strip())
        if not m:
            continue
        verb = m.group("verb").lower()
        who = (m.group("who") or "").strip() or None
        programme = programme or m.group("prog") or m.group("prog2")
        if "translated" in verb:
            translator = translator or who
        if verb.startswith(("obtained", "contributed", "donated", "provided")):
            obtained = obtained or who
    return translator, obtained, programme


def _language(f: dict[str, list[str]], archive: str | None, place: str | None,
              translator: str | None) -> str | None:
    """The original's language: as the page states it, else as the archive's city or name
    tells (``Hungarian National Archives`` -> ``hu``); English for an untranslated document
    from an English-language archive."""
    stated = _first(f.get("language"))
    if stated:
        for code, name in vocab.LANGUAGE_NAMES.items():
            if name.lower() == stated.lower():
                return code
    guess = vocab.ARCHIVE_LANGUAGES.get((place or "").lower()) or vocab.language_of_archive(
        archive or "")
    if translator:
        return guess
    return "en" if guess == "en" else None


def _classification(zones: Zones, title: str, body: Body) -> str | None:
    """From the record field, else the head of the text, else the title."""
    recorded = _first(zones.fields.get("classification"))
    if recorded and vocab.classification_of(recorded):
        return vocab.classification_of(recorded)
    for block in body.front:
        if isinstance(block, Classification) and block.level:
            return block.level
    return vocab.classification_of(title)


def _type_from_heads(body: Body) -> str | None:
    for block in body.front:
        if isinstance(block, Head):
            found = vocab.doc_type_of(plain(block.content))
            if found:
                return found
    return None


NUMBER: Final = re.compile(rf"\b(?:No|NO|Nr|NR|Nº|№)\.?{SP}*(?P<n>[A-Z]{{0,4}}-?\d[\w/.-]*\w|\d)")


_COPY: Final = re.compile(r"^\s*(?:Copy|Copies)\b", re.I)


def _number(title: str, body: Body) -> str | None:
    """The document's number: from the title, a ``Number:`` field, the headings, or the
    handling lines at its head (``Cable No. 112/TT``; never ``Copy No. 2``)."""
    for block in body.front:
        if isinstance(block, Field) and block.kind == "number":
            text = plain(block.content, brackets=False).strip()
            if text:
                return text
    texts = [title] + [plain(b.content) for b in body.front if isinstance(b, Head)]
    texts += [plain(b.content) for b in body.front if isinstance(b, Classification)]
    for text in texts:
        if _COPY.match(text):
            continue
        m = NUMBER.search(text)
        if m:
            return m.group("n")
    return None


# ----------------------------------------------------------------------------- parties


HONORIFICS: Final = re.compile(r"^(?:(?:Comrades?|Brothers?|Sisters?|Mr\.?|Mrs\.?|Ms\.?|Messrs\.?|"
                               r"Shri|Sri|Herr|Frau|Genosse|Genossin|Monsieur|Madame|Señor|"
                               rf"Tovarishch|the|To){SP}+)+", re.I)
ROLE_NOUNS: Final = re.compile(r"\b(?:minister|ambassador|president|secretary|chairman|premier|"
                               r"commander|director|head|chief|consul|counsell?or|envoy|deputy|"
                               r"representative|governor|marshal|general|leader|member)\b", re.I)
TRAILING: Final = re.compile(
    rf",{SP}*(?:personally|in person|only|urgent|immediately)\.?$", re.I)


_SENT: Final = re.compile(rf"{SP}{{2,}}|\bSENT\b")


def _parties(title: str, body: Body) -> tuple[Party, ...]:
    """Sender and recipients: from the head's fields, else the title, else the signature."""
    parties: list[Party] = []
    for block in body.front:
        if isinstance(block, Field) and block.kind in ("from", "to", "copy"):
            role = {"from": "sent", "to": "received", "copy": "copy"}[block.kind]
            text = plain(block.content, brackets=False)
            if block.kind == "from":
                text = _SENT.split(text)[0]
                if _is_place_only(text):
                    continue  # "FROM HANOI": where it was sent from, not who sent it
            parties.extend(Party(name, role, _party_type(name)) for name in _names(text))
    s, r = _title_parties(title)
    if not any(p.role == "sent" for p in parties) and s:
        parties.insert(0, Party(s, "sent", _party_type(s)))
    if not any(p.role == "received" for p in parties) and r:
        parties.append(Party(r, "received", _party_type(r)))
    if not any(p.role == "sent" for p in parties):
        signer = _signer(body)
        if signer:
            parties.insert(0, Party(signer, "sent", _party_type(signer)))
    order = {"sent": 0, "received": 1, "copy": 2}
    return tuple(sorted(parties, key=lambda p: order[p.role]))


def _is_place_only(text: str) -> bool:
    words = text.split()
    return len(words) == 1 and _looks_like_place(text) and not ORG_WORDS.search(text)


TYPES_WITHOUT_SENDER: Final = ("minutes", "record-of-conversation")
_JOURNAL_OF: Final = re.compile(r"\b(?:[Jj]ournal|[Dd]iary) of (?P<s>.+?)(?:,| on | for |$)")
_STOP: Final = r"(?= on | about | regarding | concerning | in connection with |, |: |$)"
_FROM_BY: Final = re.compile(r"\b(?:from|by) (?:the )?(?P<rest>.+?)" + _STOP)
_SOMETHING_OF: Final = re.compile(r"^[A-Z][\w -]*? of (?:the )?(?P<rest>[A-Z].+?)" + _STOP)
_THE: Final = re.compile(r"^the ")


def _title_parties(title: str) -> tuple[str | None, str | None]:
    """``Cable from X to Y on ...``, ``Note by X``, ``Memorandum of X to Y``, ``Journal of X``."""
    m = _JOURNAL_OF.search(title)
    if m:
        return _strip_titles(m.group("s")), None
    m = _FROM_BY.search(title)
    kind = vocab.doc_type_of(title)
    if not m and kind not in TYPES_WITHOUT_SENDER:
        m = _SOMETHING_OF.match(title)
    if m:
        rest = m.group("rest")
        sender, _, recipient = rest.rpartition(" to ")
        if not sender:
            sender, recipient = rest, ""
        recipient = _THE.sub("", recipient)
        return _strip_titles(sender), (_strip_titles(recipient) if recipient else None)
    return _sender_from_type_title(title), None


_NUMBER_AT_END: Final = re.compile(r"\bNo\.?\s*\d[\w/-]*$")
#: Per document type, its words at the end of a title, longest first.
_TYPE_WORD_AT_END: Final = {
    kind: [re.compile(r"\b" + re.escape(word) + r"$", re.I)
           for word in sorted(words, key=len, reverse=True)]
    for kind, (_label, words) in vocab.DOC_TYPES.items()}


def _sender_from_type_title(title: str) -> str | None:
    """``Secret North Vietnam Politburo Cable No. 323`` -> ``North Vietnam Politburo``."""
    rest = title
    level = vocab.classification_of(title)
    if level:
        for phrase in sorted(vocab.CLASSIFICATIONS[level][1], key=len, reverse=True):
            if rest.lower().startswith(phrase):
                rest = rest[len(phrase):].strip()
                break
    rest = _NUMBER_AT_END.sub("", rest).strip()
    kind = vocab.doc_type_of(rest)
    if kind and kind != "other":
        for word_at_end in _TYPE_WORD_AT_END[kind]:
            m = word_at_end.search(rest)
            if m:
                sender = rest[:m.start()].strip()
                if sender and sender[0].isupper() and len(sender.split()) <= 6:
                    return sender
    return None


def _strip_titles(text: str) -> str:
    """``Soviet Ambassador A. Lavrentiev`` -> ``A. Lavrentiev``; bodies keep their name."""
    text = text.strip()
    if ORG_WORDS.search(text) and not INITIALS.search(text):
        return text
    m = INITIALS.search(text)
    if m:
        return text[m.start():].strip()
    stripped = PERSON_TITLES.sub("", text).strip()
    return stripped or text


_AND: Final = re.compile(r" and | AND |&")


def _names(text: str) -> list[str]:
    """The parties a field names: ``Comrade X, Minister; Comrade Y`` -> ``X``, ``Y``.

    Parts are split at semicolons, then commas; a part after the first that is only a role
    (``Minister of Foreign Affairs``) or a place (``Budapest``) describes the one before it.
    """
    text = TRAILING.sub("", text.strip())
    out: list[str] = []
    for group in [g for g in text.split(";") if g.strip()]:
        for k, part in enumerate(p.strip() for p in group.split(",") if p.strip()):
            if k and (_is_role(part) or (_looks_like_place(part) and len(part.split()) == 1
                                        and not ORG_WORDS.search(part))):
                continue
            for name in _AND.split(part):
                name = HONORIFICS.sub("", name.strip()).strip()
                if name and not name.lower().startswith("of "):
                    out.append(name)
    return out


_BODY_WORDS: Final = re.compile(r"\b(?:Ministry|Directorate|Department|Section|Committee|"
                                r"Embassy|Office|Bureau)\b", re.I)


def _is_role(text: str) -> bool:
    """``Minister of Foreign Affairs``, ``FIRST DEPUTY MINISTER``: a title, not a body."""
    return (ROLE_NOUNS.search(text) is not None and not INITIALS.search(text)
            and not _BODY_WORDS.search(text))


_ACRONYM: Final = re.compile(r"[A-ZÀ-Ž]{2,}")
_FULL_NAME: Final = re.compile(r"[A-ZÀ-Ž][\w'’-]+(?: [A-ZÀ-Ž][\w'’-]+){1,3}")


def _party_type(name: str) -> str | None:
    if ORG_WORDS.search(name) or _ACRONYM.fullmatch(name.split()[0] if name else ""):
        return "org"
    if INITIALS.search(name) or _FULL_NAME.fullmatch(name):
        return "person"
    return None


_SIGNED: Final = re.compile(r"^(?:Signed|SIGNED|Sd/-|Sgd\.|Recorded by|Prepared by|Drafted by)"
                           r"[: ]*")


def _signer(body: Body) -> str | None:
    for block in body.back:
        if isinstance(block, Signed):
            text = plain(block.content, brackets=False).strip()
            text = _SIGNED.sub("", text).strip()
            first = text.split("\n")[0].strip(" ()")
            if first and any(ch.isalpha() for ch in first):
                return first
    return None


_SPACES: Final = re.compile(rf"{SP}{{2,}}")


def plain(content: tuple[Inline, ...], brackets: bool = True) -> str:
    """The text of inlines; without ``brackets``, insertions are left out (names keep theirs)."""
    out: list[str] = []
    for node in content:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, Bracketed):
            if brackets:
                out.append("[" + plain(node.content) + "]")
            elif node.kind == "supplied-name":
                out.append(plain(node.content))
        elif isinstance(node, Abbreviation):
            out.append(plain(node.abbr))
            if brackets:
                out.append(node.space + "[" + plain(node.expansion.content) + "]")
        elif isinstance(node, (Name, DateText)):
            out.append(plain(node.content, brackets))
    text = "".join(out)
    return text if brackets else _SPACES.sub(" ", text).strip()
