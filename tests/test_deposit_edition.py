"""Which source page a document owns: found by its resolved path, each folder resolved once
(:class:`pipeline.deposit.edition._FileIndex`), as resolving every path whole finds it,
through linked folders, linked files and ``..`` alike."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.deposit.edition import EditionDocument, PackageFile, _FileIndex, group_files, stem

SOURCES = ["../source/a.txt", "../source/sub/b.txt", "../source/link.txt", "up/c.txt",
           "up/sub/../a.txt", "../source/sub/..", "../aside/d.txt", "../source/missing.txt",
           "../source/./a.txt", "../source//sub/b.txt", "../source/sub/", "up", "{root}/c.txt",
           "{real}/source/sub/b.txt", "../source/to-aside/d.txt"]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An edition reached through a link (``root``), whose source pages lie in folders, one
    of them reached through a link, with a link to a page among them."""
    real = tmp_path_factory.mktemp("edition") / "real"
    for rel in ("source/a.txt", "source/c.txt", "source/sub/b.txt", "aside/d.txt"):
        (real / rel).parent.mkdir(parents=True, exist_ok=True)
        (real / rel).write_text(rel)
    (real / "tei").mkdir()
    os.symlink("sub/b.txt", real / "source" / "link.txt")
    os.symlink("../aside", real / "source" / "to-aside")
    os.symlink("../source", real / "tei" / "up")
    os.symlink(real, real.parent / "root")
    return real.parent


def reference(files: list[PackageFile], root: Path, source: str) -> PackageFile | None:
    """The source page found by resolving every path whole."""
    sources = {Path(f.path).resolve(): f for f in files if f.role == "source"}
    return sources.get((root / "tei" / source).resolve())


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=st.sampled_from(SOURCES), through=st.sampled_from(["root", "real"]))
def test_a_documents_source_is_the_one_resolving_its_path_whole_finds(
        tree: Path, source: str, through: str) -> None:
    root = tree / through
    source = source.format(root=tree / "root" / "source", real=tree / "real")
    files = list(group_files(os.path.abspath(root / "source"), "source"))
    tei = PackageFile(str(root / "tei" / "x.xml"), "tei/x.xml", "tei")
    facts = {"source": source, "id": "x", "header": {"title": None, "date_when": None},
             "lang": "", "publisher": None}
    found = _FileIndex(files).files_of(EditionDocument.of("x", facts), tei, root)
    expected = reference(files, root, source)
    assert found.files == ((tei, expected) if expected is not None else (tei,))


def test_the_sources_are_found_at_all(tree: Path) -> None:
    """The examples above find a source page for these paths, and none for the others."""
    files = list(group_files(os.path.abspath(tree / "root" / "source"), "source"))
    assert {s for s in SOURCES if "{" not in s and reference(files, tree / "root", s)} == {
        "../source/a.txt", "../source/sub/b.txt", "../source/link.txt", "up/c.txt",
        "up/sub/../a.txt", "../source/./a.txt", "../source//sub/b.txt"}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab.-_ é", min_size=1, max_size=12).filter(lambda n: n not in (".", "..")))
def test_a_file_names_stem_is_the_one_pathlib_gives(name: str) -> None:
    assert stem(name) == PurePosixPath(name).stem
