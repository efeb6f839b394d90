"""An export's memory does not grow with its files beyond a few hundred bytes per document:
the edition's plan keeps its rows in a file (:class:`pipeline.export.edition.Rows`), the
files given are kept on disk until recorded (:mod:`pipeline.export.given`), and so is what
the files read for both editions give the plain-text one (:class:`.build.Handed`).  (At
10,000 documents these were some 25 MB of the main process.)  Measured with tracemalloc:
the peak of a one-pass export (HTML and plain text) over n and 4n documents, in one
process, from nothing and with nothing changed."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.export import html
from pipeline.export.build import Build, Tasks, TextEdition, Workers
from pipeline.export.edition import Plan, Row
from pipeline.export.given import BATCH, Given
from pipeline.export.packs import Places
from pipeline.export.run import export_editions
from pipeline.incremental import RACY_NS
from pipeline.record_store import store_path

from conftest import tei_copies

#: Bytes per document the peak of a one-pass export may grow by: what the main process
#: still keeps per document (its path, name, title and digest for the reading order and
#: the neighbours, where its summary is, the paths of its files in the export's list of
#: them, the pages' tasks and results not yet taken: some 3-3.5 kB here); held in memory,
#: the plan's rows, the files given and the plain-text edition's parts made it 9 kB; the
#: reading's results not yet taken, its tasks, a new Doc and Path for each document read
#: and a count of each file name, 4.6-5.7 kB.  The pages are handed to the workers before
#: this process makes the edition's files, and their results (129 bytes each, packed:
#: :meth:`.output.Placed.packed`) and the chunks' futures (a kilobyte each, a chunk per
#: two documents at 100) wait meanwhile: 4.3 -> 5.0-5.1 kB here, 0.17 kB a page at 10,000
#: documents (the process's peak 105.6 -> 107.3 MB).
PER_DOCUMENT = 5600


def _documents(folder: Path, count: int) -> list[Path]:
    """``count`` copies of the project's TEI files, each with its own name and id."""
    tei_copies(folder / "tei", count)
    return [folder / "tei"]


def _peak(folder: Path, paths: list[Path]) -> int:
    """The peak of the memory traced in a one-pass export of ``paths`` into ``folder``."""
    out = folder / "build"
    tracemalloc.start()
    try:
        result, text = export_editions(
            paths, out / "html", html.Options(), None,
            TextEdition(out / "text", record=store_path("export-text", out / "text")),
            jobs=2, record=store_path("export-html", out / "html"))
        assert result.documents and text is not None, result.diagnostics
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_peak_does_not_grow_with_the_documents(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))
    _peak(tmp_path / "warm", _documents(tmp_path / "warm", 4))  # resources loaded once
    few, many = 25, 100
    small = _documents(tmp_path / "small", few)
    large = _documents(tmp_path / "large", many)
    made = _peak(tmp_path / "small", small), _peak(tmp_path / "large", large)
    # (the files made are older than the window in which their times do not vouch for
    # them, for both: else those made last, the larger, may be hashed again and their
    # entries recorded anew, which the smaller are not: the likely cause of a peak
    # 4 MB higher at 100 documents, seen once)
    time.sleep(RACY_NS / 1e9)
    kept = _peak(tmp_path / "small", small), _peak(tmp_path / "large", large)  # unchanged
    for peak_few, peak_many in (made, kept):
        assert peak_many - peak_few < PER_DOCUMENT * (many - few), (made, kept)


def _meta(k: int) -> dict:
    """A document's ``meta`` (:mod:`pipeline.export.summary`) naming no entry."""
    return {"name": f"doc-{k:05d}", "id": f"id-{k:05d}", "title": f"The title of {k}" * 3,
            "date_when": f"{1900 + k % 100}-01-01", "date_text": f"1 January {1900 + k % 100}",
            "kind": "letter", "classification": "secret", "archive": f"Archive {k}",
            "project": None, "entries": [], "linked": [], "proposed": [],
            "search": f"{k:020d}", "uncarried": [], "pointers": []}


