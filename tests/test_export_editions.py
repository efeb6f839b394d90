"""Both editions from one run (`export html --text-output`): the same files, byte for byte,
as `export html` and `export text` make one after the other, with records each of them
can go on from; a problem reported once."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.export.build import chunks
from pipeline.incremental import FileState
from pipeline.record_store import RecordStore, store_path

from conftest import SEEDS, sample_pages
from test_incremental_stages import run, snapshot


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    """The seeds and samples converted once (no recognizer) for the tests of this module."""
    from pipeline.batch import convert_many
    tei = tmp_path_factory.mktemp("tei")
    convert_many([*sorted(SEEDS.glob("*.txt")), *sample_pages()], tei, settings={"ner": False})
    return tei


@pytest.fixture
def edition(converted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with those TEI files in ``tei/``, as the working folder; its own cache."""
    shutil.copytree(converted, tmp_path / "tei")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))
    return tmp_path


def contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def edit(edition: Path, name: str = "1967-01-23_politburo-cable") -> str:
    """Change one TEI file's text (a word of its body)."""
    path = edition / "tei" / f"{name}.xml"
    data = path.read_bytes()
    at = data.index(b" the ", data.index(b"<body"))
    path.write_bytes(data[:at] + b" the changed &amp; " + data[at + 5:])
    return path.stem


def project_copies(folder: Path, lacking: tuple[str, ...] = ()) -> None:
    """The project's two documents, each as five, with names linked to the register (its
    copy in ``source/``), in ``folder/tei``; the copies named in ``lacking`` without the
    entry of U Thant in their standOff (they still name him)."""
    root = Path(__file__).resolve().parent.parent
    (folder / "tei").mkdir()
    (folder / "source").mkdir()
    shutil.copy(root / "source" / "register.xml", folder / "source")
    for path in sorted((root / "tei").glob("*.xml")):
        for k in range(5):
            data = path.read_bytes().replace(path.stem.encode(), f"{path.stem}-{k}".encode())
            if f"{path.stem}-{k}" in lacking:
                data = re.sub(rb'<person xml:id="per-u-thant">.*?</person>', b"", data,
                              flags=re.S)
            (folder / "tei" / f"{path.stem}-{k}.xml").write_bytes(data)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_run_makes_both_editions_as_two_runs_do(edition: Path, jobs: str) -> None:
    assert run("export", "html", "tei", "-o", "apart/html", "-j", jobs)[0] == 0
    assert run("export", "text", "tei", "-o", "apart/text", "-j", jobs)[0] == 0
    status, output = run("export", "html", "tei", "-o", "both/html", "--text-output",
                         "both/text", "-j", jobs)
    assert status == 0, output
    assert f"open {Path('both/html/index.html')}" in output
    assert f"open {Path('both/text/corpus.txt')}" in output
    assert contents(edition / "both") == contents(edition / "apart")
    assert len(contents(edition / "both/text")) == len(list((edition / "tei").glob("*.xml"))) + 2

    # each edition's record is the one its own command keeps: either goes on from it
    built = snapshot(edition / "both")
    assert " 0 files written" in run("export", "text", "tei", "-o", "both/text")[1]
    assert " 0 files written" in run("export", "html", "tei", "-o", "both/html")[1]
    status, output = run("export", "html", "tei", "-o", "both/html", "--text-output",
                         "both/text", "-j", jobs)
    assert status == 0 and output.count(" 0 files written") == 2, output
    assert snapshot(edition / "both") == built

    # a changed file: made again in both editions, as the two commands make it
    name = edit(edition)
    assert run("export", "html", "tei", "-o", "both/html", "--text-output", "both/text",
               "-j", jobs)[0] == 0
    after = snapshot(edition / "both")
    rewritten = {rel for rel in after if built.get(rel) != after[rel]}
    assert {f"html/documents/{name}.html", f"html/text/{name}.txt", f"text/{name}.txt",
            "text/corpus.txt", "text/corpus.tsv"} <= rewritten
    assert run("export", "html", "tei", "-o", "fresh/html", "-j", jobs)[0] == 0
    assert run("export", "text", "tei", "-o", "fresh/text", "-j", jobs)[0] == 0
    assert contents(edition / "both") == contents(edition / "fresh")


