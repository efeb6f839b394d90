"""Incremental exports, review and deposit: what is up to date is not made again.

Through the commands and the files on disk: a file's inode and modification time change
when it is written (files are replaced atomically), so they tell what a run wrote.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.diagnostics import Severity
from pipeline.export.register import entry_of, entry_page, standoff_entries
from pipeline.export.run import export_html, export_text
from pipeline.record_store import store_path
from pipeline.tei.read import parse

from conftest import SEEDS, sample_pages


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in after if before.get(name) != after[name]} | (before.keys() -
                                                                          after.keys())


@pytest.fixture
def edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeds and samples converted into ``tei/``; the cache folder inside."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "source").mkdir()
    for page in [*sorted(SEEDS.glob("*.txt")), *sample_pages()]:
        shutil.copyfile(page, tmp_path / "source" / page.name)
    status, output = run("convert", "source", "-o", "tei", "--no-ner", "-j", "1")
    assert status == 0, output
    return tmp_path


def retitle(edition: Path) -> str:
    """Change one TEI file as an editor would (through its source and a new conversion)."""
    page = edition / "source" / "1967-01-23_politburo-cable.txt"
    page.write_bytes(page.read_bytes().replace(b"Region V", b"Region VI"))
    status, output = run("convert", "source", "-o", "tei", "--no-ner", "-j", "1")
    assert status == 0 and "1 written" in output
    return "1967-01-23_politburo-cable"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_html_export_makes_again_only_what_a_change_touches(edition: Path, jobs: str) -> None:
    out = edition / "site"
    status, output = run("export", "html", "tei", "-o", str(out), "-j", jobs)
    assert status == 0, output
    built = snapshot(out)
    status, output = run("export", "html", "tei", "-o", str(out), "-j", jobs)
    assert status == 0 and " 0 files written" in output
    assert snapshot(out) == built  # nothing written, not even the manifest
    name = retitle(edition)
    run("export", "html", "tei", "-o", str(out), "-j", jobs)
    after = snapshot(out)
    # the document's page and downloads, and (some of) the pages that list every document
    own = {f"documents/{name}.html", f"tei/{name}.xml", f"text/{name}.txt"}
    edition_wide = {"index.html", "places.html", "persons.html", "organizations.html",
                    "search.html", "assets/search-index.js"}
    assert own <= changed(built, after) <= own | edition_wide | entry_pages(edition, name)
    status, output = run("export", "html", "tei", "-o", str(out), "--rebuild", "-j", jobs)
    assert status == 0 and " 0 files written" in output  # made again: the same bytes


def entry_pages(edition: Path, name: str) -> set[str]:
    """The pages of the register entries the TEI file ``name`` names."""
    tree = parse(edition / "tei" / f"{name}.xml")
    return {entry_page(entry_of(el).type, ident)
            for ident, el in standoff_entries(tree).items()}


def test_a_change_near_a_name_makes_again_only_that_names_entry_pages(
        edition: Path) -> None:
    """Register entries have pages of their own: a changed passage makes again the pages
    of the entries it names (their snippets changed), not the others', nor the lists."""
    shutil.copyfile(SEEDS / "register.xml", edition / "source" / "register.xml")
    status, output = run("convert", "source", "-o", "tei", "--no-ner", "-j", "1")
    assert status == 0, output
    out = edition / "site"
    run("export", "html", "tei", "-o", str(out), "-j", "1")
    built = snapshot(out)
    name = "1967-01-23_politburo-cable"
    named = entry_pages(edition, name)
    every = {rel for rel in built if rel.split("/")[0] in ("persons", "places",
                                                          "organizations")}
    assert "persons/per-u-thant.html" in named and len(every - named) > 20
    tei = edition / "tei" / f"{name}.xml"
    data = tei.read_text(encoding="utf-8")
    at = data.index("U Thant</persName>") + len("U Thant</persName>")
    tei.write_text(data[:at] + " himself" + data[at:], encoding="utf-8")
    status, output = run("export", "html", "tei", "-o", str(out), "-j", "1")
    assert status == 0, output
    made = changed(built, snapshot(out))
    entries_made = made & every
    assert "persons/per-u-thant.html" in entries_made and entries_made <= named
    assert len(entries_made) < len(named)  # not every entry the document names either
    # the same names, as often: the lists and the home page are as they were
    assert not made & {"persons.html", "places.html", "organizations.html", "index.html"}
    page = (out / "persons" / "per-u-thant.html").read_text(encoding="utf-8")
    assert "U Thant</mark> himself" in page
    status, output = run("export", "html", "tei", "-o", "full", "--rebuild", "-j", "1")
    for rel in every:
        assert (out / rel).read_bytes() == (edition / "full" / rel).read_bytes(), rel


