"""Files a deposit links instead of writing: a content a package holds twice (the HTML
edition's copies of the TEI and text files), and the DSpace batch's edition files, linked
from the bag made in the same run.  Links must change no byte of either package, touch
nothing of the edition, keep each package's build record right, and a package damaged in
place must come out right the next time, as the package made from nothing."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

import bagit
import pytest
from hypothesis import given, settings, strategies as st
from click.testing import CliRunner

from pipeline import incremental
from pipeline.cli import main
from pipeline.deposit import fixity, make, staged
from pipeline.export import output

from deposit_edition import tree_bytes

TEI = "1967-01-23_politburo-cable"
OTHER = "1968-10-15_politburo-cable-323"
PACKAGES = ("deposit", "dspace-saf")


@pytest.fixture
def edition(deposit_edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the deposit edition with the HTML edition's copies of the TEI and text
    files (as `teipipe export html` makes them)."""
    # the edition was copied a moment ago: let its files' times vouch for them all the same
    monkeypatch.setattr(incremental, "RACY_NS", 0)
    root = Path(shutil.copytree(deposit_edition, tmp_path / "edition"))
    for folder, pattern in (("tei", "*.xml"), ("build/text", "*.txt")):
        copies = root / "build" / "html" / Path(folder).name
        copies.mkdir()
        for path in sorted((root / folder).glob(pattern)):
            shutil.copyfile(path, copies / path.name)
    return root


def deposit_both(root: Path, cache: Path) -> None:
    done = CliRunner().invoke(main, ["deposit", str(root), "--format", "bagit", "--format",
                                     "dspace-saf", "--archive", "zip"],
                              env={"SOURCE_DATE_EPOCH": "1700000000", "TEIPIPE_CACHE": str(cache)})
    assert done.exit_code == 0, done.output


def outputs(root: Path) -> dict[str, object]:
    """Every byte of both packages: their folders and their zips."""
    found: dict[str, object] = {}
    for name in PACKAGES:
        found[name] = tree_bytes(root / "build" / name)
        found[f"{name}.zip"] = (root / "build" / f"{name}.zip").read_bytes()
    return found


def edition_states(root: Path) -> dict[str, tuple[int, ...]]:
    """What says the edition's files were not touched: inode, links, times, permissions."""
    states = {}
    for folder in ("tei", "source", "schema", "build/html", "build/text"):
        for path in sorted((root / folder).rglob("*")):
            st = path.stat()
            states[str(path)] = (st.st_ino, st.st_nlink, st.st_mtime_ns, st.st_ctime_ns,
                                 st.st_mode)
    return states


def fresh(root: Path, tmp_path: Path) -> dict[str, object]:
    """Both packages of the edition at ``root`` made from nothing, elsewhere."""
    other = tmp_path / "fresh"
    shutil.copytree(root, other, ignore=shutil.ignore_patterns("deposit*", "dspace-saf*"))
    deposit_both(other, tmp_path / "cache-fresh")
    return outputs(other)


def test_packages_link_what_they_hold_alike_and_the_generated_editions_only(
        edition: Path, tmp_path: Path) -> None:
    """The HTML and text editions (which teipipe only ever replaces by renaming a new file
    over the old one) are linked, not copied, and keep their times and permissions; the
    files edited by hand (TEI, source pages, schema) are copied and left as they were."""
    before = edition_states(edition)
    deposit_both(edition, tmp_path / "cache")
    after = edition_states(edition)
    for path, state in before.items():
        if "/build/" in path:  # linked: one link more per package, nothing else changed
            assert (after[path][0], *after[path][2::2]) == (state[0], *state[2::2]), path
        else:
            assert after[path] == state, path
    bag, saf = edition / "build" / "deposit" / "data", edition / "build" / "dspace-saf" / TEI
    for held in ([bag / "text" / f"{TEI}.txt", saf / f"{TEI}.txt",
                  edition / "build" / "text" / f"{TEI}.txt"],
                 [bag / "html" / "text" / f"{TEI}.txt",
                  edition / "build" / "html" / "text" / f"{TEI}.txt"],
                 [bag / "html" / f"{TEI}.html", saf / f"{TEI}.html",
                  edition / "build" / "html" / f"{TEI}.html"],
                 [bag / "tei" / f"{TEI}.xml", bag / "html" / "tei" / f"{TEI}.xml",
                  saf / f"{TEI}.xml"]):
        assert len({path.stat().st_ino for path in held}) == 1, held
    assert (edition / "tei" / f"{TEI}.xml").stat().st_nlink == 1
    bagit.Bag(str(edition / "build" / "deposit")).validate()


