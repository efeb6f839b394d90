"""The gold entity annotations of tests/pages can never rot.

Every gold row must name exactly the text at its offset in the page as decoded (the page's
declared encoding; a CRLF line end counts as two characters), for our own pages and for the
seed cables in source/.  The built pages, gold files and MANIFEST must also be what their
masters give, so that nobody edits a built file by hand.  The checks here read the files
directly; they do not trust tests/pages/build.py to have verified them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import PAGES, ROOT, manifest, own_pages, pages_builder

GOLD_HEADER = ["type", "surface", "offset", "canonical"]
CODECS = {"utf-8": "utf-8", "windows-1252": "cp1252"}
SEED_GOLD = sorted((PAGES / "seeds").glob("*.gold.tsv"))


def gold_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert b"\r" not in data, f"{path.name}: the gold file must have LF line ends"
    lines = data.decode("utf-8").split("\n")
    assert lines[0].split("\t") == GOLD_HEADER
    assert lines[-1] == "", f"{path.name}: no final newline"
    return [line.split("\t") for line in lines[1:-1]]


def check_gold(page: str, rows: list[list[str]]) -> None:
    end = 0
    for number, row in enumerate(rows, start=2):
        assert len(row) == 4, f"line {number}: {row!r} has not four fields"
        kind, surface, offset, canonical = row
        assert kind in ("person", "place", "org"), f"line {number}: bad type {kind!r}"
        assert offset.isdigit() and canonical.strip() == canonical != ""
        start = int(offset)
        assert page[start:start + len(surface)] == surface, (
            f"line {number}: {surface!r} is not at offset {start} "
            f"(the page has {page[start:start + len(surface)]!r})")
        assert start >= end, f"line {number}: rows out of text order or overlapping"
        end = start + len(surface)


def test_the_pages_have_their_gold_and_manifest_rows() -> None:
    rows = manifest(PAGES)
    pages = own_pages()
    assert len(pages) >= 14
    assert sorted(rows) == [p.name for p in pages]
    for page in pages:
        assert page.with_suffix(".gold.tsv").exists(), page.name
        assert page.name[:2] >= "11", "own pages are numbered from 11 on"


@pytest.mark.parametrize("page", own_pages(), ids=lambda p: p.stem)
def test_page_gold_matches_the_page_text(page: Path) -> None:
    row = manifest(PAGES)[page.name]
    text = page.read_bytes().decode(CODECS[row["encoding"]])
    assert ("\r\n" in text) == (row["line_ends"] == "crlf")
    rows = gold_rows(page.with_suffix(".gold.tsv"))
    check_gold(text, rows)
    assert len(rows) == int(row["mentions"])


@pytest.mark.parametrize("gold", SEED_GOLD, ids=lambda p: p.name.removesuffix(".gold.tsv"))
def test_seed_gold_matches_the_seed_in_source(gold: Path) -> None:
    source = ROOT / "source" / (gold.name.removesuffix(".gold.tsv") + ".txt")
    rows = gold_rows(gold)
    assert rows
    check_gold(source.read_bytes().decode("utf-8"), rows)


def test_both_seed_cables_have_gold() -> None:
    assert [g.name for g in SEED_GOLD] == [
        p.stem + ".gold.tsv" for p in sorted((ROOT / "source").glob("*.txt"))]


def test_built_files_are_what_the_masters_give() -> None:
    build = pages_builder()
    assert build.check(build.masters()) == []


def test_a_wrong_offset_is_caught() -> None:
    page = "To: COSVN [Central Office for South Vietnam]"
    check_gold(page, [["org", "COSVN", "4", "Central Office for South Vietnam"]])
    with pytest.raises(AssertionError, match="is not at offset"):
        check_gold(page, [["org", "COSVN", "5", "Central Office for South Vietnam"]])


def test_the_builder_notices_a_page_that_differs_from_its_master() -> None:
    build = pages_builder()
    master = build.masters()[0]
    edited = dataclasses.replace(master, text=master.text.replace("content", "contents", 1))
    errors = build.check([edited])
    assert any(error.startswith(master.path.stem + ".txt is not what its master gives")
               for error in errors)


def test_the_builder_rejects_a_mention_outside_the_document_text() -> None:
    build = pages_builder()
    master = build.masters()[0]
    chrome = build.Mention("org", "Skip", 0, "Skip")
    errors = build.page_errors(dataclasses.replace(master, mentions=(chrome,)))
    assert any("outside the document text" in error for error in errors)
