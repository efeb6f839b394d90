"""The zips' index is looked up a chunk of members at a time (:mod:`pipeline.deposit.zipped`):
what it finds, and what a zip takes from where, is what a look-up per member gives."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.deposit import zipped
from pipeline.deposit.deflate import LEVEL
from pipeline.deposit.zipped import Members, ZipIndex, write_zip
from pipeline.record_store import RecordStore

EPOCH = 1_700_000_000

_SHA = st.integers(0, 40).map(lambda n: f"{n:064x}")
_ENTRY = st.tuples(*[st.integers(0, 2**31)] * 4)
_TABLE = st.dictionaries(_SHA, _ENTRY, max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(_TABLE, max_size=4), st.lists(_SHA, max_size=50),
       st.integers(1, 7), st.integers(1, 40))
def test_contents_found_at_once_are_those_found_one_at_a_time(
        tables: list[dict], asked: list[str], rows: int, many: int) -> None:
    """:meth:`.zipped.Sources.find` against its look-up per content and zip, the first zip
    that holds a content counting; whatever the rows put at a time and the keys a query."""
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setattr(zipped, "ROWS", rows)
        patch.setattr("pipeline.record_store.MANY", many)
        index = ZipIndex(Path(tmp) / "index.sqlite", LEVEL)
        for k, table in enumerate(tables):
            members = index.members()
            for sha, entry in table.items():
                members.add(sha, entry)
            archive = Path(tmp) / f"{k}.zip"
            archive.write_bytes(b"zip %d" % k)
            index.remember(archive, members)
        source = ZipIndex(Path(tmp) / "index.sqlite", LEVEL).sources()
        one_by_one = {sha: source(sha) for sha in asked if source(sha) is not None}
        assert source.find(set(asked)) == one_by_one


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_SHA, _ENTRY), max_size=40), st.lists(_SHA, max_size=40),
       st.integers(1, 5))
def test_a_zips_own_contents_looked_up_at_once_are_those_looked_up_one_at_a_time(
        added: list[tuple[str, tuple]], asked: list[str], rows: int) -> None:
    """:meth:`.zipped.Members.look` then :meth:`~.zipped.Members.get` against ``get`` alone,
    with contents added (and their rows put, :data:`.zipped.ROWS` at a time) between the
    look-up and the gets: the first member that holds a content counts."""
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setattr(zipped, "ROWS", rows)
        record = RecordStore(Path(tmp) / "index.sqlite", "settings")
        looked, plain = Members(record, "a/"), Members(record, "b/")
        half = len(added) // 2
        for sha, entry in added[:half]:
            for members in (looked, plain):
                if members.get(sha) is None:
                    members.add(sha, entry)
        looked.look(set(asked) | {sha for sha, _entry in added})
        for sha, entry in added[half:]:
            if plain.get(sha) is None:
                plain.add(sha, entry)
            assert looked.get(sha) == plain.get(sha) or looked.get(sha) is None
            if looked.get(sha) is None:
                looked.add(sha, entry)
        assert [looked.get(sha) for sha in asked] == [plain.get(sha) for sha in asked]
        record.close()


def test_a_zip_takes_from_the_same_places_whatever_its_chunks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A zip written after others, its members' contents looked up a chunk at a time
    (:data:`.zipped.CHUNK`) or one at a time: the same bytes, the same contents deflated
    (the others taken from the zips before, or from a member before in the same zip)."""
    folder = tmp_path / "files"
    folder.mkdir()
    texts = [b"page %d of the edition " % (k % 5) * 30 for k in range(12)]
    for k, text in enumerate(texts):
        (folder / f"{k:02}.txt").write_bytes(text)
    members = [(p.name, p) for p in sorted(folder.iterdir())]
    digests = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in members}
    first = [m for m in members if int(m[0][:2]) % 3 == 0]  # some of them, zipped before
    deflated: list[str] = []
    deflate = zipped._deflate
    monkeypatch.setattr(zipped, "_deflate", lambda path, *rest: (
        deflated.append(Path(path).name), deflate(path, *rest))[1])

    def zipped_after(chunk: int, where: Path) -> tuple[bytes, list[str]]:
        monkeypatch.setattr(zipped, "CHUNK", chunk)
        index = ZipIndex(where / "index.sqlite", LEVEL)
        where.mkdir()
        for name, made in (("first.zip", first), ("second.zip", members)):
            deflated.clear()
            with open(where / name, "w+b") as out:
                table = write_zip(made, out, EPOCH, digests, index, LEVEL)
            index.remember(where / name, table)
            index = ZipIndex(where / "index.sqlite", LEVEL)
        return (where / "second.zip").read_bytes(), sorted(deflated)

    at_once, one_by_one = zipped_after(512, tmp_path / "a"), zipped_after(1, tmp_path / "b")
    assert at_once == one_by_one
    assert at_once[1] == ["02.txt"]  # the contents of 0, 3, 6 (1) and 9 (4) zipped before
