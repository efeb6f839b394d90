"""Incremental conversion: what is up to date is neither converted nor written again.

Through the public interfaces: :class:`pipeline.batch.Plan` (which sources need work), the
``teipipe convert`` command, and the files on disk (bytes, inode and modification time tell
whether a file was written).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.batch import Plan
from pipeline.cli import main
from pipeline.record_store import store_path

from conftest import SEEDS, sample_pages

REGISTER = """\
<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Register</title>
</titleStmt><publicationStmt><p>test</p></publicationStmt><sourceDesc><p>test</p></sourceDesc>
</fileDesc></teiHeader><standOff><listPlace>{places}</listPlace></standOff></TEI>
"""
HANOI = ('<place xml:id="pla-hanoi" type="city"><placeName type="preferred">Hanoi</placeName>'
         '<note type="description">Capital of North Vietnam.</note></place>')
HAIPHONG = ('<place xml:id="pla-haiphong" type="city"><placeName type="preferred">Haiphong'
            '</placeName><note type="description">Port city of North Vietnam.</note></place>')


@pytest.fixture
def edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeds and samples in ``source/`` with a one-place register; cache in the folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))
    (tmp_path / "source").mkdir()
    for page in [*sorted(SEEDS.glob("*.txt")), *sample_pages()]:
        shutil.copyfile(page, tmp_path / "source" / page.name)
    (tmp_path / "source" / "register.xml").write_text(REGISTER.format(places=HANOI),
                                                      encoding="utf-8")
    return tmp_path


def convert(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["convert", "source", "-o", "tei", "--no-ner", "-j", "1",
                                       *args], catch_exceptions=False)
    return result.exit_code, result.stderr


def plan(root: Path, ner: bool = False) -> Plan:
    """What `teipipe convert` would do now (the same settings as :func:`convert`); the
    caller closes its record unless it runs the plan (:func:`work` does)."""
    register = root / "source" / "register.xml"
    import hashlib
    settings = {"register": "source/register.xml",
                "register-sha256": hashlib.sha256(register.read_bytes()).hexdigest(),
                "ner": ner, "cache": str(root / "cache" / "ner")}
    return Plan(sorted((root / "source").glob("*.txt")), Path("tei"), settings=settings,
                record=store_path("convert", Path("tei")))


def work(root: Path, ner: bool = False) -> int:
    """How many sources `teipipe convert` would convert now.  The plan's record is closed:
    an open one would hold its reading lock until the collector found it, and a later save
    could be lost (as in the record store's own test)."""
    planned = plan(root, ner)
    with planned.record:
        return planned.work


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Each file's bytes, inode and modification time: a rewrite changes the last two."""
    return {p.name: (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.glob("*.xml"))}


def test_an_unchanged_corpus_is_neither_converted_nor_written(edition: Path) -> None:
    status, _err = convert()
    assert status == 0
    before = snapshot(edition / "tei")
    assert len(before) == len(list((edition / "source").glob("*.txt")))
    assert work(edition) == 0
    status, err = convert()
    assert status == 0
    assert f"{len(before)} files: 0 written, {len(before)} unchanged" in err
    assert snapshot(edition / "tei") == before


def test_warnings_of_skipped_files_are_repeated_and_strict_still_fails(edition: Path) -> None:
    page = edition / "source" / "1960-01-02_undated-letter.txt"
    page.write_text("Skip to content\n\nLetter from A to B\n\nDear B,\n\nall is well.\n\n"
                    "Yours,\n\nA\n", encoding="utf-8")
    _status, first = convert()
    status, again = convert("--strict")
    warnings = sorted(line for line in first.splitlines() if ": warning: " in line)
    assert warnings and warnings == sorted(line for line in again.splitlines()
                                           if ": warning: " in line)
    assert status == 1
    assert work(edition) == 0


def test_one_changed_source_rebuilds_that_document_only(edition: Path) -> None:
    convert()
    before = snapshot(edition / "tei")
    page = edition / "source" / "1967-01-23_politburo-cable.txt"
    page.write_bytes(page.read_bytes().replace(b"Region V", b"Region VI"))
    assert work(edition) == 1
    status, err = convert()
    assert status == 0 and f"1 written, {len(before) - 1} unchanged" in err
    after = snapshot(edition / "tei")
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"1967-01-23_politburo-cable.xml"}
    assert b"Region VI" in after["1967-01-23_politburo-cable.xml"][0]


