"""The ``entities`` pass: people, places and organizations tagged and linked.

For each document, in this order (schema/register.md gives the rules with examples):

1. **register**: every name of the register in the text, leftmost-longest, token by token
   (:mod:`.matcher`); names shared by several entries and short forms are decided by
   :mod:`.resolve` against the document's date, titles and setting;
2. **rules** (:mod:`.rules`) and the **statistical recognizer** (:mod:`.recognizer`) propose
   names the register lacks; the words around a recognizer's name may change its type
   (:mod:`.context`: ``in Binh Dinh`` is a place);
3. overlapping proposals are settled: the longest name wins (flat, never nested), the register
   before a rule on a tie, and the recognizer only where nothing else was found; in a list
   the known names give their type to the recognizer's, and a proposed name keeps one type
   in the document;
4. a proposed name that is a register name after all (``[Tran Buu] Kiem``) is linked;
5. a surname used after the full name in the same document is the same person;
6. an abbreviation and its bracketed expansion name the same entity, and so do the
   abbreviation elsewhere in the document, a name and its other form in brackets, and a
   codename and what its explanation names (:mod:`.pairs`);
7. the header's sender and recipients are linked the same way.

Names from the register get ``ref``; names the register lacks get ``cert`` and
``resp="#<doc>.ner"`` (machine-proposed, to be reviewed); undecided names get every candidate
and ``cert="low"``, and a warning.  The pass is pure: the recognizer's disk cache only
remembers answers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from pathlib import Path
from typing import Final

from ..chars import SP
from ..diagnostics import Diagnostic, info, warning
from ..model import Authority, Document, Header, Party
from ..passes import Context, Pass
from ..rebuild import replaced
from .context import coordinated, place_context, vessel_before
from .gazetteer import load_gazetteer, register_keys
from .matcher import Token, Trie, is_upper, name_key, tokenize
from .pairs import abbreviations, defined_abbreviations, glossed_names
from .recognizer import Recognizer
from .register import Register
from .resolve import Setting, add_to_setting, decide
from .rules import (EVENT_WORDS, NAME_WORDS, ORDINALS, ORG_HEADS, TITLES, Candidate,
                    is_common_word, is_demonym, is_word_in_capitals,
                    load_word_list, propose, zipf)
from .segments import Segment, Span, apply_names, segments

RESOURCE: Final = "entities"
#: Order of preference among candidates of the same length.
_RANK: Final = {"register": 0, "local": 1, "rule:supplied-name": 2, "rule:honorific": 3,
                "rule:org-pattern": 4, "rule:place-pattern": 5, "rule:gazetteer": 6,
                "rule:acronym": 7, "rule:org-short": 8, "ner": 9, "rule:initials": 3,
                "rule:korean-name": 3, "rule:signature": 3}
#: Lower-case words no name holds ("the commune at Xushui").
_INSIDE_NO_NAME: Final = frozenset(
    {"at", "in", "near", "to", "from", "by", "with", "on", "is", "are",
     "was", "were", "has", "have"})
_WORD: Final = re.compile(r"[^\W\d_]+")
#: In text set in capitals the recognizer reads words that ordinary type would not capitalise
#: ("COMMUNAL KITCHENS"); its names are kept there only when they hold a word this rare.
_RARE_ZIPF: Final = 2.5
_RARE_PLACE_ZIPF: Final = 3.5  # "IN HENAN AND HEBEI"
#: Reference numbers and codes: letters joined to digits ("USW-06317", "112/TT").
_CODE: Final = re.compile(r"[^\W\d_][-/]?\d|\d[-/]?[^\W\d_]")
#: What follows a person's name used as a modifier: "the Nagy government".
_PERSON_AFTER: Final = re.compile(rf"{SP}(?:government|regime|cabinet|administration|group|"
                                  r"clique|faction|line|family|era|period|plan|doctrine)\b")
_CAPS_COMMON_ZIPF: Final = 5.5  # "US" in "TOLD US": a pronoun, not the United States
#: Words after which a common word in capitals is a country, not a pronoun: "US WILL"
#: ("we will" would be the pronoun), "US FORCES".
_AFTER_A_SUBJECT: Final = frozenset("""
WILL WOULD SHALL SHOULD CAN COULD MAY MIGHT MUST HAS HAD IS WAS DOES DID SAYS SAID WANTS
INTENDS DEMANDS FORCES GOVERNMENT ARMY NAVY TROOPS AIRCRAFT SIDE IMPERIALISTS IMPERIALISM
EMBASSY DELEGATION PRESIDENT POSITION AUTHORITIES SHIPS SHIP OFFICIALS PRESS
""".split())
_AT_IN_NEAR: Final = re.compile(rf"\b(?:at|in|near){SP}+")
_LEADING: Final = {
    "the", "a", "an", "mr", "mrs", "ms", "dr", "comrade", "comrades", "sd", "sgd"} | TITLES


@dataclass
class Resources:
    """What the pass consults, loaded once per run."""

    register: Register
    names: Trie  # register names -> (id, short)
    gazetteer: Trie | None = None
    recognizer: Recognizer | None = None
    #: what each register name found stands for (see :func:`_entries_named`)
    named: dict = field(default_factory=dict, repr=False)


def build_resources(register: Register, recognizer: Recognizer | None = None,
                    gazetteer: bool = True, cache: Path | None = None) -> Resources:
    """The tries of the register's names and (``gazetteer``) of GeoNames' places, the
    latter kept in the folder ``cache`` for the next run (see :mod:`.gazetteer`)."""
    names: Trie = Trie()
    for entry in register.entries.values():
        for name in entry.names:
            names.add(name_key(name), (entry.id, False))
        for name in entry.short:
            names.add(name_key(name), (entry.id, True))
    return Resources(register, names,
                     load_gazetteer(register_keys(register), cache) if gazetteer else None,
                     recognizer)


def entities_pass() -> Pass:
    return Pass("entities", 500, _apply, "tag and link people, places and organizations")


def _apply(doc: Document, ctx: Context) -> tuple[Document, list[Diagnostic]]:
    res = ctx.resources.get(RESOURCE)
    if res is None:
        return doc, []
    return tag(doc, res)


# ----------------------------------------------------------------------------- the pass


def tag(doc: Document, res: Resources) -> tuple[Document, list[Diagnostic]]:
    """The document with its names tagged and linked, and what needs a reader's eye."""
    segs = segments(doc.body)
    register_found = [_register_candidates(seg, res) for seg in segs]
    setting = _setting(doc, register_found, res)
    notes: list[Diagnostic] = []
    chosen: dict[int, list[tuple[Candidate, tuple[str, ...]]]] = defaultdict(list)
    ner = _recognized(doc, segs, res)
    for seg, reg in zip(segs, register_found):
        decided: list[tuple[Candidate, tuple[str, ...]]] = []
        for cand in reg:
            full, short = cand.extra["full"], cand.extra["short"]
            if len(full) == 1 and not short:  # one entry bears the name: nothing to decide
                decided.append((cand, full))
                continue
            decision = decide(res.register, full, short, setting, _title_before(seg, cand.start))
            if decision.refs:
                decided.append((cand, decision.refs))
        others = [(c, ()) for c in propose(seg, res.gazetteer)]
        others += [(c, ()) for c in ner.get(seg.index, [])]
        found = decided + others
        chosen[seg.index] = coordinated(seg, _select(found)) if found else []
    _one_type_per_name(chosen)
    _link_proposals(chosen, segs, res, setting)
    _short_forms(chosen, segs, res)
    _with_initials(chosen, segs)
    abbreviations(chosen, segs)
    defined_abbreviations(chosen, segs)
    glossed_names(chosen, segs)
    spans, used, proposed = _spans(doc, chosen, segs, notes)
    body = apply_names(doc.body, spans, segs)
    header, party_refs, parties_proposed = _parties(doc, res, setting)
    used |= party_refs
    entries = tuple(e.xml for e in res.register.closure(used))
    recognizer = None
    if proposed or parties_proposed:
        recognizer = "teipipe entity rules" + (
            f" and {res.recognizer.description}" if res.recognizer else "")
    return replaced(doc, body=body, header=header,
                   authority=Authority(entries, recognizer)), notes


