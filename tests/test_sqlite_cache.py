"""The stores' databases are opened one way (:mod:`pipeline.sqlite_cache`): through each
store, a new file (in folders yet to be made) keeps what was saved; a damaged file, or a
database of another layout, is made anew and then keeps what is saved; and where no
database can be made, the record and the validation cache work without one."""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from pipeline.deposit.facts_store import Keeper, Store
from pipeline.record_store import RecordStore
from pipeline.validate.cache import ResultCache


def _record_save(path: Path, key: str) -> None:
    with RecordStore(path, "s") as record:
        record.put(key, {"n": 1})
        record.save()


def _record_has(path: Path, key: str) -> bool:
    with RecordStore(path, "s") as record:
        return record.get(key) == {"n": 1}


def _results_save(path: Path, key: str) -> None:
    with ResultCache(path) as cache:
        cache.put(key, "document", [], {"ids": []})
        cache.save()


def _results_have(path: Path, key: str) -> bool:
    with ResultCache(path) as cache:
        return cache.get(key) == ("document", [], {"ids": []})


def _facts_save(path: Path, key: str) -> None:
    with Keeper(path) as keeper:
        keeper.add(key, marshal.dumps(1))


def _facts_have(path: Path, key: str) -> bool:
    with closing(Store([path])) as store:
        return store.get(key) == marshal.dumps(1)


STORES: dict[str, tuple[Callable[[Path, str], None], Callable[[Path, str], bool]]] = {
    "record": (_record_save, _record_has),
    "validate": (_results_save, _results_have),
    "facts": (_facts_save, _facts_have),
}


@pytest.mark.parametrize("store", STORES)
def test_a_new_database_keeps_what_was_saved(tmp_path: Path, store: str) -> None:
    save, has = STORES[store]
    path = tmp_path / "a" / "b" / "store.sqlite"
    assert not has(path, "k")
    save(path, "k")
    save(path, "l")
    assert has(path, "k") and has(path, "l") and not has(path, "m")


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("damage", ["no database", "header", "empty"])
def test_a_damaged_file_is_made_anew(tmp_path: Path, store: str, damage: str) -> None:
    save, has = STORES[store]
    path = tmp_path / "store.sqlite"
    save(path, "k")
    if damage == "no database":
        path.write_bytes(b"{not a database")
    elif damage == "header":
        with path.open("r+b") as f:
            f.write(b"\xff" * 100)
    else:
        path.write_bytes(b"")
    assert not has(path, "k")
    save(path, "l")
    assert has(path, "l") and not has(path, "k")


@pytest.mark.parametrize("store", STORES)
def test_a_database_of_another_layout_is_made_anew(tmp_path: Path, store: str) -> None:
    """An SQLite file made by other code (here: that of the stores before their layout was
    kept in ``user_version``, with a table of the same name) holds nothing, and is replaced
    by the first save."""
    save, has = STORES[store]
    path = tmp_path / "store.sqlite"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, data BLOB)")
        db.execute("INSERT INTO entries VALUES ('k', x'00')")
    assert not has(path, "k")
    save(path, "l")
    assert has(path, "l") and not has(path, "k")


def test_where_no_database_can_be_made_the_record_is_the_runs_alone(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    path = tmp_path / "file" / "record.sqlite"  # (a folder inside a file: none can be made)
    record = RecordStore(path, "s")
    assert record.path is None
    record.put("k", {"n": 1})
    assert record.get("k") == {"n": 1}
    record.save()
    assert RecordStore(path, "s").get("k") is None


def test_where_no_database_can_be_made_validation_has_no_cache(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    path = tmp_path / "file" / "validate.sqlite"
    _results_save(path, "k")
    assert not _results_have(path, "k")


def test_a_database_another_run_holds_is_left_as_it_is(tmp_path: Path) -> None:
    """A record whose database another run holds (here: as it commits) is not taken for a
    damaged one: this run's record is its own (after the wait), the other's is kept."""
    path = tmp_path / "record.sqlite"
    _record_save(path, "a")
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        record = RecordStore(path, "s")
        assert record.path is None and record.get("a") is None
        other.execute("COMMIT")
    assert _record_has(path, "a")


def test_a_keeper_left_by_an_error_keeps_nothing_and_holds_nothing(tmp_path: Path) -> None:
    """The entries of a keeper whose ``with`` ends with an error are not kept, and the store
    is free at once for the next keeper, in the same process."""
    path = tmp_path / "store.sqlite"
    _facts_save(path, "k")
    with pytest.raises(KeyError), Keeper(path) as keeper:
        keeper.add("l", marshal.dumps(1))
        raise KeyError("l")
    _facts_save(path, "m")
    assert _facts_have(path, "k") and not _facts_have(path, "l") and _facts_have(path, "m")
