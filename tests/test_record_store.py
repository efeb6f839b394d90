"""The build record on disk (:mod:`pipeline.record_store`): it reads back as it was put,
across runs; a record of other settings, a damaged one, or changes never saved count as
nothing; and a run's plan leaves the database free for the next run."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.incremental import FileState
from pipeline.record_store import RecordStore

states = st.builds(FileState, st.text(max_size=4), st.integers(0, 9), st.integers(0, 2**63),
                   st.integers(0, 9), st.integers(0, 9), st.none() | st.integers(0, 2**63))
leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=5) | states
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=3), inner, max_size=5), max_leaves=20)


def _same(put, got, saved: range) -> bool:
    """Whether ``got`` is ``put`` read back after a save in the time ``saved`` (states
    observed at save have a time in it)."""
    if isinstance(put, dict):
        return isinstance(got, dict) and put.keys() == got.keys() and all(
            _same(put[k], got[k], saved) for k in put)
    if isinstance(put, list):
        return isinstance(got, list) and len(put) == len(got) and all(
            _same(a, b, saved) for a, b in zip(put, got))
    if isinstance(put, FileState) and put.seen_ns is None:
        return isinstance(got, FileState) and got.as_data()[:5] == put.as_data()[:5] and \
            got.seen_ns in saved
    return put == got and type(put) is type(got)


@settings(max_examples=60, deadline=None)
@given(entries=st.dictionaries(st.text(max_size=4), values, min_size=1, max_size=8),
       dropped=st.sets(st.text(max_size=4), max_size=3))
def test_a_record_reads_back_as_it_was_put(tmp_path_factory, entries: dict,
                                           dropped: set) -> None:
    path = tmp_path_factory.mktemp("record") / "r.sqlite"
    record = RecordStore(path, "s")
    for key, entry in entries.items():
        record.put(key, {"v": entry})
    assert all(record.get(key) == {"v": entry} for key, entry in entries.items())
    for key in dropped:
        record.drop(key)
    before = time.time_ns()
    record.save()
    saved = range(before, time.time_ns() + 1)
    again = RecordStore(path, "s")
    for key, entry in entries.items():
        got = again.get(key)
        assert got is None if key in dropped else _same({"v": entry}, got, saved)


def _got(path: Path, settings: str, key: str) -> dict | None:
    """The entry of ``key`` as a store opened and closed again finds it (a store dropped
    unclosed holds its reading lock until the collector finds it: a later save waits)."""
    with RecordStore(path, settings) as record:
        return record.get(key)


def test_other_settings_a_damaged_file_or_an_unsaved_run_hold_nothing(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    state = FileState("ab", 1, 2, 3, 4, None)
    record = RecordStore(path, "s")
    record.put("a", {"state": state})
    record.save()
    saved = _got(path, "s", "a")["state"]
    assert saved.as_data()[:5] == state.as_data()[:5] and saved.seen_ns is not None
    assert _got(path, "t", "a") is None  # other settings
    record = RecordStore(path, "t")
    record.put("b", {"n": 1})  # a change under new settings forgets the old entries ...
    assert record.get("a") is None and record.get("b") == {"n": 1}
    record.close()  # ... once saved: this run never was
    assert _got(path, "s", "a") is not None
    path.write_bytes(b"{not a database")
    record = RecordStore(path, "s")
    assert record.get("a") is None
    record.put("c", {"n": 2})
    record.save()
    record.close()
    assert _got(path, "s", "c") == {"n": 2}


def test_a_record_read_and_changed_by_two_runs_in_turn(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    first = RecordStore(path, "s")
    first.put("a", {"n": 1})
    first.save()  # committed: the lock is free again, with the store still open
    second = RecordStore(path, "s")
    second.put("b", {"n": 2})
    second.save()
    assert first.get("b") == {"n": 2} and second.get("a") == {"n": 1}


@settings(max_examples=40, deadline=None)
@given(entries=st.dictionaries(st.text(max_size=4), values, min_size=1, max_size=8),
       dropped=st.sets(st.text(max_size=4), max_size=3))
def test_the_values_are_the_entries_with_the_runs_changes(tmp_path_factory, entries: dict,
                                                          dropped: set) -> None:
    """:meth:`RecordStore.values` gives what :meth:`~RecordStore.get` gives, key by key,
    before a save and after it (read again), and nothing of other settings."""
    path = tmp_path_factory.mktemp("record") / "r.sqlite"
    record = RecordStore(path, "s")
    for key, entry in entries.items():
        record.put(key, {"k": key, "v": entry})
    for key in dropped:
        record.drop(key)
    kept = sorted(set(entries) - dropped)
    assert sorted(e["k"] for e in record.values()) == kept
    assert all(e == record.get(e["k"]) for e in record.values())
    record.save()
    again = RecordStore(path, "s")
    assert sorted(e["k"] for e in again.values()) == kept
    assert all(e == again.get(e["k"]) for e in again.values())
    assert list(RecordStore(path, "t").values()) == []


def test_an_entry_read_again_is_the_one_last_put_or_saved(tmp_path: Path) -> None:
    """The entry last read is kept for the next lookup of its key: a change or a save
    (which gives states observed at save their time) is seen all the same."""
    record = RecordStore(tmp_path / "r.sqlite", "s")
    record.put("a", {"n": 1, "state": FileState("ab", 1, 2, 3, 4, None)})
    assert record.get("a")["n"] == 1 and record.get("a")["state"].seen_ns is None
    record.put("a", {"n": 2, "state": FileState("ab", 1, 2, 3, 4, None)})
    assert record.get("a")["n"] == 2
    record.save()
    assert record.get("a")["state"].seen_ns is not None
    record.drop("a")
    assert record.get("a") is None


_KEYS = st.text("ab/\U0001f600\x7f", max_size=5)


@settings(max_examples=80, deadline=None)
@given(keys=st.sets(_KEYS, max_size=30), prefix=st.text("ab/\U0001f600\x7f", min_size=1,
                                                        max_size=2),
       chunk=st.integers(1, 4), dropped=st.booleans())
def test_the_entries_below_a_prefix_are_those_whose_key_begins_with_it(
        tmp_path_factory, keys: set[str], prefix: str, chunk: int, dropped: bool) -> None:
    """A table kept a row per item (a package's files, a zip's members) is read a chunk at
    a time, and dropped, as a dict of the keys that begin with the prefix would be."""
    path = tmp_path_factory.mktemp("below") / "r.sqlite"
    record = RecordStore(path, "s")
    for key in keys:
        record.put(key, {"k": key})
    if dropped:
        record.drop_below(prefix)
    record.save()
    again = RecordStore(path, "s")
    chunks = list(again.below(prefix, chunk))
    below = sorted(k for k in keys if k.startswith(prefix))
    assert [key for c in chunks for key, _entry in c] == ([] if dropped else below)
    assert all(entry == {"k": key} for c in chunks for key, entry in c)
    assert all(0 < len(c) <= chunk for c in chunks)
    assert sorted(k for k in keys if again.get(k) is not None) == sorted(
        k for k in keys if not (dropped and k.startswith(prefix)))


def test_what_is_put_below_a_prefix_while_it_is_read_is_read_too(tmp_path: Path) -> None:
    record = RecordStore(tmp_path / "r.sqlite", "s")
    for n in range(5):
        record.put(f"h/{n}", {"n": n})
    seen = []
    for chunk in record.below("h/", 2):
        for key, entry in chunk:
            seen.append(key)
            record.put(f"f/{key}", entry)  # another table: not read here
            if entry["n"] == 4:
                record.put("h/5", {"n": 5})
    assert seen == [f"h/{n}" for n in range(6)]


def test_a_closed_store_lets_another_change_the_record_at_once(tmp_path: Path) -> None:
    """A store that read (its lookups' transaction open) or changed without saving, then
    closed (``with``, also when left by an error), holds no lock: another store of the same
    file, in the same process, changes it, and its changes are kept (before, the first
    store's connection held its lock until the garbage collector found it: the second
    waited, then lost its changes).  Changes not saved are forgotten."""
    path = tmp_path / "r.sqlite"
    with RecordStore(path, "s") as record:
        record.put("a", {"n": 1})
        record.save()
    with RecordStore(path, "s") as record:
        assert record.get("a") == {"n": 1}
    with RecordStore(path, "s") as record:
        record.put("b", {"n": 2})
        record.save()
    try:
        with RecordStore(path, "s") as record:
            assert record.get("b") == {"n": 2}
            record.put("c", {"n": 3})
            raise KeyError("c")
    except KeyError:
        pass
    with RecordStore(path, "s") as record:
        record.put("d", {"n": 4})
        record.save()
    with RecordStore(path, "s") as record:
        assert [record.get(k) for k in "abcd"] == [{"n": 1}, {"n": 2}, None, {"n": 4}]


def test_a_store_for_threads_is_used_by_another_thread_and_gives_its_keys(
        tmp_path: Path) -> None:
    """``threads``: the connection is used by any thread (one at a time: the caller's
    lock); its keys are every key, with the run's changes."""
    from concurrent.futures import ThreadPoolExecutor
    path = tmp_path / "r.sqlite"
    record = RecordStore(path, "s", threads=True)
    with ThreadPoolExecutor(1) as pool:
        pool.submit(record.put, "a", {"n": 1}).result()
        assert pool.submit(record.get, "a").result() == {"n": 1}
    record.put("b", {"n": 2})
    record.drop("a")
    assert sorted(record.keys()) == ["b"]
    record.save()
    assert sorted(RecordStore(path, "s").keys()) == ["b"]


def test_a_store_that_cannot_keep_the_runs_changes_says_so(tmp_path: Path) -> None:
    """A record another run holds (its changes not saved) cannot take this run's: ``lost``
    says so, and the record holds what it held before."""
    path = tmp_path / "r.sqlite"
    with RecordStore(path, "s") as record:
        record.put("a", {"n": 1})
        record.save()
    holder = RecordStore(path, "s")
    holder.put("b", {"n": 2})  # its write transaction open
    try:
        record = RecordStore(path, "s")
        record._db.execute("PRAGMA busy_timeout = 0")  # not the five seconds' wait
        assert not record.lost
        record.put("a", {"n": 3})
        assert record.lost and record.get("a") == {"n": 1}
        record.close()
    finally:
        holder.close()
