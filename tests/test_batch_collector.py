"""The cyclic garbage collector is held off while a document is converted, and only then."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.batch import convert_many
from pipeline.gc_guard import collector_paused

from conftest import sample_pages


def test_the_collector_is_off_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_when_the_work_fails() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a bad page")
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_documents_are_converted_with_the_collector_off(tmp_path: Path, monkeypatch) -> None:
    seen: list[bool] = []
    convert = batch.convert_file

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return convert(*args, **kwargs)

    monkeypatch.setattr(batch, "convert_file", spy)
    pages = sample_pages()[:2]
    results = convert_many(pages, tmp_path, settings={"ner": False})
    assert [r.status for r in results] == ["written", "written"]
    assert seen == [False, False]
    assert gc.isenabled()