def test_a_package_made_after_another_links_its_twins_without_a_look_at_the_edition(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edition file a package made before in the run took (and hashed) is linked from
    that package with the checksums taken then: the edition's file is not looked at again.
    One the run has not taken yet is looked at as ever."""
    edition = tmp_path / "edition"
    edition.mkdir()
    (edition / "a.txt").write_bytes(b"taken")
    (edition / "b.txt").write_bytes(b"not taken")
    memory = fixity.FileMemory(None)
    first = staged.Staged(tmp_path / "first", memory)
    taken = first.copy(str(edition / "a.txt"), "data/a.txt")
    looked: list[str] = []
    stat = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *args, **kwargs: looked.append(str(path))
                        or stat(path, *args, **kwargs))
    second = staged.Staged(tmp_path / "second", memory)
    for name in ("a.txt", "b.txt"):
        second.copy(str(edition / name), f"item/{name}", str(tmp_path / "first" / "data" / name))
    assert second.fixity_at("item/a.txt") == taken and str(edition / "a.txt") not in looked
    assert (tmp_path / "second" / "item" / "a.txt").stat().st_ino == \
        (tmp_path / "first" / "data" / "a.txt").stat().st_ino
    assert (tmp_path / "second" / "item" / "b.txt").read_bytes() == b"not taken"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=600), st.binary(max_size=600), st.booleans(), st.integers(0, 700))
def test_a_linked_file_is_hashed_as_its_bytes_say_whatever_the_run_knew(
        data: bytes, other: bytes, same: bool, small: int) -> None:
    """FileMemory.hash against the simple reference, the checksums of the bytes: whether
    a file of the same content was learnt before in the run (whose SHA-512 is then taken,
    not computed) or not, whether the file is read whole or a piece at a time."""
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(fixity, "SMALL", small):
        memory = fixity.FileMemory(None)
        for name, content in (("first", data if same else other), ("then", data)):
            path = os.path.join(folder, name)
            Path(path).write_bytes(content)
            assert memory.hash(path, path, os.stat(path)) == fixity.fixity_of(content)


def test_a_content_learnt_before_in_the_run_is_not_hashed_with_sha512_again(
        tmp_path: Path) -> None:
    memory = fixity.FileMemory(None)
    for name in ("tei.xml", "copy.xml", "other.xml"):
        (tmp_path / name).write_bytes(b"<TEI/>" if name != "other.xml" else b"<other/>")
    sha512 = hashlib.sha512
    with mock.patch.object(hashlib, "sha512", side_effect=sha512) as computed:
        found = [memory.hash(str(tmp_path / name), str(tmp_path / name),
                             os.stat(tmp_path / name))
                 for name in ("tei.xml", "copy.xml", "other.xml")]
    assert computed.call_count == 2 and found[0] == found[1] != found[2]


def test_a_later_export_does_not_change_what_the_packages_linked(
        edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page the export writes again is a new file: the packages keep the one they
    linked, and the bag is still valid; the next deposit reads that page alone again."""
    deposit_both(edition, tmp_path / "cache")
    page = edition / "build" / "html" / f"{TEI}.html"
    linked = edition / "build" / "deposit" / "data" / "html" / f"{TEI}.html"
    held = linked.read_bytes()
    output.write_files(edition / "build" / "html", [(f"{TEI}.html", held + b"<!-- new -->")],
                       force=True)
    assert page.read_bytes() == held + b"<!-- new -->"
    assert linked.read_bytes() == held
    assert (edition / "build" / "dspace-saf" / TEI / f"{TEI}.html").read_bytes() == held
    bagit.Bag(str(edition / "build" / "deposit")).validate()
    read: list[str] = []
    hash_file = fixity.FileMemory.hash
    monkeypatch.setattr(fixity.FileMemory, "hash",
                        lambda self, path, *rest: read.append(path) or hash_file(self, path, *rest))
    deposit_both(edition, tmp_path / "cache")
    assert read == [str(page)]
    assert outputs(edition) == fresh(edition, tmp_path)


def test_without_links_the_packages_are_the_same_bytes(
        edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    apart = Path(shutil.copytree(edition, tmp_path / "apart"))
    deposit_both(edition, tmp_path / "cache")

    def cross_device(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")
    monkeypatch.setattr(os, "link", cross_device)  # a package folder on another file system
    deposit_both(apart, tmp_path / "cache-apart")
    assert outputs(apart) == outputs(edition)
    assert all(p.stat().st_nlink == 1 for name in PACKAGES
               for p in (apart / "build" / name).rglob("*") if p.is_file())


def test_a_rerun_with_nothing_changed_keeps_both_packages(edition: Path,
                                                          tmp_path: Path) -> None:
    """The bag's record knows its files by their change time, which the DSpace batch's links
    change after the bag is made: were the record saved before, the bag would be made anew."""
    deposit_both(edition, tmp_path / "cache")
    made = {name: (edition / "build" / name).stat().st_ino for name in PACKAGES}
    deposit_both(edition, tmp_path / "cache")
    assert {name: (edition / "build" / name).stat().st_ino for name in PACKAGES} == made


def test_a_run_stopped_before_the_bags_record_has_its_times_takes_nothing_over_from_it(
        edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bag's record is saved without its files' times until the DSpace batch is made
    (:func:`make._restat`): a run stopped in between leaves a record no file is taken over
    by, and the next run makes the bag again, as from nothing."""
    with monkeypatch.context() as stopped:
        stopped.setattr(make, "_restat", lambda *_args: None)
        deposit_both(edition, tmp_path / "cache")
    made = (edition / "build" / "deposit").stat().st_ino
    deposit_both(edition, tmp_path / "cache")
    assert (edition / "build" / "deposit").stat().st_ino != made
    assert outputs(edition) == fresh(edition, tmp_path)


@pytest.mark.parametrize("fmt, name", [("bagit", "deposit"), ("dspace-saf", "dspace-saf")])
def test_a_rerun_of_one_package_with_nothing_changed_keeps_it_and_its_zip(
        edition: Path, tmp_path: Path, fmt: str, name: str) -> None:
    """The last package's zip is written in a child process while its record is taken: the
    record, saved once the zip is written, knows the zip as it is."""
    def deposit() -> tuple[int, int]:
        done = CliRunner().invoke(main, ["deposit", str(edition), "--format", fmt,
                                         "--archive", "zip"],
                                  env={"SOURCE_DATE_EPOCH": "1700000000",
                                       "TEIPIPE_CACHE": str(tmp_path / "cache")})
        assert done.exit_code == 0, done.output
        return ((edition / "build" / name).stat().st_ino,
                (edition / "build" / f"{name}.zip").stat().st_ino)
    assert deposit() == deposit()


def test_after_a_change_both_packages_are_the_ones_made_from_nothing(
        edition: Path, tmp_path: Path) -> None:
    deposit_both(edition, tmp_path / "cache")
    kept = edition / "build" / "deposit" / "data" / "tei" / f"{OTHER}.xml"
    inode = kept.stat().st_ino
    tei = edition / "tei" / f"{TEI}.xml"
    tei.write_bytes(tei.read_bytes().replace(b"Region V", b"Region VI", 1))
    for path in (edition / "build" / "html" / f"{TEI}.html",
                 edition / "build" / "text" / f"{TEI}.txt"):
        path.write_bytes(path.read_bytes() + b"\n")
    deposit_both(edition, tmp_path / "cache")
    assert outputs(edition) == fresh(edition, tmp_path)
    assert kept.stat().st_ino == inode  # taken over, not written again
    bagit.Bag(str(edition / "build" / "deposit")).validate()


def test_a_file_changed_in_place_in_a_package_is_put_right_in_both(
        edition: Path, tmp_path: Path) -> None:
    """A package's files are teipipe's, never written into; one edited in place (which
    changes it in every package that links it) is not taken over by the next deposit."""
    deposit_both(edition, tmp_path / "cache")
    damaged = edition / "build" / "deposit" / "data" / "tei" / f"{OTHER}.xml"
    damaged.write_bytes(damaged.read_bytes().replace(b"<p", b"<P", 1))
    deposit_both(edition, tmp_path / "cache")
    assert outputs(edition) == fresh(edition, tmp_path)
    bagit.Bag(str(edition / "build" / "deposit")).validate()


def test_an_export_after_a_deposit_writes_and_reads_nothing_again(
        edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The packages' links change the change time of the editions' files, which neither
    the export's record nor the deposit's goes by for them: the export after a deposit
    writes nothing and hashes none of its files again, and the deposit after that is not
    made again."""
    cache = tmp_path / "cache"
    export = ["export", "html", str(edition / "tei"), "-o", str(edition / "build" / "html"),
              "--text-output", str(edition / "build" / "text")]
    done = CliRunner().invoke(main, [*export, "--force"], env={"TEIPIPE_CACHE": str(cache)})
    assert done.exit_code == 0, done.output
    deposit_both(edition, cache)
    made = {name: (edition / "build" / name).stat().st_ino for name in PACKAGES}
    hashed: list[object] = []
    state_of = incremental.state_of
    monkeypatch.setattr(incremental, "state_of", lambda *a: hashed.append(a) or state_of(*a))
    done = CliRunner().invoke(main, export, env={"TEIPIPE_CACHE": str(cache)})
    assert done.exit_code == 0, done.output
    assert done.output.count(" 0 files written") == 2, done.output
    assert hashed == []
    deposit_both(edition, cache)
    assert {name: (edition / "build" / name).stat().st_ino for name in PACKAGES} == made
    bagit.Bag(str(edition / "build" / "deposit")).validate()


def test_the_digest_of_a_package_from_one_look_at_its_files_is_the_walks(
        edition: Path, tmp_path: Path) -> None:
    """A package's record and the digest of its files are taken from one look at each file
    (:func:`staged.snapshot`); the next run takes the digest by a walk: the same digest."""
    deposit_both(edition, tmp_path / "cache")
    for name in PACKAGES:
        out, archive = edition / "build" / name, str(edition / "build" / f"{name}.zip")
        assert make._outputs_digest(make._folder_hash(out), archive) == \
            make._stats(make._outputs(out, archive))
        assert make._outputs_digest(make._folder_hash(out), None) == \
            make._stats(make._outputs(out, None))