def test_the_workers_make_what_one_process_makes(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """One pool of workers makes the documents' pages, the entries' pages (their lists of
    occurrences copied from the summaries) and the search index, while this process makes
    the rest: the same bytes as one process making all, from nothing and after a change.
    (:func:`project_copies`)"""
    project_copies(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))
    for jobs in ("1", "2"):
        assert run("export", "html", "tei", "-o", f"j{jobs}/html", "--text-output",
                   f"j{jobs}/text", "-j", jobs)[0] == 0
    made = contents(tmp_path / "j1")
    assert any(rel.startswith("html/persons/") for rel in made)
    assert "html/assets/search-index.js" in made
    assert contents(tmp_path / "j2") == made
    edit(tmp_path, "1967-01-23_politburo-cable-3")
    for jobs in ("1", "2"):
        assert run("export", "html", "tei", "-o", f"j{jobs}/html", "--text-output",
                   f"j{jobs}/text", "-j", jobs)[0] == 0
    assert contents(tmp_path / "j2") == contents(tmp_path / "j1") != made


def test_a_page_that_needs_the_register_is_made_after_the_plan(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages of documents that carry every entry they name are handed to the workers
    before the edition is planned; those of documents that name an entry they do not carry
    (here U Thant, taken out of two of them) wait for the plan, which has the register's
    entry for them.  The same bytes with one process and with workers, and as an export
    from nothing, also after the register's entry changed (only those two pages change)."""
    lacking = ("1967-01-23_politburo-cable-1", "1967-01-23_politburo-cable-3")
    project_copies(tmp_path, lacking)
    register = tmp_path / "source" / "register.xml"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))

    def export(*folders: str) -> dict[str, bytes]:
        for folder in folders:
            jobs = "1" if folder.startswith("j1") else "2"
            assert run("export", "html", "tei", "-o", f"{folder}/html", "--text-output",
                       f"{folder}/text", "-j", jobs)[0] == 0
        made = contents(tmp_path / folders[0])
        assert all(contents(tmp_path / folder) == made for folder in folders[1:])
        return made

    made = export("j1", "j2")
    thant = "Burmese diplomat, Secretary-General"
    for name in (*lacking, "1967-01-23_politburo-cable-0"):
        page = made[f"html/documents/{name}.html"].decode("utf-8")
        assert 'id="per-u-thant"' in page and thant in page
    register.write_text(register.read_text(encoding="utf-8").replace(
        thant, "Diplomat from Burma, Secretary-General"), encoding="utf-8")
    after = export("j1", "j2", "fresh")
    changed = {rel for rel in made if rel.startswith("html/documents/")
               and after[rel] != made[rel]}
    assert changed == {f"html/documents/{name}.html" for name in lacking}
    assert "Diplomat from Burma" in after["html/documents/1967-01-23_politburo-cable-1.html"
                                          ].decode("utf-8")


