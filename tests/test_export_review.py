"""The review of names written by an export (`export html|text --review-output`): the file
`entities review` writes, byte for byte, from the trees the export's workers parsed; one
build record for both commands, right whichever wrote it last; the same one-line error for
a TEI file that cannot be read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import incremental
from pipeline.bench.corpus import generate
from pipeline.cli import main
from pipeline.entities.register import load_register
from pipeline.entities.review import collect, mentions
from pipeline.incremental import FileState
from pipeline.record_store import store_path

from conftest import ROOT, SEEDS, own_pages, page_with_new_people, sample_pages

REGISTER = ROOT / "source" / "register.xml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def converted(folder: Path, pages: list[Path]) -> Path:
    """``pages`` converted (with the project's register, no spaCy) into ``folder/tei``."""
    source = folder / "source"
    source.mkdir(parents=True)
    for page in pages:
        shutil.copyfile(page, source / page.name)
    page_with_new_people(source)  # names the register lacks: proposals
    status, output = run("convert", str(source), "-o", str(folder / "tei"), "--no-ner",
                         "--register", str(REGISTER), "-q")
    assert status == 0, output
    return folder / "tei"


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[str, Path]:
    """Two folders of TEI files: the seed, sample and test pages; 40 generated pages."""
    base = tmp_path_factory.mktemp("corpora")
    generated = generate(base / "generated-pages", 40, load_register(REGISTER)[0])
    return {"pages": converted(base / "pages", [*sorted(SEEDS.glob("*.txt")),
                                                *sample_pages(), *own_pages()]),
            "generated": converted(base / "generated", generated)}


@pytest.fixture
def edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpora) -> Path:
    """An edition folder holding the sample pages' TEI files in ``tei/``."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))
    shutil.copytree(corpora["pages"], tmp_path / "tei")
    return tmp_path


@pytest.mark.parametrize("corpus", ["pages", "generated"])
@pytest.mark.parametrize("fmt", ["tsv", "text", "json"])
def test_the_export_writes_the_review_entities_review_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpora, corpus: str,
        fmt: str) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(corpora[corpus], tmp_path / "tei")
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "review-cache"))
    status, output = run("entities", "review", "tei", "--format", fmt, "-o", "review")
    assert status == 0, output
    expected = (tmp_path / "review").read_bytes()
    assert b"Petrovsky" in expected
    for k, command in enumerate([
            ["export", "html", "tei", "-o", "html", "--text-output", "text", "-j", "2"],
            ["export", "text", "tei", "-o", "text", "-j", "1"]]):
        monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / f"cache-{k}"))  # from nothing
        status, output = run(*command, "--review-output", f"by-export-{k}",
                             "--review-format", fmt)
        assert status == 0, output
        assert (tmp_path / f"by-export-{k}").read_bytes() == expected, command
        assert output.splitlines()[-1].endswith(f"names to review: by-export-{k}")


def record_of() -> tuple[int, int]:
    """The review's build record as a file: a run that read any file writes it again."""
    st = store_path("review", Path("tei")).stat()
    return st.st_ino, st.st_mtime_ns


def fresh_review(edition: Path, name: str) -> bytes:
    """The review from nothing (another cache folder: no record), as `entities review`."""
    result = CliRunner(env={"TEIPIPE_CACHE": str(edition / "fresh-cache")}).invoke(
        main, ["entities", "review", "tei", "--format", "tsv", "-o", name, "-j", "1"])
    assert result.exit_code == 0, result.output
    shutil.rmtree(edition / "fresh-cache")
    return (edition / name).read_bytes()


def rename(edition: Path, old: str, new: str) -> None:
    """An editor's change to the TEI file that names ``old`` (a proposed name)."""
    tei = next(p for p in sorted((edition / "tei").glob("*.xml"))
               if old.encode() in p.read_bytes())
    tei.write_bytes(tei.read_bytes().replace(old.encode(), new.encode()))


