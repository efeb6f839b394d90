"""The stores an export keeps on disk are let go of however it ends: the facts it keeps for
the deposit (:mod:`pipeline.deposit.facts_store`), whose transaction, left open by a run
that stopped early, held the store's lock for as long as anything referred to the run (its
traceback: the next export or deposit waited for it, then lost its own entries); and the
names found for the review (:class:`pipeline.entities.review.Found`), in a folder of
their own."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pipeline import incremental
from pipeline.deposit import facts_store
from pipeline.entities.review import Found
from pipeline.export import html
from pipeline.export.run import export_editions
from pipeline.record_store import store_path

ROOT = Path(__file__).resolve().parent.parent


class Stop(Exception):
    """What stops the export halfway here."""


def _stopping_after(files: int):
    """A run's progress that stops it once ``files`` files are read."""
    read = []

    def advance() -> None:
        read.append(1)
        if len(read) == files:
            raise Stop

    return (lambda what, total: None), advance


def test_an_export_stopped_halfway_leaves_the_facts_store_free(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))
    tei = tmp_path / "tei"
    tei.mkdir()
    for k in range(6):
        for path in sorted((ROOT / "tei").glob("*.xml")):
            name = f"{path.stem}-{k}"
            (tei / f"{name}.xml").write_bytes(
                path.read_bytes().replace(path.stem.encode(), name.encode()))
    out = tmp_path / "build" / "html"
    with pytest.raises(Stop) as stopped:
        export_editions([tei], out, html.Options(), ({}, ""), None, jobs=1,
                        record=store_path("export-html", out), progress=_stopping_after(3))
    assert stopped.value.__traceback__ is not None  # (the run's frames still referred to)
    db = sqlite3.connect(facts_store.store_path(), timeout=0)
    try:
        db.execute("BEGIN IMMEDIATE")  # no other connection holds it
        db.execute("ROLLBACK")
    finally:
        db.close()


def test_the_names_found_are_let_go_of_when_closed(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    found = Found()
    state = incremental.FileState("0" * 64, 1, 2, 3, 4)
    found["a.xml"] = (state, [("persName", "Zhou", None, "high", "context")])
    assert found["a.xml"] == (state, [("persName", "Zhou", None, "high", "context")])
    (folder,) = tmp_path.glob("teipipe-names-*")
    found.close()
    assert not folder.exists() and len(found) == 0 and "a.xml" not in found
    found.close()  # (once is enough)
