"""The plain-text edition: golden files for the seed cables, the layout rules, the corpus
files, the diplomatic text, and the command line."""

from __future__ import annotations

import csv
import io
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.export.run import export_text
from pipeline.export.sources import load
from pipeline.export.text import (CORPUS_MARK, TSV_COLUMNS, WIDTH, corpus_part, corpus_text,
                                  corpus_tsv, diplomatic, document_text, edition_files,
                                  header_block, layout, metadata_row, reading_text, tsv_line,
                                  wrap_lines)
from pipeline.files import read_source
from pipeline.tei.read import parse, read_tei
from pipeline.tei.write import serialize

from conftest import ROOT, all_pages
from test_convert_pages import convert

TEI = ROOT / "tei"
FIXTURES = Path(__file__).parent / "fixtures" / "edition"
GOLDEN = Path(__file__).parent / "golden" / "text"
SEEDS = sorted(TEI.glob("*.xml"))


def doc_of(path: Path):
    return read_tei(parse(path))


def words(text: str) -> list[str]:
    return text.split()


# ----------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_cable_matches_its_golden_text(path: Path, update_golden: bool) -> None:
    got = document_text(doc_of(path))
    golden = GOLDEN / f"{path.stem}.txt"
    if update_golden:
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_seed_corpus_table_matches_its_golden_file(update_golden: bool) -> None:
    sources, problems = load([TEI])
    assert not problems
    got = corpus_tsv(metadata_row(s.doc, f"{s.name}.txt") for s in sources)
    golden = GOLDEN / "corpus.tsv"
    if update_golden:
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- layout


def test_header_block_names_title_date_archive_translator_and_rights() -> None:
    block = header_block(doc_of(TEI / "1967-01-23_politburo-cable.xml"))
    lines = block.splitlines()
    assert lines[0] == "Secret North Vietnam Politburo Cable"
    assert lines[1] == "=" * len(lines[0])
    fields = dict(re.match(r"(\w[\w .]*):\s+(.*)", line).groups() for line in lines[3:]
                  if re.match(r"\w[\w .]*:\s", line))
    assert fields["Date"] == "January 23, 1967 (1967-01-23)"
    assert fields["Archive"] == "Archive of the Party Central Committee, Hanoi"
    assert fields["Translator"] == "Merle Pribbenow"
    assert fields["Rights"].startswith("The History and Public Policy Program welcomes")
    assert lines[-1] == "-" * WIDTH


def test_numbered_paragraphs_and_list_items_hang_under_their_numbers() -> None:
    text = reading_text(doc_of(TEI / "1967-01-23_politburo-cable.xml").body, 60)
    lines = text.splitlines()
    first = lines.index(next(line for line in lines if line.startswith("1. Generally")))
    assert lines[first + 1].startswith("   ") and not lines[first + 1].startswith("    ")
    bullet = next(k for k, line in enumerate(lines) if line.startswith("  • Public opinion"))
    assert lines[bullet + 1].startswith("    ") and lines[bullet + 1][4] != " "
    nested = next(k for k, line in enumerate(lines) if line.startswith("    • Strongly"))
    assert lines[nested + 1].startswith("      ") and lines[nested + 1][6] != " "
    letter = next(k for k, line in enumerate(lines) if line.startswith("  b) After"))
    assert lines[letter + 1].startswith("     ") and lines[letter + 1][5] != " "


def test_speakers_notes_page_breaks_and_line_breaks_are_kept_readable() -> None:
    text = reading_text(doc_of(FIXTURES / "1968-11-02_conversation-entities.xml").body, 50)
    assert "\n[page 2]\n" in text
    assert "[signed] Embassy Secretary\nLi Ming\n" in text  # <lb/> in a signature
    assert "Embassy of the People’s Republic of China\nHanoi" in text  # address lines
    speech = text[text.index("Zhou Enlai: President"):].splitlines()
    assert speech[1].startswith("    ") and not speech[1].startswith("     ")
    note = text[text.index("[1] Translator’s note"):].splitlines()
    assert note[1].startswith("    ") and not note[1].startswith("     ")


