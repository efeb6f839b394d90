"""Names and the translator's insertions right after them.

- ``COSVN [Central Office for South Vietnam]``: an abbreviation and its expansion name the same
  entity (guidelines, rule 5); an unknown abbreviation takes the type and link of a known
  expansion, and the other way round;
- an abbreviation the translator expanded once names that entity wherever else the document
  uses it (``APL [Albanian Party of Labor] ... the APL``);
- ``Jinmen [Quemoy]``, ``Ünen [Truth]``: a name followed by another form of it in brackets;
  the two are one entity;
- ``Ba [codename of Le Duan]``, ``Wiesław [party pseudonym of Władysław Gomułka]``,
  ``"Orchid" [codename of an informant]``: a codename is a name of the entity its explanation
  names (a person for one individual, an organization for a body).

Each function changes ``chosen`` (candidates with their register ids, by segment) in place.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Final

from ..chars import UPPER
from ..rebuild import replaced
from .rules import EVENT_WORDS, ORG_HEADS, TITLES, Candidate, is_demonym
from .segments import Segment

Chosen = dict[int, list[tuple[Candidate, tuple[str, ...]]]]


def abbreviations(chosen: Chosen, segs: list[Segment]) -> None:
    """``COSVN [Central Office for South Vietnam]``: both name the same entity (rule 5).

    Only a name of the abbreviation alone is paired with its expansion; a longer name that
    ends with the abbreviation (``Embassy of the GDR``) leaves the expansion to itself.
    """
    for seg in segs:
        if seg.abbreviation is None or seg.expansion is None:
            continue
        lo, hi = seg.abbreviation
        start, end = _trim_span(seg.text, lo, hi)
        expan = segs[seg.expansion]
        _whole_expansion(chosen, expan)
        items, b = chosen[seg.index], chosen[expan.index]
        if any(c.start < lo < c.end for c, _r in items):
            continue  # a longer name ends with the abbreviation
        whole_a = [i for i in items if i[0].start <= start and i[0].end >= end]
        whole_b = [i for i in b if _covers(i[0], expan)]
        if whole_b and (not whole_a or (whole_b[0][0].source == "register"
                                        and whole_a[0][0].source != "register")):
            cand, refs = whole_b[0]
            chosen[seg.index] = [i for i in items if i[0].end <= lo] + [
                (replaced(cand, seg=seg.index, start=start, end=end), refs)]
        elif whole_a and not b and expan.text[:1].isupper():
            cand, refs = whole_a[0]
            a, z = _trim_span(expan.text)
            chosen[expan.index] = [(replaced(cand, seg=expan.index, start=a, end=z,
                                            name=expan.text[a:z]), refs)]


def _whole_expansion(chosen: Chosen, expan: Segment) -> None:
    """An expansion that is a name in capitalised words is one name: a proposal that covers
    only its first words ("Saint-Gobain Techniques" of "Saint-Gobain Techniques Nouvelles")
    is grown to all of it."""
    a, z = _trim_span(expan.text)
    items = chosen[expan.index]
    if len(items) == 1 and items[0][0].start == a and items[0][0].end < z \
            and not items[0][1] and _NAME_LIKE.match(expan.text[a:z]) and not expan.caps:
        cand, refs = items[0]
        chosen[expan.index] = [(replaced(cand, end=z, name=expan.text[a:z]), refs)]


def defined_abbreviations(chosen: Chosen, segs: list[Segment]) -> None:
    """An abbreviation the translator expanded once (``APL [Albanian Party of Labor]``) names
    the same entity wherever else the document uses it, unless it is expanded two ways."""
    defined: dict[str, set[tuple[str, tuple[str, ...], str | None]]] = defaultdict(set)
    found: dict[str, tuple[Candidate, tuple[str, ...]]] = {}
    for seg in segs:
        if seg.abbreviation is None or seg.expansion is None:
            continue
        start, end = _trim_span(seg.text, *seg.abbreviation)
        for cand, refs in chosen[seg.index]:
            if (cand.start, cand.end) == (start, end):
                word = seg.text[start:end]
                defined[word].add((cand.type, refs, cand.cert))
                found.setdefault(word, (cand, refs))
    found = {w: found[w] for w, kinds in defined.items() if len(kinds) == 1}
    if not found:
        return
    for seg in segs:
        items = chosen[seg.index]
        for t in seg.tokens():
            if t.text not in found:
                continue
            over = [k for k, (c, _r) in enumerate(items) if c.start < t.end and t.start < c.end]
            if any((items[k][0].start, items[k][0].end) != (t.start, t.end)
                   or items[k][0].source == "register" for k in over):
                continue  # inside a longer name, or linked already
            cand, refs = found[t.text]
            for k in reversed(over):
                del items[k]
            items.append((replaced(cand, seg=seg.index, start=t.start, end=t.end), refs))
        items.sort(key=lambda item: item[0].start)


def _covers(cand: Candidate, seg: Segment) -> bool:
    start, end = _trim_span(seg.text)
    return cand.start <= start and cand.end >= end


def _trim_span(text: str, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """``text[lo:hi]`` without the spaces around it and the punctuation after it."""
    hi = len(text) if hi is None else hi
    part = text[lo:hi]
    start = lo + len(part) - len(part.lstrip())
    end = lo + len(part.rstrip(" \u00a0.,;:"))
    return start, max(start, end)


#: What the explanation of a codename says it stands for, when it names no entity.
_PERSON_NOUNS: Final = frozenset("""
informant agent officer source man woman person diplomat official member employee journalist
student priest colonel general officer citizen collaborator spy resident contact engineer
""".split())
_CODENAME_OF: Final = re.compile(
    r"^(?:[\w-]+ )?(?:codename|code name|code-name|cover name|pseudonym|"
    r"cryptonym|alias|nom de guerre) (?:of|for) (?:the |an? )?", re.I)
_NAME_LIKE: Final = re.compile(
    rf"^(?:[{UPPER}][\w’'.-]*|of|the|and|i|e|de|la|del|von|van|al)"
    rf"(?: (?:[{UPPER}][\w’'.-]*|of|the|and|i|e|de|la|del|von|van|al))*$")


def glossed_names(chosen: Chosen, segs: list[Segment]) -> None:
    """A name and another form of it, or its codename's explanation, in brackets after it."""
    for seg in segs:
        if seg.insertion is None:
            continue
        kind, index = seg.insertion
        inner = segs[index]
        end = len(seg.text.rstrip(" \u00a0"))
        quoted = seg.text[:end].endswith(("”", '"', "’", "'"))
        items = chosen[seg.index]
        before = [i for i in items if i[0].end in (end, end - quoted)]
        if kind == "codename":
            _codename(chosen, seg, inner, items, before, end - quoted)
            continue
        a, z = _trim_span(inner.text)
        words = inner.text[a:z].split()
        if not _NAME_LIKE.match(inner.text[a:z]) or inner.caps or len(words) > 6 \
                or any(w.lower() in TITLES for w in words) or is_demonym(inner.text[a:z]) \
                or words[-1] in EVENT_WORDS:
            continue  # "[pruning]", "[HUMILIATE]", "[Prime Minister]", "[State of the Union
            # Address]": no other form of the name before it
        after = [i for i in chosen[inner.index] if (i[0].start, i[0].end) == (a, z)]
        if before and after:
            x, y = before[0], after[0]
            if _reliable(y) and not _reliable(x):
                items[items.index(x)] = _like(x[0], y)
            elif _reliable(x) and not _reliable(y):
                chosen[inner.index][chosen[inner.index].index(y)] = _like(y[0], x)
        elif before and not chosen[inner.index]:
            cand, refs = before[0]
            chosen[inner.index] = [(replaced(cand, seg=inner.index, start=a, end=z,
                                            name=inner.text[a:z]), refs)]


