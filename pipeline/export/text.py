"""Writer: the plain-text edition.

:func:`diplomatic` gives back the document text exactly as the source page has it, brackets
and all: the fidelity check of the edition rests on it.

:func:`document_text` is the reading edition of one document: a header block (title, date,
archive, translator, rights ...) and then the text, block by block, wrapped at a width
without breaking a word (a word longer than the line stands alone on its line), numbered
paragraphs, list items, speakers and notes with hanging indents so that their numbers stand
out.  The translator's insertions keep their square brackets, as on the page: plain text has
no other way to tell them apart.  Line breaks inside a block (an address, a signature) are
kept; blank lines between blocks follow the source (one blank line where it has any).

:func:`corpus_text` and :func:`corpus_tsv` are the whole edition for text mining: every text
one paragraph per line, and a table of metadata, one row per document.
"""

from __future__ import annotations

import re
import textwrap
from itertools import accumulate
from operator import itemgetter
from typing import Final, Iterable, Iterator, Sequence

from ..model import (Abbreviation, Address, Block, Body, Bracketed, Classification, Dateline,
                     DateText, Document, Enclosure, Field, Head, Inline, Item, LineBreak,
                     ListBlock, Name, Note, PageBreak, Paragraph, Postscript, Salute, Section,
                     Signed, SpeakerTurn, Text)
from ..vocab import CLASSIFICATIONS, DOC_TYPES, LANGUAGE_NAMES

#: The default line width of the plain-text edition (0 = no wrapping).
WIDTH = 78


def diplomatic(body: Body) -> str:
    """The document text, character for character as in the source (line ends as ``\\n``)."""
    out: list[str] = []
    for block in (*body.front, *body.main, *body.back, *body.post, *body.enclosures,
                  *body.notes):
        _block(block, out, None)
    return "".join(out)


#: A name of a document with where it is in :func:`diplomatic`'s text: start, end, name.
Located = tuple[int, int, Name]


def located_names(body: Body) -> tuple[str, list[Located]]:
    """:func:`diplomatic` of ``body``, and every name in it with its offsets in that text,
    in the order :func:`pipeline.entities.score.located_names` gives them (it marks them in
    a copy of the body and finds the marks in its text; the tests check that the two
    agree), from the one walk that makes the text: where each name starts and ends is
    kept as the number of pieces of text before, made offsets at the end.  A name that
    ends in an abbreviation ends with the abbreviation as printed (its expansion is the
    translator's); a page break's number is not text that names are looked for in."""
    out: list[str] = []
    marks: list[Located] = []
    for block in (*body.front, *body.main, *body.back, *body.post, *body.enclosures,
                  *body.notes):
        _block(block, out, marks)
    at = [0, *accumulate(map(len, out))]
    return "".join(out), sorted([(at[start], at[end], name) for start, end, name in marks],
                                key=_SPAN)


_SPAN: Final = itemgetter(0, 1)


def inline_text(content: Iterable[Inline]) -> str:
    """The source text of inlines, brackets included."""
    out: list[str] = []
    _inlines(content, out, None)
    return "".join(out)


def _block(block: Block | Item, out: list[str], marks: list[Located] | None) -> None:
    """``block``'s text into ``out``; with ``marks``, where its names are
    (:func:`located_names`)."""
    out.append(block.sep)
    if isinstance(block, (Paragraph, Field, Item, Classification)):
        if block.label is not None:
            out.append(block.label + block.label_sep)
        _inlines(block.content, out, marks)
        if isinstance(block, Item):
            for inner in block.blocks:
                _block(inner, out, marks)
    elif isinstance(block, (Head, Dateline, Salute, Signed, Postscript)):
        _inlines(block.content, out, marks)
    elif isinstance(block, Address):
        for k, line in enumerate(block.lines):
            if k:
                out.append(block.line_seps[k - 1])
            _inlines(line, out, marks)
    elif isinstance(block, ListBlock):
        for item in block.items:
            _block(item, out, marks)
    elif isinstance(block, SpeakerTurn):
        _inlines(block.speaker, out, marks)
        out.append(block.speaker_sep)
        _inlines(block.content, out, marks)
    elif isinstance(block, PageBreak):
        _inlines((block.marker,), out, None)
    elif isinstance(block, Note):
        out.append("[" + block.label + "]" + block.label_sep)
        _inlines(block.content, out, marks)
    elif isinstance(block, (Section, Enclosure)):
        for inner in block.blocks:
            _block(inner, out, marks)
    else:  # pragma: no cover - the model has no other blocks
        raise TypeError(f"no text for block {type(block).__name__}")


