"""The BagIt bag: the whole edition with its metadata, for any repository.

The bag is written here in one pass, in the layout the Library of Congress's ``bagit``
library writes (its validator checks every bag the tests make, and ``teipipe deposit
--verify`` runs it too): each payload file is copied in once and its SHA-256 and SHA-512
taken on the way (or recalled, for a file the last deposit saw unchanged: :mod:`.fixity`),
so nothing is read twice and nothing is held in memory but a checksum per file.  Where
bagit-python's ``make_bag`` would not give a reproducible BagIt 1.0 bag, this does:

- ``bagit.txt`` says ``BagIt-Version: 1.0`` (RFC 8493), which the bag is (UTF-8 tag
  files, every payload file in every manifest);
- payload manifests list files in the order bagit-python's sorted walk gives, and tag
  manifests sorted by path, whatever the file system's directory order.

The bag is built beside the old one and replaces it only when complete.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

import bagit

from .. import __version__
from ..diagnostics import Diagnostic, error
from ..files import display_path
from . import output
from .dublin_core import oai_dc
from .edition import GENERATED, GROUPS, Edition, EditionDocument, PackageDate
from .fixity import FileMemory, Fixity
from .mets import MetsFile, edition_mets_pieces
from .readme import readme
from .records import Valid, mets_file, records
from .saf import item_names
from .schemas import Schemas
from .spread import spread
from .staged import Kept, Staged, key_of, twin_of, write_file
from .xmltext import document

ALGORITHMS = ("sha256", "sha512")
#: The bag's payload folder: each edition file lies in it at its path in the edition.
PAYLOAD = "data"
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
AGENT = f"teipipe {__version__} (bagit.py {bagit.VERSION})"


def build_bag(edition: Edition, out: Path, when: PackageDate, schemas: Schemas | None,
              force: bool = False, memory: FileMemory | None = None,
              previous: Kept | None = None,
              twins: str | None = None,
              valid: Valid | None = None) -> tuple[list[Diagnostic], Staged | None]:
    """Write the bag of ``edition`` to ``out``: the diagnostics say what went wrong; what
    was staged (None: nothing) gives each file's checksums.  ``previous`` is the record of
    the bag at ``out`` (:meth:`Staged.record`), whose files are taken over where they are
    still right; ``twins``, a folder of a package made before in the same run that holds
    each edition file at its path in the edition (``tei/x.xml``), which they are linked
    from (:meth:`Staged.copy`); ``valid``, what the packages made before in the same run
    found valid, learns what this one finds (:class:`.records.Valid`)."""
    refused = output.refuse(out, is_bag, force)
    if refused:
        return [refused], None
    built = output.staging(out)
    try:
        staged = Staged(built, memory or FileMemory(None), out, previous,
                        update=bool(previous) and out.is_dir())
        notes = write_payload(edition, when, schemas, staged, twins, valid)
        if notes:
            output.discard(built)
            return notes, None
        size, count = staged.files.totals(PAYLOAD)
        info = bag_info(edition, when, size)
        info["Payload-Oxum"] = f"{size}.{count}"
        tags = {name: staged.write(name, data) for name, data in (
            ("bagit.txt", BAGIT_TXT), ("bag-info.txt", tag_file(info)))}
        for alg in ALGORITHMS:  # written a piece at a time: a line per payload file
            tags[f"manifest-{alg}.txt"] = staged.write_pieces(
                f"manifest-{alg}.txt", manifest(staged.files.ordered(walk_key, PAYLOAD), alg))
        for alg in ALGORITHMS:
            staged.write(f"tagmanifest-{alg}.txt", tag_manifest(tags, alg))
        output.place(built, out, when.epoch, staged.memory.linked,
                     staged.paths() if staged.update else None)
    except OSError as exc:
        output.discard(built)
        return [error("E506", f"cannot write the bag: {exc}", file=display_path(out))], None
    except BaseException:
        output.discard(built)
        raise
    return [], staged


def write_payload(edition: Edition, when: PackageDate, schemas: Schemas | None,
                  staged: Staged, twins: str | None = None,
                  valid: Valid | None = None) -> list[Diagnostic]:
    """Every payload file into ``data/`` (:data:`PAYLOAD`): the edition's files, then the
    metadata made for them and checked (``valid``: see :func:`build_bag`)."""
    staged.copy_all((f.path, f"{PAYLOAD}/{f.rel}", twin_of(twins, f), f.role in GENERATED)
                    for f in edition.files)
    notes: list[Diagnostic] = []
    making: dict[int, tuple[tuple[str, ...], str]] = {}  # what each job sent makes, and its key

    def jobs() -> Iterator[Job]:
        """The documents whose records the old bag does not hold (by their place in the
        edition, which the workers hold: :mod:`.spread`), with where their records go and
        their files' fixity."""
        for n, d in enumerate(edition.documents):
            made = (f"data/metadata/dc/{d.stem}.xml", f"data/metadata/mets/{d.stem}.xml")
            fixity = {f.rel: payload_fixity(staged, f.rel) for f in d.files}
            key = key_of(d.stem, edition.meta, when.day.isoformat(), mets_files(d, fixity))
            if not all(staged.take(rel, key) for rel in made):
                making[n] = made, key
                yield n, [staged.making(rel) for rel in made], fixity

    for (n, *_sent), (found, problems, forms) in spread(
            _write_records, jobs(), (edition, when, schemas, valid)):
        notes.extend(problems)
        made, key = making.pop(n)
        if schemas is not None and not problems and valid is not None:
            valid.learn(edition.documents[n].stem, forms)
        for rel, fixity_of_rel in zip(made, found):
            staged.made(rel, fixity_of_rel, key)
    shared: list[MetsFile] = [mets_file("edition", "../" + f.rel, payload_fixity(staged, f.rel))
                              for f in edition.shared]
    staged.write_pieces("data/metadata/edition.mets.xml", edition_mets_pieces(
        edition.meta.identifier or "edition", edition.meta.title or "TEI edition",
        ((d.id, d.title, f"mets/{d.stem}.xml") for d in edition.documents), shared,
        f"{when.day.isoformat()}T00:00:00Z", edition.meta.organization))
    staged.write("data/README.md", readme(edition, when, ALGORITHMS))
    return notes


