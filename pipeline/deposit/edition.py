"""The edition as a repository sees it: its files, its documents and its own metadata.

Nothing here lists files by name.  Each *group* is a folder of the project (``tei/``,
``source/``, ``schema/``, ``build/html/``, ``build/text/``); whatever regular files a group
holds go into the package, so the register, a new schema file or a new edition format is
packaged as soon as it lands.  A file of the HTML or text edition belongs to a document when
its name (or the name of a folder above it) is the document's file stem or ``xml:id``;
other files (an index page, a stylesheet, a search index) belong to the edition as a whole.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tomllib
from array import array
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from lxml import etree

from ..diagnostics import Diagnostic, error, warning
from ..incremental import FileState
from ..files import display_path
from ..model import Document
from ..tei.read import TEIError, parse
from . import facts_store
from .facts import Packed, Spilled, document, pack, read_facts, spill
from .fixity import FileMemory, read_hashed
from .shelf import Shelf
from .spread import spread

#: Package folder -> project folder.  The order is the order of the README's table.
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("tei", "tei", "the TEI P5 edition, one file per document"),
    ("source", "source", "the archive pages the TEI was made from, and the entity register"),
    ("schema", "schema", "the edition's schema and encoding guide"),
    ("html", "build/html", "the HTML reading edition"),
    ("text", "build/text", "the plain-text edition"),
)

#: Folders a document's own edition files are looked for in, and their role in METS.
EDITION_ROLES = {"html": "html", "text": "text"}

#: The groups (and roles) of the files teipipe makes itself (``teipipe export``), which it
#: only ever replaces by renaming a new file over the old one (:mod:`pipeline.files`,
#: :mod:`pipeline.export.output`), never writes into: a package may hard-link them rather
#: than copy them (:mod:`.staged`), and keeps what it linked whatever a later export does.
#: The TEI files, the source pages and the schema are edited by hand, maybe in place, and
#: are always copied.
GENERATED = frozenset({"html", "text"})

EDITION_FILE = "edition.toml"


@dataclass(frozen=True)
class EditionMeta:
    """Edition-level facts no TEI header holds: who deposits, whom to contact, what it is."""

    title: str = ""
    description: str = ""
    identifier: str = ""
    publisher: str = ""
    rights: str = ""
    organization: str = ""
    address: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


@dataclass(frozen=True, slots=True)
class PackageFile:
    """A file of the package: where it is on disk and where it goes (``tei/x.xml``).

    ``path`` is absolute and normalized, and a string, not a :class:`Path` (a few hundred
    bytes fewer per file: an edition has 60,000; and slots, for a hundred more): it is the
    very string the file memory (:mod:`.fixity`) keys the file by."""

    path: str
    rel: str  # POSIX path inside the payload
    role: str  # tei | source | html | text | schema | edition


@dataclass(frozen=True, slots=True)
class EditionDocument:
    """One document: what a package says of it, from its TEI (:mod:`.facts`), and its files.

    Its facts are held as where they lie (:class:`.facts.Spilled`: written packed to a
    temporary file): a deposit holds every document from the time the edition is gathered
    until its last package is made, and a parsed header, or even the packed facts (~1.5 KB),
    held for each grew the process with the edition.  The header is made from them where a
    document's records are made, once per package; what is asked of every document
    beside (its id, title, date, language, publisher, source) is held as it is."""

    stem: str
    packed: Spilled
    id: str
    heading: str | None  # the title its header gives
    date_when: str | None
    lang: str  # the language of the edition's text (``xml:lang`` of ``<TEI>``)
    publisher: str | None  # of the web page the document was read from
    source: str | None  # the path of its source page, from its TEI file's folder
    files: tuple[PackageFile, ...] = ()

    @classmethod
    def of(cls, stem: str, facts: dict | Packed | Spilled) -> EditionDocument:
        """The document ``stem`` whose facts are ``facts`` (spilled already, or not yet),
        without files yet."""
        spilled = facts if isinstance(facts, Spilled) else spill(pack(facts))
        data = facts if isinstance(facts, dict) else facts.unpack()
        return cls(stem, spilled, data["id"], data["header"]["title"],
                   data["header"]["date_when"], data["lang"], data["publisher"],
                   data["source"])

    @property
    def facts(self) -> dict:
        """The facts, unpacked (anew each time: hold them no longer than needed)."""
        return self.packed.unpack()

    @property
    def doc(self) -> Document:
        """The header-only document (made anew each time: hold it no longer than needed)."""
        return document(self.facts)

    @property
    def title(self) -> str:
        """The document's title, else its id."""
        return self.heading or self.id