def _inlines(content: Iterable[Inline], out: list[str], marks: list[Located] | None) -> None:
    for node in content:
        if type(node) is Text or isinstance(node, (Text, LineBreak)):  # most are Text
            out.append(node.text)
        elif isinstance(node, Bracketed):
            out.append("[")
            _inlines(node.content, out, marks)
            out.append("]")
        elif isinstance(node, Abbreviation):
            _inlines(node.abbr, out, marks)
            out.append(node.space)
            _inlines((node.expansion,), out, marks)
        elif isinstance(node, Name) and marks is not None:
            _name(node, out, marks)
        elif isinstance(node, (Name, DateText)):
            _inlines(node.content, out, marks)
        else:  # pragma: no cover
            raise TypeError(f"no text for inline {type(node).__name__}")


def _name(node: Name, out: list[str], marks: list[Located],
          outer: tuple[tuple[int, Name], ...] = ()) -> None:
    """A name's text, and where it is: kept when it ends (names inside it end first).  A
    name that ends in an abbreviation (or in a name that does) ends where the abbreviation
    as printed does, and so do the names ``outer`` that end in it (start, name)."""
    waiting = (*outer, (len(out), node))
    if not _ends_in_abbreviation(node.content):
        _inlines(node.content, out, marks)
        marks.append((waiting[-1][0], len(out), node))
        return
    last = node.content[-1]  # "the GDR [German Democratic Republic]"
    _inlines(node.content[:-1], out, marks)
    if isinstance(last, Name):
        _name(last, out, marks, waiting)
    elif isinstance(last, Abbreviation):
        _inlines(last.abbr, out, marks)
        end = len(out)
        marks.extend([(start, end, name) for start, name in reversed(waiting)])
        out.append(last.space)
        _inlines((last.expansion,), out, marks)


def _ends_in_abbreviation(content: tuple[Inline, ...]) -> bool:
    last = content[-1] if content else None
    while isinstance(last, Name):
        last = last.content[-1] if last.content else None
    return isinstance(last, Abbreviation)


# ----------------------------------------------------------------------------- reading text

#: Indentation per level of list nesting, and the hanging indent of a speaker's turn.
_LIST_INDENT = "  "
_SPEECH_HANG = 4


#: A block of the reading text at any width: the line ends before it and its parts, each
#: lines to wrap with the start of the first line and of the others (:func:`wrap_lines`),
#: or, with no start for the others, lines as they are.
Unit = tuple[int, list[tuple[list[str], str, str | None]]]


def reading_text(body: Body, width: int = WIDTH) -> str:
    """The document text laid out for reading: blocks apart, wrapped at ``width`` (0: not)."""
    return laid_out(layout(body), width)


def layout(body: Body) -> list[Unit]:
    """The reading text's blocks before they are wrapped (:func:`laid_out` wraps them): a
    document's text is laid out at two widths, its download's and corpus.txt's (none),
    and what does not depend on the width, its lines' text, is made once for both."""
    blocks = (*body.front, *body.main, *body.back, *body.post, *body.enclosures, *body.notes)
    return list(_units(blocks, 0))


def laid_out(units: list[Unit], width: int) -> str:
    """The reading text of :func:`layout`'s blocks, wrapped at ``width`` (0: not)."""
    out: list[str] = []
    for gap, parts in units:
        lines: list[str] = []
        for hard, first, rest in parts:
            if rest is None:
                lines.extend(hard)
            else:
                lines.extend(wrap_lines(hard, width, first, rest))
        if out:
            out.append("\n" * gap)
        out.append("\n".join(lines))
    return "".join(out) + "\n" if out else ""


def _gap(sep: str) -> int:
    """Line ends before a block: a blank line where the source has one, else one line end."""
    return 2 if sep.count("\n") >= 2 or not sep else 1