@pytest.mark.parametrize("width", [0, 20, 40, 78, 120])
@pytest.mark.parametrize("path", SEEDS + sorted(FIXTURES.glob("*.xml")), ids=lambda p: p.stem)
def test_reading_text_has_every_word_of_the_source_in_order(path: Path, width: int) -> None:
    body = doc_of(path).body
    text = reading_text(body, width)
    assert words(text) == words(diplomatic(body))
    if width >= 40 and "hostile" not in path.stem:  # wider than any label and word: fits
        assert max(len(line) for line in text.splitlines()) <= width


@pytest.mark.parametrize("path", SEEDS + sorted(FIXTURES.glob("*.xml")), ids=lambda p: p.stem)
def test_one_layout_serves_every_width(path: Path) -> None:
    """The export lays a body out once (:func:`layout`) for its download and corpus.txt:
    each is what it would be laid out on its own, in either order."""
    doc = doc_of(path)
    units = layout(doc.body)
    for width in (WIDTH, 0, 40, WIDTH):
        assert document_text(doc, width, units=units) == document_text(doc, width)
    assert corpus_part(doc, units=units) == corpus_text([doc])
    assert corpus_part(doc, True, units) == corpus_text([doc], True)


def test_width_zero_puts_each_paragraph_on_one_line() -> None:
    body = doc_of(TEI / "1968-10-15_politburo-cable-323.xml").body
    text = reading_text(body, 0)
    paragraph = next(line for line in text.splitlines() if line.startswith("I. In Paris"))
    assert paragraph.endswith("the conference to settle the Vietnam problem.")


word = st.text(alphabet=st.characters(whitelist_categories=("L", "N", "P"),
                                      blacklist_characters="\u00a0"), min_size=1, max_size=25)


@settings(max_examples=200, deadline=None)
@given(st.lists(word, min_size=1, max_size=60), st.integers(min_value=1, max_value=100),
       st.sampled_from(["", "1. ", "  • ", "[12] "]))
def test_wrapping_keeps_words_whole_and_in_order(ws: list[str], width: int,
                                                 label: str) -> None:
    rest = " " * len(label)
    lines = wrap_lines([" ".join(ws)], width, label, rest)
    assert words(" ".join(lines)) == words(label) + ws
    for k, line in enumerate(lines):
        assert line.startswith(label if k == 0 else rest)
        body = line[len(label if k == 0 else rest):]
        assert len(line) <= width or len(body.split()) == 1


def _textwrap(hard: list[str], width: int, first: str, rest: str) -> list[str]:
    """What wrap_lines promises, by the standard library's wrapper (slower)."""
    out: list[str] = []
    for k, line in enumerate(hard):
        start = first if k == 0 else rest
        if not line:
            out.append(start.rstrip())
            continue
        out.extend(textwrap.wrap(line, width, initial_indent=start, subsequent_indent=rest,
                                 break_long_words=False, break_on_hyphens=False)
                   or [start.rstrip()])
    return out


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(
           [" ", " ", " ", "\t", "\r", "\x0b", "a", "bb", "cccc", "-", "\u00a0", "é",
            "xxxxxxxxxxxx"]), max_size=30).map("".join), min_size=1, max_size=3),
       st.integers(min_value=1, max_value=16), st.sampled_from(["", "1. ", "   a) "]),
       st.sampled_from(["", "  ", "       "]))
def test_wrapping_is_what_textwrap_does(hard: list[str], width: int, first: str,
                                        rest: str) -> None:
    assert wrap_lines(hard, width, first, rest) == _textwrap(hard, width, first, rest)


def test_no_break_space_joins_words_at_a_line_end() -> None:
    lines = wrap_lines(["aaaa bbbb\u00a0cccc dddd"], 12, "", "")
    assert "bbbb\u00a0cccc" in lines[1]


