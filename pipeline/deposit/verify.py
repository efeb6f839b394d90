"""Checking a bag: is every file there, is nothing extra, is every checksum right?

bagit-python's validator stops at the first kind of trouble (a wrong Payload-Oxum hides
which file is missing) and logs the rest; a repository manager needs every damaged file
named, with what is wrong with it.  So the bag is read with bagit (its manifests, its tag
files) and each check is made and reported here, one diagnostic per file:

- E511 a file a manifest lists is not there;
- E512 a file is there that no manifest lists (in the payload or beside the tag files);
- E513 a file's content is not what its manifest says (for each algorithm);
- E514 the folder is not a readable bag (no ``bagit.txt``, a malformed manifest);
- E515 ``Payload-Oxum`` disagrees with the payload (when no file above explains it);
- E516 a payload file is missing from one of the manifests.

Last, bagit's own validator runs too, so a bag is never passed that bagit would fail.
Serialized bags (``.zip``, ``.tar.gz``, ``.tgz``) are unpacked to a temporary folder first.
"""

from __future__ import annotations

import logging
import os
import tarfile
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import bagit

from ..diagnostics import Diagnostic, error
from ..files import display_path

logging.getLogger("bagit").addHandler(logging.NullHandler())

ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")


def verify(path: Path) -> list[Diagnostic]:
    """Every problem of the bag at ``path`` (a folder or a serialized bag); empty if sound."""
    shown = display_path(path)
    if path.is_file() and path.name.endswith(ARCHIVE_SUFFIXES):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                top = unpack(path, Path(tmp))
            except (OSError, zipfile.BadZipFile, tarfile.TarError, ValueError) as exc:
                return [error("E514", f"cannot unpack the bag: {exc}", file=shown)]
            return verify_folder(top, shown)
    if not path.is_dir():
        return [error("E514", "no such bag (a folder, or a .zip or .tar.gz of one)",
                      file=shown)]
    return verify_folder(path, shown)


def verify_folder(folder: Path, shown: str) -> list[Diagnostic]:
    def at(rel: str) -> str:
        return f"{shown}/{rel}"

    try:
        bag = bagit.Bag(str(folder))
    except (bagit.BagError, UnicodeError, ValueError, OSError) as exc:
        # bagit raises more than BagError: a tag file that is not UTF-8, say
        return [error("E514", f"not a readable bag: {_relative(str(exc), folder)}",
                      file=shown)]
    notes: list[Diagnostic] = []
    missing, extra = bag.compare_manifests_with_fs()
    for rel in sorted(missing):
        notes.append(error("E511", f"missing: {_manifest(rel)} lists it, the bag does not "
                           "have it", file=at(_posix(rel))))
    for rel in sorted(extra):
        notes.append(error("E512", "extra file: no manifest lists it", file=at(_posix(rel))))
    for rel in sorted(_untracked_tag_files(folder, bag)):
        notes.append(error("E512", "extra file: no tag manifest lists it", file=at(rel)))
    algorithms = sorted(bag.algorithms)
    for rel, hashes in sorted(bag.payload_entries().items()):
        for alg in algorithms:
            if alg not in hashes and (folder / f"manifest-{alg}.txt").exists():
                notes.append(error("E516", f"not listed in manifest-{alg}.txt",
                                   file=at(_posix(rel))))
    gone = set(missing)
    for rel, hashes in sorted(bag.entries.items()):
        if rel in gone or not (folder / rel).is_file():
            continue
        found = {alg: digest for alg, digest, _name, _size
                 in bagit.generate_manifest_lines(str(folder / rel), list(hashes))}
        wrong = [alg for alg in sorted(hashes) if hashes[alg].lower() != found[alg]]
        if wrong:
            said = "; ".join(f"{alg} {hashes[alg][:16]}… in {_manifest(rel, alg)}, file has "
                             f"{found[alg][:16]}…" for alg in wrong)
            notes.append(error("E513", f"changed: {said}", file=at(_posix(rel))))
    if not notes:
        notes.extend(_oxum(bag, folder, shown))
    if not notes:
        try:
            bag.validate(processes=1)
        except (bagit.BagError, UnicodeError, ValueError, OSError) as exc:
            notes.append(error("E514", f"bagit: {_relative(str(exc), folder)}", file=shown))
    return notes


def _oxum(bag: bagit.Bag, folder: Path, shown: str) -> list[Diagnostic]:
    oxum = bag.info.get("Payload-Oxum")
    if not isinstance(oxum, str):
        return []
    files = [folder / p for p in bag.payload_files()]
    actual = f"{sum(p.stat().st_size for p in files)}.{len(files)}"
    if oxum.strip() == actual:
        return []
    return [error("E515", f"Payload-Oxum says {oxum} (bytes.files), the payload is {actual}",
                  file=f"{shown}/{bag.tag_file_name}")]


def _untracked_tag_files(folder: Path, bag: bagit.Bag) -> list[str]:
    """Files outside ``data/`` that no tag manifest lists (manifests themselves excepted)."""
    if not list(bag.tagmanifest_files()):
        return []
    listed = {_posix(rel) for rel in bag.tagfile_entries()}
    out = []
    for p in folder.rglob("*"):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and not rel.startswith("data/") and rel not in listed \
                and not PurePosixPath(rel).name.startswith("tagmanifest-"):
            out.append(rel)
    return out


def _manifest(rel: str, alg: str = "") -> str:
    kind = "manifest" if _posix(rel).startswith("data/") else "tagmanifest"
    return f"{kind}-{alg}.txt" if alg else f"the {kind}"


def _posix(rel: str) -> str:
    return rel.replace(os.sep, "/")


def _relative(message: str, folder: Path) -> str:
    """bagit's messages name absolute paths; the bag's own paths are what the user knows."""
    return message.replace(str(folder.resolve()) + os.sep, "").replace(str(folder) + os.sep, "")


def unpack(archive: Path, into: Path) -> Path:
    """Unpack a serialized bag safely and return its one top-level folder."""
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                _check_member(name)
            zf.extractall(into)
    else:
        with tarfile.open(archive) as tf:
            members = tf.getmembers()
            for member in members:  # a bag holds files and folders only: no links, devices
                _check_member(member.name)
                if not (member.isfile() or member.isdir()):
                    raise ValueError(f"not a file or folder in the archive: {member.name}")
            # tarfile's own "data" filter (3.11.4 on) also makes the modes ordinary ones
            tf.extractall(into, members=members,
                          **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    tops = [p for p in into.iterdir()]
    if len(tops) != 1 or not tops[0].is_dir():
        raise ValueError("a serialized bag must hold exactly one top-level folder")
    return tops[0]


def _check_member(name: str) -> None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise ValueError(f"unsafe path in the archive: {name}")