def _file_data(f: PackageFile) -> tuple[str, str, str]:
    return f.path, f.rel, f.role


def _file_of(data: tuple[str, str, str]) -> PackageFile:
    return PackageFile(*data)


def _document_data(d: EditionDocument) -> tuple:
    return (d.stem, d.packed.offset, d.packed.size, d.id, d.heading, d.date_when, d.lang,
            d.publisher, d.source, tuple(_file_data(f) for f in d.files))


def _document_of(data: tuple) -> EditionDocument:
    stem, offset, size, *said, files = data
    return EditionDocument(stem, Spilled(offset, size), *said,
                           files=tuple(PackageFile(*f) for f in files))


def file_shelf() -> Shelf[PackageFile]:
    """An empty shelf of package files (:mod:`.shelf`)."""
    return Shelf(_file_data, _file_of)


@dataclass(frozen=True)
class Found:
    """The edition's files as one walk found them (:func:`edition_files`): every group's
    on one shelf (:mod:`.shelf`: a list of 60,000 files at 10,000 documents was ~20 MB,
    held by the deposit from its start to its last package), in the order of their paths
    in the package, and where each group's lie on it."""

    files: Shelf[PackageFile]
    groups: dict[str, tuple[int, int]]

    def __getitem__(self, group: str) -> Iterator[PackageFile]:
        """The files of ``group``, in the order of their paths."""
        return self.files.between(*self.groups[group])

    def count(self, group: str) -> int:
        first, stop = self.groups[group]
        return stop - first


@dataclass(frozen=True)
class Edition:
    """Everything a package is made of.  Its documents and files are on shelves
    (:mod:`.shelf`), each read back where it is used: held, they grew a deposit's every
    process with the edition."""

    root: Path
    meta: EditionMeta
    documents: Sequence[EditionDocument]
    files: Sequence[PackageFile]  # every payload file from the project, sorted by rel
    missing: tuple[str, ...] = ()  # package folders whose project folder is absent or empty
    #: The files no document owns (the edition's as a whole: register, schema, site files),
    #: sorted by rel.
    shared: Sequence[PackageFile] = ()


def collect(root: Path, memory: FileMemory | None = None,
            found: Found | None = None,
            ready: Callable[[], object] | None = None,
            ) -> tuple[Edition, list[Diagnostic]]:
    """Gather the edition under ``root`` (whose files are ``found``, else looked for here:
    :func:`edition_files`); problems come back as diagnostics, never raised.

    Each TEI file is read for its facts (:mod:`.facts`) unless ``memory`` has them for the
    file's content; no parsed tree is kept.  ``ready`` is called before the first is read
    (what says whether the edition changed must have looked at the files first:
    :class:`.make.Stats`).
    """
    memory = memory or FileMemory(None)
    found = edition_files(root) if found is None else found
    notes: list[Diagnostic] = []
    meta, said = read_meta(root / EDITION_FILE)
    notes.extend(said)
    missing: list[str] = []
    for group, folder, what in GROUPS:
        if not found.count(group):
            missing.append(group)
            if group != "tei":
                notes.append(warning("W501", f"nothing in {folder}/ ({what}): the package "
                                     "will not have it", file=display_path(root / folder),
                                     hint="build everything first (`make all`)"))

    def tei_files() -> Iterator[PackageFile]:
        return (f for f in found["tei"] if f.rel.count("/") == 1 and f.rel.endswith(".xml"))
    if next(tei_files(), None) is None:
        notes.append(error("E501", "no TEI files: the edition is empty",
                           file=display_path(root / "tei"),
                           hint="run `make tei` (or `teipipe convert`) first"))
    documents: Shelf[EditionDocument] = Shelf(_document_data, _document_of)
    lacking: list[Diagnostic] = []  # said after the documents' errors, as they were
    with closing(_FileIndex(found.files)) as index:
        for f, (facts, problem) in zip(tei_files(), _all_facts(
                lambda: (f.path for f in tei_files()), memory, ready)):
            if problem is not None:
                message, line = problem
                notes.append(error("E502", message, file=display_path(Path(f.path)),
                                   line=line))
                continue
            d = index.files_of(EditionDocument.of(stem(f.rel.rpartition("/")[2]), facts), f,
                               root)
            documents.append(d)
            have = {f.role for f in d.files}
            for group, role in EDITION_ROLES.items():
                if group not in missing and role not in have:
                    lacking.append(warning(
                        "W504", f"no {group.upper()} edition file for this document",
                        file=display_path(root / "tei" / f"{d.stem}.xml"),
                        hint="rebuild the editions (`make all`)"))
        shared = file_shelf()
        shared.extend(index.unowned())
    notes.extend(lacking)
    return Edition(root, meta, documents, found.files, tuple(missing), shared), notes


