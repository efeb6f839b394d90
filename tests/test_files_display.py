"""How files are named in messages: relative to the working folder when below it."""

from __future__ import annotations

from pathlib import Path

from pipeline.files import display_path


def test_files_below_the_working_folder_are_named_relative_to_it(tmp_path: Path,
                                                                 monkeypatch) -> None:
    (tmp_path / "work" / "source").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "work")
    assert display_path(Path("a.txt")) == "a.txt"
    assert display_path(Path("source/a.txt")) == "source/a.txt"
    assert display_path(Path("./source/../source/a.txt")) == "source/a.txt"
    assert display_path(tmp_path / "work" / "source" / "b.txt") == "source/b.txt"
    assert display_path(tmp_path / "work" / "c.txt") == "c.txt"


def test_files_elsewhere_keep_the_name_they_were_given(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "work").mkdir()
    (tmp_path / "other").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert display_path(Path("../other/a.txt")) == "../other/a.txt"
    assert display_path(tmp_path / "other" / "a.txt") == str(tmp_path / "other" / "a.txt")


def test_symbolic_links_are_followed(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "work" / "real").mkdir(parents=True)
    (tmp_path / "work" / "real" / "a.txt").write_text("x")
    (tmp_path / "work" / "linked").symlink_to(tmp_path / "work" / "real")
    (tmp_path / "work" / "b.txt").symlink_to(tmp_path / "work" / "real" / "a.txt")
    monkeypatch.chdir(tmp_path / "work")
    assert display_path(Path("linked/a.txt")) == "real/a.txt"
    assert display_path(Path("b.txt")) == "real/a.txt"
    assert display_path(Path(".")) == "."