def test_an_incremental_export_equals_a_full_one(edition: Path) -> None:
    run("export", "html", "tei", "-o", "site")
    run("export", "text", "tei", "-o", "texts")
    retitle(edition)
    (edition / "tei" / "1968-10-15_politburo-cable-323.xml").unlink()  # a document leaves
    run("export", "html", "tei", "-o", "site")
    run("export", "text", "tei", "-o", "texts")
    run("export", "html", "tei", "-o", "full-site", "--rebuild")
    run("export", "text", "tei", "-o", "full-texts", "--rebuild")
    for mine, full in (("site", "full-site"), ("texts", "full-texts")):
        files = {p.relative_to(edition / mine): p.read_bytes()
                 for p in (edition / mine).rglob("*") if p.is_file()}
        again = {p.relative_to(edition / full): p.read_bytes()
                 for p in (edition / full).rglob("*") if p.is_file()}
        assert files == again, mine


def test_an_output_file_deleted_or_changed_by_hand_is_made_again(edition: Path) -> None:
    run("export", "html", "tei", "-o", "site")
    page = edition / "site" / "documents" / "1967-01-23_politburo-cable.html"
    index = edition / "site" / "index.html"
    good_page, good_index = page.read_bytes(), index.read_bytes()
    page.unlink()
    index.write_bytes(b"<p>mine</p>")
    status, output = run("export", "html", "tei", "-o", "site")
    assert status == 0 and page.read_bytes() == good_page and index.read_bytes() == good_index


def test_text_export_makes_again_only_what_a_change_touches(edition: Path) -> None:
    status, _output = run("export", "text", "tei", "-o", "texts")
    built = snapshot(edition / "texts")
    status, output = run("export", "text", "tei", "-o", "texts")
    assert status == 0 and snapshot(edition / "texts") == built
    name = retitle(edition)
    run("export", "text", "tei", "-o", "texts")
    assert changed(built, snapshot(edition / "texts")) == {f"{name}.txt", "corpus.txt",
                                                           "corpus.tsv"}


def test_review_reads_again_only_changed_files_and_rewrites_only_a_new_list(
        edition: Path) -> None:
    status, _output = run("entities", "review", "tei", "--format", "tsv", "-o", "review.tsv")
    first = (edition / "review.tsv").stat()
    (edition / "tei" / "1968-10-15_politburo-cable-323.xml").write_text("<broken", "utf-8")
    status, output = run("entities", "review", "tei", "--format", "tsv", "-o", "review.tsv")
    assert status == 1 and "cannot read the TEI file" in output  # a changed file is read
    run("convert", "source", "-o", "tei", "--no-ner", "-j", "1", "--force")
    status, _output = run("entities", "review", "tei", "--format", "tsv", "-o", "review.tsv")
    assert status == 0
    again = (edition / "review.tsv").stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)


def test_deposit_is_made_again_only_when_an_input_changed(edition: Path) -> None:
    run("export", "html", "tei", "-o", "build/html")
    run("export", "text", "tei", "-o", "build/text")
    status, output = run("deposit", "-o", "build/deposit", "--archive", "zip")
    assert status == 0, output
    zipped = edition / "build" / "deposit.zip"
    first = zipped.stat()
    status, again = run("deposit", "-o", "build/deposit", "--archive", "zip")
    assert status == 0 and again == output  # the same report, warnings and all
    assert (zipped.stat().st_ino, zipped.stat().st_mtime_ns) == (first.st_ino,
                                                                 first.st_mtime_ns)
    retitle(edition)
    run("deposit", "-o", "build/deposit", "--archive", "zip")
    assert zipped.stat().st_ino != first.st_ino  # a new package
    (edition / "build" / "deposit" / "bagit.txt").write_text("tampered", encoding="utf-8")
    run("deposit", "-o", "build/deposit", "--archive", "zip")
    assert (edition / "build" / "deposit" / "bagit.txt").read_text(encoding="utf-8") != \
        "tampered"


def work(export, *args, **kwargs) -> dict[str, int]:
    """What an export did, phase by phase (as its progress reports it): documents read,
    pages made."""
    phases: dict[str, int] = {}

    def start(what: str, total: int) -> None:
        phases[what] = total
    result = export(*args, progress=(start, lambda: None), record=store_path(
        "export-test", args[1]), **kwargs)
    assert not [d for d in result.diagnostics if d.severity == Severity.ERROR]
    return phases


