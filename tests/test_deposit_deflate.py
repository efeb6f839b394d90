"""Which deflate a ``--compress-level`` means (:mod:`pipeline.deposit.deflate`): every level
unpacks to the files, ISA-L's output does not change with how the files are read, and zip
members another deflate made are not taken over."""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from isal import isal_zlib

from pipeline.deposit import deflate as deflate_module
from pipeline.deposit import zipped
from pipeline.deposit.deflate import ISAL_LEVELS, LEVEL, deflate, name, pieces
from pipeline.deposit.zipped import ZipIndex, write_zip


class ShortReads(io.RawIOBase):
    """A file whose reads give fewer bytes than asked for, as ``cuts`` say."""

    def __init__(self, data: bytes, cuts: list[int]):
        self.data, self.cuts, self.at = data, cuts, 0

    def readinto(self, buffer) -> int:  # type: ignore[override]
        n = min(len(buffer), self.cuts.pop(0) if self.cuts else len(buffer),
                len(self.data) - self.at)
        buffer[:n] = self.data[self.at:self.at + n]
        self.at += n
        return n


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=200), size=st.integers(1, 40),
       cuts=st.lists(st.integers(1, 40), max_size=20))
def test_a_file_comes_in_pieces_of_the_buffers_size_whatever_its_reads_give(
        data: bytes, size: int, cuts: list[int]) -> None:
    got = [bytes(piece) for piece in pieces(ShortReads(data, cuts), bytearray(size))]
    assert got == [data[i:i + size] for i in range(0, len(data), size)]


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=5000) | st.text(max_size=5000).map(str.encode),
       level=st.integers(0, 9))
@example(data=b"\0\0\0\0\1\0\0\0\0", level=1)
def test_every_level_unpacks_to_the_data_and_is_the_library_it_names(
        data: bytes, level: int) -> None:
    z = deflate(level).compressor()
    packed = z.compress(data) + z.flush()
    assert zlib.decompress(packed, -15) == data
    if level in ISAL_LEVELS:  # ISA-L's streaming bytes (its one-shot compress may differ:
        # b"\0\0\0\0\1\0\0\0\0" at level 1), the same each time for the same calls
        isal = isal_zlib.compressobj(level, isal_zlib.DEFLATED, -15)
        assert packed == isal.compress(data) + isal.flush()
        assert name(level).startswith("isal 1.9.1 level")
    else:
        assert packed == zlib.compress(data, level, -15)  # zlib's bytes, as before ISA-L
        assert name(level) == f"zlib {zlib.ZLIB_RUNTIME_VERSION} level {level}"
    assert deflate(level).crc32(data, 0) == zlib.crc32(data)


def test_a_file_larger_than_a_piece_is_deflated_a_piece_at_a_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ISA-L's bytes depend on how its input is cut: a member is the file deflated in
    pieces of exactly PIECE bytes (lowered here), and unpacks to the file."""
    monkeypatch.setattr(zipped, "PIECE", 1000)
    content = b"".join(b"line %d of a long page\n" % (n * n % 977) for n in range(2000))
    (tmp_path / "page.txt").write_bytes(content)
    out = io.BytesIO()
    write_zip([("page.txt", tmp_path / "page.txt")], out, 1700000000, {}, None, LEVEL)
    z = deflate(LEVEL).compressor()
    expected = b"".join(z.compress(content[i:i + 1000]) for i in range(0, len(content), 1000))
    with zipfile.ZipFile(out) as zf:
        info = zf.getinfo("page.txt")
        assert zf.read(info) == content
    start = info.header_offset + 30 + len(b"page.txt")
    assert out.getvalue()[start:start + info.compress_size] == expected + z.flush()


def test_members_another_deflate_made_are_not_taken_over(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_bytes(b"the same text " * 50)
    members = [("a.txt", tmp_path / "a.txt")]
    digests = {"a.txt": hashlib.sha256((tmp_path / "a.txt").read_bytes()).hexdigest()}
    first = tmp_path / "first.zip"
    index = ZipIndex(tmp_path / "index.json", LEVEL)
    with open(first, "w+b") as out:
        index.remember(first, write_zip(members, out, 1700000000, digests, index, LEVEL))
    sha = digests["a.txt"]
    assert ZipIndex(tmp_path / "index.json", LEVEL).sources()(sha)  # the same deflate: taken over
    monkeypatch.setattr(zipped, "name", lambda level: f"another deflate level {level}")
    assert ZipIndex(tmp_path / "index.json", LEVEL).sources()(sha) is None


def test_without_isal_its_levels_say_so_and_zlibs_levels_still_work(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "isal", None)  # import isal fails
    deflate.cache_clear()
    try:
        with pytest.raises(deflate_module.Unavailable, match="needs the isal package"):
            deflate(2)
        z = deflate(6).compressor()
        assert zlib.decompress(z.compress(b"text") + z.flush(), -15) == b"text"
    finally:
        deflate.cache_clear()
