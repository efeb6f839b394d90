"""Every page of every kind: converts, keeps its text exactly, and is valid TEI (tei_all)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.convert import read_page
from pipeline.convert.page import split_page
from pipeline.diagnostics import Severity
from pipeline.export.text import diplomatic
from pipeline.files import read_source
from pipeline.model import SourceInfo
from pipeline.tei.read import parse, read_tei
from pipeline.tei.write import serialize
from pipeline import vocab

from conftest import all_pages, manifest, sample_pages

KINDS = {  # the MANIFEST's words for kinds -> our document types
    "ambassador's journal entry": "journal-entry", "ciphered telegram": "ciphered-telegram",
    "minutes": "minutes", "record of conversation": "record-of-conversation",
    "report": "report", "cable": "cable", "embassy telegram": "telegram", "letter": "letter",
}


def convert(path: Path):
    source = read_source(path)
    doc, notes = read_page(source.text, path.stem, SourceInfo(path.name, source.sha256,
                                                              source.encoding,
                                                              source.line_ends))
    return source, doc, list(source.warnings) + notes


@pytest.mark.parametrize("path", all_pages(), ids=lambda p: p.stem)
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


@pytest.mark.parametrize("path", sample_pages(), ids=lambda p: p.stem)
def test_sample_header_matches_the_manifest(path: Path) -> None:
    row = manifest()[path.name]
    _source, doc, _notes = convert(path)
    h = doc.header
    assert h.title == row["title"]
    assert h.date_when == row["date_iso"]
    assert h.doc_type == KINDS[row["kind"]]
    archive = ", ".join(x for x in (h.archive, h.archive_place) if x)
    assert archive == row["archive"]
    assert (h.translator or "") == row["translator"]
    label = vocab.CLASSIFICATIONS[h.classification][0] if h.classification else ""
    assert label == row["classification"]
    assert h.partial == (row["layout"] == "partial")


@pytest.mark.parametrize("path", sample_pages(), ids=lambda p: p.stem)
def test_sample_summary_is_in_the_header_and_not_in_the_text(path: Path) -> None:
    src = (path.parent / (path.stem + ".src")).read_text(encoding="utf-8")
    summary_start = next(line.split(":", 1)[1].strip() for line in src.split("\n")
                         if line.startswith("summary:"))
    _source, doc, _notes = convert(path)
    if summary_start:
        assert doc.header.summary and doc.header.summary.startswith(summary_start)
        assert summary_start not in diplomatic(doc.body)
    else:
        assert doc.header.summary is None
