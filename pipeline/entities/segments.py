"""The document's inlines as runs of text, and names put back into them.

A *segment* is a stretch of inlines a name may span: ``Text`` nodes, the translator's
supplied name parts (``[Tran Buu] Kiem`` is one name across a ``Bracketed`` and a ``Text``)
and, last, an abbreviation with its expansion, of which only the abbreviation's letters are
text of the segment (``Embassy of the GDR [German Democratic Republic]``: the segment reads
``Embassy of the GDR``).  So a name may end with an abbreviation and then holds its expansion
too, which is the translator's and not part of the name as printed; a name of the
abbreviation alone goes inside it (``<abbr>``).  Line breaks, other insertions, dates and
existing names end a segment, and so does an abbreviation; the text inside an insertion (a
gloss, an expansion) is a segment of its own, so names there are tagged on their own.

:func:`segments` lists every segment of a body in document order; :func:`apply_names`
rebuilds the body with ``Name`` nodes that wrap exactly the inlines of each chosen span, so
the text of the document does not change by a single character.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Final

from ..model import (Abbreviation, Address, Block, Body, Bracketed, DateText, Field, Inline,
                     Item, ListBlock, Name, Note, Paragraph, Section, Signed, SpeakerTurn, Text,
                     Enclosure)
from ..export.text import inline_text
from ..rebuild import replaced
from .matcher import Token, fold, is_upper, tokenize


@dataclass(init=False)
class Segment:
    """One run of text; ``pieces`` are its inlines with their offsets in ``text``.

    (Its ``__init__`` is written out, for the reason given at :class:`.rules.Candidate`;
    what it works out on demand is not given to it.)"""

    text: str
    pieces: list[tuple[int, int, Inline]]
    where: str  # what holds it: p, head, field:to, signed, speaker, note, expan, gloss, ...
    caps: bool = False  # the block it belongs to is written in capitals
    index: int = 0
    expansion: int | None = None  # the segment of the expansion of the closing abbreviation
    insertion: tuple[str, int] | None = None  # the kind and segment of a gloss right after it
    _tokens: list[Token] | None = field(default=None, init=False, repr=False)
    _brackets: list[tuple[int, int]] | None = field(default=None, init=False, repr=False)
    _plain: str | None = field(default=None, init=False, repr=False)
    _texts: list[str] | None = field(default=None, init=False, repr=False)
    _words: set[str] | None = field(default=None, init=False, repr=False)

    def __init__(self, text: str, pieces: list[tuple[int, int, Inline]], where: str,
                 caps: bool = False, index: int = 0, expansion: int | None = None,
                 insertion: tuple[str, int] | None = None) -> None:
        self.text = text
        self.pieces = pieces
        self.where = where
        self.caps = caps
        self.index = index
        self.expansion = expansion
        self.insertion = insertion
        self._tokens = None
        self._brackets = None
        self._plain = None
        self._texts = None
        self._words = None

    @property
    def brackets(self) -> list[tuple[int, int]]:
        """Spans of the supplied name parts, brackets included."""
        if self._brackets is None:
            self._brackets = [(a, b) for a, b, node in self.pieces
                              if isinstance(node, Bracketed)]
        return self._brackets

    def tokens(self) -> list[Token]:
        """Tokens of the text, without the square brackets of supplied name parts."""
        if self._tokens is None:
            self._tokens = self._tokenize(self.text)
        return self._tokens

    def texts(self) -> list[str]:
        """The texts of the tokens, in order (made once: the rules and the tagger each look
        through them)."""
        if self._texts is None:
            self._texts = [t.text for t in self.tokens()]
        return self._texts

    def words(self) -> set[str]:
        """The texts of the tokens, as a set."""
        if self._words is None:
            self._words = set(self.texts())
        return self._words

    def view_tokens(self) -> list[Token]:
        """Tokens of the text as ordinary type would have it (see :func:`truecase`).

        In ASCII, changing case changes no character's class (letter, space, other), so
        the text in ordinary type has the very tokens of the text as written, each with its
        letters' case changed: they are cut from it at the tokens' offsets rather than found
        again.  (Other text is tokenized again: some letters change length with case.)
        """
        if not self.caps:
            return self.tokens()
        view = truecase(self.text)
        if not view.isascii():
            return self._tokenize(view)
        out: list[Token] = []
        for t in self.tokens():
            w = view[t.start:t.end]
            out.append(Token(t.start, t.end, w, w if w != "`" else fold(w)))
        return out

    def _tokenize(self, text: str) -> list[Token]:
        if not self.brackets:
            return tokenize(text)
        marks = {a for a, _b in self.brackets} | {b - 1 for _a, b in self.brackets}
        return [t for t in tokenize(text) if t.start not in marks]

    def plain(self) -> str:
        """The text for the recognizer: same length, supplied-name brackets blanked.

        Text in capitals is given in ordinary case (common English words in lower case,
        other words capitalised), because the recognizer reads case as a sign of a name.
        """
        if self._plain is None:
            chars = list(truecase(self.text) if self.caps else self.text)
            for a, b in self.brackets:
                chars[a] = chars[b - 1] = " "
            self._plain = "".join(chars)
        return self._plain

    @property
    def abbreviation(self) -> tuple[int, int] | None:
        """The span of the abbreviation that closes the segment, if one does."""
        if self.pieces and isinstance(self.pieces[-1][2], Abbreviation):
            return self.pieces[-1][0], self.pieces[-1][1]
        return None

    def widen(self, start: int, end: int) -> tuple[int, int]:
        """A span grown so that it never cuts a supplied name part in two, nor cuts into an
        abbreviation from outside (a name that ends in one takes all of it)."""
        for a, b in self.brackets:
            if a < start < b:
                start = a
            if a < end < b:
                end = b
        abbr = self.abbreviation
        if abbr is not None and start < abbr[0] < end < abbr[1]:
            end = abbr[1]
        return start, end


#: Insertions that may say who or what the name before them is: ``Jinmen [Quemoy]``,
#: ``Ba [codename of Le Duan]``, ``Ünen [Truth]``.
INSERTIONS_AFTER_NAMES: Final = frozenset({"gloss", "alternative", "literal", "codename"})


@dataclass(slots=True, init=False)
class Span:
    """A name to put into a segment: offsets, type and the Name attributes (never changed
    once made; not frozen for speed, and with an ``__init__`` of its own, as
    :class:`.rules.Candidate`)."""

    start: int
    end: int
    type: str
    ref: str | None = None
    cert: str | None = None
    resp: str | None = None

    def __init__(self, start: int, end: int, type: str, ref: str | None = None,
                 cert: str | None = None, resp: str | None = None) -> None:
        self.start = start
        self.end = end
        self.type = type
        self.ref = ref
        self.cert = cert
        self.resp = resp


def truecase(text: str) -> str:
    """Text in capitals as it would be in ordinary type (same length): common English words
    in lower case, words of names and of bodies capitalised, short rare words (``RCP``) kept
    as abbreviations.  ``MINISTER CORNELIU MANESCU RECEIVED THE SOVIET EMBASSY`` ->
    ``Minister Corneliu Manescu received the Soviet Embassy``.
    """
    parts = _LETTERS.split(text)  # words at the odd places, what lies between them around
    parts[1::2] = map(_truecase_word, parts[1::2])
    return "".join(parts)


_LETTERS: Final = re.compile(r"([^\W\d_]+)")


@lru_cache(maxsize=1 << 14)
def _truecase_word(w: str) -> str:
    """One word of :func:`truecase` (text in capitals repeats its words: remembered)."""
    from .rules import NAME_WORDS, PLACE_WORDS, is_common_word, is_demonym
    if w in NAME_WORDS:  # an abbreviation such as CC, MFA
        return w
    if w.capitalize() in NAME_WORDS or w.capitalize() in PLACE_WORDS or is_demonym(w):
        return w.capitalize()
    if is_common_word(w):
        return w.lower()
    return w if len(w) <= 4 else w.capitalize()


# ----------------------------------------------------------------------------- walking

Rewrite = Callable[[tuple[Inline, ...], str, bool], tuple[Inline, ...]]


def _map_body(body: Body, fn: Rewrite, caps: Callable[[tuple[Inline, ...]], bool] | None = None,
              ) -> Body:
    """``body`` with every inline sequence replaced by ``fn(sequence, where, caps)``.

    What ``fn`` gives back unchanged (the same object) is not copied: a block, a list of
    blocks or the body itself stays the very object it was when nothing in it changed.
    ``caps`` says whether a block's content is in capitals (by default, :func:`_caps`; a
    walk that does not need to know passes ``_never`` and saves reading every block).
    """
    caps = caps or _caps

    def each(blocks):
        return _same(tuple(_block(b, fn, caps) for b in blocks), blocks)
    return _changed(body, front=each(body.front), main=each(body.main), back=each(body.back),
                    post=each(body.post), enclosures=each(body.enclosures),
                    notes=each(body.notes))


def _same(new: tuple, old: tuple) -> tuple:
    """``old`` when ``new`` holds the very same objects, else ``new``."""
    return old if len(new) == len(old) and all(map(operator.is_, new, old)) else new


def _changed(obj, **fields):
    """``replace(obj, **fields)``, or ``obj`` itself when every field is the object it had."""
    if all(getattr(obj, name) is value for name, value in fields.items()):
        return obj
    return replaced(obj, **fields)


def _block(block: Block | Item, fn: Rewrite, caps: Callable[[tuple[Inline, ...]], bool]):
    if isinstance(block, (Section, Enclosure)):
        return _changed(block, blocks=_same(tuple(_block(b, fn, caps) for b in block.blocks),
                                            block.blocks))
    if isinstance(block, ListBlock):
        return _changed(block, items=_same(tuple(_block(i, fn, caps) for i in block.items),
                                           block.items))
    if isinstance(block, Item):
        return _changed(block, content=fn(block.content, "item", caps(block.content)),
                        blocks=_same(tuple(_block(b, fn, caps) for b in block.blocks),
                                     block.blocks))
    if isinstance(block, SpeakerTurn):
        return _changed(block, speaker=fn(block.speaker, "speaker", caps(block.speaker)),
                        content=fn(block.content, "p", caps(block.content)))
    if isinstance(block, Address):
        return _changed(block, lines=_same(tuple(fn(line, "address", caps(line))
                                                 for line in block.lines), block.lines))
    if isinstance(block, Field):
        return _changed(block, content=fn(block.content, f"field:{block.kind}",
                                          caps(block.content)))
    if hasattr(block, "content"):
        where = _WHERE.get(type(block)) or type(block).__name__.lower()
        return _changed(block, content=fn(block.content, where, caps(block.content)))
    return block  # PageBreak: nothing to tag


_WHERE: Final = {Paragraph: "p", Signed: "signed", Note: "note"}  # other blocks: their class name


def _caps(content: tuple[Inline, ...]) -> bool:
    for node in content:
        if isinstance(node, Text) and _LOWER_ASCII.search(node.text):
            return False  # most blocks: a small letter says so without the block's text
    return is_upper(inline_text(content))


_LOWER_ASCII: Final = re.compile("[a-z]")  # what :func:`.matcher.is_upper` first looks for


def _never(_content: tuple[Inline, ...]) -> bool:
    return False


def _runs(content: tuple[Inline, ...], where: str, caps: bool,
          ) -> list[tuple[str, object]]:
    """The sequence split into ("run", [inlines]) and ("node", inline) items; an
    abbreviation of plain letters closes a run.  (A list, not a generator: compiled, a
    generator is an object with a method call per item, and a block has few items.)"""
    out: list[tuple[str, object]] = []
    run: list[Inline] = []
    for node in content:
        if isinstance(node, Text) or (isinstance(node, Bracketed)
                                      and node.kind == "supplied-name"):
            run.append(node)
            continue
        if isinstance(node, Abbreviation) and all(isinstance(n, Text) for n in node.abbr):
            out.append(("run", run + [node]))
            run = []
            continue
        if run:
            out.append(("run", run))
            run = []
        out.append(("node", node))
    if run:
        out.append(("run", run))
    return out


def _caps_line(text: str) -> bool:
    """A run in capitals (two words or more): a heading line such as ``MINISTRY OF ...``."""
    return is_upper(text) and len(_WORDS_OF_TWO.findall(text)) >= 2


_WORDS_OF_TWO: Final = re.compile(r"[^\W\d_]{2,}")


def _segment(run: list[Inline], where: str, caps: bool) -> Segment:
    text = ""
    pieces = []
    for node in run:
        if isinstance(node, Text):
            piece = node.text
        elif isinstance(node, Abbreviation):
            piece = "".join(n.text for n in node.abbr)  # type: ignore[union-attr]
        else:
            piece = "[" + "".join(n.text for n in node.content  # type: ignore[union-attr]
                                  if isinstance(n, Text)) + "]"
        pieces.append((len(text), len(text) + len(piece), node))
        text += piece
    return Segment(text, pieces, where, caps)


def segments(body: Body) -> list[Segment]:
    """Every segment of the body, in document order, numbered."""
    lister = _Segments()
    _map_body(body, lister.visit)
    return lister.found


class _Segments:
    """The segments of a body, listed as the blocks are visited.

    A class rather than a closure that calls itself: such a closure is a reference cycle,
    which kept every segment and its tokens alive until the garbage collector came by.
    """

    def __init__(self) -> None:
        self.found: list[Segment] = []

    def visit(self, content: tuple[Inline, ...], where: str, caps: bool,
              ) -> tuple[Inline, ...]:
        found = self.found
        before: Segment | None = None  # the run just before the item
        for kind, item in _runs(content, where, caps):
            if kind == "run":
                seg = _segment(item, where, caps)  # type: ignore[arg-type]
                seg.caps = caps or _caps_line(seg.text)
                seg.index = len(found)
                found.append(seg)
                before = seg
                last = item[-1]  # type: ignore[index]
                if isinstance(last, Abbreviation):
                    first = len(found)
                    self.visit(last.expansion.content, "expan", caps)
                    if len(found) == first + 1:  # the expansion is one run of text
                        seg.expansion = first
                    before = None
            else:
                first = len(found)
                _nested(item, self.visit, caps)  # type: ignore[arg-type]
                if before is not None and isinstance(item, Bracketed) \
                        and item.kind in INSERTIONS_AFTER_NAMES and len(found) == first + 1 \
                        and isinstance(item.content[0], Text):
                    before.insertion = (item.kind, first)
                before = None
        return content


def _nested(node: Inline, visit, caps: bool) -> None:
    if isinstance(node, Abbreviation):  # one whose abbreviation holds more than text
        visit(node.abbr, "abbr", caps)
        visit(node.expansion.content, "expan", caps)
    elif isinstance(node, Bracketed):
        visit(node.content, node.kind, caps)
    elif isinstance(node, DateText):
        visit(node.content, "date", caps)


def apply_names(body: Body, spans: dict[int, list[Span]],
                segs: list[Segment] | None = None) -> Body:
    """The body with a ``Name`` for every span (``spans`` by segment index); ``segs``, the
    body's segments as :func:`segments` listed them, are used rather than made again."""
    # where a name goes does not depend on case
    return _map_body(body, _NamePlacer(spans, segs).rewrite, _never)


