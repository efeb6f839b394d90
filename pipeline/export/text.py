"""Writer: the plain-text edition.

:func:`diplomatic` gives back the document text exactly as the source page has it, brackets
and all: the fidelity check of the edition rests on it.
"""

from __future__ import annotations

from typing import Iterable

from ..model import (Abbreviation, Address, Block, Body, Bracketed, Classification, Dateline,
                     DateText, Enclosure, Field, Head, Inline, Item, LineBreak, ListBlock,
                     Name, Note, PageBreak, Paragraph, Postscript, Salute, Section, Signed,
                     SpeakerTurn, Text)


def diplomatic(body: Body) -> str:
    """The document text, character for character as in the source (line ends as ``\\n``)."""
    out: list[str] = []
    for block in (*body.front, *body.main, *body.back, *body.post, *body.enclosures,
                  *body.notes):
        _block(block, out)
    return "".join(out)


def inline_text(content: Iterable[Inline]) -> str:
    """The source text of inlines, brackets included."""
    out: list[str] = []
    _inlines(content, out)
    return "".join(out)


def _block(block: Block | Item, out: list[str]) -> None:
    out.append(block.sep)
    if isinstance(block, (Paragraph, Field, Item, Classification)):
        if block.label is not None:
            out.append(block.label + block.label_sep)
        _inlines(block.content, out)
        if isinstance(block, Item):
            for inner in block.blocks:
                _block(inner, out)
    elif isinstance(block, (Head, Dateline, Salute, Signed, Postscript)):
        _inlines(block.content, out)
    elif isinstance(block, Address):
        for k, line in enumerate(block.lines):
            if k:
                out.append(block.line_seps[k - 1])
            _inlines(line, out)
    elif isinstance(block, ListBlock):
        for item in block.items:
            _block(item, out)
    elif isinstance(block, SpeakerTurn):
        _inlines(block.speaker, out)
        out.append(block.speaker_sep)
        _inlines(block.content, out)
    elif isinstance(block, PageBreak):
        _inlines((block.marker,), out)
    elif isinstance(block, Note):
        out.append("[" + block.label + "]" + block.label_sep)
        _inlines(block.content, out)
    elif isinstance(block, (Section, Enclosure)):
        for inner in block.blocks:
            _block(inner, out)
    else:  # pragma: no cover - the model has no other blocks
        raise TypeError(f"no text for block {type(block).__name__}")


def _inlines(content: Iterable[Inline], out: list[str]) -> None:
    for node in content:
        if isinstance(node, (Text, LineBreak)):
            out.append(node.text)
        elif isinstance(node, Bracketed):
            out.append("[")
            _inlines(node.content, out)
            out.append("]")
        elif isinstance(node, Abbreviation):
            _inlines(node.abbr, out)
            out.append(node.space)
            _inlines((node.expansion,), out)
        elif isinstance(node, (Name, DateText)):
            _inlines(node.content, out)
        else:  # pragma: no cover
            raise TypeError(f"no text for inline {type(node).__name__}")