def read_meta(path: Path) -> tuple[EditionMeta, list[Diagnostic]]:
    """Edition metadata from ``edition.toml``: ``[edition]`` and ``[depositor]`` tables."""
    shown = display_path(path)
    if not path.exists():
        return EditionMeta(), [warning(
            "W502", "no edition.toml: the package has no depositor, contact or description",
            file=shown, hint="add edition.toml (see README, 'Deposit packages')")]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        return EditionMeta(), [error("E507", f"cannot read edition metadata: {exc}", file=shown)]
    edition = data.get("edition", {})
    depositor = data.get("depositor", {})
    meta = EditionMeta(
        title=str(edition.get("title", "")), description=str(edition.get("description", "")),
        identifier=str(edition.get("identifier", "")),
        publisher=str(edition.get("publisher", "")), rights=str(edition.get("rights", "")),
        organization=str(depositor.get("organization", "")),
        address=str(depositor.get("address", "")),
        contact_name=str(depositor.get("contact-name", "")),
        contact_email=str(depositor.get("contact-email", "")),
        contact_phone=str(depositor.get("contact-phone", "")))
    missing = [key for key, value in (
        ("edition.title", meta.title), ("edition.identifier", meta.identifier),
        ("depositor.organization", meta.organization),
        ("depositor.contact-name", meta.contact_name),
        ("depositor.contact-email", meta.contact_email)) if not value.strip()]
    notes = [warning("W502", f"{', '.join(missing)} not set: repository managers need "
                     f"{'them' if len(missing) > 1 else 'it'}", file=shown,
                     hint=f"fill in {', '.join(missing)} in {EDITION_FILE}")] if missing else []
    return meta, notes


#: The facts of a TEI file, or why it has none (a message, and a line when one is known).
Facts = tuple[Packed | Spilled | None, tuple[str, int | None] | None]


def _all_facts(paths: Callable[[], Iterable[str]], memory: FileMemory,
               ready: Callable[[], object] | None = None) -> Iterator[Facts]:
    """The facts of each TEI file of ``paths`` (the same paths each time it is called),
    in order: remembered for its content, or kept by the export that read it last
    (:mod:`.facts_store`), else read (``ready`` called first), hashed and parsed on every
    core (:mod:`.spread`); and remembered.  What is known is spilled as it is found
    (:func:`.facts.spill`), and held as where it lies (16 bytes a file: the facts
    themselves, held until the others were read, were ~1.5 KB)."""
    known = _Known()
    told: facts_store.Store | None = None
    folders: dict[str, str] = {}
    try:
        for path in paths():
            facts = _known_facts(path, memory)
            if facts is None:
                if told is None:
                    told = facts_store.load()
                facts = _told_facts(path, told.get(facts_store.key(path, folders)), memory)
            known.append(facts)
    finally:
        if told is not None:
            told.close()
    if ready is not None and not known.all():
        ready()
    with closing(spread(_read_facts, (p for n, p in enumerate(paths()) if known[n] is None),
                        memory.started)) as read:  # its workers let go of at the end
        for n, path in enumerate(paths()):
            facts = known[n]
            if facts is not None:
                yield facts, None
                continue
            yield _learnt(path, *next(read)[1], memory)


class _Known:
    """The facts known of each TEI file, in order, spilled (:func:`.facts.spill`): where
    they lie, or that none are known."""

    def __init__(self) -> None:
        self._at = array("q")  # offset and size of each; -1: none known

    def append(self, facts: Packed | None) -> None:
        if facts is None:
            self._at.extend((-1, -1))
        else:
            spilled = spill(facts)
            self._at.extend((spilled.offset, spilled.size))

    def __getitem__(self, n: int) -> Spilled | None:
        offset, size = self._at[2 * n], self._at[2 * n + 1]
        return None if offset < 0 else Spilled(offset, size)

    def all(self) -> bool:
        return -1 not in self._at


def _learnt(path: str, state: FileState | None, sha512: str, facts: dict | None,
            problem: tuple[str, int | None] | None, memory: FileMemory) -> Facts:
    """What :func:`_read_facts` found of ``path``, learnt by ``memory``."""
    if state is None:
        return None, problem
    entry = memory.learn(path, state, sha512)
    if "facts" in entry:  # the same content as when last seen
        return memory.facts(entry), None
    if facts is None:
        return None, problem
    packed = pack(facts)
    memory.learn_facts(path, packed)
    return packed, problem


