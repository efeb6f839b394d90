"""Which deflate a ``--compress-level`` means (:mod:`pipeline.deposit.deflate`): every level
unpacks to the files, a file is deflated by libdeflate or zlib by its size alone, and zip
members another deflate made are not taken over."""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
import zlib
from pathlib import Path

import deflate as libdeflate
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.deposit import deflate as deflate_module
from pipeline.deposit import zipped
from pipeline.deposit.deflate import LEVEL, deflate, name, pieces
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


def _packed(level: int, data: bytes, piece: int) -> bytes:
    z = deflate(level).compressor()
    return b"".join(z.compress(data[i:i + piece]) for i in range(0, len(data), piece)) \
        + z.flush()


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=5000) | st.text(max_size=5000).map(str.encode),
       level=st.integers(0, 9), whole=st.integers(0, 6000), piece=st.integers(1, 2000))
def test_every_level_unpacks_to_the_data_whatever_the_limit_and_the_pieces(
        data: bytes, level: int, whole: int, piece: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(deflate_module, "WHOLE", whole)
        packed = _packed(level, data, piece)
        assert zlib.decompress(packed, -15) == data
        assert packed == _packed(level, data, 997)  # the same bytes however it is fed
    assert deflate(level).crc32(data, 0) == zlib.crc32(data)


@pytest.mark.parametrize("level", [1, LEVEL, 6, 9])
def test_a_file_up_to_the_limit_is_libdeflates_and_a_larger_one_zlibs(
        level: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deflate_module, "WHOLE", 4000)
    text = b"".join(b"line %d of a long page\n" % (n * n % 977) for n in range(400))
    below, above = text[:4000], text[:4001]
    assert _packed(level, below, 1000) == libdeflate.deflate_compress(below, level)
    assert _packed(level, above, 1000) == zlib.compress(above, level, -15)
    assert zlib.decompress(_packed(level, above, 1000), -15) == above


def test_level_0_stores_as_zlib_does() -> None:
    data = b"stored, not compressed " * 100
    assert _packed(0, data, 100) == zlib.compress(data, 0, -15)
    assert name(0) == f"zlib {zlib.ZLIB_RUNTIME_VERSION} level 0"


def test_the_name_says_the_libraries_the_limit_and_the_level(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert name(LEVEL) == (f"libdeflate (deflate 0.9.0) level {LEVEL} up to "
                           f"{deflate_module.WHOLE} bytes, zlib {zlib.ZLIB_RUNTIME_VERSION} "
                           f"level {LEVEL} above")
    before = name(LEVEL)
    monkeypatch.setattr(deflate_module, "WHOLE", 1000)
    assert name(LEVEL) != before and name(LEVEL) != name(LEVEL + 1)


def test_a_file_larger_than_a_piece_is_read_a_piece_at_a_time_and_unpacks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of PIECE bytes (lowered here), beyond the limit (lowered too): zlib's stream."""
    monkeypatch.setattr(zipped, "PIECE", 1000)
    monkeypatch.setattr(deflate_module, "WHOLE", 5000)
    content = b"".join(b"line %d of a long page\n" % (n * n % 977) for n in range(2000))
    (tmp_path / "page.txt").write_bytes(content)
    out = io.BytesIO()
    write_zip([("page.txt", tmp_path / "page.txt")], out, 1700000000, {}, None, LEVEL)
    with zipfile.ZipFile(out) as zf:
        info = zf.getinfo("page.txt")
        assert zf.read(info) == content
    start = info.header_offset + 30 + len(b"page.txt")
    assert out.getvalue()[start:start + info.compress_size] \
        == zlib.compress(content, LEVEL, -15)


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
    monkeypatch.setattr(deflate_module, "WHOLE", 1000)  # another limit: another deflate
    assert ZipIndex(tmp_path / "index.json", LEVEL).sources()(sha) is None


def test_without_libdeflate_its_levels_say_so_and_level_0_still_works(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "deflate", None)  # import deflate fails
    deflate.cache_clear()
    try:
        with pytest.raises(deflate_module.Unavailable, match="needs the deflate package"):
            deflate(2)
        z = deflate(0).compressor()
        assert zlib.decompress(z.compress(b"text") + z.flush(), -15) == b"text"
    finally:
        deflate.cache_clear()


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2500), level=st.sampled_from([0, 1, 6]),
       known=st.booleans())
def test_a_file_deflated_in_one_call_is_what_the_stream_of_its_pieces_gives(
        tmp_path_factory: pytest.TempPathFactory, data: bytes, level: int,
        known: bool) -> None:
    """The one call for a file read in one piece (:attr:`.Deflate.small`) against the
    compressor fed its pieces (:func:`.zipped._stream`, the way of every larger file)."""
    path = tmp_path_factory.mktemp("one") / "page.txt"
    path.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest() if known else None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zipped, "PIECE", 1000)
        made = zipped._deflate(path, sha, level)
        streamed = zipped._stream(
            [memoryview(data[at:at + 1000]) for at in range(0, len(data), 1000)], sha,
            deflate(level))
    assert made[:4] == streamed[:4] == (hashlib.sha256(data).hexdigest(), *made[1:4])
    assert made[4] == streamed[4]
    assert zlib.decompress(made[4], -15) == data
