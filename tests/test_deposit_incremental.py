"""Deposit again after a change: only what the change touches is made again (the rest is
taken over from the last package and the last zip), and the package is byte for byte the
one a deposit from nothing makes."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import zipfile
from contextlib import contextmanager
from pathlib import Path

import bagit
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import incremental
from pipeline.deposit import bag, edition as edition_module, output, zipped
from pipeline.deposit.archive import serialize
from pipeline.deposit.deflate import deflate
from pipeline.deposit.facts import document, read_facts
from pipeline.deposit.edition import collect, edition_files
from pipeline.deposit.fixity import FileMemory
from pipeline.deposit.make import inputs, make_package
from pipeline.deposit.zipped import LEVEL, ZipIndex, write_zip
from pipeline.record_store import store_path
from pipeline.tei.read import parse, read_tei

from deposit_edition import tree_bytes

EPOCH = "1700000000"
TEI = "1967-01-23_politburo-cable"
OTHER = "1968-10-15_politburo-cable-323"
#: Where a document's TEI lies in each package.
PLACES = {"bagit": "data/tei/{}.xml", "dspace-saf": "{0}/{0}.xml"}


@pytest.fixture
def edition(deposit_edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the deposit edition that a test may change; its cache folder inside."""
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))
    return Path(shutil.copytree(deposit_edition, tmp_path / "edition"))


def deposit(root: Path, out: Path, fmt: str, remember: bool = True) -> bytes:
    """Make the package with a build record (as the CLI does) or from nothing; the zip."""
    made, notes = make_package(root, out, fmt, "zip", False, EPOCH,
                               store_path(f"deposit-{fmt}", out) if remember else None)
    assert made.folder == out, [d.format() for d in notes]
    return (out.parent / f"{out.name}.zip").read_bytes()


def edit(root: Path) -> None:
    """Change one document's TEI, HTML and text as a new conversion and export would."""
    tei = root / "tei" / f"{TEI}.xml"
    tei.write_bytes(tei.read_bytes().replace(b"Region V", b"Region VI", 1))
    for path in (root / "build" / "html" / f"{TEI}.html", root / "build" / "text" / f"{TEI}.txt"):
        path.write_bytes(path.read_bytes() + b"\n")