# ----------------------------------------------------------------------------- diplomatic


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_diplomatic_text_is_the_source_body_exactly(path: Path) -> None:
    tree = parse(path)
    from pipeline.tei.read import record
    rec = record(tree)
    source = read_source((path.parent / rec["source"]).resolve())
    offset = int(rec["body-offset"])
    text = document_text(read_tei(tree), diplomatic_body=True)
    assert source.text[offset:offset + len(text)] == text
    assert len(text) > 1000


# ----------------------------------------------------------------------------- corpus files


def test_corpus_text_marks_each_document_and_keeps_one_paragraph_per_line() -> None:
    docs = [doc_of(p) for p in SEEDS]
    text = corpus_text(docs)
    marks = [line for line in text.splitlines() if line.startswith("==> ")]
    assert marks == [CORPUS_MARK.format(id=d.id) for d in docs]
    assert "\nI. In Paris, in parallel with the public struggle we have also conducted " \
           "backstage [private] probes with the Americans." in text


def test_corpus_tsv_has_one_clean_row_per_document() -> None:
    docs = [doc_of(p) for p in [*SEEDS, FIXTURES / "1970-01-01_hostile.xml"]]
    table = corpus_tsv(metadata_row(d, "x.txt") for d in docs)
    rows = list(csv.reader(io.StringIO(table), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert tuple(rows[0]) == TSV_COLUMNS
    assert len(rows) == len(docs) + 1
    assert all(len(row) == len(TSV_COLUMNS) for row in rows)
    first = dict(zip(TSV_COLUMNS, rows[1]))
    assert first["date"] == "1967-01-23" and first["translator"] == "Merle Pribbenow"
    assert int(first["words"]) > 1000


#: Any character, and white space of every kind (and the space, twice), often.
_FIELD = st.text(st.one_of(st.characters(), st.sampled_from(
    " \t\n\r\x0b\x0c\x1c\x85\u00a0\u2003\u2028\u3000a\u00e9")))


@settings(max_examples=1000)
@given(st.lists(_FIELD, min_size=len(TSV_COLUMNS), max_size=len(TSV_COLUMNS)))
def test_tsv_line_puts_each_value_on_one_line(values: list[str]) -> None:
    """Each value's runs of white space made one space, none at its ends: the regular
    expression the fast path for most values stands for."""
    expected = "\t".join(re.sub(r"\s+", " ", v).strip() for v in values) + "\n"
    assert tsv_line(dict(zip(TSV_COLUMNS, values))) == expected


# ----------------------------------------------------------------------------- command line


def test_export_text_writes_one_file_per_document_and_the_corpus(tmp_path: Path) -> None:
    out = tmp_path / "text"
    result = CliRunner().invoke(main, ["export", "text", str(TEI), "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == sorted([*(p.stem + ".txt" for p in SEEDS), "corpus.txt", "corpus.tsv"])
    for path in SEEDS:
        assert (out / f"{path.stem}.txt").read_text(encoding="utf-8") == \
            (GOLDEN / f"{path.stem}.txt").read_text(encoding="utf-8")
    again = CliRunner().invoke(main, ["export", "text", str(TEI), "-o", str(out)])
    assert "0 files written, 4 unchanged" in again.output


@pytest.mark.parametrize("diplomatic_body", [False, True])
def test_the_corpus_files_are_those_of_the_documents_in_reading_order(
        tmp_path: Path, diplomatic_body: bool) -> None:
    """corpus.txt and corpus.tsv, put together from each document's part (kept in a pack
    as its bytes by the worker that read it), are what :func:`.text.edition_files` makes
    of all the documents at once.  (The seeds, each as five: enough for the workers.)"""
    (tmp_path / "tei").mkdir()
    for path in SEEDS:
        for k in range(5):
            (tmp_path / "tei" / f"{path.stem}-{k}.xml").write_bytes(
                path.read_bytes().replace(path.stem.encode(), f"{path.stem}-{k}".encode()))
    result = export_text([tmp_path / "tei"], tmp_path / "out", diplomatic=diplomatic_body,
                         jobs=2)
    assert not result.diagnostics and result.documents == 5 * len(SEEDS)
    sources, _problems = load([tmp_path / "tei"])
    expected = dict(edition_files([(s.name, s.doc) for s in sources],
                                  diplomatic_body=diplomatic_body))
    for name in ("corpus.txt", "corpus.tsv"):
        assert (tmp_path / "out" / name).read_bytes() == expected[name]


def test_export_text_diplomatic_and_width_options(tmp_path: Path) -> None:
    path = SEEDS[0]
    runner = CliRunner()
    assert runner.invoke(main, ["export", "text", str(path), "-o", str(tmp_path / "d"),
                                "--diplomatic"]).exit_code == 0
    body = doc_of(path).body
    assert (tmp_path / "d" / f"{path.stem}.txt").read_text(encoding="utf-8") == diplomatic(body)
    assert runner.invoke(main, ["export", "text", str(path), "-o", str(tmp_path / "w"),
                                "--width", "0"]).exit_code == 0
    text = (tmp_path / "w" / f"{path.stem}.txt").read_text(encoding="utf-8")
    assert max(len(line) for line in text.splitlines()) > 500
    assert runner.invoke(main, ["export", "text", str(path), "--width", "-1"]).exit_code == 2


def test_a_bad_file_is_reported_with_its_line_and_the_others_are_exported(tmp_path: Path) -> None:
    bad = tmp_path / "in" / "0000_broken.xml"
    bad.parent.mkdir()
    bad.write_text('<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<oops>\n',
                   encoding="utf-8")
    (tmp_path / "in" / "0001_not-teipipe.xml").write_text("<root/>", encoding="utf-8")
    for seed in SEEDS:
        (tmp_path / "in" / seed.name).write_bytes(seed.read_bytes())
    result = CliRunner().invoke(main, ["export", "text", str(tmp_path / "in"), "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(re.match(r".*0000_broken\.xml:4: error: not well-formed XML: .* \[E401\]$", line)
               for line in lines), result.output
    assert any(line.endswith("[E402]") and "0001_not-teipipe.xml" in line for line in lines)
    assert "Traceback" not in result.output
    assert (tmp_path / "out" / f"{SEEDS[0].stem}.txt").is_file()


def test_export_refuses_to_overwrite_a_file_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "corpus.txt"
    mine.write_text("my notes", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "text", str(TEI), "-o", str(out)])
    assert result.exit_code == 1
    assert "corpus.txt: error: exists and was not written by teipipe" in result.output
    assert mine.read_text(encoding="utf-8") == "my notes"
    forced = CliRunner().invoke(main, ["export", "text", str(TEI), "-o", str(out), "--force"])
    assert forced.exit_code == 0 and mine.read_text(encoding="utf-8").startswith("==> ")


def test_a_document_taken_out_leaves_no_stale_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["export", "text", str(TEI), "-o", str(out)]).exit_code == 0
    assert runner.invoke(main, ["export", "text", str(SEEDS[0]), "-o", str(out)]).exit_code == 0
    assert not (out / f"{SEEDS[1].stem}.txt").exists()
    assert (out / f"{SEEDS[0].stem}.txt").exists()


def test_no_tei_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the default output, build/text, is not the project's
    result = CliRunner().invoke(main, ["export", "text", str(tmp_path), "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 1 and "[E408]" in result.output
    missing = CliRunner().invoke(main, ["export", "text", str(tmp_path / "nope.xml")])
    assert missing.exit_code == 1 and "nope.xml: error: no such file or folder [E001]" \
        in missing.output


@pytest.mark.parametrize("path", all_pages(), ids=lambda p: p.stem)
def test_every_page_reads_with_every_word_at_any_width(path: Path) -> None:
    tree = parse(serialize(convert(path)[1]))
    body = read_tei(tree).body
    for width in (0, 30, WIDTH):
        assert words(reading_text(body, width)) == words(diplomatic(body))
