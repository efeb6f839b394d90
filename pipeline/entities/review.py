"""Machine-proposed and ambiguous names across the edition, for a scholar to review.

``teipipe entities review`` reads TEI files and lists every name the register does not hold
(``resp="#….ner"``) by type and name, with how often and where it occurs and a few contexts;
names tagged with several candidate entries (``cert="low"``) are listed apart.  Accepting a
proposal means adding it to the register (``teipipe register add``, or by editing the file);
the next ``make all`` links it everywhere.

``teipipe export html|text --review-output`` writes the same review in the same run as the
editions: their workers find each file's names (:func:`mentions_in`) in the document they
read for the edition, and :func:`collect` reads only the files they did not (one gathering,
one build record, for both commands).  The names found are kept on disk as they come
(:class:`Found`), and read back one file at a time.
"""

from __future__ import annotations

import json
import marshal
import os
import shutil
import tempfile
import time
import weakref
from collections.abc import Iterator, MutableMapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from lxml import etree

from .. import incremental, workers
from ..incremental import FileState, settings_digest
from ..model import Name
from ..record_store import RecordStore, store_path
from ..tei.ns import NAME_ELEMENTS, NS
from ..tei.read import TEIError, name_node, parse, read_tei, read_text
from ..validate import body_text
from .score import located_names

CONTEXT = 40  # characters either side of a name in a context line
MAX_CONTEXTS = 3

#: One name to review: type, name, candidates of an ambiguous name, cert, context.
Mention = tuple[str, str, str | None, str, str]
#: The names of files read already, with the state of each file as it was read, by path
#: (:func:`collect` takes them from the export's workers: :class:`Found`).
Names = Mapping[str, tuple[FileState, list[Mention]]]


@dataclass
class Proposal:
    """One proposed (or ambiguous) entity: all its occurrences across the documents."""

    type: str
    name: str
    refs: str | None = None  # the candidates of an ambiguous name
    count: int = 0
    certs: set[str] = field(default_factory=set)
    documents: list[str] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)
    _listed: set[str] = field(default_factory=set, repr=False, compare=False)

    def add(self, document: str, cert: str, context: str) -> None:
        """One more occurrence, in ``document`` (listed once, however often it occurs)."""
        self.count += 1
        self.certs.add(cert)
        if document not in self._listed:
            self._listed.add(document)
            self.documents.append(document)
        if len(self.contexts) < MAX_CONTEXTS:
            self.contexts.append(context)

    def as_data(self) -> dict:
        return {"type": self.type, "name": self.name, "candidates": self.refs.split()
                if self.refs else [], "count": self.count, "cert": sorted(self.certs),
                "documents": self.documents, "contexts": self.contexts}


def mentions(path: Path, data: bytes | None = None) -> list[Mention]:
    """The proposed and ambiguous names of one TEI file: (type, name, candidates of an
    ambiguous name, cert, context), in document order; ``data``: the file's bytes, when the
    caller has read them already (they are parsed as the file would be, errors and all).

    The text and the names' places in it are read straight from the tree
    (:func:`pipeline.validate.body_text.located_names`, less than half the cost of reading the
    document model); the model only where that walk gives up.
    """
    try:
        tree = _parse(path, data)
        body = tree.getroot().find("tei:text/tei:body", NS)
        wanted = None if body is None else _to_review(body)
        if wanted == []:
            read_tei(tree, text=False)  # nothing to review; but is it TEI teipipe reads?
            return []
        located = body_text.located_names(tree, wanted)
        if located is not None:
            text = located[0]
            names = [(start, end, name_node(el)) for start, end, el in located[1]]
        else:  # the long way (which also says what is wrong with the file)
            text, names = located_names(read_text(tree))
    except (TEIError, etree.XMLSyntaxError, OSError) as exc:
        raise TEIError(f"{path}: {exc}") from None
    return mentions_in(text, names)


def mentions_in(text: str, names: Iterable[tuple[int, int, Name]]) -> list[Mention]:
    """The proposed and ambiguous names among ``names`` (start, end, name) of the document
    text ``text`` (as :func:`pipeline.entities.score.located_names` gives them): what
    :func:`mentions` gives for the file that holds them.  (The export's workers, which
    have read the document, take its text and names from :func:`.export.text.located_names`.)"""
    out = []
    for start, end, node in names:
        proposed = node.ref is None and (node.resp or "").endswith(".ner")
        ambiguous = node.ref is not None and len(node.ref.split()) > 1
        if not (proposed or ambiguous):
            continue
        name = " ".join(text[start:end].replace("[", "").replace("]", "").split())
        before = text[max(0, start - CONTEXT):start]
        after = text[end:end + CONTEXT]
        out.append((node.type, name, node.ref if ambiguous else None, node.cert or "",
                    " ".join(f"{before}[[{text[start:end]}]]{after}".split())))
    return out