#: A document whose records are made: its place in the edition, where its records go and
#: its files' fixity (by path in the edition).
Job = tuple[int, list[str], dict[str, Fixity]]


def payload_fixity(staged: Staged, rel: str) -> Fixity:
    """The fixity of the edition file ``rel`` (its path in the edition) in the bag."""
    found = staged.fixity_at(f"{PAYLOAD}/{rel}")
    assert found is not None, f"{rel} is not in the bag"
    return found


def mets_files(d: EditionDocument, fixity: dict[str, Fixity]) -> list[MetsFile]:
    """The files of ``d`` as its METS in the bag lists them (``fixity``: by path in the
    edition)."""
    return [mets_file(f.role, "../../" + f.rel, fixity[f.rel]) for f in d.files]


def _write_records(job: Job, context: tuple[Edition, PackageDate, Schemas | None,
                                            Valid | None],
                   ) -> tuple[list[Fixity], tuple[Diagnostic, ...], tuple[bytes, ...]]:
    """A document's Dublin Core and METS written to their paths (in a worker process:
    :mod:`.spread`, which holds the edition, so that a job is only the document's place,
    where its records go and its files' fixity); their fixity, what the schemas say
    of them and the METS's shapes (:class:`.records.Valid`: with the shape of the METS of
    the document's DSpace item, which lists fewer files when the HTML edition holds copies
    of its TEI and text)."""
    (n, paths, fixity), (edition, when, schemas, valid) = job, context
    d = edition.documents[n]
    rec = records(d, edition.meta, when, mets_files(d, fixity), schemas, valid,
                  None if valid is None else item_files(d, fixity))
    dc = rec.dc if rec.dc is not None else document(oai_dc(rec.terms))
    return [write_file(path, data) for path, data in zip(paths, (dc, rec.mets))], \
        rec.problems, rec.shapes


