"""Every page of every kind: converts, keeps its text exactly, and is valid TEI (tei_all).

The header of each test page is checked field by field against the MANIFEST that comes with
it (the shared samples' and tests/pages'), so a failure names the page and the field.
Known converter failures on our own pages are marked ``xfail(strict=True)`` in
:data:`KNOWN_FAILURES`: when the converter is fixed the test passes and the mark must go.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from pipeline.convert.page import split_page
from pipeline.diagnostics import Severity
from pipeline.export.text import diplomatic
from pipeline.tei.read import parse, read_tei
from pipeline.tei.write import serialize
from pipeline import vocab

from conftest import (PAGES, SAMPLES, all_pages, converted as convert, manifest, own_pages,
                      pages_builder, param, sample_pages)

KINDS = {  # the MANIFESTs' words for kinds -> our document types
    "ambassador's journal entry": "journal-entry", "ciphered telegram": "ciphered-telegram",
    "minutes": "minutes", "record of conversation": "record-of-conversation",
    "report": "report", "cable": "cable", "embassy telegram": "telegram", "letter": "letter",
    # kinds that only tests/pages has
    "telegram": "telegram", "speech": "speech", "instruction": "resolution",
    "memorandum": "memorandum", "note": "memorandum", "information": "report",
    "memorandum of conversation": "record-of-conversation",
    "note on a conversation": "record-of-conversation",
}
CODECS = {"utf-8": "utf-8", "windows-1252": "cp1252"}  # MANIFEST's names -> read_source's

#: (page stem, test or header field) -> what the converter gets wrong there.
KNOWN_FAILURES: dict[tuple[str, str], str] = {
}
known = functools.partial(param, KNOWN_FAILURES)


def manifest_pages() -> list[tuple[Path, dict[str, str]]]:
    """Every page that has a MANIFEST row, with the row."""
    pages = []
    for folder, paths in ((SAMPLES, sample_pages()), (PAGES, own_pages())):
        rows = manifest(folder)
        pages += [(path, rows[path.name]) for path in paths]
    return pages


def master_of(path: Path):
    return pages_builder().read_master(path.with_suffix(".src"))


@pytest.mark.parametrize("path", [known(p.stem, "tei", p) for p in all_pages()])
def test_page_converts_to_valid_tei_that_keeps_every_character(path: Path, tei_all) -> None:
    source, doc, notes = convert(path)
    assert not [d for d in notes if d.severity == Severity.ERROR]
    data = serialize(doc)
    tree = parse(data)
    assert tei_all.validate(tree), tei_all.error_log.last_error
    zones = split_page(source.text)
    expected = source.text[zones.body_start:zones.body_end]
    assert diplomatic(read_tei(tree).body) == expected
    assert read_tei(tree).body == doc.body
    assert read_tei(tree).header == doc.header


@pytest.mark.parametrize("path", [known(p.stem, "text", p)
                                  for p, _row in manifest_pages()])
def test_the_whole_document_text_and_nothing_else_is_the_body(path: Path) -> None:
    """The body is the page's document text as its master marks it: no line of it lost to the
    header or the summary, no chrome taken into it."""
    _source, doc, _notes = convert(path)
    assert diplomatic(doc.body) == pages_builder().document_text(master_of(path))


def _archive(h) -> str:
    return ", ".join(x for x in (h.archive, h.archive_place) if x)


HEADER_FIELDS = {  # MANIFEST column -> what the converter made of it
    "title": lambda source, h: h.title,
    "date_iso": lambda source, h: h.date_when or "",
    "kind": lambda source, h: h.doc_type,
    "archive": lambda source, h: _archive(h),
    "translator": lambda source, h: h.translator or "",
    "classification": lambda source, h: (vocab.CLASSIFICATIONS[h.classification][0]
                                         if h.classification else ""),
    "layout": lambda source, h: "partial" if h.partial else "whole",
    "encoding": lambda source, h: source.encoding,
    "line_ends": lambda source, h: source.line_ends,
}


def expected(field: str, row: dict[str, str]) -> str:
    value = row[field]
    if field == "kind":
        return KINDS[value]
    if field == "layout":
        return "partial" if value == "partial" else "whole"
    if field == "encoding":
        return CODECS[value]
    return value


@pytest.mark.parametrize("path, field", [known(p.stem, f, p, f) for p, _row in manifest_pages()
                                         for f in HEADER_FIELDS])
def test_header_field_matches_the_manifest(path: Path, field: str) -> None:
    row = manifest(path.parent)[path.name]
    source, doc, _notes = convert(path)
    assert HEADER_FIELDS[field](source, doc.header) == expected(field, row)


@pytest.mark.parametrize("path", [known(p.stem, "summary", p) for p, _row in manifest_pages()])
def test_summary_is_in_the_header_and_not_in_the_text(path: Path) -> None:
    summary_start = master_of(path).meta["summary"]
    _source, doc, _notes = convert(path)
    if summary_start:
        assert doc.header.summary and doc.header.summary.startswith(summary_start)
        assert summary_start not in diplomatic(doc.body)
    else:
        assert doc.header.summary is None
