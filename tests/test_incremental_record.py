"""A build record is written in parts (never held whole as JSON): whatever its entries hold,
large dicts at any depth included, it reads back as it was put."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import incremental
from pipeline.incremental import BuildRecord, FileState

leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.builds(
    FileState, st.text(max_size=4), st.integers(0, 9), st.integers(0, 9), st.integers(0, 9),
    st.integers(0, 9), st.integers(0, 9))
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=3), inner, max_size=12), max_leaves=40)


@settings(max_examples=60, deadline=None)
@given(entries=st.dictionaries(st.text(max_size=4), values, min_size=1, max_size=12))
def test_a_record_reads_back_as_it_was_put(tmp_path_factory, entries: dict) -> None:
    path = tmp_path_factory.mktemp("record") / "r.json"
    kept = incremental.MANY, incremental.PIECE
    incremental.MANY, incremental.PIECE = 2, 16  # parts and pieces at every size
    try:
        record = BuildRecord(path, "s")
        for key, entry in entries.items():
            record.put(key, {"v": entry})
        record.save()
    finally:
        incremental.MANY, incremental.PIECE = kept
    assert BuildRecord(path, "s").entries == {key: {"v": entry} for key, entry in
                                              entries.items()}
    text = path.read_text(encoding="utf-8")
    assert json.loads(text)["format"] == incremental.RECORD_FORMAT


def test_a_large_dict_is_not_encoded_whole(tmp_path: Path, monkeypatch) -> None:
    encoded: list[int] = []
    kept = json.JSONEncoder.encode
    monkeypatch.setattr(json.JSONEncoder, "encode",
                        lambda self, o: encoded.append(len(o) if isinstance(o, dict) else 0)
                        or kept(self, o))
    record = BuildRecord(tmp_path / "r.json", "s")
    record.put("files", {"files": {f"f{n}": [n, "x"] for n in range(1000)}})
    record.save()
    assert max(encoded) <= incremental.MANY
    assert len(BuildRecord(tmp_path / "r.json", "s").entries["files"]["files"]) == 1000