def _units(blocks: Iterable[Block], depth: int) -> Iterator[Unit]:
    """Each block as (line ends before it, its parts)."""
    indent = _LIST_INDENT * depth
    for block in blocks:
        gap = _gap(block.sep)
        if isinstance(block, Paragraph):
            prefix = block.label + " " if block.label is not None else ""
            yield gap, [_wrap(block.content, indent, prefix, len(prefix))]
        elif isinstance(block, (Field, Classification)) and block.label is not None:
            prefix = block.label + (" " if block.content else "")
            yield gap, [_wrap(block.content, indent, prefix, len(prefix))]
        elif isinstance(block, (Head, Classification, Dateline, Salute, Signed, Postscript)):
            yield gap, [_wrap(block.content, indent, "", 0)]
        elif isinstance(block, Address):
            yield gap, [_wrap(line, indent, "", 0) for line in block.lines]
        elif isinstance(block, ListBlock):
            first = True
            for item in block.items:
                yield (gap if first else _gap(item.sep)), [_item_lines(item, depth + 1)]
                first = False
                yield from _units(item.blocks, depth + 1)
        elif isinstance(block, SpeakerTurn):
            prefix = inline_text(block.speaker).strip() + " "
            yield gap, [_wrap(block.content, indent, prefix, _SPEECH_HANG)]
        elif isinstance(block, PageBreak):
            yield gap, [([indent + inline_text((block.marker,)).strip()], "", None)]
        elif isinstance(block, Note):
            prefix = "[" + block.label + "] "
            yield gap, [_wrap(block.content, indent, prefix, len(prefix))]
        elif isinstance(block, (Section, Enclosure)):
            first = True
            for inner_gap, parts in _units(block.blocks, depth):
                yield (gap if first else inner_gap), parts
                first = False
        else:  # pragma: no cover - the model has no other blocks
            raise TypeError(f"no layout for block {type(block).__name__}")


def _item_lines(item: Item, depth: int) -> tuple[list[str], str, str | None]:
    prefix = item.label + " "
    return _wrap(item.content, _LIST_INDENT * depth, prefix, len(prefix))


def _wrap(content: Sequence[Inline], indent: str, prefix: str,
          hang: int) -> tuple[list[str], str, str | None]:
    """Lines of ``content`` to wrap: hard line breaks kept, each line with a hanging
    indent."""
    hard = [line.strip(" \t") for line in inline_text(content).split("\n")]
    return hard, indent + prefix, indent + " " * hang


def wrap_lines(hard_lines: Sequence[str], width: int, first: str, rest: str) -> list[str]:
    """Wrap each of ``hard_lines`` at ``width`` (0: not at all) without breaking a word.

    The first line starts with ``first``, every other line with ``rest``.  Only spaces,
    tabs and line ends are break points: a no-break space joins, a hyphen does not break.
    """
    out: list[str] = []
    for k, line in enumerate(hard_lines):
        start = first if k == 0 else rest
        if width <= 0 or not line:
            out.append((start + line).rstrip())
            continue
        text = line.expandtabs().translate(_SPACES) if _BREAKING.search(line) else line
        if _OTHER_SPACE.search(text):  # textwrap drops these at line ends: it knows how
            wrapper = textwrap.TextWrapper(width=width, initial_indent=start,
                                           subsequent_indent=rest, break_long_words=False,
                                           break_on_hyphens=False)
            out.extend(wrapper.wrap(line) or [start.rstrip()])
        else:
            out.extend(_fill(text, width, start, rest) or [start.rstrip()])
    return out


#: The white space :mod:`textwrap` breaks at, each made a space (as it does).
_SPACES = str.maketrans("\t\n\x0b\x0c\r", "     ")
_BREAKING = re.compile(r"[\t\n\x0b\x0c\r]")  # (a line without them is as it is)
#: White space it does not break at (a no-break space), but drops at the ends of lines.
_OTHER_SPACE = re.compile(r"[^\S ]")


def _fill(text: str, width: int, first: str, rest: str) -> list[str]:
    """``text`` (white space made spaces) in lines of at most ``width`` characters where the
    words allow, as ``textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest,
    break_long_words=False, break_on_hyphens=False)`` makes them (the tests check that it
    does), at a fraction of its cost: it finds each break with one search, not word by word.

    A word longer than a line has a line of its own; spaces at the end of a line are
    dropped, and so are those at the start of the next one.  Spaces before the first word
    stay only when the first word fits after them.
    """
    lines: list[str] = []
    pos, end = 0, len(text)
    word = len(text) - len(text.lstrip(" "))  # where the first word starts
    if word == end:
        return []
    after = text.find(" ", word)  # where it ends
    if (end if after < 0 else after) > width - len(first):
        pos = word  # it does not fit after the spaces before it: they go
    while pos < end:
        indent = rest if lines else first
        if lines:
            while pos < end and text[pos] == " ":
                pos += 1
            if pos == end:
                break
        room = width - len(indent)
        if end - pos <= room:
            lines.append(indent + text[pos:].rstrip(" "))
            break
        cut = text.rfind(" ", pos + 1, pos + max(room, 0) + 1)
        if cut < 0:  # a word longer than the line: a line of its own
            cut = text.find(" ", pos)
            cut = end if cut < 0 else cut
        lines.append(indent + text[pos:cut].rstrip(" "))
        pos = cut
    return lines


