"""Finding the sources of a run (:func:`pipeline.files.find_sources`, which convert and the
exports start with): the files ``sorted(p for p in folder.rglob(pattern) if p.is_file())``
gives, in that order, for any tree of folders, files and links."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.files import find_sources

NAMES = st.sampled_from(["a", "b", "B", "a-b", "a b", ".hidden", "z", "ä", "a.b"])
SUFFIXES = st.sampled_from([".txt", ".TXT", ".xml", "", ".txt.bak", ".txtx"])
#: a tree: each item a file, a folder (with its own items), or a link to a path in the tree
ITEMS = st.recursive(
    st.tuples(st.just("file"), NAMES, SUFFIXES),
    lambda below: st.tuples(st.just("folder"), NAMES, st.lists(below, max_size=4)),
    max_leaves=12)
LINKS = st.lists(st.tuples(NAMES, SUFFIXES, st.integers(0, 50)), max_size=4)


def build(folder: Path, items: list, made: list[Path]) -> None:
    for item in items:
        path = folder / (item[1] + (item[2] if item[0] == "file" else ""))
        if path.exists():
            continue
        if item[0] == "file":
            path.write_bytes(b"")
        else:
            path.mkdir()
            build(path, item[2], made)
        made.append(path)


def reference(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file())


@settings(max_examples=150, deadline=None)
@given(st.lists(ITEMS, max_size=6), LINKS, st.sampled_from(["*.txt", "*.xml", "*"]))
def test_the_sources_of_a_folder_are_those_rglob_finds_in_its_order(
        items: list, links: list, pattern: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "source"
        root.mkdir()
        made: list[Path] = []
        build(root, items, made)
        for name, suffix, k in links:  # to a file, to a folder (not walked into), or nowhere
            link = root / (name + "-link" + suffix)
            target = made[k % len(made)] if made and k < 45 else root / "gone"
            if not link.exists() and not link.is_symlink():
                os.symlink(target, link)
        for folder in (root, Path(os.path.relpath(root)), root / "."):
            found, problems = find_sources([folder], pattern)
            assert not problems
            assert found == reference(folder, pattern)
            assert [str(p) for p in found] == [str(p) for p in reference(folder, pattern)]


def test_files_named_are_taken_as_they_are_and_a_missing_path_is_reported(
        tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "c.txt").write_bytes(b"")
    found, problems = find_sources([tmp_path / "b.txt", tmp_path / "a", tmp_path / "none"])
    assert found == [tmp_path / "b.txt", tmp_path / "a" / "c.txt"]
    assert [(d.code, d.file) for d in problems] == [("E001", str(tmp_path / "none"))]
