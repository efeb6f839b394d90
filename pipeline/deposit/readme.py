"""The README inside a bag: what the package holds and how to check and ingest it.

A repository manager opening the bag years from now has only the bag; the README must tell
them, without teipipe, what each folder is, how the metadata was derived and how to verify
the fixity, and must be the same bytes for the same edition (no run date, no paths of the
machine that made it).
"""

from __future__ import annotations

from collections import Counter

from .. import __version__
from .edition import GROUPS, Edition, PackageDate


def readme(edition: Edition, when: PackageDate, algorithms: tuple[str, ...]) -> bytes:
    meta = edition.meta
    title = meta.title or "TEI edition"
    counts = Counter(f.rel.split("/", 1)[0] for f in edition.files)
    lines = [f"# {title}: deposit package", ""]
    if meta.description:
        lines += [meta.description, ""]
    lines += [
        f"This is a BagIt 1.0 bag (RFC 8493) of {len(edition.documents)} documents, made by "
        f"teipipe {__version__} on {when.day.isoformat()} ({when.reason}).",
        "Everything below `data/` is the payload; `manifest-{alg}.txt` list a checksum of "
        "every payload file and `tagmanifest-{alg}.txt` of every other file, in "
        + " and ".join(a.upper().replace("SHA", "SHA-") for a in algorithms) + ".",
        "", "## What the package holds", "", "| folder | files | what |", "|---|---|---|"]
    for group, folder, what in GROUPS:
        if counts[group]:
            lines.append(f"| `data/{group}/` | {counts[group]} | {what} (`{folder}/` in the "
                         "project) |")
    lines += [
        f"| `data/metadata/dc/` | {len(edition.documents)} | Dublin Core of each document "
        "(OAI-PMH `oai_dc`), derived from its TEI header |",
        f"| `data/metadata/mets/` | {len(edition.documents)} | METS of each document: its "
        "files (TEI, source page, HTML, text) with SHA-256 checksums, its Dublin Core and a "
        "reference to its TEI header |",
        "| `data/metadata/edition.mets.xml` | 1 | METS of the edition: the documents' METS "
        "and the files that belong to the edition as a whole |",
        "", "File names match across folders: `tei/NAME.xml` is described by "
        "`metadata/dc/NAME.xml` and `metadata/mets/NAME.xml`.", ""]
    missing = [g for g in edition.missing if g != "tei"]
    if missing:
        lines += ["Not in this package (the project had none when it was made): "
                  + ", ".join(f"`{g}/`" for g in missing) + ".", ""]
    lines += ["## Documents", "", "| file | date | title |", "|---|---|---|"]
    for d in edition.documents:
        lines.append(f"| `{d.stem}` | {d.date_when or 'undated'} | "
                     f"{_cell(d.heading)} |")
    lines += [
        "", "## Checking the package", "",
        "Any BagIt tool checks it; for example, with the Library of Congress's bagit-python:",
        "", "    bagit.py --validate PATH/TO/BAG", "",
        "or with teipipe, which names each missing, extra or changed file:", "",
        "    teipipe deposit --verify PATH/TO/BAG", "",
        "## Ingesting it", "",
        "- **DSpace**: ingest the Simple Archive Format batch made from the same edition "
        "(`teipipe deposit --format dspace-saf`), one item per document: "
        "`dspace import --add --eperson=EMAIL --collection=HANDLE --source=SAF_FOLDER "
        "--mapfile=MAPFILE` (or `--zip=FILE.zip`). Or deposit this bag whole as one item.",
        "- **Fedora / Islandora**: each `metadata/mets/NAME.xml` describes one object (its "
        "files and their checksums, its Dublin Core); `metadata/edition.mets.xml` is the "
        "collection. The bag itself can be kept as the preservation package.",
        "- **Zenodo** (and other general repositories): upload the zip serialization of this "
        "bag as one record; `bag-info.txt` gives the description and contact.",
        "", "## Dates", "",
        "`Bagging-Date` and the dates inside the package are the package date "
        f"({when.day.isoformat()}): {when.reason}. The same edition always gives the same "
        "package, byte for byte.", ""]
    if meta.rights:
        lines += ["## Rights", "", meta.rights, ""]
    return "\n".join(lines).encode("utf-8")


def _cell(text: str) -> str:
    """Text for a Markdown table cell (a bar would end the cell)."""
    return text.replace("|", "\\|").replace("\n", " ")
