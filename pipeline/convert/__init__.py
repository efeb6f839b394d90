"""Reader: the text of an archive page into a :class:`~pipeline.model.Document`.

``read_page`` runs the page reader (:mod:`.page`), the block reader (:mod:`.blocks`, which
uses :mod:`.inlines` for the translator's brackets) and the header reader (:mod:`.header`).
It is pure: text in, document and diagnostics out.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, error
from ..model import Document, SourceInfo
from .blocks import read_body
from .header import build_header
from .page import split_page


class PageError(Exception):
    """The page cannot be converted; ``diagnostic`` says why."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def doc_id(stem: str) -> str:
    """The document's ``xml:id`` from its file name (``1967-01-23_politburo-cable``).

    File names carry the date and a short title; an xml:id must start with a letter, so the
    id is the name with a ``d`` in front and anything an XML name cannot hold made ``-``.
    """
    cleaned = _NOT_IN_A_NAME.sub("-", stem)
    return cleaned if _LETTER.match(cleaned) else "d" + cleaned


_NOT_IN_A_NAME = re.compile(r"[^\w.-]", re.UNICODE)
_LETTER = re.compile(r"[^\W\d]")


def read_page(text: str, stem: str, source: SourceInfo | None = None,
              ) -> tuple[Document, list[Diagnostic]]:
    """Read a page (text with ``\\n`` line ends) into a document, or raise :class:`PageError`."""
    zones = split_page(text)
    notes: list[Diagnostic] = list(zones.diagnostics)
    if zones.body_end <= zones.body_start:
        raise PageError(error("E010", "page with no document text: nothing stands between "
                              "the title and the closing sections", line=zones.body_first_line,
                              hint="check that the file is a whole document page"))
    body_text = text[zones.body_start:zones.body_end]
    body, body_notes = read_body(body_text, zones.body_first_line, zones.staging)
    notes.extend(body_notes)
    header, header_notes = build_header(zones, body)
    notes.extend(header_notes)
    info = source or SourceInfo()
    info = SourceInfo(info.path, info.sha256, info.encoding, info.line_ends, zones.body_start)
    notes.sort(key=lambda d: (d.line or 0, d.code))
    return Document(doc_id(stem), header, body, info), notes