def _parse(path: Path, data: bytes | None) -> etree._ElementTree:
    """The tree of a file, from its bytes when they were read; a file they do not parse is
    parsed again from its path, so that the error is worded as ever (libxml2 says some,
    such as a bad encoding, otherwise for a file than for bytes)."""
    if data is not None:
        try:
            return parse(data, path)
        except etree.XMLSyntaxError:
            pass
    return parse(path)


#: The elements the reader makes names of (in any namespace, as it does).
_NAME_TAGS = tuple(f"{{*}}{tag}" for tag in NAME_ELEMENTS.values())


def _to_review(body: etree._Element) -> list[etree._Element]:
    """The name elements that may be proposed or ambiguous (:func:`mentions` says which),
    found on the tree: a file without them is read no further, and only they are marked in
    the text.  (One comprehension, no call a name: a cable has dozens.)"""
    return [el for el in body.iter(*_NAME_TAGS) if el.get("resp", "").endswith(".ner")
            or len(el.get("ref", "").split()) > 1]


def collect(tei_files: list[Path], record: Path | None = None, jobs: int = 1,
            found: Names | None = None) -> list[Proposal]:
    """Proposals and ambiguous names of the files, most frequent first.

    Files are read in ``jobs`` worker processes, each of which hashes the bytes it parses
    (for the record): the main process only gathers their names, in order, as they come.
    With a build ``record`` (:mod:`pipeline.record_store`), the names of a file whose content
    has not changed since the last run are taken from it, not read again.  ``found``: the
    names of files read already (by path, with their state as read: an export finds them
    in the trees it parsed, :class:`Found`), not read again either; they go into the
    record as if read here.

    Memory: no file's names are held beyond their turn.  A first pass over the files says
    which are to be read (keeping only those paths); the second takes each file's names
    from the workers, from ``found`` or from the record, in order.
    """
    with RecordStore(record, settings_digest("review", {})) as memory:
        return _collected(memory, tei_files, jobs, found)


