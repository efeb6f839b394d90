"""Files deflated ahead (pipeline/deposit/ahead.py): a zip that takes members from them is
the zip written without them, byte for byte; a file changed since is deflated again."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.deposit import background
from pipeline.deposit.ahead import Ahead
from pipeline.deposit.deflate import LEVEL
from pipeline.deposit.zipped import SPILL, ZipIndex, write_zip

needs_fork = pytest.mark.skipif(not background.can_fork(),
                                reason="deflating ahead needs fork and a second core")

EPOCH = 1700000000


def _zip(members: list[tuple[str, Path]], ahead=None, level: int = LEVEL) -> bytes:
    """The zip of ``members``, written to a file (read too: a member's content that comes
    again is copied from it)."""
    digests = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in members}
    with tempfile.TemporaryFile() as out:
        write_zip(members, out, EPOCH, digests, None, level, ahead)
        out.seek(0)
        return out.read()


class Counted:
    """A lookup of files deflated ahead that counts what it finds."""

    def __init__(self, found):
        self.found, self.hits, self.level = found, 0, found.level

    def get(self, path):
        got = self.found.get(path)
        self.hits += got is not None
        return got


@needs_fork
def test_a_zip_taking_members_deflated_ahead_is_the_same_bytes(tmp_path: Path) -> None:
    rng = random.Random(7)
    files = {"empty.txt": b"", "page.html": b"<p>a page</p>\n" * 300,
             "same.html": b"<p>a page</p>\n" * 300,  # the same content, another file
             "big.bin": rng.randbytes(SPILL + 5000),  # deflated larger than SPILL
             "changed.txt": b"before\n" * 40, "replaced.txt": b"old\n" * 40,
             "not-ahead.txt": b"deflated by the zip's writer\n"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    linked = tmp_path / "linked.html"
    os.link(tmp_path / "page.html", linked)  # a package's link to an edition file
    ahead = Ahead([str(tmp_path / name) for name in files if name != "not-ahead.txt"]
                  + [str(linked)], LEVEL)
    try:
        found = ahead.found()
        (tmp_path / "changed.txt").write_bytes(b"after, longer\n" * 40)  # written into
        (tmp_path / "new.txt").write_bytes(b"new\n" * 40)
        os.replace(tmp_path / "new.txt", tmp_path / "replaced.txt")  # another inode
        members = [(name, tmp_path / name) for name in sorted(files)] + [("z/linked.html",
                                                                          linked)]
        counted = Counted(found)
        assert _zip(members, counted) == _zip(members)
        # big, empty and page: not the changed, replaced or unknown file, nor the link
        assert counted.hits == 3  # and same.html: page's content, copied from its member
    finally:
        ahead.close()


@needs_fork
def test_files_deflated_at_another_level_are_not_taken(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"some text, some text\n" * 100)
    ahead = Ahead([str(tmp_path / "a.txt")], 6)
    try:
        counted = Counted(ahead.found())
        members = [("a.txt", tmp_path / "a.txt")]
        counted.level = 6
        assert _zip(members, counted) == _zip(members)  # LEVEL is not 6
        assert counted.hits == 0
    finally:
        ahead.close()


@needs_fork
def test_closing_stops_a_child_still_at_work(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"x" * 1000)
    ahead = Ahead(iter(lambda: str(tmp_path / "a.txt"), None), LEVEL)  # never ends
    pid = ahead._child.pid
    ahead.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped


@needs_fork
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.binary(max_size=3000), min_size=1, max_size=6),
       st.sets(st.integers(min_value=0, max_value=5)))
def test_any_files_any_of_them_ahead_give_the_zip_written_without(
        tmp_path: Path, contents: list[bytes], ahead_of: set[int]) -> None:
    folder = Path(os.urandom(4).hex())
    (tmp_path / folder).mkdir()
    members = []
    for k, data in enumerate(contents):
        path = tmp_path / folder / f"{k}.txt"
        path.write_bytes(data)
        members.append((f"{k}.txt", path))
    ahead = Ahead([str(path) for k, (_name, path) in enumerate(members) if k in ahead_of],
                  LEVEL)
    try:
        assert _zip(members, ahead.found()) == _zip(members)
    finally:
        ahead.close()


def test_an_index_holds_zips_only_while_they_are_as_made(tmp_path: Path) -> None:
    index = ZipIndex(tmp_path / "index.sqlite", LEVEL)
    assert not index.holds_zips()
    (tmp_path / "a.txt").write_bytes(b"text\n" * 10)
    archive = tmp_path / "a.zip"
    with open(archive, "w+b") as out:
        made = write_zip([("a.txt", tmp_path / "a.txt")], out, EPOCH, {}, index, LEVEL)
    index.remember(archive, made)
    assert ZipIndex(tmp_path / "index.sqlite", LEVEL).holds_zips()
    archive.write_bytes(b"not that zip")
    assert not ZipIndex(tmp_path / "index.sqlite", LEVEL).holds_zips()


@needs_fork
def test_a_deposit_from_nothing_deflates_ahead_and_one_after_a_change_does_not(
        deposit_edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The zips of a deposit that deflated the edition's HTML and text ahead are those of
    one that did not; a deposit whose earlier zips hold the members deflates nothing ahead."""
    from click.testing import CliRunner

    from pipeline.cli import main
    from pipeline.deposit import make

    made: list[Ahead] = []

    class Recorded(Ahead):
        def __init__(self, paths, level):
            paths = list(paths)
            assert paths and all("/build/html/" in p or "/build/text/" in p for p in paths)
            super().__init__(paths, level)
            made.append(self)

    def deposit(root: Path, cache: str) -> None:
        done = CliRunner().invoke(main, ["deposit", str(root), "--format", "bagit", "--format",
                                         "dspace-saf", "--archive", "zip"],
                                  env={"SOURCE_DATE_EPOCH": "1700000000",
                                       "TEIPIPE_CACHE": str(tmp_path / cache)})
        assert done.exit_code == 0, done.output

    monkeypatch.setattr(make, "Ahead", Recorded)
    roots = {}
    for name, cache in (("ahead", "cache-ahead"), ("not", "cache-not")):
        roots[name] = tmp_path / name
        shutil.copytree(deposit_edition, roots[name])
        if name == "not":
            monkeypatch.setattr(make.Shared, "_deflate_ahead", lambda self: None)
        deposit(roots[name], cache)
        monkeypatch.undo()
        monkeypatch.setattr(make, "Ahead", Recorded)
    assert len(made) == 1
    for zipped in ("deposit.zip", "dspace-saf.zip"):
        assert (roots["ahead"] / "build" / zipped).read_bytes() == \
               (roots["not"] / "build" / zipped).read_bytes()
    page = sorted((roots["ahead"] / "build" / "html").rglob("*.html"))[0]
    page.write_bytes(page.read_bytes() + b"\n")
    deposit(roots["ahead"], "cache-ahead")
    assert len(made) == 1
