"""``teipipe deposit --verify``: a sound bag passes; each kind of damage is named exactly,
file and fault, and the exit status says so."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.deposit.archive import serialize
from pipeline.deposit.make import make_package
from pipeline.deposit.verify import verify

from deposit_edition import tree_bytes

TEI = "data/tei/1967-01-23_politburo-cable.xml"


@pytest.fixture(scope="module")
def sound_bag(deposit_edition: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sound") / "deposit"
    made, notes = make_package(deposit_edition, out, "bagit", None, False, "1700000000")
    assert made.folder == out, notes
    return out


@pytest.fixture
def bag(sound_bag: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "deposit"
    shutil.copytree(sound_bag, copy)
    return copy


def found(bag: Path) -> list[tuple[str, str, str]]:
    """(code, file inside the bag, message) of every problem."""
    prefix = str(bag) + "/"
    return [(d.code, d.file.removeprefix(prefix), d.message) for d in verify(bag)]


def test_a_sound_bag_passes(bag: Path) -> None:
    assert verify(bag) == []
    result = CliRunner().invoke(main, ["deposit", "--verify", str(bag)])
    assert result.exit_code == 0
    assert result.output.strip().endswith(": valid")


def test_a_changed_byte_is_named_with_both_checksums(bag: Path) -> None:
    path = bag / TEI
    data = bytearray(path.read_bytes())
    data[500] ^= 0x01
    path.write_bytes(bytes(data))
    [(code, file, message)] = found(bag)
    assert (code, file) == ("E513", TEI)
    assert "sha256" in message and "sha512" in message and "manifest-sha256.txt" in message


def test_a_missing_file_is_named(bag: Path) -> None:
    (bag / "data/source/register.xml").unlink()
    assert found(bag) == [("E511", "data/source/register.xml",
                           "missing: the manifest lists it, the bag does not have it")]


def test_an_extra_payload_file_is_named(bag: Path) -> None:
    (bag / "data/tei/stray.xml").write_text("<x/>")
    assert found(bag) == [("E512", "data/tei/stray.xml", "extra file: no manifest lists it")]


def test_an_extra_tag_file_is_named(bag: Path) -> None:
    (bag / "notes.txt").write_text("added later")
    assert found(bag) == [("E512", "notes.txt", "extra file: no tag manifest lists it")]


def test_a_changed_tag_file_is_named(bag: Path) -> None:
    info = bag / "bag-info.txt"
    info.write_text(info.read_text().replace("Ada Archivist", "Someone Else"))
    [(code, file, message)] = found(bag)
    assert (code, file) == ("E513", "bag-info.txt") and "tagmanifest-sha256.txt" in message


def test_a_deleted_manifest_is_named(bag: Path) -> None:
    (bag / "manifest-sha512.txt").unlink()
    assert found(bag) == [("E511", "manifest-sha512.txt",
                           "missing: the tagmanifest lists it, the bag does not have it")]


def test_a_changed_digest_in_a_tag_manifest_is_named(bag: Path) -> None:
    path = bag / "tagmanifest-sha256.txt"
    text = path.read_text()
    path.write_text(("0" if text[0] != "0" else "1") + text[1:])
    [(code, file, message)] = found(bag)
    assert (code, file) == ("E513", text.splitlines()[0].split("  ", 1)[1])


def test_a_folder_that_is_no_bag_is_said_to_be_none(bag: Path) -> None:
    (bag / "bagit.txt").unlink()
    [(code, file, message)] = found(bag)
    assert code == "E514" and file == str(bag) and "bagit.txt" in message


def test_damage_of_every_kind_at_once_is_all_reported_and_fails_the_cli(bag: Path) -> None:
    (bag / "data/source/register.xml").unlink()
    (bag / "data/extra.txt").write_text("x")
    (bag / TEI).write_bytes((bag / TEI).read_bytes() + b"\n")
    assert sorted((c, f) for c, f, _m in found(bag)) == [
        ("E511", "data/source/register.xml"), ("E512", "data/extra.txt"), ("E513", TEI)]
    result = CliRunner().invoke(main, ["deposit", "--verify", str(bag)])
    assert result.exit_code == 1
    assert f"{bag}/{TEI}: error: changed: sha256" in result.output
    assert "damaged, 3 problems" in result.output


@pytest.mark.parametrize("fmt", ["zip", "tar.gz"])
def test_a_serialized_bag_is_checked_the_same_way(bag: Path, tmp_path: Path, fmt: str) -> None:
    archive = tmp_path / f"deposit.{fmt}"
    serialize(bag, archive, fmt, 1700000000, "deposit")
    assert verify(archive) == []
    (bag / TEI).write_bytes(b"changed")
    serialize(bag, archive, fmt, 1700000000, "deposit")
    assert [(d.code, d.file) for d in verify(archive)] == [("E513", f"{archive}/{TEI}")]


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_single_byte_change_in_any_file_is_caught(sound_bag: Path,
                                                     data: st.DataObject) -> None:
    """Every file but the tag manifests: nothing in a bag vouches for those (RFC 8493,
    2.2.1), and BagIt reads digests case-blind and whitespace-blind."""
    files = sorted(f for f in tree_bytes(sound_bag) if not f.startswith("tagmanifest-"))
    rel = data.draw(st.sampled_from(files), label="file")
    size = (sound_bag / rel).stat().st_size
    at = data.draw(st.integers(0, size - 1), label="offset")
    delta = data.draw(st.integers(1, 255), label="delta")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "deposit"
        shutil.copytree(sound_bag, copy)
        content = bytearray((copy / rel).read_bytes())
        content[at] = (content[at] + delta) % 256
        (copy / rel).write_bytes(bytes(content))
        assert verify(copy), (rel, at, delta)


@pytest.mark.parametrize("kind", ["parent", "absolute", "symlink"])
def test_an_unsafe_tar_is_refused_before_anything_is_unpacked(kind: str, tmp_path: Path) -> None:
    """A .tar.gz whose member would land outside the folder it is unpacked in, or is a link
    (which could point anywhere), is one E514 line, whatever tarfile's own filter (3.11.4
    on) would do; nothing is written outside."""
    import io
    import tarfile

    archive = tmp_path / "deposit.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        folder = tarfile.TarInfo("deposit")
        folder.type = tarfile.DIRTYPE
        tf.addfile(folder)
        name = {"parent": "deposit/../../escaped.txt", "absolute": "/tmp/escaped.txt",
                "symlink": "deposit/link"}[kind]
        member = tarfile.TarInfo(name)
        if kind == "symlink":
            member.type, member.linkname = tarfile.SYMTYPE, "/etc/passwd"
            tf.addfile(member)
        else:
            member.size = 3
            tf.addfile(member, io.BytesIO(b"bad"))
    [note] = verify(archive)
    assert note.code == "E514" and "cannot unpack the bag" in note.message
    assert not (tmp_path.parent / "escaped.txt").exists()