def test_exports_read_and_render_only_what_changed(edition: Path) -> None:
    count = len(list((edition / "tei").glob("*.xml")))
    assert work(export_html, [Path("tei")], Path("site")) == {"reading": count,
                                                             "pages": count}
    assert work(export_html, [Path("tei")], Path("site")) == {}
    retitle(edition)
    assert work(export_html, [Path("tei")], Path("site")) == {"reading": 1, "pages": 1}
    assert work(export_text, [Path("tei")], Path("texts")) == {"reading": count}
    assert work(export_text, [Path("tei")], Path("texts")) == {}


def test_a_change_of_wording_makes_again_only_the_files_that_show_it(edition: Path) -> None:
    out = edition / "site"
    run("export", "html", "tei", "-o", str(out))
    built = snapshot(out)
    name = "1967-01-23_politburo-cable"
    tei = edition / "tei" / f"{name}.xml"
    data = tei.read_text(encoding="utf-8")
    at = data.index(" the ", data.index("<body>"))
    tei.write_text(data[:at] + " these " + data[at + len(" the "):], encoding="utf-8")
    status, output = run("export", "html", "tei", "-o", str(out))
    assert status == 0, output
    made = changed(built, snapshot(out))
    assert {f"documents/{name}.html", f"tei/{name}.xml", f"text/{name}.txt",
            "assets/search-index.js"} <= made
    # its title, date and names are as they were: the table of documents, the search page,
    # the other documents' pages are not made again
    assert not made & {"index.html", "search.html"}
    assert not {m for m in made if m.startswith("documents/")} - {f"documents/{name}.html"}
    assert " these " in (out / "assets" / "search-index.js").read_text(encoding="utf-8")


def test_a_copy_of_a_file_under_another_name_is_left_out_and_names_nothing(
        edition: Path) -> None:
    name = "1967-01-23_politburo-cable"
    shutil.copyfile(edition / "tei" / f"{name}.xml", edition / "tei" / "zz-copy.xml")
    status, output = run("export", "html", "tei", "-o", "site")
    assert status == 1 and "E403" in output  # the same document id twice
    site = edition / "site"
    assert (site / "documents" / f"{name}.html").is_file()
    assert not (site / "documents" / "zz-copy.html").exists()
    for page in ("index.html", "persons.html", "assets/search-index.js"):
        assert "zz-copy" not in (site / page).read_text(encoding="utf-8"), page


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_page_teipipe_did_not_write_is_left_alone_unless_forced(edition: Path,
                                                                  jobs: str) -> None:
    """Pages are put in place by the worker processes: they leave others' files alone too."""
    name = "1967-01-23_politburo-cable"
    mine = edition / "site" / "documents" / f"{name}.html"
    mine.parent.mkdir(parents=True)
    mine.write_text("<p>my own page</p>", encoding="utf-8")
    status, output = run("export", "html", "tei", "-o", "site", "-j", jobs)
    assert status == 1 and "E407" in output and f"{name}.html" in output
    assert mine.read_text(encoding="utf-8") == "<p>my own page</p>"
    assert (edition / "site" / "documents" / "1968-10-15_politburo-cable-323.html").is_file()
    status, output = run("export", "html", "tei", "-o", "site", "-j", jobs, "--force")
    assert status == 0, output
    assert "my own page" not in mine.read_text(encoding="utf-8")
    assert f"documents/{name}.html" in (edition / "site" / ".teipipe-export").read_text(
        encoding="utf-8")


def test_a_document_added_or_removed_makes_again_only_its_neighbours_pages(
        edition: Path) -> None:
    out = edition / "site"
    run("export", "html", "tei", "-o", str(out))
    built = snapshot(out)
    pages = sorted(p for p in built if p.startswith("documents/"))
    assert len(pages) > 4
    gone = edition / "tei" / "1968-10-15_politburo-cable-323.xml"
    kept = gone.read_bytes()
    gone.unlink()
    status, output = run("export", "html", "tei", "-o", str(out))
    assert status == 0, output
    removed = changed(built, snapshot(out))
    pages_made = {p for p in removed if p.startswith("documents/")}
    assert f"documents/{gone.stem}.html" in pages_made and len(pages_made) <= 3  # and two
    assert not (out / "documents" / f"{gone.stem}.html").exists()                 # neighbours
    before = snapshot(out)
    gone.write_bytes(kept)
    run("export", "html", "tei", "-o", str(out))
    pages_made = {p for p in changed(before, snapshot(out)) if p.startswith("documents/")}
    assert f"documents/{gone.stem}.html" in pages_made and len(pages_made) <= 3
