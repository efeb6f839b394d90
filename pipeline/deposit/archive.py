"""Reproducible zip and tar.gz serializations of a package folder.

Repositories take uploads as one file (Zenodo, DSpace's batch import ``--zip``), and the
BagIt RFC (section 4.2) wants a serialized bag to unpack into one folder named like the bag.
The same folder must give the same archive bytes: members are sorted, every member has the
package date as its time, fixed permissions (0644 files, 0755 folders), no owner, and the
gzip header carries no name and the package date.
"""

from __future__ import annotations

import os
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .deflate import deflate
from .zipped import LEVEL, ZipIndex, write_zip


def serialize(folder: Path, dest: Path, fmt: str, epoch: int, top: str | None,
              digests: dict[str, str] | None = None, index: ZipIndex | None = None,
              level: int = LEVEL) -> None:
    """Write ``folder`` to ``dest`` as ``fmt``, deflated at ``level``; members sit under
    ``top/`` (None: at root).

    ``digests`` (a file's POSIX path in ``folder`` -> its SHA-256) and ``index`` let a zip reuse the
    compressed members of zips made before (:mod:`.zipped`).  The archive is streamed to a
    file beside ``dest`` that replaces it when complete.
    """
    members = _members(folder, top)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as handle:  # mkstemp's descriptor reads too (zipped)
            if fmt == "zip":
                made = write_zip(members, handle, epoch, Below(digests or {}, top), index,
                                 level)
            else:
                _tar_gz(members, handle, epoch, level)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        if index is not None:
            index.forget(dest)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if fmt == "zip" and index is not None and index.level == level:
        index.remember(dest, made)


class Below:
    """``digests`` (by path in the folder) looked up by name in the archive, below ``top``
    (None: at root): a second table of every file's digest by its name in the archive is
    not made."""

    def __init__(self, digests: dict[str, str], top: str | None):
        self.digests, self.prefix = digests, f"{top}/" if top else ""

    def get(self, name: str) -> str | None:
        if not name.startswith(self.prefix):
            return None
        return self.digests.get(name[len(self.prefix):])


def archive_path(out: Path, fmt: str) -> Path:
    """Where the serialization of the package folder ``out`` goes: beside it."""
    return out.with_name(f"{out.name}.{fmt}")


def _members(folder: Path, top: str | None) -> Iterator[tuple[str, str]]:
    """(name in the archive, path on disk), folders ending in ``/``, in the order of their
    names, made as they are written, not listed first (a package has 100,000 files).

    Each folder's entries are sorted by their name with a folder's ``/``: the names below a
    folder all begin with it, so they sort together right after it, and walking folders in
    that order gives the names in sorted order."""
    prefix = f"{top}/" if top else ""
    if top:
        yield prefix, str(folder)
    yield from _below(str(folder), prefix)


def _below(path: str, prefix: str) -> Iterator[tuple[str, str]]:
    with os.scandir(path) as found:
        entries = sorted((entry.name + "/" if entry.is_dir(follow_symlinks=False)
                          else entry.name, entry.path) for entry in found)
    for name, entry in entries:
        yield prefix + name, entry
        if name.endswith("/"):
            yield from _below(entry, prefix + name)


def _tar_gz(members: Iterator[tuple[str, str]], out, epoch: int, level: int) -> None:
    with deflate(level).gzip_file(out, epoch) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for name, path in members:
            info = tarfile.TarInfo(name.rstrip("/"))
            info.mtime = epoch
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if name.endswith("/"):
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tf.addfile(info)
            else:
                info.size = os.stat(path).st_size
                info.mode = 0o644
                with open(path, "rb") as data:
                    tf.addfile(info, data)
