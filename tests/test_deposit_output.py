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



def test_settling_gives_every_file_and_folder_the_packages_times_and_permissions(
        tmp_path: Path) -> None:
    built = tmp_path / "built"
    (built / "deep" / "er").mkdir(parents=True)
    (built / "deep").chmod(0o700)
    files = {"plain": 0o644, "private": 0o600, "runnable": 0o755, "deep/er/open": 0o666}
    for rel, mode in files.items():
        (built / rel).write_text(rel)
        (built / rel).chmod(mode)
    (tmp_path / "edition.html").write_text("the edition's")
    os.utime(tmp_path / "edition.html", ns=(7_000_000_000, 8_000_000_000))
    os.link(tmp_path / "edition.html", built / "linked.html")
    epoch = 1_000_000_000
    output.settle(built, epoch, {os.stat(built / "linked.html").st_ino})
    for path in [built, *built.rglob("*")]:
        st = path.stat()
        if path.name == "linked.html":  # the edition's: left as it is
            assert (st.st_mode & 0o7777, st.st_atime_ns, st.st_mtime_ns) == (
                0o644, 7_000_000_000, 8_000_000_000)
            continue
        assert st.st_mode & 0o7777 == (0o755 if path.is_dir() else 0o644), path
        assert st.st_mtime == epoch, path  # (a folder's access time: listing it changes it)
        assert path.is_dir() or st.st_atime == epoch, path
    settled = os.stat(built / "plain")
    output.settle(built, epoch)  # a file settled already is not changed again
    assert os.stat(built / "plain").st_ctime_ns == settled.st_ctime_ns