def _setting(doc: Document, register_found: list[list[Candidate]], res: Resources) -> Setting:
    """The document's year, its unambiguous full names and the countries they belong to
    (``register_found``: the register's names in each segment)."""
    year = int(doc.header.date_when[:4]) if doc.header.date_when and \
        doc.header.date_when[:4].isdigit() else None
    setting = Setting(year)
    # each mention counts: an entry named five times weighs five times (added at once)
    named: dict[str, int] = {}  # a Counter, made in compiled code
    for found in register_found:
        for cand in found:
            full = cand.extra["full"]
            if len(full) == 1 and not cand.extra["short"]:
                named[full[0]] = named.get(full[0], 0) + 1
    setting.named.update(named)
    for eid, times in named.items():
        add_to_setting(setting, res.register, eid, 2, times)
    for place in (doc.header.archive_place, *doc.header.places):
        for eid in res.register.ids_named(place or "", "place", include_short=False) \
                if place else []:
            add_to_setting(setting, res.register, eid, 1)
    return setting


def _register_candidates(seg: Segment, res: Resources) -> list[Candidate]:
    toks = seg.tokens()
    out = []
    # a segment of text alone (most) has nothing to widen a name over
    widen = seg.widen if seg.brackets or seg.abbreviation is not None else None
    for i, j, values in res.names.find(toks):
        start, end = toks[i].start, toks[j - 1].end
        if widen is not None:
            start, end = widen(start, end)
        surface = seg.text[start:end]
        if seg.caps and j - i == 1 and is_common_word(surface) and \
                _zipf(surface) >= _CAPS_COMMON_ZIPF and not (i and toks[i - 1].text == "THE") \
                and not (j < len(toks) and toks[j].text in _AFTER_A_SUBJECT):
            continue  # "TOLD US": a pronoun; "THE US", "US WILL", "US FORCES": the country
        refs, full, short, type_, only_short = _entries_named(res, values)
        out.append(Candidate(seg.index, start, end, type_, "register", refs, None,
                             only_short, surface, {"full": full, "short": short}))
    return out


