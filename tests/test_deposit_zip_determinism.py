"""The same folder gives the same zip bytes wherever it is written (:mod:`pipeline.deposit.zipped`):
in this process or in forked children as the deposit writes its archives
(:mod:`pipeline.deposit.background`), with the heap in other states (the compressor's
buffers, which the library does not zero, at other addresses and over other old contents),
and each member is the one-piece deflate of its file.  Two 1,000-page builds once differed
in a few prose members by a byte (same CRC and size) and were not reproduced since; this
stress test is what would catch such a run."""

from __future__ import annotations

import hashlib
import random
import struct
import zipfile
from pathlib import Path

import pytest

from pipeline.deposit import background, zipped
from pipeline.deposit.archive import serialize
from pipeline.deposit.deflate import LEVEL, deflate
from pipeline.deposit.zipped import ZipIndex, write_zip

EPOCH = 1_700_000_000
WORDS = ("the embassy minister telegram of and to in conversation report on secretary "
         "between letter from cable agreement said that would not be with").split()


def prose(rng: random.Random, size: int) -> bytes:
    """Text like the editions' plain texts and DSpace ``contents`` (prose and short lines):
    what differed."""
    words: list[str] = []
    while sum(map(len, words)) + len(words) < size:
        words.append(rng.choice(WORDS) + ("\n" if rng.random() < 0.08 else ""))
    return " ".join(words).encode()[:size]


def folder(tmp: Path) -> Path:
    rng = random.Random(7)
    root = tmp / "package"
    for n in range(240):
        item = root / f"item-{n:03d}"
        item.mkdir(parents=True)
        (item / "text.txt").write_bytes(prose(rng, rng.randrange(200, 9000)))
        (item / "contents").write_bytes(prose(rng, rng.randrange(300, 900)))
    return root


def members(path: Path) -> dict[str, bytes]:
    """Each member's raw deflate data, as stored."""
    out = {}
    with zipfile.ZipFile(path) as zf, open(path, "rb") as raw:
        for info in zf.infolist():
            raw.seek(info.header_offset)
            head = raw.read(30)
            skip = sum(struct.unpack("<HH", head[26:30]))
            out[info.filename] = raw.read(skip + info.compress_size)[skip:]
    return out


def churn(seed: int) -> list[bytearray]:
    """Objects of many sizes made and dropped, so that what is allocated next lands
    elsewhere, on other old bytes."""
    rng = random.Random(seed)
    kept: list[bytearray] = []
    for _ in range(200):
        size = rng.choice([rng.randrange(1, 700), rng.randrange(700, 400_000)])
        kept.append(bytearray(rng.randbytes(64)) * (size // 64 + 1))
        if len(kept) > 20:
            kept.pop(rng.randrange(len(kept)))
    return kept


@pytest.mark.skipif(not background.can_fork(), reason="no fork: no archive written aside")
def test_a_folders_zip_is_the_same_bytes_in_this_process_and_in_forked_children(
        tmp_path: Path) -> None:
    root = folder(tmp_path)
    here = tmp_path / "here.zip"
    serialize(root, here, "zip", EPOCH, None)
    for seed in range(6):
        there = tmp_path / f"child-{seed}.zip"

        def job(seed: int = seed, there: Path = there) -> None:
            held = churn(seed)
            serialize(root, there, "zip", EPOCH, None)
            del held
        background.start(job).wait()
        assert there.read_bytes() == here.read_bytes(), f"child {seed}"
    held = churn(99)
    again = tmp_path / "again.zip"
    serialize(root, again, "zip", EPOCH, None)
    del held
    assert again.read_bytes() == here.read_bytes()
    for name, packed in members(here).items():
        if not name.endswith("/"):
            data = (root / name).read_bytes()
            z = deflate(LEVEL).compressor()
            assert packed == z.compress(data) + z.flush(), name


def test_a_zips_members_are_found_before_and_after_their_rows_are_put(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """:class:`.zipped.Members` puts its rows a few at a time (:data:`.zipped.ROWS`): a
    content is found in the zip being written whether its row is put yet or not, and in the
    index once the zip is remembered."""
    monkeypatch.setattr(zipped, "ROWS", 3)
    index = ZipIndex(tmp_path / "index.sqlite", LEVEL)
    members = index.members()
    entries = {f"{n:064x}": (n * 100, n, n + 1, n + 2) for n in range(8)}
    for sha, entry in entries.items():
        assert members.get(sha) is None
        members.add(sha, entry)
    assert all(members.get(sha) == entry for sha, entry in entries.items())
    archive = tmp_path / "a.zip"
    archive.write_bytes(b"a zip")
    index.remember(archive, members)
    source = ZipIndex(tmp_path / "index.sqlite", LEVEL).sources()
    assert all(source(sha) == (str(archive.resolve()), entry) for sha, entry in entries.items())


@pytest.mark.parametrize("names", [0, 8, 256])
def test_a_member_taken_from_a_zip_is_the_same_bytes_whatever_is_read_with_its_header(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: int) -> None:
    """A member whose content a zip holds already is copied from it, its header read with
    :data:`.zipped.NAMES` bytes after it (fewer than its name here, or more): the same zip
    as a second read of its data gives."""
    monkeypatch.setattr(zipped, "NAMES", names)
    for name, text in (("first-page-with-a-long-name.txt", b"the same text " * 40),
                       ("a.txt", b"a"), ("empty.txt", b"")):
        (tmp_path / name).write_bytes(text)
    files = ["first-page-with-a-long-name.txt", "a.txt", "empty.txt"]
    members = [(f"{n}/{f}", tmp_path / f) for n in range(3) for f in files]
    digests = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in members}
    with open(tmp_path / "out.zip", "w+b") as out:
        write_zip(members, out, EPOCH, digests, None, LEVEL)
    with open(tmp_path / "plain.zip", "w+b") as out:
        write_zip(members, out, EPOCH, {}, None, LEVEL)  # no digests: each deflated
    assert (tmp_path / "out.zip").read_bytes() == (tmp_path / "plain.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "out.zip") as zf:
        assert [zf.read(name) for name, _path in members] == \
            [path.read_bytes() for _name, path in members]