@pytest.mark.parametrize("fmt", ["bagit", "dspace-saf"])
def test_a_deposit_after_a_change_is_the_package_made_from_nothing(
        edition: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # the edition was copied a moment ago: let its files' times vouch for them all the same
    monkeypatch.setattr(incremental, "RACY_NS", 0)
    out = edition / "build" / "pkg" / "deposit"
    deposit(edition, out, fmt)
    inode = {name: (out / PLACES[fmt].format(name)).stat().st_ino for name in (TEI, OTHER)}
    edit(edition)
    packed = deposit(edition, out, fmt)
    fresh = edition / "build" / "fresh" / "deposit"
    assert packed == deposit(edition, fresh, fmt, remember=False)
    assert tree_bytes(out) == tree_bytes(fresh)
    # the unchanged document's TEI was taken over from the last package, not written again
    assert (out / PLACES[fmt].format(OTHER)).stat().st_ino == inode[OTHER]
    assert (out / PLACES[fmt].format(TEI)).stat().st_ino != inode[TEI]


def test_a_file_changed_in_the_last_package_is_not_taken_over(edition: Path) -> None:
    out = edition / "build" / "pkg" / "deposit"
    deposit(edition, out, "bagit")
    damaged = out / "data" / "tei" / f"{OTHER}.xml"
    damaged.write_bytes(damaged.read_bytes().replace(b"<p", b"<P", 1))
    mets = out / "data" / "metadata" / "mets" / f"{OTHER}.xml"
    mets.write_bytes(mets.read_bytes() + b" ")
    edit(edition)
    deposit(edition, out, "bagit")
    assert damaged.read_bytes() == (edition / "tei" / f"{OTHER}.xml").read_bytes()
    bagit.Bag(str(out)).validate()
    fresh = edition / "build" / "fresh" / "deposit"
    deposit(edition, fresh, "bagit", remember=False)
    assert tree_bytes(out) == tree_bytes(fresh)


def test_a_damaged_record_is_made_anew(edition: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The package's record and the zips' index are databases (:mod:`pipeline.record_store`):
    damaged, they are made anew and the package made again, without a traceback; and the
    next run, with nothing changed, makes nothing."""
    monkeypatch.setattr(incremental, "RACY_NS", 0)
    out = edition / "build" / "pkg" / "deposit"
    packed = deposit(edition, out, "bagit")
    for path in (store_path("deposit-bagit", out), store_path("deposit-zip", edition)):
        assert path.is_file()
        path.write_bytes(b"not an SQLite file" * 100)
    assert deposit(edition, out, "bagit") == packed
    zipped = out.parent / "deposit.zip"
    st = zipped.stat()
    assert deposit(edition, out, "bagit") == packed
    assert zipped.stat().st_ino == st.st_ino and zipped.stat().st_mtime_ns == st.st_mtime_ns


def test_a_damaged_zip_is_not_reused(edition: Path) -> None:
    out = edition / "build" / "pkg" / "deposit"
    packed = deposit(edition, out, "bagit")
    archive = out.parent / "deposit.zip"
    archive.write_bytes(packed[:100] + bytes(len(packed) - 100))  # same size, zeros
    edit(edition)
    again = deposit(edition, out, "bagit")
    fresh = edition / "build" / "fresh" / "deposit"
    assert again == deposit(edition, fresh, "bagit", remember=False)


def test_manifests_list_files_in_bagits_walk_order(edition: Path) -> None:
    out = edition / "build" / "pkg" / "deposit"
    deposit(edition, out, "bagit", remember=False)
    walked = []
    for folder, folders, files in os.walk(out / "data"):
        folders.sort()
        walked += [(Path(folder) / f).relative_to(out).as_posix() for f in sorted(files)]
    listed = [line.split("  ", 1)[1] for line in
              (out / "manifest-sha512.txt").read_text(encoding="utf-8").splitlines()]
    assert listed == walked


def test_facts_give_back_the_header_they_were_read_from(deposit_edition: Path) -> None:
    for tei in sorted((deposit_edition / "tei").glob("*.xml")):
        tree = parse(tei)
        facts = json.loads(json.dumps(read_facts(tree)))  # as the build record keeps them
        doc = read_tei(tree, text=False)
        assert document(facts).header == doc.header and document(facts).id == doc.id


# ----------------------------------------------------------------------------- the zip

names = st.lists(st.text(st.characters(codec="utf-8", exclude_characters="/\0"), min_size=1,
                         max_size=12), min_size=1, max_size=6, unique=True)


@settings(max_examples=30, deadline=None)
@given(names=names, data=st.data(), level=st.sampled_from([0, 1, LEVEL, 6, 9]))
def test_the_zip_is_the_one_zipfile_writes_and_reuse_changes_no_byte(
        tmp_path_factory: pytest.TempPathFactory, names: list[str],
        data: st.DataObject, level: int) -> None:
    folder = tmp_path_factory.mktemp("zip")
    members = [("top/", folder)]
    for name in sorted(names):
        content = data.draw(st.binary(max_size=3000) | st.text(max_size=3000).map(str.encode))
        (folder / f"{len(members)}").write_bytes(content)
        members.append((f"top/{name}", folder / f"{len(members)}"))
    expected = zipfile_zip(members, level)
    index = ZipIndex(folder / "index.json", level)
    first = folder / "first.zip"
    with open(first, "wb") as out:
        made = write_zip(members, out, 1700000000, {}, index, level)
    assert first.read_bytes() == expected.getvalue()
    index.remember(first, made)
    digests = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in members
               if not name.endswith("/")}
    again = io.BytesIO()
    with refuse_to_deflate():  # every member comes from the first zip
        write_zip(members, again, 1700000000, digests, ZipIndex(folder / "index.json", level),
                  level)
    assert again.getvalue() == expected.getvalue()
    other = 9 if level != 9 else 1  # members deflated at another level are not taken over
    again = io.BytesIO()
    write_zip(members, again, 1700000000, digests, ZipIndex(folder / "index.json", level),
              other)
    assert again.getvalue() == zipfile_zip(members, other).getvalue()


@settings(max_examples=40, deadline=None)
@given(paths=st.lists(st.lists(st.sampled_from(["a", "a-b", "a.b", "a0", "b", "é", "a b"]),
                               min_size=1, max_size=3), min_size=1, max_size=8))
def test_an_archive_lists_its_members_in_the_order_of_their_names(
        tmp_path_factory: pytest.TempPathFactory, paths: list[list[str]]) -> None:
    """Members are written as the folder is walked, not listed and sorted first: the walk
    must give the sorted order all the same, whatever sorts before or after ``/``."""
    folder = tmp_path_factory.mktemp("walk") / "package"
    for parts in paths:
        target = folder.joinpath(*parts)
        if any(p.is_file() for p in [*target.parents, target]) or target.is_dir():
            continue  # taken by a file or a folder already
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("/".join(parts))
    made = folder.parent / "package.zip"
    serialize(folder, made, "zip", 1700000000, "package")
    with zipfile.ZipFile(made) as zf:
        names = zf.namelist()
    expected = ["package/"] + [
        f"package/{path.relative_to(folder).as_posix()}" + ("/" if path.is_dir() else "")
        for path in folder.rglob("*")]
    assert names == sorted(expected)


@pytest.mark.parametrize("limits", [(3, zipfile.ZIP64_LIMIT), (zipfile.ZIP_FILECOUNT_LIMIT, 900)])
def test_a_zip_that_needs_zip64_records_is_the_one_zipfile_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limits: tuple[int, int]) -> None:
    """More members than the end record can count, or offsets and sizes beyond 32 bits,
    take ZIP64 records; the limits are lowered here (for both writers) to reach them."""
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", limits[0])
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", limits[1])
    members = [("top/", tmp_path)]
    for n in range(6):
        (tmp_path / f"{n}").write_bytes(os.urandom(200 * n) + b"text " * 100 * n)
        members.append((f"top/{n}-ü.txt", tmp_path / f"{n}"))
    out = io.BytesIO()
    write_zip(members, out, 1700000000, {}, None)
    assert out.getvalue() == zipfile_zip(members).getvalue()


@settings(max_examples=30, deadline=None)
@given(names=names, data=st.data())
def test_a_content_that_comes_again_in_a_zip_is_deflated_once(
        tmp_path_factory: pytest.TempPathFactory, names: list[str],
        data: st.DataObject) -> None:
    folder = tmp_path_factory.mktemp("zip")
    contents = data.draw(st.lists(st.binary(max_size=3000) | st.binary(
        min_size=1, max_size=100).map(lambda b: b * (20000 // len(b) + 1)),
        min_size=1, max_size=3))
    members = []
    for name in sorted(names):
        (folder / f"{len(members)}").write_bytes(data.draw(st.sampled_from(contents)))
        members.append((name, folder / f"{len(members)}"))
    digests = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in members}
    deflated = []
    kept = zipped._deflate
    zipped._deflate = lambda path, sha, level: deflated.append(sha) or kept(path, sha, level)
    try:
        with open(folder / "made.zip", "w+b") as out:
            write_zip(members, out, 1700000000, digests, None)
    finally:
        zipped._deflate = kept
    assert (folder / "made.zip").read_bytes() == zipfile_zip(members).getvalue()
    assert sorted(deflated) == sorted(set(digests.values()))


def zipfile_zip(members: list[tuple[str, Path]], level: int = LEVEL) -> io.BytesIO:
    """The zip :mod:`zipfile` itself writes of ``members`` deflated at ``level`` by the
    deflate that level means (:mod:`pipeline.deposit.deflate`): what ``write_zip`` must
    write (the files here are smaller than one piece, so deflated in one call either way)."""
    expected = io.BytesIO()
    kept = zipfile._get_compressor
    zipfile._get_compressor = lambda kind, _level: \
        deflate(level).compressor() if kind == zipfile.ZIP_DEFLATED else None
    try:
        _zipfile_zip(members, level, expected)
    finally:
        zipfile._get_compressor = kept
    return expected


def _zipfile_zip(members: list[tuple[str, Path]], level: int, expected: io.BytesIO) -> None:
    with zipfile.ZipFile(expected, "w") as zf:
        for name, path in members:
            info = zipfile.ZipInfo(name, date_time=(2023, 11, 14, 22, 13, 20))
            info.create_system = 3
            if name.endswith("/"):
                info.external_attr = (0o40755 << 16) | 0x10
                zf.writestr(info, b"")
            else:
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes(), compresslevel=level)


@contextmanager
def refuse_to_deflate():
    def refuse(*_args):
        raise AssertionError("deflated again")
    kept, zipped._deflate = zipped._deflate, refuse
    try:
        yield
    finally:
        zipped._deflate = kept


def test_large_members_spill_to_disk_and_are_copied_a_piece_at_a_time_byte_for_byte(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deflated data above SPILL (lowered here) goes through a temporary file, and a large
    member taken from an earlier zip or from the zip being written is read a piece at a
    time: the bytes are zipfile's all the same."""
    monkeypatch.setattr(zipped, "SPILL", 64)
    members = [("top/", tmp_path)]
    for n, content in enumerate([os.urandom(5000), b"text " * 9000, os.urandom(30),
                                 b"text " * 9000]):  # the last comes again
        (tmp_path / f"{n}").write_bytes(content)
        members.append((f"top/{n}.txt", tmp_path / f"{n}"))
    digests = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in members
               if not name.endswith("/")}
    expected = zipfile_zip(members).getvalue()
    index = ZipIndex(tmp_path / "index.json")
    first = tmp_path / "first.zip"
    with open(first, "w+b") as out:
        made = write_zip(members, out, 1700000000, digests, index)
    assert first.read_bytes() == expected
    index.remember(first, made)
    again = io.BytesIO()
    with refuse_to_deflate():
        write_zip(members, again, 1700000000, digests, ZipIndex(tmp_path / "index.json"))
    assert again.getvalue() == expected


def export_again(root: Path) -> None:
    """Change one document's TEI, HTML and text, the HTML and text by renaming new files over
    the old ones, as an export does (the packages hold the edition's files: :func:`edit`
    writes into them)."""
    tei = root / "tei" / f"{TEI}.xml"
    tei.write_bytes(tei.read_bytes().replace(b"Region V", b"Region VI", 1))
    for path in (root / "build" / "html" / f"{TEI}.html", root / "build" / "text" / f"{TEI}.txt"):
        path.with_suffix(".new").write_bytes(path.read_bytes() + b"\n")
        os.replace(path.with_suffix(".new"), path)


def test_a_change_that_fails_before_it_is_put_in_place_leaves_the_old_package(
        edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = edition / "build" / "pkg" / "deposit"
    deposit(edition, out, "bagit")
    before = tree_bytes(out)
    export_again(edition)

    def full(*_args: object) -> bytes:
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(bag, "readme", full)  # the changed files are staged by then
    made, notes = make_package(edition, out, "bagit", "zip", False, EPOCH,
                               store_path("deposit-bagit", out))
    assert made.folder is None and [d.code for d in notes] == ["E506"]
    assert tree_bytes(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["deposit", "deposit.zip"]


@pytest.mark.parametrize("fmt", ["bagit", "dspace-saf"])
@pytest.mark.parametrize("moved", [0, 2])
def test_a_run_stopped_while_it_puts_a_change_in_place_is_put_right_by_the_next(
        edition: Path, fmt: str, moved: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "RACY_NS", 0)
    out = edition / "build" / "pkg" / "deposit"
    deposit(edition, out, fmt)
    export_again(edition)
    (edition / "tei" / f"{OTHER}.xml").unlink()  # its package files are to be removed too
    replace, calls = os.replace, []

    def killed(src: str, dest: str) -> None:
        calls.append(dest)
        if len(calls) > moved:
            raise KeyboardInterrupt
        replace(src, dest)
    monkeypatch.setattr(output.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        deposit(edition, out, fmt)
    monkeypatch.setattr(output.os, "replace", replace)
    assert len(calls) == moved + 1  # stopped while moving the staged files in
    packed = deposit(edition, out, fmt)
    fresh = edition / "build" / "fresh" / "deposit"
    assert packed == deposit(edition, fresh, fmt, remember=False)
    assert tree_bytes(out) == tree_bytes(fresh)


def test_the_look_at_the_files_taken_aside_says_what_the_one_taken_here_does(
        edition: Path) -> None:
    """What says whether the edition changed (make.inputs) is the same digest whether it
    is taken in a child process while the edition is gathered or here, and changes with
    any file."""
    found = edition_files(edition)
    here, aside = inputs(edition, found)[0].value(), inputs(edition, found, aside=True)[0]
    assert aside.value() == here
    (edition / "source" / "register.xml").touch()
    assert inputs(edition, found, aside=True)[0].value() != here


def test_the_files_are_looked_at_before_the_first_is_read(
        edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Gathering the edition calls ``ready`` (the look at the files taken aside) before it
    reads a TEI file (none is known: no export told their facts): a change made after the
    look is seen by the next run."""
    said: list[str] = []
    spread = edition_module.spread
    monkeypatch.setattr(edition_module, "spread", lambda work, jobs, context: spread(
        work, ((said.append(job), job)[1] for job in jobs), context))
    found, _notes = collect(edition, FileMemory(None), ready=lambda: said.append("ready"))
    assert said[0] == "ready" and len(said) == len(found.documents) + 1