def _entries_named(res: Resources, values: list[tuple[str, bool]],
                   ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str, bool]:
    """The entries a register name found in the text stands for (``values``: (id, short
    form?) pairs), those of them it names in full, those it names by a short form only, its
    type, and whether it is a short form of all of them; worked out once per run for each
    name the documents use."""
    key = tuple(values)
    known = res.named.get(key)
    if known is not None:
        return known
    refs = tuple(sorted({eid for eid, _short in values}))
    short = tuple(sorted({eid for eid, s in values if s} - {e for e, s in values if not s}))
    type_ = res.register.entries[refs[0]].type
    types = {res.register.entries[r].type for r in refs}
    if len(types) > 1:  # a name of a person and of a place: keep the full-name type
        type_ = res.register.entries[[e for e, s in values if not s][0]].type \
            if any(not s for _e, s in values) else type_
        refs = tuple(r for r in refs if res.register.entries[r].type == type_)
    full = tuple(r for r in refs if r not in short)
    known = res.named[key] = (refs, full, short, type_, bool(short) and set(short) == set(refs))
    return known


def _zipf(word: str) -> float:
    return zipf(word.lower())


def _title_before(seg: Segment, start: int) -> str | None:
    """The title just before a name (full stops aside): ``Ambassador``, ``Comrade``.

    That is the last token of the 40 characters before the name that is not a full stop,
    as :func:`.matcher.tokenize` cuts them (a run of word characters, else one character),
    found by walking back from the name.
    """
    text, low, end = seg.text, max(0, start - 40), start
    while end > low and (text[end - 1] == "." or text[end - 1].isspace()):
        end -= 1
    begin = end - 1
    if begin < low:
        return None
    if _word_char(text[begin]):
        while begin > low and _word_char(text[begin - 1]):
            begin -= 1
    word = text[begin:end]
    return word if word.lower() in TITLES else None


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what ``\w`` matches in a str pattern


def _recognized(doc: Document, segs: list[Segment], res: Resources,
                ) -> dict[int, list[Candidate]]:
    """The statistical recognizer's names, trimmed to the annotation rules."""
    if res.recognizer is None or not segs:
        return {}
    found = res.recognizer.entities(doc.source.sha256, [s.plain() for s in segs])
    out: dict[int, list[Candidate]] = defaultdict(list)
    for seg, ents in zip(segs, found):
        for start, end, type_ in ents:
            cand = _trimmed(seg, start, end, type_)
            if cand is not None:
                out[seg.index].append(cand)
    return out


