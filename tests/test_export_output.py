"""Which relative paths an export may write (:func:`pipeline.export.output.safe`): the
reading of paths by string is the one :class:`~pathlib.PurePosixPath` makes; what a worker
that puts a file in place tells of it (:func:`pipeline.export.output.placed`)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.export.output import Placed, placed, safe, write_files


def _reference(rel: str) -> bool:
    parts = PurePosixPath(rel).parts
    return bool(parts) and not PurePosixPath(rel).is_absolute() and ".." not in parts


@given(st.lists(st.sampled_from(["/", ".", "..", "a", "b.html", " ", "\\", "~"]),
                max_size=12).map("".join))
def test_a_path_is_safe_as_pure_posix_path_reads_it(rel):
    assert safe(rel) == _reference(rel)


@pytest.mark.parametrize("rel", ["", ".", "/etc/passwd", "//x", "a/../../x", "./"])
def test_a_file_outside_the_folder_is_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(ValueError):
        write_files(tmp_path, [(rel, b"x")])


def test_a_placed_file_is_told_with_its_times_as_they_are(tmp_path: Path) -> None:
    def times(rel: str) -> tuple[int, int, int, int]:
        st = os.stat(tmp_path / rel)
        return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino

    made = placed(tmp_path, "a/b.html", b"<p>b</p>", replace=False)
    assert (made.outcome, made.sha256) == ("written", hashlib.sha256(b"<p>b</p>").hexdigest())
    assert made.stat == times("a/b.html")
    again = placed(tmp_path, "a/b.html", b"<p>b</p>", replace=False)
    assert again.outcome == "unchanged" and again.stat == times("a/b.html") == made.stat
    linked = placed(tmp_path, "c.txt", b"<p>b</p>", replace=False, like=tmp_path / "a/b.html",
                    sha=made.sha256)  # (the hash its caller has: not made again)
    assert linked.stat is not None and linked.stat[3] == made.stat[3]  # the same inode
    assert linked.sha256 == made.sha256
    foreign = placed(tmp_path, "a/b.html", b"other", replace=False)
    assert (foreign.outcome, foreign.stat) == ("foreign", None)
    (tmp_path / "d").mkdir()
    assert placed(tmp_path, "d", b"x", replace=True).stat is None  # in the way


@given(st.text("0123456789abcdef", min_size=64, max_size=64),
       st.sampled_from(["written", "unchanged", "foreign", "in the way"]),
       st.none() | st.tuples(st.integers(0, 2**63 - 1), st.integers(-2**63, 2**63 - 1),
                             st.integers(-2**63, 2**63 - 1), st.integers(0, 2**64 - 1)),
       st.none() | st.text("0123456789abcdef", min_size=128, max_size=128))
def test_a_placed_file_packed_is_the_same_unpacked(sha256: str, outcome: str, stat, sha512
                                                   ) -> None:
    """What a worker did with a file, packed to wait for the main process, is what it did."""
    done = Placed(sha256, outcome, stat, sha512)
    assert len(done.packed()) == 129
    assert Placed.unpacked(done.packed()) == done
