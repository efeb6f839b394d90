"""What the validator keeps of many files lives on disk, not in memory, and says the same:
the facts across files (:class:`.corpus.CorpusFacts`, against the rules as they were worked
out in memory), the result cache (:class:`.cache.ResultCache`), the files found
(:func:`.run.find_files`, against ``Path.rglob``), and a run's Python memory does not grow
with its files."""

from __future__ import annotations

import os
import shutil
import tracemalloc
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.diagnostics import Diagnostic
from pipeline.validate import cache as cache_mod
from pipeline.validate.codes import diagnostic
from pipeline.validate.corpus import CorpusFacts
from pipeline.validate.isolated import in_own_thread
from pipeline.validate.run import Options, find_files, validate

from conftest import ROOT

VALID = ROOT / "tests" / "valid"

# ----------------------------------------------------------------------------- facts


def _clashes_in_memory(files: list[tuple[str, list[tuple[str, int | None]]]]) -> list[Diagnostic]:
    """V303 as it was found before the facts went to disk: a dict of every id's first file
    and line, each file's ids looked up in it as the file comes."""
    first: dict[str, tuple[int, int | None]] = {}
    out = []
    for number, (shown, ids) in enumerate(files):
        clashes: dict[int, list[tuple[str, int | None, int | None]]] = {}
        seen_here: set[str] = set()
        for value, line in ids:
            if value in seen_here:
                continue
            seen_here.add(value)
            if value in first:
                other, other_line = first[value]
                clashes.setdefault(other, []).append((value, line, other_line))
            else:
                first[value] = (number, line)
        for other, found in clashes.items():
            value, line, other_line = found[0]
            more = f" and {len(found) - 1} more of its ids are" if len(found) > 1 else " is"
            out.append(diagnostic("V303", f"xml:id \"{value}\"{more} also used in "
                                  f"{files[other][0]} (line {other_line})", file=shown,
                                  line=line))
    return out


_ids = st.lists(st.tuples(st.sampled_from("abcdefgh"), st.one_of(st.none(),
                                                                  st.integers(1, 60))),
                max_size=12)
_entries = st.lists(st.tuples(st.sampled_from(["per-a", "per-b", "pla-c"]),
                              st.one_of(st.none(), st.integers(1, 60)),
                              st.sampled_from(["h1", "h2"])), max_size=4)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_ids, _entries, st.lists(st.sampled_from(["per-a", "pla-c"]))),
                max_size=8))
def test_facts_on_disk_say_what_the_dict_said(files) -> None:
    corpus = CorpusFacts()
    for k, (ids, entries, refs) in enumerate(files):
        corpus.add(f"tei/{k}.xml", True, {"ids": ids, "refs": refs, "entry_refs": [],
                                          "entries": entries})
    named = [(f"tei/{k}.xml", ids) for k, (ids, _e, _r) in enumerate(files)]
    assert list(corpus.clashes()) == _clashes_in_memory(named)
    assert list(corpus.copies()) == [
        (f"tei/{k}.xml", [(eid, line, digest, eid in refs) for eid, line, digest in entries])
        for k, (_ids, entries, refs) in enumerate(files) if entries]
    assert corpus.used == {ref for _i, _e, refs in files for ref in refs}


# ----------------------------------------------------------------------------- cache


def test_the_cache_keeps_results_across_runs_and_the_newest_only(tmp_path: Path,
                                                                 monkeypatch) -> None:
    path = tmp_path / "validate.sqlite"
    found = [diagnostic("V308", "a date", file="tei/a.xml", line=3)]
    store = cache_mod.ResultCache(path)
    for k in range(600):  # (more than a batch)
        store.put(f"key{k}", "document", found if k == 7 else [], {"ids": [[f"i{k}", k]]})
    store.save()
    again = cache_mod.ResultCache(path)
    assert again.get("key7") == ("document", found, {"ids": [["i7", 7]]})
    assert again.present(["key599", "missing"]) == {"key599"} and again.get("missing") is None
    monkeypatch.setattr(cache_mod, "MAX_ENTRIES", 10)
    again.put("new", "register", [], {})
    again.save()  # this run used key7 and wrote new: they are kept, with 8 of the others
    last = cache_mod.ResultCache(path)
    assert last.present(["key7", "new"]) == {"key7", "new"}
    assert len(last.present([f"key{k}" for k in range(600)])) == 9