def _trimmed(seg: Segment, start: int, end: int, type_: str) -> Candidate | None:
    toks = [t for t in seg.tokens() if start <= t.start and t.end <= end]
    while toks and (toks[0].text.lower() in _LEADING or not toks[0].text[:1].isalnum()):
        toks = toks[1:]
        while toks and toks[0].text == ".":
            toks = toks[1:]
    while toks and (not toks[-1].text[:1].isalnum() or toks[-1].text == "s" and len(toks) > 1
                    and toks[-2].text in ("'", "’")):
        if toks[-1].text == "." and len(toks) > 1 and len(toks[-2].text) <= 2:
            break  # an initial or an abbreviation keeps its full stop: "U.S."
        toks = toks[:-1]
    if not toks:
        return None
    a, b = seg.widen(*_whole_words(seg.text, toks[0].start, toks[-1].end))
    text = seg.text[a:b]
    words = [t for t in toks if t.text[:1].isalpha()]
    if _CODE.search(seg.text[max(0, a - 1):b + 1]) or vessel_before(seg.text, a):
        return None  # "USW-06317", "112/TT": a reference; "SHIP “PUEBLO”": a vessel
    if not words or not all(w.text[:1].isupper() for w in words if len(w.text) > 3
                            and w.text.lower() not in ("of", "the", "and", "for")):
        return None
    if is_demonym(text) or "\n" in text or (len(words) == 1 and is_common_word(words[0].text)
                                            and not is_upper(words[0].text)):
        return None
    before = seg.text[max(0, a - 12):a].split()
    if all(is_common_word(w.text) for w in words) and (
            type_ != "org" or len(words) == 1 or not any(w.text in ORG_HEADS for w in words)):
        return None  # "Top Secret", "Cable No", "TELEGRAM"
    if words[-1].text in EVENT_WORDS or (before and ORDINALS.match(before[-1])):
        return None  # "Union Address", "Fourteenth Congress": an event, not a body
    if len(words) == 1 and (is_word_in_capitals(words[0].text) or type_ == "org" and
                            words[0].text not in ORG_HEADS and zipf(words[0].text) >= 2.5):
        return None  # "TELEGRAM", "Undated": a word, not the name of a body
    if type_ == "org" and any(w.text.lower() in TITLES for w in words):
        return None  # "Soviet First Deputy Minister of Foreign Affairs": an office
    if type_ == "person" and any(w.text.capitalize() in ORG_HEADS or is_demonym(w.text)
                                 for w in words if len(w.text) > 2) \
            or type_ == "org" and is_demonym(words[0].text) and not any(
                w.text.capitalize() in ORG_HEADS for w in words):
        return None  # "SOVIET DELEGATION" is no person, "American warships" no body
    view = _WORD.findall(seg.plain()[a:b])
    if any(w in _INSIDE_NO_NAME for w in view):  # "Commune at Xushui": "Xushui", a place
        m = list(_AT_IN_NEAR.finditer(seg.plain()[a:b]))
        return _trimmed(seg, a + m[-1].end(), b, "place") if m else None
    if seg.caps:  # only rare words make a name; a little less rare where a place is said
        rarity = min((zipf(w.lower()) for w in view if w not in NAME_WORDS
                      and not is_demonym(w)), default=9.0)
        if rarity >= _RARE_ZIPF and not (rarity < _RARE_PLACE_ZIPF
                                         and place_context(seg, a, b)):
            return None
    if any(t.text in ("[", "]") for t in toks) and not seg.brackets:
        return None
    last = before[-1].lower() if before else ""
    context = place_context(seg, a, b)
    if type_ == "person" and seg.text[b:b + 2] not in ("’s", "'s") and (
            context or last == "the" and not _PERSON_AFTER.match(seg.text[b:b + 20])) \
            or type_ == "org" and len(words) == 1 and (context or last in ("to", "from")):
        type_ = "place"  # "in Binh Dinh", "the Rhodopes": the recognizer's name is a place
    cert = "medium" if type_ == "person" and len(words) > 1 else "low"
    return Candidate(seg.index, a, b, type_, "ner", cert=cert,
                     name=" ".join(text.replace("[", "").replace("]", "").split()),
                     extra={"context": context and type_ == "place"})


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """A span grown to whole hyphenated words: the recognizer cuts "Bayan-Ölgii" after
    "Bayan"; a name never starts or ends inside a word."""
    while start > 1 and text[start - 1] == "-" and text[start - 2].isalpha():
        start -= 1
        while start > 0 and text[start - 1].isalpha():
            start -= 1
    while end + 1 < len(text) and text[end] == "-" and text[end + 1].isalpha():
        end += 1
        while end < len(text) and text[end].isalpha():
            end += 1
    return start, end


