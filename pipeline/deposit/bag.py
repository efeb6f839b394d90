"""The BagIt bag: the whole edition with its metadata, for any repository.

The payload is written aside, then the Library of Congress's ``bagit`` library turns it into
a bag (payload manifests, ``bag-info.txt``, Payload-Oxum).  Two things bagit-python does are
not what a reproducible BagIt 1.0 bag needs, and are set right afterwards:

- ``make_bag`` writes ``BagIt-Version: 0.97``; the bag is declared 1.0 (RFC 8493), which it
  is (UTF-8 tag files, every payload file in every manifest);
- tag manifests list files in directory order, which differs between file systems; they
  are written again, sorted.

Before the bag replaces the old one, bagit's own validator checks it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import bagit

from .. import __version__
from ..diagnostics import Diagnostic, error
from ..files import display_path
from . import output
from .edition import GROUPS, Edition, PackageDate
from .mets import MetsFile, edition_mets
from .readme import readme
from .records import check, mets_file, records
from .schemas import Schemas

ALGORITHMS = ("sha256", "sha512")
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
AGENT = f"teipipe {__version__} (bagit.py {bagit.VERSION})"


#: Processes that compute the checksums (bagit's own pool; the manifests come out the same).
_PROCESSES = os.cpu_count() or 1

def build_bag(edition: Edition, out: Path, when: PackageDate, schemas: Schemas | None,
              force: bool = False) -> list[Diagnostic]:
    """Write the bag of ``edition`` to ``out``; the diagnostics say what went wrong."""
    refused = output.refuse(out, is_bag, force)
    if refused:
        return [refused]
    payload, notes = payload_files(edition, when, schemas)
    if notes:
        return notes
    built = output.staging(out)
    try:
        for rel, data in payload.items():
            output.write(built, rel, data)
        info = bag_info(edition, when, sum(len(d) for d in payload.values()))
        bagit.make_bag(str(built), info, processes=_PROCESSES, checksums=list(ALGORITHMS))
        (built / "bagit.txt").write_bytes(BAGIT_TXT)
        write_tag_manifests(built)
        bagit.Bag(str(built)).validate(processes=_PROCESSES)
        output.settle(built, when.epoch)
        output.install(built, out)
    except (OSError, bagit.BagError) as exc:
        output.discard(built)
        return [error("E506", f"cannot write the bag: {exc}", file=display_path(out))]
    return []


def payload_files(edition: Edition, when: PackageDate,
                  schemas: Schemas | None) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Every payload file (path under ``data/`` -> bytes), the metadata made and checked."""
    payload = {f.rel: f.path.read_bytes() for f in edition.files}
    notes: list[Diagnostic] = []
    own: set[str] = set()
    docs = []
    for d in edition.documents:
        files = [mets_file(f.role, "../../" + f.rel, payload[f.rel]) for f in d.files]
        own.update(f.rel for f in d.files)
        rec = records(d, edition.meta, when, files)
        notes.extend(check(schemas, rec, display_path(d.files[0].path)))
        payload[f"metadata/dc/{d.stem}.xml"] = rec.dc
        payload[f"metadata/mets/{d.stem}.xml"] = rec.mets
        docs.append((d.doc.id, d.doc.header.title or d.doc.id, f"mets/{d.stem}.xml"))
    shared: list[MetsFile] = [mets_file("edition", "../" + f.rel, payload[f.rel])
                              for f in edition.files if f.rel not in own]
    payload["metadata/edition.mets.xml"] = edition_mets(
        edition.meta.identifier or "edition", edition.meta.title or "TEI edition", docs,
        shared, f"{when.day.isoformat()}T00:00:00Z", edition.meta.organization)
    payload["README.md"] = readme(edition, when, ALGORITHMS)
    return dict(sorted(payload.items())), notes


def bag_info(edition: Edition, when: PackageDate, payload_bytes: int) -> dict[str, str]:
    """``bag-info.txt``: the edition's metadata (bagit adds Payload-Oxum)."""
    meta = edition.meta
    info = {
        "Source-Organization": meta.organization,
        "Organization-Address": meta.address,
        "Contact-Name": meta.contact_name,
        "Contact-Phone": meta.contact_phone,
        "Contact-Email": meta.contact_email,
        "External-Description": external_description(edition),
        "External-Identifier": meta.identifier,
        "Bagging-Date": when.day.isoformat(),
        "Bag-Size": human_size(payload_bytes),
        "Bag-Software-Agent": AGENT,
    }
    return {k: v for k, v in info.items() if v.strip()}


def external_description(edition: Edition) -> str:
    """The edition's description and what the bag holds, on one line."""
    dates = sorted(d.doc.header.date_when for d in edition.documents if d.doc.header.date_when)
    span = f", dated {dates[0][:4]} to {dates[-1][:4]}" if dates else ""
    n = len(edition.documents)
    held = [what.split(",")[0].removeprefix("the ") for group, _folder, what in GROUPS
            if group not in edition.missing]
    what = (f"{n} document{'s' if n != 1 else ''}{span}; {'; '.join(held)}; Dublin Core and "
            "METS for each document.")
    return " ".join(x for x in (edition.meta.description.strip(), what) if x)


def human_size(n: int) -> str:
    """A size as BagIt's examples write it (``260 GB``), in decimal units."""
    if n < 1000:
        return f"{n} bytes"
    size = float(n)
    for unit in ("KB", "MB", "GB"):
        size /= 1000
        if size < 1000:
            break
    return f"{size:.1f} {unit}"


def write_tag_manifests(bag: Path) -> None:
    """Tag manifests for every file outside ``data/``, sorted by path (RFC 8493, 2.2.1)."""
    tags = sorted(p.relative_to(bag).as_posix() for p in bag.rglob("*")
                  if p.is_file() and not p.relative_to(bag).parts[0] == "data"
                  and not p.name.startswith("tagmanifest-"))
    for alg in ALGORITHMS:
        lines = [f"{hashlib.new(alg, (bag / t).read_bytes()).hexdigest()}  {t}\n" for t in tags]
        (bag / f"tagmanifest-{alg}.txt").write_text("".join(lines), encoding="utf-8")


def is_bag(folder: Path) -> bool:
    """Whether ``folder`` is a bag teipipe made (so that it may be replaced)."""
    info = folder / "bag-info.txt"
    return (folder / "bagit.txt").is_file() and info.is_file() and \
        "Bag-Software-Agent: teipipe " in info.read_text(encoding="utf-8", errors="replace")
