"""The deposit's plain file reads and writes (:mod:`pipeline.deposit.rawfile`) give and
leave the bytes ``open()`` does."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given, settings, strategies as st

from pipeline.deposit import fixity
from pipeline.deposit.deflate import pieces
from pipeline.deposit.rawfile import RawFile, read_whole, write_new


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=5000), st.binary(max_size=300))
def test_what_is_written_is_read_back_as_open_reads_it(data: bytes, before: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f"
        path.write_bytes(before)  # replaced whole, as open(path, "wb") does
        write_new(path, data)
        assert path.read_bytes() == data
        got, st_ = read_whole(path)
        assert got == data and st_.st_size == len(data)
        assert (st_.st_ino, st_.st_mtime_ns) == (os.stat(path).st_ino, os.stat(path).st_mtime_ns)
        with RawFile(path) as handle:
            assert b"".join(bytes(p) for p in fixity.pieces(handle)) == data
        with RawFile(path) as handle:
            assert b"".join(bytes(p) for p in pieces(handle, bytearray(7))) == data


def test_a_file_grown_since_its_size_was_taken_is_read_to_its_end(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 3_000_000)
    with RawFile(path) as handle:
        assert handle.read_all(10) == b"x" * 3_000_000


def test_a_new_file_has_the_permissions_open_gives(tmp_path: Path) -> None:
    write_new(tmp_path / "a", b"a")
    with open(tmp_path / "b", "wb") as handle:
        handle.write(b"b")
    assert (tmp_path / "a").stat().st_mode == (tmp_path / "b").stat().st_mode