def test_the_record_has_each_file_as_it_is(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers look at the files they put in place (:func:`.output.placed`) and hash the
    entries' pages they write, the main process the others: the record has every file's
    hash, size, modification time and inode as they are, so that the next run trusts them
    without reading them.  (:func:`project_copies`)"""
    project_copies(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))
    assert run("export", "html", "tei", "-o", "html", "--text-output", "text", "-j", "2")[0] == 0
    for stage, folder in (("export-html", "html"), ("export-text", "text")):
        path = store_path(stage, Path(folder))
        with closing(sqlite3.connect(path)) as db:
            settings, = db.execute("SELECT value FROM meta WHERE name='settings'").fetchone()
        files = {rel: state for entry in RecordStore(path, settings).values()
                 for rel, state in entry.get("files", {}).items()}
        assert len(files) > 10
        assert folder == "text" or any(rel.startswith("places/") for rel in files)
        for rel, state in files.items():
            assert isinstance(state, FileState)
            st = (tmp_path / folder / rel).stat()
            assert (state.size, state.mtime_ns, state.inode) == (
                st.st_size, st.st_mtime_ns, st.st_ino), rel
            assert state.sha256 == hashlib.sha256((tmp_path / folder / rel).read_bytes()
                                                  ).hexdigest(), rel


def test_the_text_edition_is_made_when_only_it_is_out_of_date(edition: Path) -> None:
    assert run("export", "html", "tei", "-o", "html")[0] == 0
    status, output = run("export", "html", "tei", "-o", "html", "--text-output", "text")
    assert status == 0 and " 0 files written" in output, output
    assert run("export", "text", "tei", "-o", "apart")[0] == 0
    assert contents(edition / "text") == contents(edition / "apart")


def test_a_bad_file_is_reported_once_and_left_out_of_both(edition: Path) -> None:
    (edition / "tei" / "0000_broken.xml").write_text(
        '<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<oops>\n',
        encoding="utf-8")
    status, output = run("export", "html", "tei", "-o", "html", "--text-output", "text")
    assert status == 1
    assert output.count("0000_broken.xml:4: error: not well-formed XML") == 1, output
    assert "Traceback" not in output
    assert not (edition / "text" / "0000_broken.txt").exists()
    assert (edition / "text" / "1967-01-23_politburo-cable.txt").is_file()
    assert (edition / "html" / "documents" / "1967-01-23_politburo-cable.html").is_file()


def test_the_editions_texts_share_a_file_yet_change_apart(edition: Path) -> None:
    """The plain text a document page offers and the plain-text edition's file are the
    same bytes: one run links them (one file made, not two); a later run of either
    edition replaces its own, and the other keeps what it had."""
    assert run("export", "html", "tei", "-o", "html", "--text-output", "text", "-j", "1")[0] == 0
    download = edition / "html" / "text" / "1967-01-23_politburo-cable.txt"
    plain = edition / "text" / "1967-01-23_politburo-cable.txt"
    assert download.read_bytes() == plain.read_bytes()
    assert download.stat().st_ino == plain.stat().st_ino  # (tmp_path is on one device)
    before = plain.read_bytes()
    edit(edition)
    assert run("export", "html", "tei", "-o", "html")[0] == 0
    assert download.read_bytes() != before
    assert plain.read_bytes() == before
    assert run("export", "text", "tei", "-o", "text")[0] == 0
    assert plain.read_bytes() == download.read_bytes()


def test_the_corpus_parts_are_kept_in_packs_that_do_not_pile_up(edition: Path) -> None:
    """What corpus.txt and corpus.tsv need of each document is kept many to a file (a
    pack): a run that reads every file again leaves one pack; one whose pack is gone
    reads the files again and makes the same corpus."""
    def found() -> list[Path]:
        return sorted((edition / "cache").glob("export/export-text/*/*.pack"))

    assert run("export", "html", "tei", "-o", "html", "--text-output", "text")[0] == 0
    made = contents(edition / "text")
    assert len(found()) == 1
    edit(edition)
    assert run("export", "text", "tei", "-o", "text")[0] == 0
    assert len(found()) == 2  # the one file read again, beside the others' pack
    assert run("export", "text", "tei", "-o", "text", "--rebuild")[0] == 0
    assert len(found()) == 1
    changed = contents(edition / "text")
    assert changed != made
    for pack in found():
        pack.unlink()
    (edition / "text" / "corpus.txt").unlink()
    status, output = run("export", "text", "tei", "-o", "text")
    assert status == 0, output
    assert contents(edition / "text") == changed
    assert len(found()) == 1


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_pages_summaries_are_kept_in_packs(edition: Path, jobs: str) -> None:
    """The HTML edition's summaries (with each document's page) are kept one pack per
    worker, not one file per document; when they are gone from the cache, the files are
    read again and the site is the same; packs nothing names any more are removed."""
    def found() -> list[Path]:
        return sorted((edition / "cache").glob("export/export-html/*/*.pack"))

    assert run("export", "html", "tei", "-o", "html", "-j", jobs)[0] == 0
    made = contents(edition / "html")
    assert 1 <= len(found()) <= int(jobs)
    assert not list((edition / "cache").glob("export/export-html/*/*/*"))  # no file each
    for pack in found():
        pack.unlink()
    (edition / "html" / "index.html").unlink()
    status, output = run("export", "html", "tei", "-o", "html", "-j", jobs)
    assert status == 0, output
    assert contents(edition / "html") == made
    assert run("export", "html", "tei", "-o", "html", "-j", jobs, "--rebuild")[0] == 0
    assert 1 <= len(found()) <= int(jobs)
    assert contents(edition / "html") == made


def test_a_file_that_cannot_be_linked_is_written(tmp_path: Path) -> None:
    """Where no link can be made (no such file, another device, no links), the bytes are
    written; a file already there is never linked over."""
    from pipeline.export.output import place
    assert place(tmp_path, "a/one.txt", b"text", False, like=tmp_path / "missing") == "written"
    assert (tmp_path / "a" / "one.txt").read_bytes() == b"text"
    assert place(tmp_path, "a/two.txt", b"text", False, like=tmp_path / "a/one.txt") == \
        "written"
    assert (tmp_path / "a" / "two.txt").stat().st_ino == (tmp_path / "a" / "one.txt").stat().st_ino
    (tmp_path / "three.txt").write_bytes(b"old")
    assert place(tmp_path, "three.txt", b"text", True, like=tmp_path / "a/one.txt") == "written"
    assert (tmp_path / "three.txt").stat().st_ino != (tmp_path / "a" / "one.txt").stat().st_ino
    assert (tmp_path / "three.txt").read_bytes() == b"text"
    assert place(tmp_path, "new/folder/four.txt", b"text", False,
                 like=tmp_path / "a/one.txt") == "written"  # (a folder not made yet)
    assert (tmp_path / "new/folder/four.txt").stat().st_ino == \
        (tmp_path / "a" / "one.txt").stat().st_ino


# An export never loses what an earlier export wrote because an input could not be read: a
# mistyped path or a broken TEI file leaves the earlier files in place (said in the
# summary), and the first run that reads every input removes what no document makes.

BOTH = ("export", "html", "tei", "-o", "build/html", "--text-output", "build/text")
NAME = "1967-01-23_politburo-cable"


@pytest.mark.parametrize("command", [("export", "text", "nope.xml", "-o", "build/text"),
                                     ("export", "html", "nope.xml", "-o", "build/html",
                                      "--text-output", "build/text")],
                         ids=["text", "html and text"])
def test_a_mistyped_path_removes_nothing(edition: Path, command: tuple[str, ...]) -> None:
    assert run(*BOTH)[0] == 0
    before = {f: contents(edition / "build" / f) for f in ("html", "text")}
    status, output = run(*command)
    assert status == 1 and "nope.xml: error: no such file or folder [E001]" in output
    assert "left as they were (an input could not be read)" in output
    assert {f: contents(edition / "build" / f) for f in ("html", "text")} == before


def test_a_broken_tei_file_keeps_its_pages_until_it_is_gone(edition: Path) -> None:
    assert run(*BOTH)[0] == 0
    html, text = edition / "build" / "html", edition / "build" / "text"
    page, plain = contents(html)[f"documents/{NAME}.html"], contents(text)[f"{NAME}.txt"]
    tei = edition / "tei" / f"{NAME}.xml"
    good = tei.read_bytes()
    tei.write_bytes(b"<broken")
    status, output = run(*BOTH)
    assert status == 1 and f"{NAME}.xml:" in output and "[E401]" in output
    assert contents(html)[f"documents/{NAME}.html"] == page  # left as it was
    assert contents(text)[f"{NAME}.txt"] == plain
    assert NAME not in contents(html)["index.html"].decode()  # the index lists what was read
    tei.write_bytes(good)
    assert run(*BOTH)[0] == 0
    assert contents(html)[f"documents/{NAME}.html"] == page
    tei.unlink()  # gone: every input read, so its files go too
    status, output = run(*BOTH)
    assert status == 0 and "left as they were" not in output
    assert f"documents/{NAME}.html" not in contents(html)
    assert f"{NAME}.txt" not in contents(text)


@given(st.integers(0, 5000), st.integers(1, 8), st.integers(1, 64))
def test_the_tasks_go_in_chunks_that_shrink_to_one(tasks: int, jobs: int, most: int) -> None:
    """The chunks handed to the workers are the tasks in order, each once, none larger
    than ``most`` nor than an eighth of what is left per worker, the last of one task."""
    found = list(chunks(tasks, jobs, most))
    assert [k for start, stop in found for k in range(start, stop)] == list(range(tasks))
    for start, stop in found:
        assert 1 <= stop - start <= max(1, min(most, (tasks - start) // (jobs * 8)))
    assert not found or found[-1][1] - found[-1][0] == 1