def test_a_source_changed_with_its_times_put_back_is_still_seen(edition: Path) -> None:
    convert()
    page = edition / "source" / "1967-01-23_politburo-cable.txt"
    old = page.stat()
    past = old.st_mtime_ns - 3600 * 10**9
    for path in [*(edition / "source").glob("*.txt"), *(edition / "tei").glob("*.xml")]:
        os.utime(path, ns=(past, past))  # long before the record: its times are trusted
    convert()  # records the files with their old times
    data = page.read_bytes()
    page.write_bytes(data.replace(b"Region V", b"Region W"))  # same size
    os.utime(page, ns=(past, past))
    assert page.stat().st_size == len(data)
    assert work(edition) == 1  # the change time gives it away


def test_a_new_register_entry_retags_and_rewrites_only_what_names_it(edition: Path) -> None:
    convert()
    before = snapshot(edition / "tei")
    assert not any(b"#pla-haiphong" in data for data, _i, _t in before.values())
    (edition / "source" / "register.xml").write_text(
        REGISTER.format(places=HAIPHONG + HANOI), encoding="utf-8")
    assert work(edition) == len(before)  # every document is tagged again ...
    status, _err = convert()
    assert status == 0
    after = snapshot(edition / "tei")
    changed = {name for name in before if before[name] != after[name]}
    naming = {name for name in after if b"#pla-haiphong" in after[name][0]}
    assert naming and changed == naming  # ... and only those naming Haiphong are rewritten
    assert work(edition) == 0


def test_other_settings_or_a_rebuild_convert_everything(edition: Path) -> None:
    convert()
    count = len(list((edition / "source").glob("*.txt")))
    assert work(edition, ner=True) == count
    status, err = convert("--rebuild")
    assert status == 0 and f"{count} files: 0 written, {count} unchanged" in err


def test_a_hand_edited_file_is_still_refused_and_kept(edition: Path) -> None:
    convert()
    tei = edition / "tei" / "1967-01-23_politburo-cable.xml"
    edited = tei.read_bytes() + b"<!-- checked against the original -->\n"
    tei.write_bytes(edited)
    assert work(edition) == 1
    status, err = convert()
    assert status == 1 and "was changed by hand since teipipe wrote it" in err
    assert tei.read_bytes() == edited
    status, err = convert()  # and again: a refused file is never taken as up to date
    assert status == 1 and "[E020]" in err and tei.read_bytes() == edited


def test_a_hand_edit_of_the_same_size_with_its_times_put_back_is_refused(edition: Path) -> None:
    convert()
    tei = edition / "tei" / "1967-01-23_politburo-cable.xml"
    before, st = tei.read_bytes(), tei.stat()
    edited = before.replace(b'<div type="document"', b'<div type="Document"', 1)
    assert len(edited) == len(before) and edited != before
    tei.write_bytes(edited)
    os.utime(tei, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert work(edition) == 1
    status, err = convert()
    assert status == 1 and "was changed by hand since teipipe wrote it" in err
    assert tei.read_bytes() == edited


def test_a_deleted_tei_file_or_a_lost_record_is_made_again(edition: Path) -> None:
    convert()
    before = snapshot(edition / "tei")
    (edition / "tei" / "1967-01-23_politburo-cable.xml").unlink()
    assert work(edition) == 1
    convert()
    assert snapshot(edition / "tei").keys() == before.keys()
    store_path("convert", Path("tei")).write_text("{not json", encoding="utf-8")
    assert work(edition) == len(before)
    status, err = convert()
    assert status == 0 and f"0 written, {len(before)} unchanged" in err


def test_a_plan_stopped_while_worked_out_leaves_the_record_free(
        edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The plan reads the record as it looks at each source: stopped halfway (Ctrl-C, an
    # unreadable file), it must not keep the record's lock for as long as its traceback lives.
    import sqlite3

    from pipeline import incremental
    convert()
    looked = []
    real = incremental.state

    def stopping(*args, **kwargs):
        looked.append(1)
        if len(looked) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(incremental, "state", stopping)
    with pytest.raises(KeyboardInterrupt) as stopped:
        plan(edition)
    assert stopped.value.__traceback__ is not None and len(looked) == 3
    db = sqlite3.connect(store_path("convert", Path("tei")), timeout=0)
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM entries WHERE key = ''")
        db.execute("COMMIT")  # no other connection holds even a reading lock
    finally:
        db.close()