def test_one_build_record_serves_both_commands(edition: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "RACY_NS", 0)  # files just written are trusted by times
    export = ["export", "html", "tei", "-o", "html", "-j", "2", "--review-output", "by-export",
              "--review-format", "tsv"]
    review = ["entities", "review", "tei", "--format", "tsv", "-o", "by-review", "-j", "2"]
    assert run(*export)[0] == 0
    written = record_of()
    assert run(*review)[0] == 0
    assert record_of() == written  # nothing read again: the export's record served
    assert (edition / "by-review").read_bytes() == (edition / "by-export").read_bytes() == \
        fresh_review(edition, "fresh")
    rename(edition, "Petrovsky", "Petrowsky")  # the export reads this file again
    assert run(*export)[0] == 0
    written = record_of()
    assert run(*review)[0] == 0
    assert record_of() == written
    assert b"Petrowsky" in (edition / "by-export").read_bytes()
    assert (edition / "by-review").read_bytes() == (edition / "by-export").read_bytes() == \
        fresh_review(edition, "fresh")
    rename(edition, "Petrowsky", "Petrofsky")  # the other way round: the review first
    assert run(*review)[0] == 0
    assert run(*export)[0] == 0
    written = record_of()
    assert run(*review)[0] == 0
    assert record_of() == written
    assert (edition / "by-review").read_bytes() == (edition / "by-export").read_bytes() == \
        fresh_review(edition, "fresh")
    assert b"Petrofsky" in (edition / "by-review").read_bytes()


@pytest.mark.parametrize("content, review_reads_it", [
    (b"<TEI", False),  # neither command reads it
    (None, True),      # a TEI file without an id: the review reads it, the export not
])
def test_a_file_the_export_cannot_read_gives_the_reviews_own_error(
        edition: Path, content: bytes | None, review_reads_it: bool) -> None:
    good = next(iter(sorted((edition / "tei").glob("*.xml"))))
    bad = edition / "tei" / "zz-bad.xml"
    bad.write_bytes(content if content is not None else
                    good.read_bytes().replace(b' xml:id="d', b' n="d', 1))
    status, alone = run("entities", "review", "tei", "--format", "tsv", "-o", "by-review")
    assert status == (0 if review_reads_it else 1)
    status, output = run("export", "html", "tei", "-o", "html", "-j", "2",
                         "--review-output", "by-export", "--review-format", "tsv")
    assert status == 1  # the export's own error
    assert "tei/zz-bad.xml" in output.splitlines()[0]  # (E401, E402)
    if review_reads_it:
        assert (edition / "by-export").read_bytes() == (edition / "by-review").read_bytes()
        assert output.splitlines()[-1] == alone.splitlines()[-1].replace("by-review",
                                                                         "by-export")
    else:
        (line,) = [line for line in alone.splitlines() if line.startswith("error:")]
        assert line.startswith("error: cannot read the TEI file tei/zz-bad.xml: ")
        assert output.splitlines()[-1] == line  # one line, as `entities review` says it
        assert not (edition / "by-export").exists()  # nothing written


def test_names_found_already_are_not_read_again(tmp_path: Path, edition: Path) -> None:
    tei = next(p for p in sorted((edition / "tei").glob("*.xml")) if b"Petrovsky" in
               p.read_bytes())
    names = mentions(tei)
    gone = tmp_path / "gone" / tei.name  # read, it would stop the review
    state = FileState("0" * 64, 0, 0, 0, 0, 0)
    found = {str(gone): (state, names)}
    assert [p.as_data() for p in collect([gone], found=found)] == \
        [p.as_data() for p in collect([tei])]


def test_the_review_is_made_while_the_workers_make_the_pages(edition: Path) -> None:
    from pipeline.export.build import TextEdition
    from pipeline.export.html import Options
    from pipeline.export.run import export_editions
    seen = []

    def read_all(outcome) -> None:
        seen.append((outcome.written, dict(outcome.names)))

    result, _text = export_editions([Path("tei")], Path("html"), Options(), None,
                                    TextEdition(Path("text")), jobs=2, review=True,
                                    read_all=read_all)
    ((written, names),) = seen  # once, before the files were all made (none written yet)
    assert written is None and result.written is not None
    assert sorted(names) == sorted(map(str, Path("tei").glob("*.xml"))) == sorted(result.names)


def test_a_review_that_cannot_be_written_stops_the_command_once_the_export_is_made(
        edition: Path) -> None:
    (edition / "a-file").write_bytes(b"")  # in the way of the review's folder
    with pytest.raises(OSError):
        run("export", "html", "tei", "-o", "html", "-j", "2", "--review-output",
            "a-file/by-export", "--review-format", "tsv")
    assert (edition / "html" / "index.html").is_file()
    assert len(list((edition / "html" / "documents").glob("*.html"))) == \
        len(list((edition / "tei").glob("*.xml")))