# ----------------------------------------------------------------------------- header block

_LABEL_WIDTH = len("Classification:") + 1


def kind_label(doc: Document) -> str | None:
    key = doc.header.doc_type
    return DOC_TYPES[key][0] if key in DOC_TYPES else key


def classification_label(doc: Document) -> str | None:
    key = doc.header.classification
    return CLASSIFICATIONS[key][0] if key in CLASSIFICATIONS else key


def date_label(doc: Document) -> str:
    h = doc.header
    if h.date_text and h.date_when and h.date_text != h.date_when:
        return f"{h.date_text} ({h.date_when})"
    return h.date_text or h.date_when or "undated"


def parties(doc: Document, role: str) -> str:
    return "; ".join(p.name for p in doc.header.parties if p.role == role)


def archive_label(doc: Document) -> str:
    h = doc.header
    return ", ".join(part for part in (h.archive, h.archive_place) if part)


def header_fields(doc: Document) -> list[tuple[str, str]]:
    """The header block's fields, in order, with the empty ones left out."""
    h = doc.header
    language = LANGUAGE_NAMES.get(h.source_language or "", h.source_language or "")
    language = f"translated from {language}" if language else ""
    fields = [
        ("Date", date_label(doc)),
        ("Kind", kind_label(doc) or ""),
        ("Classification", classification_label(doc) or ""),
        ("From", parties(doc, "sent")),
        ("To", parties(doc, "received")),
        ("Copy to", parties(doc, "copy")),
        ("Archive", archive_label(doc)),
        ("Reference", h.archive_reference or ""),
        ("Document no.", h.doc_number or ""),
        ("Language", language),
        ("Translator", h.translator or ""),
        ("Funder", h.funder or ""),
        ("Summary", h.summary or ""),
        ("Rights", "\n".join(h.rights)),
        ("Record", h.record_id or ""),
        ("Identifier", doc.id),
    ]
    if h.partial:
        fields.append(("Note", "The archive's page gives only part of the document."))
    return [(label, value) for label, value in fields if value]


def header_block(doc: Document, width: int = WIDTH) -> str:
    """Title (underlined), the metadata as labelled fields, and a rule under them."""
    title = doc.header.title or "[Untitled document]"
    title_lines = wrap_lines([_one_line(title)], width, "", "")
    lines = [*title_lines, "=" * max(len(line) for line in title_lines), ""]
    for label, value in header_fields(doc):
        hard = [_one_line(part) for part in value.split("\n")]
        lines.extend(wrap_lines(hard, width, f"{label + ':':<{_LABEL_WIDTH}}",
                                " " * _LABEL_WIDTH))
    lines.append("")
    lines.append("-" * (width if width > 0 else WIDTH))
    return "\n".join(lines) + "\n"


#: A run of white space (of any kind), made one space in a line.
_WHITE_SPACE = re.compile(r"\s+")


def _one_line(text: str) -> str:
    """The text on one line: each run of white space one space, none at the ends.  Every
    field of a document's header block and of its row in corpus.tsv, twenty and more per
    document: a printable text with no two spaces in a row (most are) is only stripped
    (no white space but the space is printable), and the others go through a compiled
    pattern, not ``re.sub``'s look-up of its text in the module's cache."""
    if text.isprintable() and "  " not in text:
        return text.strip()
    return _WHITE_SPACE.sub(" ", text).strip()


def document_text(doc: Document, width: int = WIDTH, diplomatic_body: bool = False,
                  units: list[Unit] | None = None) -> str:
    """One document of the plain-text edition (``units``: the :func:`layout` of its body,
    when it is made already).

    With ``diplomatic_body`` it is the source's document text exactly (:func:`diplomatic`),
    with nothing added, so that it can be compared with the source page character for
    character (line ends as ``\\n``).
    """
    if diplomatic_body:
        return diplomatic(doc.body)
    return header_block(doc, width) + "\n" + laid_out(
        layout(doc.body) if units is None else units, width)


# ----------------------------------------------------------------------------- corpus

#: The line that opens each document in ``corpus.txt``.
CORPUS_MARK = "==> {id} <=="


def corpus_text(docs: Sequence[Document], diplomatic_body: bool = False) -> str:
    """All documents, each opened by :data:`CORPUS_MARK`, one paragraph per line."""
    return "\n".join([corpus_part(doc, diplomatic_body) for doc in docs])