def _collected(memory: RecordStore, tei_files: list[Path], jobs: int,
               found: Names | None) -> list[Proposal]:
    """:func:`collect`, with its build record open (closed after, also on an error)."""
    started = time.time_ns()
    todo = []
    for path in tei_files:
        if found is not None and str(path) in found:
            continue
        entry = memory.get(str(path))
        if entry is not None:
            state = incremental.state(path, entry["source"], started)
            if state is not None and state.sha256 == entry["source"].sha256:
                if state != entry["source"]:
                    memory.put(str(path), dict(entry, source=state))
                continue
        todo.append(path)
    reading = set(todo)
    with ExitStack() as stack:
        read = partial(_read, seen_ns=started)
        if jobs > 1 and len(todo) >= 8:
            pool = stack.enter_context(workers.pool(jobs))
            fresh = pool.map(read, todo, chunksize=max(1, min(32, len(todo) // (jobs * 8))))
        else:
            fresh = map(read, todo)
        proposals: dict[tuple[str, str, str | None], Proposal] = {}
        for path in tei_files:
            key = str(path)
            if path in reading or (found is not None and key in found):
                state, names = next(fresh) if path in reading else found[key]
                if state is not None:
                    memory.put(key, _entry(state, names))
            else:
                names = _mentions(memory.get(key))
            for type_, name, refs, cert, context in names:
                proposals.setdefault((type_, name, refs), Proposal(type_, name, refs)).add(
                    path.stem, cert, context)
    memory.save()
    return sorted(proposals.values(),
                  key=lambda p: (p.refs is not None, -p.count, p.type, p.name))


class Found(MutableMapping[str, tuple[FileState, list[Mention]]]):
    """The names of files read already (by an export's workers, from the trees they parse
    for the edition), by path, with the state of each file as read, for :func:`collect`:
    kept on disk as they come, not in memory (at 10,000 pages they were 45 MB of an
    export's main process), in a store of their own in a temporary folder (not in the
    review's build record, which :func:`collect` changes: another store of it, in the same
    process or another, would wait for this one's changes, or lose them).  :meth:`close`
    lets go of the store and removes its folder; so does dropping the mapping, or the
    end of the process, when it was not closed."""

    def __init__(self) -> None:
        folder = tempfile.mkdtemp(prefix="teipipe-names-")
        self._store = RecordStore(Path(folder) / "names.sqlite", "names")
        self._paths: set[str] = set()  # (a row's key, not its names)
        self._removed = weakref.finalize(self, _removed, self._store, folder)

    def close(self) -> None:
        """Let go of the store and remove its folder: the names are gone."""
        self._paths.clear()
        self._removed()

    def __setitem__(self, path: str, found: tuple[FileState, list[Mention]]) -> None:
        self._store.put(path, _entry(*found))
        self._paths.add(path)

    def __getitem__(self, path: str) -> tuple[FileState, list[Mention]]:
        entry = self._store.get(path) if path in self._paths else None
        if entry is None:
            raise KeyError(path)
        return entry["source"], _mentions(entry)

    def __delitem__(self, path: str) -> None:
        self._paths.remove(path)
        self._store.drop(path)

    def __contains__(self, path: object) -> bool:
        return path in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def _removed(store: RecordStore, folder: str) -> None:
    """The store of a :class:`Found` closed, its folder removed."""
    store.close()
    shutil.rmtree(folder, ignore_errors=True)


def _entry(state: FileState, names: list[Mention]) -> dict:
    """A file's entry in the review's build record: its state and its names, the names as
    one :mod:`marshal` string (read back whole, :func:`_mentions`, not value by value)."""
    return {"source": state, "mentions": marshal.dumps(names)}


def _mentions(entry: dict) -> list[Mention]:
    """The names of a file's entry (:func:`_entry`)."""
    return marshal.loads(entry["mentions"])


def tei_files(teis: Sequence[Path]) -> list[Path]:
    """The files a review of ``teis`` (TEI files, or folders of them: their ``.xml``
    files, sorted; default ``tei/``) reads, in the order it lists their documents."""
    return [t for p in teis or (Path("tei"),)  # (by name: the files of one folder, in the
            for t in (sorted(p.glob("*.xml"), key=_name)  # order of their paths, not
                      if p.is_dir() else [p])]            # compared as paths: 10x faster)


def _name(path: Path) -> str:
    return path.name


def review(teis: Sequence[Path], jobs: int = 1, found: Names | None = None
           ) -> list[Proposal]:
    """The review of ``teis`` (as :func:`tei_files` lists them), with the build record of
    their first folder (:func:`collect`: ``found``, the names of files read already)."""
    return collect(tei_files(teis), store_path("review", (teis or (Path("tei"),))[0]), jobs,
                   found)


def _read(path: Path, seen_ns: int) -> tuple[FileState | None, list]:
    """A file's state (for the record) and names, from one read of it; a file that cannot
    be read has no state, and its names are asked for as before (which says why)."""
    try:
        st = os.stat(path)
        data = path.read_bytes()
    except OSError:
        return None, mentions(path)
    return incremental.state_of(data, st, seen_ns), mentions(path, data)


def render(proposals: list[Proposal], fmt: str) -> str:
    """The review as a file holds it: ``fmt`` is ``text`` (:func:`as_text`), ``tsv``
    (:func:`as_tsv`) or ``json``."""
    if fmt == "json":
        return json.dumps([p.as_data() for p in proposals], ensure_ascii=False, indent=1) + "\n"
    return as_tsv(proposals) if fmt == "tsv" else as_text(proposals) + "\n"


def as_tsv(proposals: list[Proposal]) -> str:
    """One line a proposal: type, name, count, candidates, documents, first context."""
    lines = ["type\tname\tcount\tcandidates\tdocuments\tcontext"]
    for p in proposals:
        lines.append("\t".join([p.type, p.name, str(p.count), p.refs or "",
                                " ".join(p.documents), p.contexts[0] if p.contexts else ""]))
    return "\n".join(lines) + "\n"


def as_text(proposals: list[Proposal]) -> str:
    """The review for reading: proposals, then ambiguous names, each with its contexts."""
    lines = []
    for p in proposals:
        what = f"ambiguous: {p.refs}" if p.refs else f"proposed ({'/'.join(sorted(p.certs))})"
        lines.append(f"{p.count:>4}  {p.type:<6} {p.name}  — {what}; in "
                     f"{', '.join(p.documents)}")
        lines.extend(f"        … {c} …" for c in p.contexts)
    return "\n".join(lines) if lines else "nothing to review: every name is in the register"
