"""The translator's square brackets, read for what they are.

Translations in the archive use square brackets for many different things: the expansion of an
abbreviation (``COSVN [Central Office for South Vietnam]``), a gloss (``[UN General Secretary]
U Thant``), a supplied part of a name (``[Tran Buu] Kiem``), words supplied to complete the
sense (``[from Belgrade]``), an alternative rendering (``contradictions [disputes]``), an
omission (``[…]``), illegible or garbled text, ``[sic]``, ``[Signed]``, a page break
(``[page 2]``) and note references (``[1]``).  :func:`parse_inlines` turns a block's text into
inlines, classifying each bracket by the written rules of :func:`classify` (documented with
examples in schema/README.md).  Brackets that do not pair up stay text and are reported.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from ..chars import SP, UPPER
from ..diagnostics import Diagnostic, warning
from ..model import Abbreviation, Bracketed, Inline, LineBreak, Text

_OMISSION: Final = re.compile(r"^[.…\s\u00a0]+$")
_PAGE: Final = re.compile(r"^(?:page|p\.|pg\.?)[\s\u00a0]*(?P<n>\d+[a-z]?)$", re.I)
_NOTEREF: Final = re.compile(r"^(?P<n>\d{1,3})$")
_SIC: Final = re.compile(r"^sic!?$", re.I)
_SIGNED: Final = re.compile(r"^(?:signed|signature|sgd\.?)$", re.I)
_ILLEGIBLE: Final = re.compile(
    r"\b(?:illegible|indecipherable|unreadable|unclear in the original)\b",
    re.I)
_GARBLED: Final = re.compile(r"\bgarble[ds]?\b", re.I)
_OMITTED: Final = re.compile(r"\b(?:omitted|missing|not declassified|deleted|excised|torn|damaged|"
                             r"text cut|cut off|blank in the original|lacuna)\b", re.I)
_CODENAME: Final = re.compile(r"^(?:[\w-]+ )?(?:codename|code name|code-name|cover name|pseudonym|"
                              r"cryptonym|alias|nom de guerre)\b", re.I)
_EDITORIAL: Final = re.compile(r"^(?:undated|no date|date unknown|n\.d\.|not dated)\b", re.I)
_ALTERNATIVE: Final = re.compile(r"^(?:alternatively|alternative translation|alternative reading|"
                                 r"or|also translated as|also)\s*:", re.I)
_LITERAL: Final = re.compile(r"^(?:literally|lit\.|word for word)\s*:?", re.I)
_SUPPLIED_START: Final = re.compile(
           r"^(?:of|from|in|on|at|to|for|by|with|and|or|into|toward|towards|about|under|over|"
           r"between|against|after|before|during|through|than|so|but|nor|upon|within|without|as|"
           r"we|they|he|she|it|you|i|there)\b")
_YEAR: Final = re.compile(r"^(?:1[89]\d\d|20\d\d)$")
_VERB_BEFORE: Final = re.compile(
    rf"\b[a-z]+(?:ed|ened){SP}\Z|\b(?:is|are|was|were|has|have|had|"
    rf"will|would|shall|should|can|could|may|might|must|to){SP}\Z")
#: A word (anything but white space, brackets, quotes and stops) and at most one space after
#: it, read backwards from the end of a text (matched on the text reversed: a search for
#: ``word space? \Z`` would try every place of the text in turn).
_WORD_AT_END: Final = re.compile(rf"(?P<space>{SP}?)(?P<abbr>[^\s\[\]()\"“”‘’,;:]+)")
_WORD_BEFORE: Final = re.compile(rf"(?P<word>[A-Za-z][a-z'’-]*){SP}\Z")
_WORD_BEFORE_CAPS: Final = re.compile(rf"(?P<word>[A-Z][A-Z'’-]*){SP}\Z")

_NAME_AFTER: Final = re.compile(rf"^{SP}[{UPPER}]")
_NAME_TOKEN: Final = re.compile(rf"^[{UPPER}](?:[a-zà-öø-ÿā-ž'’-]+|\.)$")
TITLE_WORDS: Final = frozenset("""
general secretary minister president premier chairman comrade comrades ambassador prime
foreign deputy vice marshal colonel captain commander king queen prince shah director head
chief leader party committee first second third mister mr mrs ms dr professor prof doctor
sir lord lady emperor pope cardinal bishop governor mayor senator consul envoy attache
lieutenant major sergeant admiral army navy government ministry embassy state council the
""".split())
COMMON_WORD_ZIPF: Final = 3.0
CONTEXT: Final = 80  # characters around a bracket that the rules may look at
MAX_BRACKET_WARNINGS: Final = 5  # per block; the rest are counted in one more warning


def parse_inlines(text: str, line: int = 1, all_caps: bool = False,
                  ) -> tuple[tuple[Inline, ...], list[Diagnostic]]:
    """Inlines of a block's text, and warnings for brackets that do not pair up.

    ``line`` is the source line the text starts on; ``all_caps`` says that the document is
    set in capitals, where an abbreviation cannot be told by its case alone.
    """
    out: list[Inline] = []
    notes: list[Diagnostic] = []
    unlisted = 0  # unbalanced brackets beyond MAX_BRACKET_WARNINGS, reported as a count
    pos = 0
    buf = ""
    while pos < len(text):
        i = _next_bracket(text, pos)
        if i < 0:
            buf += text[pos:]
            break
        if text[i] == "]":
            if len(notes) < MAX_BRACKET_WARNINGS:
                notes.append(_unbalanced(text, i, line, "closing"))
            else:
                unlisted += 1
            buf += text[pos:i + 1]
            pos = i + 1
            continue
        j = _matching(text, i)
        if j < 0:
            if len(notes) < MAX_BRACKET_WARNINGS:
                notes.append(_unbalanced(text, i, line, "opening"))
            else:
                unlisted += 1
            buf += text[pos:]
            break
        buf += text[pos:i]
        content = text[i + 1:j]
        # The rules look at a few words around the brackets only (long lines stay linear).
        kind, n = classify(content, buf[-CONTEXT:], text[j + 1:j + 1 + CONTEXT], all_caps)
        inner: list[Inline] = []
        _flush(content, inner)  # nested brackets inside stay text: they are the translator's
        bracket = Bracketed(kind, tuple(inner), n)
        if kind == "expansion":
            found = abbreviation_before(buf[-CONTEXT:], all_caps)
            assert found is not None  # classify() only says "expansion" when it found one
            abbr, space = found
            buf = buf[:len(buf) - len(abbr) - len(space)]
            _flush(buf, out)
            buf = ""
            out.append(Abbreviation((Text(abbr),), space, bracket))
        else:
            _flush(buf, out)
            buf = ""
            out.append(bracket)
        pos = j + 1
    _flush(buf, out)
    if unlisted:
        notes.append(warning("W004", f"{unlisted} more unbalanced brackets in this block "
                             "(not listed one by one)", line=notes[0].line, hint=notes[0].hint))
    return tuple(out), notes


def _flush(text: str, out: list[Inline]) -> None:
    """Append ``text`` as Text and LineBreak inlines (a line end takes its indentation)."""
    if not text:
        return
    if "\n" not in text:  # most runs: one line
        out.append(Text(text))
        return
    for k, part in enumerate(_LINE_END.split(text)):
        if not part:
            continue
        out.append(LineBreak(part) if k % 2 else Text(part))


_LINE_END: Final = re.compile(r"(\n[ \t\u00a0]*)")


def _next_bracket(text: str, pos: int) -> int:
    a, b = text.find("[", pos), text.find("]", pos)
    if a < 0:
        return b
    if b < 0:
        return a
    return min(a, b)


def _matching(text: str, i: int) -> int:
    """Index of the ``]`` that closes the ``[`` at ``i`` (nesting allowed), or -1."""
    depth = 0
    for k in range(i, len(text)):
        ch = text[k]
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return k
        elif ch == "\n" and text.startswith("\n", k + 1):
            return -1  # never across a blank line
    return -1


def _unbalanced(text: str, i: int, line: int, which: str) -> Diagnostic:
    at_line = line + text.count("\n", 0, i)
    column = i - (text.rfind("\n", 0, i) + 1) + 1
    snippet = text[max(0, i - 20):i + 20].replace("\n", " ")
    return warning("W004", f"unbalanced bracket: {which} bracket without its pair near "
                   f"“{snippet.strip()}”; kept as text", line=at_line, column=column,
                   hint="add the missing bracket in the source, or remove the stray one")


def classify(content: str, before: str, after: str, all_caps: bool = False,
             ) -> tuple[str, str | None]:
    """The kind of a bracketed insertion (a key of model.INSERTION_KINDS), and its number.

    ``before`` and ``after`` are the text around the brackets; the rules are tried in order.
    """
    c = " ".join(content.split())
    if not c or _OMISSION.match(c):
        return "omission", None
    m = _PAGE.match(c)
    if m:
        return "page", m.group("n")
    m = _NOTEREF.match(c)
    if m:
        return "noteref", m.group("n")
    if _SIC.match(c):
        return "sic", None
    if _SIGNED.match(c):
        return "signed", None
    if _ILLEGIBLE.search(c):
        return "illegible", None
    if _GARBLED.search(c):
        return "garbled", None
    if _OMITTED.search(c):
        return "omission", None
    if _CODENAME.match(c):
        return "codename", None
    if _EDITORIAL.match(c) or (not before.strip() and not after.strip() and len(c) > 40):
        return "editorial", None  # a remark on the document, not on a word of it
    if _LITERAL.match(c):
        return "literal", None
    if _ALTERNATIVE.match(c):
        return "alternative", None
    if _is_expansion(c, before, all_caps):
        return "expansion", None
    if _is_supplied_name(c, after):
        return "supplied-name", None
    if _is_parallel(c, before):
        return "alternative", None
    if _SUPPLIED_START.match(c) or _YEAR.match(c) or (
            _VERB_BEFORE.search(before) and _NAME_TOKEN.match(c.split()[0])
            and len(c.split()) <= 3):
        return "supplied", None
    if _is_alternative(c, before, all_caps):
        return "alternative", None
    return "gloss", None


def is_acronym(token: str) -> bool:
    """``COSVN``, ``CPCz``, ``MfS``, ``ČSSR``: mostly capitals, at least two of them."""
    if not token[:1].isupper():  # most words: no need to count their letters
        return False
    letters = [ch for ch in token if ch.isalpha()]
    if not 2 <= len(letters) <= 10 or not token[0].isupper():
        return False
    upper = sum(1 for ch in letters if ch.isupper())
    return upper >= 2 and upper / len(letters) >= 0.5


def abbreviation_before(before: str, all_caps: bool) -> tuple[str, str] | None:
    """``(abbreviation, space)`` ending ``before``: ``CPSU``, or a run such as ``CC CPSU``
    (in a text set in capitals, only the last word: every word there looks like one)."""
    found = _word_at_end(before)
    if not found:
        return None
    abbr, space, start = found
    if all_caps or not is_acronym(abbr):
        return abbr, space
    head = before[:start]
    for _ in range(2):
        prev = _word_at_end(head)
        if not prev or not prev[1] or not is_acronym(prev[0]):
            break
        abbr = prev[0] + prev[1] + abbr
        head = head[:prev[2]]
    return abbr, space


def _word_at_end(text: str) -> tuple[str, str, int] | None:
    """The word that ends ``text`` (but for one space after it), that space, and where the
    word starts."""
    m = _WORD_AT_END.match(text[::-1])
    if not m:
        return None
    return m.group("abbr")[::-1], m.group("space"), len(text) - m.end()


_WORD_SEPARATORS: Final = re.compile(r"[\s-]+")


def _is_expansion(content: str, before: str, all_caps: bool) -> bool:
    found = abbreviation_before(before, all_caps)
    if not found:
        return False
    abbr = found[0].split()[-1]
    if not is_acronym(abbr) or not content[:1].isupper() or len(content.split()) < 2:
        return False
    if not all_caps:
        return True
    initials = "".join(w[0] for w in _WORD_SEPARATORS.split(content)
                       if w and w.lower() not in ("of", "the", "and", "for", "in", "on"))
    letters = "".join(ch for ch in abbr if ch.isalpha())
    return initials.upper().startswith(letters.upper()) or letters.upper() in initials.upper()


def _is_parallel(content: str, before: str) -> bool:
    """``to kneel [to capitulate]``: the bracket renders the words before it again."""
    words = content.split()
    prior = before.split()
    return (2 <= len(words) <= 4 and len(prior) >= 2 and words[0].islower()
            and prior[-2].lower() == words[0].lower())


def _is_supplied_name(content: str, after: str) -> bool:
    tokens = content.split()
    if not 1 <= len(tokens) <= 3 or not _NAME_AFTER.match(after):
        return False
    return all(_NAME_TOKEN.match(t) and t.lower() not in TITLE_WORDS for t in tokens)


def _is_alternative(content: str, before: str, all_caps: bool) -> bool:
    """``contradictions [disputes]``: another English word for a common English word.

    In a text set in capitals case tells nothing, so only a single common word counts
    (``HUMBLE [HUMILIATE]``, but not ``FRIENDS [VIETNAMESE COMRADES]``).
    """
    if all_caps:
        m = _WORD_BEFORE_CAPS.search(before)
        return (m is not None and len(content.split()) == 1 and content.isalpha()
                and _zipf(m.group("word").lower()) >= COMMON_WORD_ZIPF
                and _zipf(content.lower()) >= COMMON_WORD_ZIPF)
    if not content[:1].islower() or len(content.split()) > 3:
        return False
    m = _WORD_BEFORE.search(before)
    if not m or not m.group("word")[:1].islower():
        return False
    return _zipf(m.group("word").lower()) >= COMMON_WORD_ZIPF


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    """How common an English word is (wordfreq's Zipf scale: 3 = once per million words)."""
    from wordfreq import zipf_frequency
    return zipf_frequency(word, "en")
