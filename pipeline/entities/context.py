"""What the words around a name say about its type.

The statistical recognizer reads many names of Asian places as people's names (``Binh Dinh``,
``Aksai Chin``, ``Lingzi Tang``) and some people's names as places or bodies.  The text around
a name often settles it, whatever the name looks like:

- a **locative** word before it: ``in``, ``at``, ``near``, ``across``, ``via``, ``north of``,
  ``east of``, ``the plain of``, ``the port of``, ``the area of`` ...;
- a **place noun** after it, in lower case: ``the Aksai Chin area``, ``Quang Tri province``;
- **coordination** (a list with "and" or "or") with names whose type is known: in ``Da Nang,
  Chu Lai and Bien Hoa`` or ``Comrades Edvard Kardelj, Koča Popović, Nikola Ljubičić and
  Mijalko Todorović`` the names the register or the written rules found give the type of the
  ones the recognizer guessed.
"""

from __future__ import annotations

import re
from typing import Final

from ..chars import SP, UPPER
from ..rebuild import replaced
from .segments import Segment

#: Words after which a name is a place: "in Binh Dinh", "across the Aksai Chin".
LOCATIVE: Final = frozenset({"in", "at", "near", "around", "outside", "towards", "toward", "across",
                             "via", "through", "into", "beyond", "inside"})
_DIRECTIONS: Final = frozenset({"north", "south", "east", "west", "northeast", "northwest",
                                "southeast", "southwest", "northern", "southern", "eastern",
                                "western"})
#: Nouns that name a kind of place: "the plain of X", "the X area".
PLACE_NOUNS: Final = frozenset("""
area areas region province provinces district districts plain plains port city town village
villages valley coast island islands capital outskirts vicinity border borders frontier
territory territories county prefecture sector river pass plateau airfield airport harbour
harbor base bases zone mountains hills oblast state states peninsula delta tribes population
inhabitants governor
""".split())
_AFTER_PLACE: Final = frozenset(PLACE_NOUNS - {"state", "states", "capital", "city", "town", "base",
                                               "bases", "territory", "territories", "border",
                                               "borders", "tribes", "population", "inhabitants",
                                               "governor"})
#: Names listed before this one: "Binh Duong and ", "Da Nang, Chu Lai and ".
_NAME_WORD: Final = rf"[{UPPER}][^\W\d_]*(?:-[^\W\d_]+)*"
_LIST_BEFORE: Final = re.compile(
           rf"(?:{_NAME_WORD}(?: {_NAME_WORD}){{0,3}}(?:, | (?i:and) |, (?i:and) ))+$")
_WORD: Final = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_COORDINATION: Final = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)(?:the\s+)?$")
_WORD_AND_SPACE_AT_END: Final = re.compile(r"[^\W\d_]\s+$")
_AND_OR: Final = re.compile(r"\b(?:and|or)\b")


def _words_before(text: str, start: int, n: int) -> list[str]:
    return [w.lower() for w in _WORD.findall(text[max(0, start - 40):start])][-n:]


def place_context(seg: Segment, start: int, end: int) -> bool:
    """Whether the words around ``seg.text[start:end]`` make it a place."""
    text = seg.text
    m = _LIST_BEFORE.search(text[max(0, start - 80):start])
    if m:  # "in Binh Duong and Tay Ninh", "at Da Nang, Chu Lai and Bien Hoa"
        start -= len(m.group())
    if not _WORD_AND_SPACE_AT_END.search(text[max(0, start - 40):start]):
        return _after(text, end)  # after punctuation: the words before say nothing
    before = _words_before(text, start, 3)
    if before and before[-1] == "the":
        before = before[:-1]
    if not before:
        return _after(text, end)
    last = before[-1]
    if last in LOCATIVE:
        return True
    if last == "of" and len(before) >= 2 and (before[-2] in _DIRECTIONS
                                             or before[-2] in PLACE_NOUNS):
        return True
    if last == "from" and len(before) >= 2 and before[-2] in _DIRECTIONS:
        return True
    return _after(text, end)


#: A ship's or aircraft's name is no place: "the ship “Pueblo”".
_VESSEL: Final = re.compile(
    r"\b(?:ship|vessel|boat|cruiser|destroyer|submarine|frigate|tanker|"
    rf"freighter|steamer|aircraft|plane|liner|trawler){SP}*[“\"‘']?$", re.I)


def vessel_before(text: str, start: int) -> bool:
    """Whether the name at ``start`` is a ship's or an aircraft's (``SHIP “PUEBLO”``)."""
    return bool(_VESSEL.search(text[max(0, start - 30):start]))


def _after(text: str, end: int) -> bool:
    m = _WORD.match(text[end:end + 20].lstrip(" \u00a0"))
    return m is not None and m.group() in _AFTER_PLACE and text[end:end + 1] in (" ", "\u00a0")


def coordinated(seg: Segment, items: list) -> list:
    """``items`` (candidate, refs) of one segment, in order, with the recognizer's names
    retyped to the type of the names they are coordinated with (see the module docstring)."""
    if not any(cand.source == "ner" for cand, _refs in items):
        return list(items)  # nothing to retype (always so without the recognizer)
    chains: list[list[int]] = []
    for k, (cand, _refs) in enumerate(items):
        if k and _COORDINATION.match(seg.text[items[k - 1][0].end:cand.start]):
            chains[-1].append(k)
        else:
            chains.append([k])
    out = list(items)
    for chain in chains:
        if len(chain) < 2 or not any(_AND_OR.search(seg.text[
                items[k - 1][0].end:items[k][0].start]) for k in chain[1:]):
            continue  # "MFA, BUDAPEST", "Kabul, 15 September": no list without "and"
        known = {items[k][0].type for k in chain if items[k][0].source != "ner"}
        if len(known) != 1:
            continue
        type_ = known.pop()
        for k in chain:
            cand, refs = items[k]
            if cand.source == "ner" and cand.type != type_:
                out[k] = (replaced(cand, type=type_), refs)
    return out