def test_a_cache_file_that_is_no_database_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "validate.sqlite"
    path.write_text("{}")
    store = cache_mod.ResultCache(path)
    store.put("k", "document", [], {})
    store.save()
    assert cache_mod.ResultCache(path).get("k") == ("document", [], {})


# ----------------------------------------------------------------------------- files


def test_files_are_found_in_rglobs_order(tmp_path: Path, monkeypatch) -> None:
    for name in ["a/x.xml", "a-b/x.xml", "a/b/c.xml", "a.xml", "ab.xml", ".h/y.xml",
                 "a/b.xml", "a/b/.xml", "z.txt", "a/z.XML"]:
        (tmp_path / "tei" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "tei" / name).write_text("<x/>")
    os.symlink(tmp_path / "tei" / "a", tmp_path / "tei" / "link")  # not followed
    monkeypatch.chdir(tmp_path)
    for folder in ("tei", "tei/", str(tmp_path / "tei")):
        expected = [str(p) for p in sorted(Path(folder).rglob("*.xml")) if p.is_file()]
        assert find_files([folder]) == expected
    monkeypatch.chdir(tmp_path / "tei")
    assert find_files(["."]) == [str(p) for p in sorted(Path(".").rglob("*.xml"))
                                 if p.is_file()]


def test_a_thread_of_its_own_gives_back_the_value_or_the_error() -> None:
    assert in_own_thread(lambda: 42) == 42
    try:
        in_own_thread(lambda: 1 // 0)
    except ZeroDivisionError:
        pass
    else:
        raise AssertionError("the error was lost")


# ----------------------------------------------------------------------------- a run


def _edition(folder: Path, n: int) -> Path:
    """The test edition's document ``n`` times (each copy renamed, ids and all)."""
    (folder / "tei").mkdir(parents=True)
    (folder / "pages").mkdir()
    shutil.copy(VALID / "pages" / "1967-01-23_test-cable.txt", folder / "pages")
    shutil.copy(VALID / "register.xml", folder / "register.xml")
    text = (VALID / "1967-01-23_test-cable.xml").read_text(encoding="utf-8").replace(
        'source="pages/', 'source="../pages/')
    for k in range(n):
        stem = f"1967-01-23_test-cable-{k:04d}"
        (folder / "tei" / f"{stem}.xml").write_text(
            text.replace("d1967-01-23_test-cable", f"d{stem}"), encoding="utf-8")
    return folder


def _peak(folder: Path, monkeypatch) -> int:
    """The peak of Python's memory while validating ``folder`` (one process, no cache)."""
    monkeypatch.chdir(folder)
    tracemalloc.start()
    try:
        report = validate([Path("tei")], Options(jobs=1, use_cache=False,
                                                 register=Path("register.xml")))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.diagnostics == []
    return peak


def test_a_runs_python_memory_does_not_grow_with_its_files(tmp_path: Path,
                                                           monkeypatch) -> None:
    """Python's memory, per file: what must stay (its name, its place in the report) and
    what the finding of the files holds while it runs, 1.0 kB; with each file's ids and
    standOff copies held in memory, 3.9 kB."""
    _peak(_edition(tmp_path / "first", 30), monkeypatch)  # (schemas compiled, modules loaded)
    small = _peak(_edition(tmp_path / "small", 60), monkeypatch)
    large = _peak(_edition(tmp_path / "large", 240), monkeypatch)
    assert (large - small) / 180 < 2000, (small, large)  # (1.0 kB now; 3.9 kB before)