class _NamePlacer:
    """Puts the names into a body's inlines, segment by segment (a class, not a closure
    calling itself, for the reason given at :class:`_Segments`)."""

    def __init__(self, spans: dict[int, list[Span]], segs: list[Segment] | None) -> None:
        self.spans = spans
        self.segs = segs
        self.counter = iter(range(1 << 62))

    def rewrite(self, content: tuple[Inline, ...], where: str, caps: bool,
                ) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for kind, item in _runs(content, where, caps):
            if kind == "run":
                index = next(self.counter)
                found = self.spans.get(index)
                if not found and _as_is(item):  # type: ignore[arg-type]
                    out.extend(item)  # type: ignore[arg-type]
                    continue
                seg = self.segs[index] if self.segs is not None else \
                    _segment(item, where, caps)  # type: ignore[arg-type]
                out.extend(_wrap(seg, found or [],
                                 lambda inner: self.rewrite(inner, "expan", caps)))
            else:
                out.append(_rewrite_nested(item, self.rewrite, caps))  # type: ignore[arg-type]
        return _same(tuple(out), content)


def _as_is(run: list[Inline]) -> bool:
    """Whether a run without names comes out of :func:`_wrap` as it went in: no closing
    abbreviation to rewrite the expansion of, no empty text for the slicing to drop."""
    return not isinstance(run[-1], Abbreviation) and all(
        not isinstance(node, Text) or node.text for node in run)


