"""Reproducible zip and tar.gz serializations of a package folder.

Repositories take uploads as one file (Zenodo, DSpace's batch import ``--zip``), and the
BagIt RFC (section 4.2) wants a serialized bag to unpack into one folder named like the bag.
The same folder must give the same archive bytes: members are sorted, every member has the
package date as its time, fixed permissions (0644 files, 0755 folders), no owner, and the
gzip header carries no name and the package date.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import time
import zipfile
from pathlib import Path

from ..files import write_atomic

def serialize(folder: Path, dest: Path, fmt: str, epoch: int, top: str | None) -> None:
    """Write ``folder`` to ``dest`` as ``fmt``; members sit under ``top/`` (None: at root)."""
    members = _members(folder, top)
    data = _zip(members, epoch) if fmt == "zip" else _tar_gz(members, epoch)
    write_atomic(dest, data)


def archive_path(out: Path, fmt: str) -> Path:
    """Where the serialization of the package folder ``out`` goes: beside it."""
    return out.with_name(f"{out.name}.{fmt}")


def _members(folder: Path, top: str | None) -> list[tuple[str, Path]]:
    """(name in the archive, path on disk), folders ending in ``/``, sorted by name."""
    out = [(f"{top}/", folder)] if top else []
    for path in folder.rglob("*"):
        name = path.relative_to(folder).as_posix()
        name = f"{top}/{name}" if top else name
        out.append((name + "/" if path.is_dir() else name, path))
    return sorted(out)


def _zip(members: list[tuple[str, Path]], epoch: int) -> bytes:
    stamp = time.gmtime(epoch)[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, path in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix, so that the permissions below are read
            if name.endswith("/"):
                info.external_attr = (0o40755 << 16) | 0x10
                zf.writestr(info, b"")
            else:
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes(), compresslevel=9)
    return buffer.getvalue()


def _tar_gz(members: list[tuple[str, Path]], epoch: int) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tf:
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
                data = path.read_bytes()
                info.size = len(data)
                info.mode = 0o644
                tf.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=epoch, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()