def _select(cands: list[tuple[Candidate, tuple[str, ...]]],
            ) -> list[tuple[Candidate, tuple[str, ...]]]:
    """Non-overlapping names: longest first, register before rules, recognizer last."""
    if len(cands) < 2:  # most segments: nothing to choose between
        return list(cands)

    def key(item):
        c = item[0]
        return (c.source == "ner", -(c.end - c.start), _RANK.get(c.source, 9), c.start)
    taken: list[tuple[Candidate, tuple[str, ...]]] = []
    for item in sorted(cands, key=key):
        c = item[0]
        if any(c.start < t.end and t.start < c.end for t, _r in taken):
            continue
        taken.append(item)
    return sorted(taken, key=lambda item: item[0].start)


def _one_type_per_name(chosen) -> None:
    """A name the recognizer proposes has one type in a document: the type that a rule, or
    the words around one of its occurrences, gave it ("at Jabal Saraj" ... "for Jabal
    Saraj")."""
    known: dict[str, set[str]] = defaultdict(set)
    for items in chosen.values():
        for cand, refs in items:
            if cand.name and not refs and (cand.source != "ner" or cand.extra.get("context")):
                known[cand.name].add(cand.type)
    for items in chosen.values():
        for k, (cand, refs) in enumerate(items):
            types = known.get(cand.name, set())
            if cand.source == "ner" and len(types) == 1 and cand.type not in types:
                items[k] = (replaced(cand, type=next(iter(types))), refs)


def _with_initials(chosen, segs: list[Segment]) -> None:
    """A person's initials before the name belong to it (``A. Dubček``, ``L. I. Brezhnev``)."""
    for seg in segs:
        items = chosen[seg.index]
        if not any(cand.type == "person" for cand, _refs in items):
            continue  # no person, no initials to take in
        toks = seg.tokens()
        starts = {t.start: k for k, t in enumerate(toks)}  # token index by offset
        for n, (cand, refs) in enumerate(items):
            k = starts.get(cand.start)
            if cand.type != "person" or k is None:
                continue
            first = k
            while first >= 2 and toks[first - 1].text == "." and \
                    toks[first - 2].text[:1].isupper() and toks[first - 2].text.isalpha() \
                    and len(toks[first - 2].text) <= 2 and \
                    toks[first - 2].text.lower() not in TITLES | {"st", "sd", "no"} and \
                    seg.text[toks[first - 1].end:toks[first].start] in (" ", "\u00a0", ""):
                first -= 2
            if first < k and not any(c.end > toks[first].start and c.start < cand.start
                                     for c, _r in items if c is not cand):
                items[n] = (replaced(cand, start=toks[first].start), refs)


def _link_proposals(chosen, segs: list[Segment], res: Resources, setting: Setting) -> None:
    """A proposed name that is a register name in full ("[Tran Buu] Kiem") gets its link."""
    for index, items in chosen.items():
        for k, (cand, refs) in enumerate(items):
            if cand.source == "register" or not cand.name:
                continue
            toks = tokenize(cand.name)
            while cand.type == "person" and len(toks) > 2 and toks[1].text == "." \
                    and len(toks[0].text) <= 2:
                toks = toks[2:]  # "A. Dubček" is "Dubček" of the register
            end, values = res.names.longest_at(toks, 0)
            if values and end == len(toks):
                full = tuple(sorted({e for e, s in values if not s}))
                short = tuple(sorted({e for e, s in values if s} - set(full)))
                decision = decide(res.register, full, short, setting, None)
                if decision.refs:
                    types = {res.register.entries[r].type for r in decision.refs}
                    type_ = types.pop() if len(types) == 1 else cand.type
                    items[k] = (replaced(cand, source="register", type=type_, cert=None),
                                decision.refs)


def _short_forms(chosen, segs: list[Segment], res: Resources) -> None:
    """A surname (or a given name) after the full name, in the same document, is that
    person (rule 8), unless two people of the document share it ("Kim")."""
    aliases: dict[str, tuple[tuple[int, int], Candidate, tuple[str, ...]]] = {}
    owners: dict[str, set[str]] = defaultdict(set)
    for seg in segs:
        items = chosen[seg.index]
        for cand, refs in items:
            if cand.type != "person" or (cand.source == "register" and len(refs) != 1):
                continue
            full = res.register.entries[refs[0]].preferred if refs else cand.name
            words = _name_words(full)
            if len(words) < 2:
                continue
            for word in (words[-1], words[0]):
                if len(word) >= 3 and word[:1].isupper() and not is_common_word(word):
                    aliases.setdefault(word, ((seg.index, cand.start), cand, refs))
                    owners[word].add(refs[0] if refs else " ".join(words))
    for word, people in owners.items():
        if len(people) > 1:
            del aliases[word]
    if not aliases:
        return
    for seg in segs:
        items = chosen[seg.index]
        if aliases.keys().isdisjoint(seg.words()):  # no surname here: nothing to add
            items.sort(key=lambda item: item[0].start)
            continue
        toks = seg.tokens()
        for t in compress(toks, map(aliases.__contains__, seg.texts())):
            hit = aliases[t.text]
            if hit[0] >= (seg.index, t.start):
                continue
            start, end = seg.widen(t.start, t.end)
            if any(start < c.end and c.start < end for c, _r in items):
                continue
            _where, full, refs = hit
            items.append((Candidate(seg.index, start, end, "person",
                                    "register" if refs else "local", cert=full.cert,
                                    name=full.name), refs))
        items.sort(key=lambda item: item[0].start)