def item_files(d: EditionDocument, fixity: dict[str, Fixity]) -> list[MetsFile]:
    """The files of ``d`` as the METS of its DSpace item lists them (:func:`.saf.item_names`,
    the same bytes told by their checksums), hrefs aside."""
    by_path = {f.path: fixity[f.rel] for f in d.files}
    return [mets_file(role, f.rel, fixity[f.rel]) for role, _name, f in item_names(
        d, lambda a, b: by_path[a] == by_path[b])]


def walk_key(rel: str) -> bytes:
    """The place of a path in a sorted walk of the bag (bagit-python's manifest order: a
    folder's files by name, then its folders by name, each walked in turn), as bytes that
    sort as the walk does (compared as bytes are, as the table of the package's files sorts
    them, :meth:`.table.FileTable.ordered`): each part of the path a flag (a folder's
    after a file's), its UTF-8 (which sorts as its characters do) and a NUL (which no name
    holds, and which sorts before any character: a name before the longer names it
    begins)."""
    folder, _, name = rel.rpartition("/")
    return _folder_key(folder) + b"\x01" + name.encode() + b"\x00"


@functools.lru_cache(maxsize=4096)
def _folder_key(folder: str) -> bytes:
    """:func:`walk_key`'s part for the folders of a path (made once per folder: a folder
    holds thousands of files)."""
    return b"".join(b"\x02" + part.encode() + b"\x00" for part in folder.split("/")) \
        if folder else b""


def manifest(payload: Iterable[tuple[str, Fixity]], alg: str) -> Iterator[bytes]:
    """A payload manifest (RFC 8493, 2.1.3); CR and LF in names percent-encoded: its bytes
    in pieces of :data:`LINES` lines (a manifest of 10,000 documents is ~20 MB), from
    ``payload`` taken as they are written."""
    files = iter(payload)
    while lines := [f"{getattr(f, alg)}  {_encode(rel)}\n" for rel, f in islice(files, LINES)]:
        yield "".join(lines).encode()


#: Lines of a manifest made at a time.
LINES = 1024


def tag_manifest(tags: dict[str, Fixity], alg: str) -> bytes:
    """A tag manifest: every tag file (by its fixity) but the tag manifests, sorted by path
    (2.2.1)."""
    return "".join(f"{getattr(tags[name], alg)}  {name}\n" for name in sorted(tags)).encode()


def tag_file(info: dict[str, str]) -> bytes:
    """``bag-info.txt``: one ``Label: value`` line each, labels sorted, line ends dropped
    from values (as bagit-python writes it)."""
    return "".join(f"{label}: {_LINE_ENDS.sub('', info[label])}\n"
                   for label in sorted(info)).encode()


_LINE_ENDS = re.compile(r"[\r\n]")


def _encode(name: str) -> str:
    return name.replace("\r", "%0D").replace("\n", "%0A")


def bag_info(edition: Edition, when: PackageDate, payload_bytes: int) -> dict[str, str]:
    """``bag-info.txt``: the edition's metadata (:func:`build_bag` adds Payload-Oxum)."""
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
    dates = sorted(d.date_when for d in edition.documents if d.date_when)
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


def is_bag(folder: Path) -> bool:
    """Whether ``folder`` is a bag teipipe made (so that it may be replaced)."""
    info = folder / "bag-info.txt"
    return (folder / "bagit.txt").is_file() and info.is_file() and \
        "Bag-Software-Agent: teipipe " in info.read_text(encoding="utf-8", errors="replace")
