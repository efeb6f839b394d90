"""Putting a package in place: the old one is removed whole, and nothing outside
it, even where a link inside it points."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.deposit import output


def test_the_old_package_is_replaced_and_removed_whole_but_not_what_its_links_point_to(
        tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "keep.txt").write_text("keep")
    out = tmp_path / "build" / "pkg"
    for n in range(40):
        item = out / f"item{n}" / "sub"
        item.mkdir(parents=True)
        (item / "a.xml").write_text(str(n))
        (item.parent / "contents").write_text(str(n))
    os.link(out / "item0" / "contents", out / "item1" / "linked")
    (out / "item2" / "to-folder").symlink_to(outside)
    (out / "item3" / "to-file").symlink_to(outside / "deep" / "keep.txt")
    built = output.staging(out)
    (built / "new.txt").write_text("new")
    output.install(built, out)
    assert sorted(p.name for p in out.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["pkg"]  # no old folder left
    assert (outside / "deep" / "keep.txt").read_text() == "keep"