def _rewrite_nested(node: Inline, rewrite, caps: bool) -> Inline:
    if isinstance(node, Abbreviation):
        abbr = rewrite(node.abbr, "abbr", caps)
        content = rewrite(node.expansion.content, "expan", caps)
        return _changed(node, abbr=abbr,
                        expansion=_changed(node.expansion, content=content))
    if isinstance(node, Bracketed):
        return _changed(node, content=rewrite(node.content, node.kind, caps))
    if isinstance(node, DateText):
        return _changed(node, content=rewrite(node.content, "date", caps))
    return node


def _wrap(seg: Segment, spans: list[Span],
          expansion: Callable[[tuple[Inline, ...]], tuple[Inline, ...]] | None = None,
          ) -> list[Inline]:
    """The segment's inlines with the spans wrapped in Name nodes.

    A span that lies within the closing abbreviation is put inside it (``<abbr>``); the
    expansion is rewritten by ``expansion`` (its own segment comes after this one).
    """
    pieces = seg.pieces
    abbr = seg.abbreviation
    if abbr is not None:
        a, b = abbr
        node: Abbreviation = pieces[-1][2]  # type: ignore[assignment]
        inside = [Span(s.start - a, s.end - a, s.type, s.ref, s.cert, s.resp) for s in spans
                  if a <= s.start and s.end <= b]
        spans = [s for s in spans if not (a <= s.start and s.end <= b)]
        letters = _segment(list(node.abbr), "abbr", seg.caps)
        node = replaced(node, abbr=tuple(_wrap(letters, inside)), expansion=replaced(
            node.expansion, content=expansion(node.expansion.content) if expansion
            else node.expansion.content))
        pieces = pieces[:-1] + [(a, b, node)]
    out: list[Inline] = []
    pos = 0
    for span in sorted(spans, key=_SPAN_START) if len(spans) > 1 else spans:
        out.extend(_slice(pieces, pos, span.start))
        out.append(Name(span.type, tuple(_slice(pieces, span.start, span.end)), span.ref,
                        span.cert, span.resp))
        pos = span.end
    out.extend(_slice(pieces, pos, len(seg.text)))
    return out


_SPAN_START: Final = operator.attrgetter("start")


def _slice(pieces: list[tuple[int, int, Inline]], start: int, end: int) -> list[Inline]:
    """The inlines covering ``[start, end)`` of a segment's ``pieces``; Text nodes are cut
    as needed.  (Every name and the text between names is a slice: bounds are compared
    inline rather than with ``min``/``max``.)"""
    out: list[Inline] = []
    for a, b, node in pieces:
        if b <= start or a >= end:
            continue
        if isinstance(node, Text):
            out.append(Text(node.text[(start if start > a else a) - a:
                                      (end if end < b else b) - a]))
        else:
            out.append(node)  # a supplied name part or an abbreviation: never cut
    return out


def map_inlines(body: Body, fn: Callable[[tuple[Inline, ...]], tuple[Inline, ...]]) -> Body:
    """``body`` with every block's inline sequence replaced by ``fn(sequence)``."""
    return _map_body(body, lambda content, _where, _caps: fn(content), _never)