def _told_facts(path: str, told: bytes | None, memory: FileMemory) -> Packed | None:
    """The facts the export kept of ``path`` when the file is still as it read it; the
    memory learns them, as it learns a file read here."""
    if told is None:
        return None
    state, sha512, facts = facts_store.decode(told)
    try:
        if not state.trusted(os.stat(path)):
            return None
    except OSError:
        return None
    return _learnt(path, state, sha512, facts, None, memory)[0]


def _known_facts(path: str, memory: FileMemory) -> Packed | None:
    entry = memory.recall(path)
    return memory.facts(entry) if entry is not None else None


def _read_facts(path: str, started: int,
                ) -> tuple[FileState | None, str, dict | None, tuple[str, int | None] | None]:
    """A TEI file's state, SHA-512 and facts, or why it has no facts (in a worker process:
    errors come back as data, not as exceptions that may not cross)."""
    try:
        data, state, sha512 = read_hashed(path, started)
    except OSError as exc:
        return None, "", None, (f"cannot read the TEI: {exc}", None)
    try:
        return state, sha512, read_facts(parse(data)), None
    except etree.XMLSyntaxError as exc:
        return state, sha512, None, (f"not well-formed XML: {exc.msg}", exc.lineno)
    except TEIError as exc:
        return state, sha512, None, (f"cannot read the TEI: {exc}", None)


def group_files(folder: str, group: str) -> Iterator[PackageFile]:
    """The regular, visible files below ``folder`` (absolute; hidden files and caches are
    not edition; links are not followed), in the order of their paths."""
    if os.path.isdir(folder):
        for rel, path in _visible(folder, group + "/"):
            yield PackageFile(path, rel, group)


def edition_files(root: Path) -> Found:
    """The files of each group of the edition under ``root`` (:func:`group_files`), on one
    shelf in the order of their paths in the package (the groups in the order of their
    names): one walk for what a package is made of (:func:`collect`) and what says whether
    any of it changed (:func:`.make.inputs`), which took a walk each."""
    files = file_shelf()
    groups: dict[str, tuple[int, int]] = {}
    for group, folder, _what in sorted(GROUPS, key=lambda g: g[0] + "/"):
        first = len(files)
        files.extend(group_files(os.path.abspath(root / folder), group))
        groups[group] = (first, len(files))
    return Found(files, groups)


def _visible(folder: str, prefix: str) -> Iterator[tuple[str, str]]:
    """(``prefix`` and the path below ``folder``, path) of each file, in the order of the
    first: a folder's entries sorted by name, a folder's with a slash after it (which puts
    what lies below it where its paths sort among the others: ``a/x`` after ``a-b``), one
    folder's names held at a time."""
    names = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") or entry.name == "__pycache__" or \
                    entry.is_symlink():
                continue
            if entry.is_dir():
                names.append(entry.name + "/")
            elif entry.is_file():
                names.append(entry.name)
    names.sort()
    for name in names:
        if name.endswith("/"):
            yield from _visible(os.path.join(folder, name[:-1]), prefix + name)
        else:
            yield prefix + name, os.path.join(folder, name)


