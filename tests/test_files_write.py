"""write_atomic: the one way every stage writes a file (atomic, safe beside other workers)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pipeline import files
from pipeline.files import write_atomic


def test_writes_into_a_missing_folder_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "page.html"
    write_atomic(target, b"<p>one</p>")
    write_atomic(target, b"<p>two</p>")
    assert target.read_bytes() == b"<p>two</p>"
    assert sorted(p.name for p in target.parent.iterdir()) == ["page.html"]


def test_mode_follows_the_umask_like_open(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "x.txt", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.txt").stat().st_mode) == 0o640


def test_a_folder_another_worker_makes_meanwhile_is_not_an_error(tmp_path: Path,
                                                                  monkeypatch) -> None:
    """The race two export workers ran into: the first open fails because the folder is
    missing, and by the time we look, another worker has made it."""
    target = tmp_path / "html" / "text" / "page.txt"
    real_open = os.open
    calls = []

    def open_after_a_rival(name, flags, mode=0o777):
        if not calls:
            calls.append(name)
            try:
                return real_open(name, flags, mode)
            except FileNotFoundError:
                target.parent.mkdir(parents=True)  # the rival worker wins the race
                raise
        return real_open(name, flags, mode)

    monkeypatch.setattr(files.os, "open", open_after_a_rival)
    write_atomic(target, b"text")
    assert target.read_bytes() == b"text"


def test_a_folder_that_cannot_be_made_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(OSError):
        write_atomic(tmp_path / "file" / "below" / "x.txt", b"x")


def test_pieces_are_written_in_order_and_a_failure_midway_keeps_the_old_file(
        tmp_path: Path) -> None:
    target = tmp_path / "record.json"
    write_atomic(target, iter([b"{", b"", b'"a":1', b"}"]))
    assert target.read_bytes() == b'{"a":1}'

    def failing():
        yield b"{half"
        raise OSError("disk full")
    with pytest.raises(OSError):
        write_atomic(target, failing())
    assert target.read_bytes() == b'{"a":1}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.json"]