def corpus_part(doc: Document, diplomatic_body: bool = False,
                units: list[Unit] | None = None) -> str:
    """One document's part of :func:`corpus_text` (``units``: the :func:`layout` of its
    body, when it is made already)."""
    if diplomatic_body:
        text = diplomatic(doc.body)
    else:
        text = laid_out(layout(doc.body) if units is None else units, 0)
    return CORPUS_MARK.format(id=doc.id) + "\n\n" + text.rstrip("\n") + "\n"


#: The columns of ``corpus.tsv``.
TSV_COLUMNS = ("id", "file", "date", "date_text", "title", "kind", "classification", "from",
               "to", "copy_to", "archive", "archive_place", "reference", "document_number",
               "original_language", "translator", "funder", "record", "words", "characters",
               "summary")

#: The bytes of ASCII (deleted from UTF-8, they leave the characters beyond it).
_ASCII: Final = bytes(range(128))
#: A byte of :func:`word_bytes` as :func:`count_words` marks it: an ASCII letter or digit,
#: or any byte of a character beyond ASCII, as ``a``; any other byte as a space.
_RUNS: Final = bytes(97 if code > 127 or chr(code).isalnum() else 32 for code in range(256))


def word_bytes(text: str) -> bytes:
    """``text`` in UTF-8 with each character beyond ASCII that is not a letter or digit
    (``str.isalnum``) made a space: a text has a few kinds of them (quotes, dashes), each
    replaced at once; then what is part of a word is told from what is not a byte at a
    time, by a ``bytes`` translation (a lookup a byte; ``str.translate`` looks each
    character up in a dict).  A character's bytes in UTF-8 are found only where it is."""
    data = text.encode("utf-8", "surrogatepass")
    for char in set(data.translate(None, _ASCII).decode("utf-8", "surrogatepass")):
        if not char.isalnum():
            data = data.replace(char.encode("utf-8", "surrogatepass"), b" ")
    return data


def count_words(text: str) -> int:
    """The number of words of a text: runs of letters and digits, as many as
    ``re.findall(r"[^\\W_]+", text)`` finds (``[^\\W_]`` is ``str.isalnum``), without
    a regular expression nor a string of each word (a fifth of its cost on a cable): in
    :func:`word_bytes`, every byte that is part of a word made ``a`` and every other a
    space, a word starts where an ``a`` follows a space (or starts the text)."""
    marked = word_bytes(text).translate(_RUNS)
    return marked.count(b" a") + marked.startswith(b"a")


def metadata_row(doc: Document, file: str, text: str | None = None) -> dict[str, str]:
    """One row of ``corpus.tsv``: the document's metadata and the size of its text
    (``text``: its :func:`diplomatic` text, when it is made already)."""
    h = doc.header
    if text is None:
        text = diplomatic(doc.body)
    return {
        "id": doc.id, "file": file, "date": h.date_when or "", "date_text": h.date_text or "",
        "title": h.title, "kind": kind_label(doc) or "",
        "classification": classification_label(doc) or "", "from": parties(doc, "sent"),
        "to": parties(doc, "received"), "copy_to": parties(doc, "copy"),
        "archive": h.archive or "", "archive_place": h.archive_place or "",
        "reference": h.archive_reference or "", "document_number": h.doc_number or "",
        "original_language": h.source_language or "", "translator": h.translator or "",
        "funder": h.funder or "", "record": h.record_id or "",
        "words": str(count_words(text)), "characters": str(len(text)),
        "summary": h.summary or "",
    }


def corpus_tsv(rows: Iterable[dict[str, str]]) -> str:
    """Tab-separated values with a header line; tabs and line ends in values become spaces."""
    return "\t".join(TSV_COLUMNS) + "\n" + "".join(map(tsv_line, rows))


def tsv_line(row: dict[str, str]) -> str:
    """One line of ``corpus.tsv`` (with its line end)."""
    return "\t".join(_one_line(row.get(col, "")) for col in TSV_COLUMNS) + "\n"


def edition_files(docs: Sequence[tuple[str, Document]], width: int = WIDTH,
                  diplomatic_body: bool = False) -> Iterator[tuple[str, bytes]]:
    """The files of the plain-text edition: ``NAME.txt`` per document (``docs`` pairs each
    document with its file name, in reading order), ``corpus.txt`` and ``corpus.tsv``."""
    for name, doc in docs:
        yield f"{name}.txt", document_text(doc, width, diplomatic_body).encode("utf-8")
    yield "corpus.txt", corpus_text([doc for _, doc in docs], diplomatic_body).encode("utf-8")
    rows = (metadata_row(doc, f"{name}.txt") for name, doc in docs)
    yield "corpus.tsv", corpus_tsv(rows).encode("utf-8")