@lru_cache(maxsize=1 << 14)
def _name_words(name: str) -> tuple[str, ...]:
    """The words of a person's name (documents name the same people again and again)."""
    return tuple(t.text for t in tokenize(name) if t.text[:1].isalpha())


def _spans(doc: Document, chosen, segs: list[Segment], notes: list[Diagnostic],
           ) -> tuple[dict[int, list[Span]], set[str], bool]:
    resp = f"#{doc.id}.ner"
    spans: dict[int, list[Span]] = {}
    used: set[str] = set()
    proposed = False
    reported: set[str] = set()
    for seg in segs:
        out = []
        for cand, refs in chosen[seg.index]:
            if refs:
                used.update(refs)
                ambiguous = len(refs) > 1
                out.append(Span(cand.start, cand.end, cand.type, " ".join(refs),
                                "low" if ambiguous else None))
                surface = seg.text[cand.start:cand.end]
                if ambiguous and surface not in reported:
                    reported.add(surface)
                    notes.append(warning("W301", f"“{surface}” may be any of "
                                         f"{', '.join(refs)}; tagged with all of them and "
                                         "cert=\"low\"",
                                         hint="say which in the register (a short form, an "
                                         "office with dates) or fix the TEI by hand"))
            else:
                proposed = True
                out.append(Span(cand.start, cand.end, cand.type, None, cand.cert or "low",
                                resp))
        if out:
            spans[seg.index] = out
    if proposed:
        count = sum(1 for s in spans.values() for x in s if x.resp)
        notes.append(info("I302", f"{count} names not in the register were proposed by "
                          "machine (resp=\"#…ner\"); see `teipipe entities review`"))
    return spans, used, proposed


def _parties(doc: Document, res: Resources, setting: Setting,
             ) -> tuple[Header, set[str], bool]:
    """The header's sender and recipients, linked when the register knows them; a typed
    party the register lacks is marked as proposed (``cert="low"``, ``resp`` the rules), like
    a name of the text, so that it is reviewed too."""
    used: set[str] = set()
    parties = []
    proposed = False

    def unlinked(party: Party) -> Party:
        nonlocal proposed
        if party.type is None:
            return party  # written as <name>: nothing claims what kind of name it is
        proposed = True
        return replaced(party, cert="low", resp=f"#{doc.id}.ner")

    for party in doc.header.parties:
        toks: list[Token] = tokenize(party.name)
        end, values = res.names.longest_at(toks, 0)
        if not values or end != len(toks):
            parties.append(unlinked(party))
            continue
        full = tuple(sorted({e for e, s in values if not s}))
        short = tuple(sorted({e for e, s in values if s} - set(full)))
        decision = decide(res.register, full, short, setting, None)
        if not decision.refs:
            parties.append(unlinked(party))
            continue
        used.update(decision.refs)
        type_ = res.register.entries[decision.refs[0]].type
        parties.append(Party(party.name, party.role, type_, " ".join(decision.refs),
                             "low" if len(decision.refs) > 1 else None, None))
    return replaced(doc.header, parties=tuple(parties)), used, proposed


def load(register_path: Path, use_recognizer: bool, cache_dir: Path | None) -> Resources:
    """Load the register and (when installed and wanted) the recognizer.

    ``cache_dir`` is the recognizer's folder of answers; the gazetteer is kept beside it
    (``gazetteer/`` in the same cache folder)."""
    from .recognizer import available
    from .register import load_register
    register, _notes = load_register(register_path)
    recognizer = Recognizer(cache_dir) if use_recognizer and available() else None
    resources = build_resources(register, recognizer,
                                cache=cache_dir.parent / "gazetteer" if cache_dir else None)
    load_word_list()  # after the gazetteer: its source data is gone by then (less memory)
    return resources