class _FileIndex:
    """Which files a document may own, looked up by resolved path and by name (one pass over
    the files, not one per document: an edition has thousands), in a private temporary
    database (dicts of the edition's files were ~15 MB at 10,000 documents); and which
    files no document owns (:meth:`unowned`).

    Resolving a path looks at each of its folders (a ``lstat`` per part of the path, in
    Python): a folder is resolved once (:attr:`folders`), and a file's resolved path is its
    folder's with its name, which is exact for the source files (regular files, not links:
    :func:`_visible`).  A document's source is looked for the same way, and where that
    finds none (its name is a link, or ``..``), by resolving the whole path."""

    def __init__(self, files: Iterable[PackageFile]):
        self.folders: dict[str, str] = {}
        self._db = sqlite3.connect("", isolation_level=None)  # "": deleted when closed
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE files (rel TEXT PRIMARY KEY, path TEXT, role TEXT, "
                         "owned INTEGER) WITHOUT ROWID")
        self._db.execute("CREATE TABLE sources (real TEXT PRIMARY KEY, rel TEXT) "
                         "WITHOUT ROWID")
        self._db.execute("CREATE TABLE names (name TEXT, rel TEXT, PRIMARY KEY (name, rel)) "
                         "WITHOUT ROWID")
        self._db.execute("BEGIN")
        for f in files:
            self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, 0)",
                             (f.rel, f.path, f.role))
            if f.role == "source":
                self._db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?)",
                                 (self._real(f.path), f.rel))
            elif f.role in EDITION_ROLES:
                self._db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)",
                                     ((name, f.rel) for name in _names(f.rel)))

    def files_of(self, d: EditionDocument, tei: PackageFile, root: Path) -> EditionDocument:
        own = [tei]
        if d.source:
            path = os.path.join(root, "tei", d.source)
            source = self._source(self._real(path)) or self._source(os.path.realpath(path))
            if source is not None:
                own.append(source)
        own += [PackageFile(path, rel, EDITION_ROLES[role]) for rel, path, role in
                self._db.execute("SELECT DISTINCT files.rel, path, role FROM names JOIN files "
                                 "ON files.rel = names.rel WHERE name IN (?, ?) "
                                 "ORDER BY files.rel", (d.stem, d.id))]
        self._db.executemany("UPDATE files SET owned = 1 WHERE rel = ?",
                             ((f.rel,) for f in own))
        return replace(d, files=tuple(own))

    def unowned(self) -> Iterator[PackageFile]:
        """The files no document owns (:meth:`files_of`), in the order of their paths."""
        for row in self._db.execute("SELECT path, rel, role FROM files WHERE owned = 0 "
                                    "ORDER BY rel"):
            yield PackageFile(*row)

    def close(self) -> None:
        self._db.close()

    def _source(self, real: str) -> PackageFile | None:
        row = self._db.execute("SELECT path, files.rel, role FROM sources JOIN files "
                               "ON files.rel = sources.rel WHERE real = ?", (real,)).fetchone()
        return None if row is None else PackageFile(*row)

    def _real(self, path: str) -> str:
        """``path`` with its folder resolved (the resolved path of a file that is not a
        link)."""
        folder, name = os.path.split(path)
        real = self.folders.get(folder)
        if real is None:
            real = self.folders[folder] = os.path.realpath(folder)
        return os.path.join(real, name)


def _names(rel: str) -> set[str]:
    """The names a file answers to: its stem and the folders above it (not the group)."""
    parts = rel.split("/")
    return {stem(parts[-1]), *parts[1:-1]}


def stem(name: str) -> str:
    """The stem of a file's name, as :class:`PurePosixPath` gives it (its last suffix cut,
    unless that leaves nothing or the name ends with the dot), without making a path object
    for each of the edition's files."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


# ----------------------------------------------------------------------------- the date


@dataclass(frozen=True)
class PackageDate:
    """The package's date, and why it is that date (said in the package's README)."""

    day: date
    epoch: int  # seconds, for archive member times
    reason: str


def package_date(source_date_epoch: str | None, git_epoch: int | None,
                 documents: tuple[EditionDocument, ...]) -> PackageDate:
    """The one date a package carries, chosen so that the same edition gives the same bag.

    ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention); else the time of the
    newest commit that changed the edition's sources (so a package only changes date when the
    edition changes); else the newest date the TEI headers give (upload or document date).
    """
    if source_date_epoch and source_date_epoch.strip().isdigit():
        epoch = int(source_date_epoch.strip())
        return PackageDate(_utc(epoch), epoch, "SOURCE_DATE_EPOCH")
    if git_epoch is not None:
        return PackageDate(_utc(git_epoch), git_epoch,
                           "the date of the newest commit that changed tei/, source/ or schema/")
    dates = [d for doc in documents
             for d in (doc.facts["header"]["uploaded_when"], doc.date_when) if d]
    newest = max((_full_date(d) for d in dates), default=date(1980, 1, 1))
    epoch = int(datetime(newest.year, newest.month, newest.day, tzinfo=timezone.utc).timestamp())
    return PackageDate(newest, max(epoch, _ZIP_EPOCH),
                       "the newest date in the TEI headers (no SOURCE_DATE_EPOCH, no git)")


_ZIP_EPOCH = 315532800  # 1980-01-01: zip files cannot say anything earlier


def _utc(epoch: int) -> date:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).date()


def _full_date(when: str) -> date:
    parts = [int(p) for p in when[:10].split("-") if p.isdigit()]
    parts += [1] * (3 - len(parts))
    return date(parts[0], parts[1], parts[2])


def git_epoch(root: Path) -> int | None:
    """Commit time of the newest commit touching the edition's sources, or None without git."""
    try:
        done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct", "--",
                               "tei", "source", "schema"], capture_output=True, text=True,
                              timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    out = done.stdout.strip()
    return int(out) if done.returncode == 0 and out.isdigit() else None