def _codename(chosen: Chosen, seg: Segment, inner: Segment, items: list, before: list,
              end: int) -> None:
    m = _CODENAME_OF.match(inner.text.lstrip())
    if m is None:
        return
    at = len(inner.text) - len(inner.text.lstrip()) + m.end()
    named = [i for i in chosen[inner.index] if i[0].start == at]
    if named:
        cand, refs = named[0]
        type_: str | None = cand.type
    else:
        words = set(re.findall(r"\w+", inner.text[at:].lower()))
        type_ = "person" if words & _PERSON_NOUNS else \
            "org" if any(w.capitalize() in ORG_HEADS for w in words) else None
        cand, refs = None, ()
    if type_ is None:
        return
    if before:
        x = before[0]
        if not (x[0].source == "register" and x[1]):
            items[items.index(x)] = (replaced(x[0], type=type_, cert=x[0].cert or "medium"),
                                     refs) if refs else (replaced(x[0], type=type_), ())
        return
    m = re.search(rf"[“\"]?((?:[{UPPER}][\w’'-]*)(?: [{UPPER}][\w’'-]*){{0,2}})[”\"]?$",
                  seg.text[:end + (seg.text[end:end + 1] in "”\"")])
    if m is None or m.group(1).split()[0].lower() in TITLES:
        return
    start, stop = m.start(1), m.end(1)
    if any(c.start < stop and start < c.end for c, _r in items):
        return
    proposal = Candidate(seg.index, start, stop, type_, "register" if refs else "rule:codename",
                         cert=None if refs else "medium", name=m.group(1))
    items.append((proposal, refs))
    items.sort(key=lambda item: item[0].start)


def _reliable(item: tuple[Candidate, tuple[str, ...]]) -> bool:
    return bool(item[1]) or item[0].source not in ("ner", "rule:acronym", "rule:org-short")


def _like(cand: Candidate, model: tuple[Candidate, tuple[str, ...]]):
    """``cand`` with the type and link of ``model``."""
    other, refs = model
    return (replaced(cand, type=other.type, source=other.source if refs else cand.source,
                    cert=None if refs else cand.cert), refs)
