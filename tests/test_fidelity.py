"""The fidelity check (V316) notices any change to the text of a TEI file, and says where."""

from __future__ import annotations

import os
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.validate.fidelity import check_fidelity
from pipeline.validate.xmlfile import read_xml

from conftest import ROOT, all_pages

VALID_DOC = ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"
TEXT = VALID_DOC.read_text(encoding="utf-8")
BODY_START = TEXT.index('<div type="document"')
BODY_END = TEXT.index("</div></body></text>")
#: Runs of text between tags in the body: (start, end) offsets in the file.
RUNS = [(m.start(1), m.end(1)) for m in re.finditer(r">([^<]+)<", TEXT[BODY_START:BODY_END])
        if m.group(1).strip()]
RUNS = [(a + BODY_START, b + BODY_START) for a, b in RUNS]


def _check(text: str, tmp: Path):
    path = tmp / VALID_DOC.name
    path.write_text(text.replace('source="pages/', f'source="{VALID_DOC.parent}/pages/'),
                    encoding="utf-8")
    f = read_xml(path, path.name)
    assert f.tree is not None
    return check_fidelity(f, schema_ok=True)


def test_the_unchanged_file_keeps_its_source(tmp_path: Path) -> None:
    assert _check(TEXT, tmp_path) == []


def test_a_source_that_is_not_a_file_is_not_there(tmp_path: Path) -> None:
    """Neither a missing source, nor a folder, nor a named pipe (which is never opened)."""
    (tmp_path / "folder.txt").mkdir()
    os.mkfifo(tmp_path / "pipe.txt")
    for name in ("missing.txt", "folder.txt", "pipe.txt", "missing.txt/below.txt"):
        path = tmp_path / "doc.xml"
        path.write_text(re.sub(r'source="[^"]*"', f'source="{name}"', TEXT), encoding="utf-8")
        f = read_xml(path, path.name)
        assert f.tree is not None
        found = check_fidelity(f, schema_ok=True)
        assert [(d.code, d.message) for d in found] == [
            ("V318", f"the source {name} is not there; the text was not compared")]


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_a_cut_anywhere_in_the_text_is_found_on_its_line(tmp_path_factory, data) -> None:
    start, end = data.draw(st.sampled_from(RUNS))
    a = data.draw(st.integers(start, end - 1))
    b = data.draw(st.integers(a + 1, end))
    cut = TEXT[a:b]
    if not cut.strip("\n") or "&" in cut:
        return  # entity references are not text to cut in half
    found = _check(TEXT[:a] + TEXT[b:], tmp_path_factory.mktemp("cut"))
    assert [d.code for d in found] == ["V316"]
    assert found[0].line == TEXT.count("\n", 0, a) + 1 + cut.count("\n", 0, len(cut)
                                                                   - len(cut.lstrip("\n")))
    assert "lost" in found[0].message or "where the source has" in found[0].message


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(RUNS), st.text(alphabet="abcxyz .,", min_size=1, max_size=12))
def test_words_added_anywhere_in_the_text_are_found(tmp_path_factory, run, words) -> None:
    at = run[0]
    found = _check(TEXT[:at] + words + TEXT[at:], tmp_path_factory.mktemp("add"))
    assert [d.code for d in found] == ["V316"]
    assert found[0].line == TEXT.count("\n", 0, at) + 1


def test_a_cut_in_an_enclosure_is_found_on_its_line(tmp_path: Path) -> None:
    """Each division of the body ends with a layout line end: the lines still match."""
    from pipeline.convert import read_page
    from pipeline.files import read_source
    from pipeline.model import SourceInfo
    from pipeline.tei.write import serialize

    page = next(p for p in all_pages() if "yugoslav-memorandum" in p.name)
    source = read_source(page)
    doc, _notes = read_page(source.text, page.stem, SourceInfo(
        str(page), source.sha256, source.encoding, source.line_ends))
    text = serialize(doc).decode("utf-8")
    enclosure = text.index('<div type="enclosure"')
    start = text.index("</head>", enclosure) + len("</head>")
    run = re.search(r">([^<\n]{20,})<", text[start:])
    assert run, "the enclosure has no text after its heading"
    a = start + run.start(1)
    path = tmp_path / f"{page.stem}.xml"
    path.write_text(text[:a] + text[a + 10:], encoding="utf-8")
    found = check_fidelity(read_xml(path, path.name), schema_ok=True)
    assert [(d.code, d.line) for d in found] == [("V316", text.count("\n", 0, a) + 1)]