def _held(count: int, add) -> int:
    """The memory traced that is still held after ``add(k)`` for ``count`` documents."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = add(count)
        held = tracemalloc.get_traced_memory()[0] - before
        del kept
        return held
    finally:
        tracemalloc.stop()


def _plan(count: int) -> Plan:
    plan = Plan()
    for k in range(count):
        plan.add(f"tei/doc-{k:05d}.xml", _meta(k))
    return plan


def _given(count: int) -> Given:
    files = Given()
    for k in range(count):
        files.add(f"documents/doc-{k:05d}.html", f"tei/doc-{k:05d}.xml", f"{k:064x}",
                  (k, k, k, k), f"{k:0128x}")
    return files


@pytest.mark.parametrize("make", [_plan, _given])
def test_the_plan_and_the_files_given_hold_nothing_per_document(make) -> None:
    """The plan's rows and the files given are on disk (held in memory, some 600 B and
    1 kB per document)."""
    make(10)
    few, many = _held(250, make), _held(1000, make)
    assert many - few < 50 * 750, (few, many)


def test_the_plan_reads_its_rows_back_in_order() -> None:
    plan = _plan(1201)
    rows = list(plan.rows)
    assert len(rows) == len(plan.rows) == 1201
    assert rows[7] == Row(*(_meta(7)[f] for f in Row.__slots__))
    assert plan.years() == ("1900", "1999")
    assert plan.table(0, rows[:2]).count(b"<tr") == 2


@given(st.lists(st.integers(0, BATCH * 2), min_size=BATCH, max_size=BATCH * 3))
@settings(max_examples=10, deadline=None)
def test_files_given_by_the_batch_are_those_a_dict_keeps(gives: list[int]) -> None:
    """Files given are inserted :data:`.given.BATCH` at a time: the last of a file counts."""
    files, reference = Given(), {}
    for n, k in enumerate(gives):
        files.add(f"{k}.html", f"key-{k % 7}", f"sha-{n}", (n, n, n, n), None)
        reference[f"{k}.html"] = (f"key-{k % 7}", f"sha-{n}")
    got = {rel: (key, sha) for key, group in files.by_key() for rel, sha, _stat, _s in group}
    assert got == reference
    files.close()


@given(st.lists(st.tuples(st.sampled_from("abcde"), st.sampled_from("xyz"),
                          st.booleans()), max_size=30))
@settings(max_examples=50, deadline=None)
def test_the_files_given_are_those_a_dict_keeps(gives: list[tuple[str, str, bool]]) -> None:
    """A file given twice counts as given last; each entry's files, as a dict keeps them."""
    files, reference = Given(), {}
    for n, (rel, key, placed) in enumerate(gives):
        stat = (n, n, n, n) if placed else None
        files.add(rel, key, f"sha-{n}", stat, None)
        reference[rel] = (key, f"sha-{n}", stat)
    by_key: dict[str, dict] = {}
    for rel, (key, sha, stat) in reference.items():
        by_key.setdefault(key, {})[rel] = (sha, stat)
    got = {key: {rel: (sha, stat) for rel, sha, stat, _sha512 in group}
           for key, group in files.by_key()}
    assert got == by_key
    assert all(files.key(rel) == key for rel, (key, _sha, _stat) in reference.items())
    assert files.key("none") is None
    files.close()


@given(st.lists(st.tuples(st.sampled_from(["a.pack", "b.pack", "c.pack"]),
                          st.integers(0, 2**40), st.integers(0, 2**32)), max_size=40))
def test_places_are_the_wheres_they_hold(wheres: list[tuple[str, int, int]]) -> None:
    """The summaries' places held compactly are the lists they were made of, also pickled
    (for the worker that writes the search index)."""
    import pickle
    places = Places(wheres)
    for held in (places, pickle.loads(pickle.dumps(places))):
        assert len(held) == len(wheres)
        assert [held[k] for k in range(len(held))] == [list(w) for w in wheres]
        with pytest.raises(IndexError):
            held[len(wheres)]


def _square(task: tuple[int, int]) -> tuple[int, int]:
    """Worker: a task's result."""
    return task[0], task[1] * task[1]


@given(st.integers(0, 300), st.sampled_from([None, 1, 4]))
@settings(max_examples=25, deadline=None)
def test_reading_ahead_gives_what_handing_all_over_gives(count: int, ahead: int | None
                                                        ) -> None:
    """The results of tasks handed over a few chunks ahead of the caller (made as they
    are handed over) are those of a list of tasks handed over at once, in order."""
    build = Build("export-test", Path("/nonexistent/teipipe"), {}, None, jobs=2,
                  workers=Workers(2))
    try:
        tasks = Tasks(lambda k: (k, k + 1), range(count))
        assert list(tasks) == [(k, k + 1) for k in range(count)]
        assert list(build.read(_square, tasks, None, ahead)) == \
            list(map(_square, [(k, k + 1) for k in range(count)]))
    finally:  # (no worker left behind: it would hold the files it was forked with)
        build.workers.close()
        build.given.close()
        build.record.close()


class _Recording:
    """A stand-in for the pool: the chunks handed over, done at once."""

    def __init__(self) -> None:
        self.handed: list[list] = []

    def submit(self, fn, *args):
        from concurrent.futures import Future
        self.handed.append(args[-1])
        future: Future = Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self, cancel_futures: bool = False) -> None:
        pass


@pytest.mark.parametrize("ahead", [None, 2])
def test_tasks_are_handed_over_before_the_first_result_is_asked_for(ahead: int | None
                                                                    ) -> None:
    """The workers have their first tasks when :meth:`Build.read` returns: the caller does
    its own work before it asks for the results, and the workers must not wait for it."""
    build = Build("export-test", Path("/nonexistent/teipipe"), {}, None, jobs=2,
                  workers=Workers(2))
    pool = _Recording()
    build.workers.pool = pool  # type: ignore[assignment]
    try:
        tasks = [(k, k) for k in range(100)]
        results = build.read(_square, tasks, None, ahead)
        handed = [task for chunk in pool.handed for task in chunk]
        assert handed == (tasks if ahead is None else tasks[:len(handed)]) and handed
        assert list(results) == list(map(_square, tasks))
        assert [task for chunk in pool.handed for task in chunk] == tasks
    finally:
        build.workers.close()
        build.given.close()
        build.record.close()
