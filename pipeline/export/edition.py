"""The HTML edition's own files (home page, registers, entry pages, search page and index,
static files), put together from the documents' summaries without holding them all at once.

The registers are split the way large editions split them: ``persons.html``,
``places.html`` and ``organizations.html`` are light lists (letters, name, what the entry
is, in how many documents), and each entry has a page of its own
(:func:`.register.entry_page`) with its card and every passage that names it.  One page
holding every passage of every entry was 14 MB for 1,000 documents (a browser does not open
the 140 MB of 10,000 comfortably), and a change of one document wrote it all again; now it
writes the pages of the entries whose passages changed, and a list only when its counts did.
The names the recognizer proposed have a page per type with their passages.

The search index of 10,000 documents is tens of megabytes; holding the parts of every
document took gigabytes.  So the files are made in two passes over the summaries
(:mod:`.summary`), in reading order:

1. :class:`Plan` reads each document's small ``meta``: its row in the table of documents,
   the entries it carries, how often it names each entry, and the size of its list of
   occurrences of each.  What it keeps is the entries and, per entry, a counter, a
   running digest and where its lists are; the rows go to a temporary file as they come
   (:class:`Rows`: 10,000 were 9 MB of the main process), read back one at a time for the
   home page's table and the search index.  From these come the pages
   (``collection.xsl`` on an edition summary without the occurrences) and, for each file,
   a digest of everything it is made from (:meth:`Plan.keys`), so that a file whose inputs
   did not change is not made again.
2. :func:`search_index` hands a worker process the reading of each document's ``search``
   (when the index is to be made): its passages go straight into the search index
   (:class:`.search.IndexWriter`), written to a file, not kept in memory.  Meanwhile
   :func:`entry_pages` hands the workers the entries' pages to be made: each is its
   skeleton with its lists of occurrences copied in from the summaries' ``lists``, where
   the documents' workers left them, rendered (one read each, nothing decoded).
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import os
import re
import tempfile
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol

from lxml import etree

from ..diagnostics import Diagnostic
from ..tei.ns import TEI_NS
from ..tei.read import safe_parser
from .html import DEFAULT_DESCRIPTION, STATIC_DIR, STATIC_FILES, Options, html_page, params
from .register import PROPOSED_PAGES, REGISTER_PAGES, Entry, entry_of, entry_page, unresolved
from .search import IndexWriter
from .stylesheets import stylesheet
from .summary import OCCURRENCES

#: The pages ``collection.xsl`` makes, by its parameter ``page``.
PAGES = {"home": "index.html", "person": "persons.html", "place": "places.html",
         "org": "organizations.html", "search": "search.html"}
SEARCH_INDEX = "assets/search-index.js"
#: Where an entry's page (and a page of proposed names) leaves room for the occurrences,
#: and the home page for the rows of its table.
_ROOM = OCCURRENCES + b"</ul>"
_TABLE = b"<tbody></tbody>"
#: Rows of the home page's table made at once.
ROWS = 500

_CERT_ORDER = ("high", "medium", "low", "unknown")


def _cert_rank(cert: str) -> tuple[int, str]:
    return (_CERT_ORDER.index(cert) if cert in _CERT_ORDER else len(_CERT_ORDER), cert)


@dataclass(frozen=True, slots=True)
class Row:
    """A document as the home page, its neighbours and the search index show it."""

    name: str
    id: str
    title: str
    date_when: str | None
    date_text: str | None
    kind: str
    classification: str
    archive: str


class Rows:
    """The documents' rows in reading order, kept in a temporary file (one JSON list per
    line) as they are added, not in memory; read back one at a time, by this process or
    by a worker (:func:`read_rows` of :attr:`path`); with a digest of them all (what the
    home page and the search index show of the documents)."""

    def __init__(self) -> None:
        self.file = tempfile.NamedTemporaryFile(prefix="teipipe-rows-", suffix=".jsonl")
        self.count = 0
        self.digest = hashlib.sha256()

    @property
    def path(self) -> str:
        """The file, complete with every row added (for another process to read)."""
        self.file.flush()
        return self.file.name

    def add(self, row: Row) -> None:
        line = json.dumps([getattr(row, f) for f in Row.__slots__],
                          ensure_ascii=False).encode("utf-8") + b"\n"
        self.file.write(line)
        self.digest.update(line)
        self.count += 1

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Row]:
        return read_rows(self.path)


def read_rows(path: str) -> Iterator[Row]:
    """The rows kept in the file ``path`` (:class:`Rows`), in order."""
    with open(path, "rb") as lines:
        for line in lines:
            yield Row(*json.loads(line))


class Plan:
    """What the edition's files need from every document, from the documents' ``meta``
    given in reading order (:meth:`add`)."""

    def __init__(self, register: dict[str, Entry] | None = None):
        self.known = dict(register or {})
        self.rows = Rows()
        self.project: str | None = None
        # entry id -> [passages, documents, digest, lists]; (type, key) -> [text, certs,
        # digest, documents, lists]; lists: where its lists of occurrences are, three numbers
        # each: the document (its place in reading order), the offset in the document's
        # lists, the size (:func:`entry_pages`); four bytes each (a name in a document is
        # twelve bytes held, some 190,000 of them in 10,000 documents)
        self.counts: dict[str, list] = {}
        self.proposed: dict[tuple[str, str], list] = {}
        self.search = hashlib.sha256()
        self.uncarried: dict[str, list[str]] = {}  # document -> ids named, not carried
        self.pointers: list[tuple[str, list]] = []  # (file, its @refs that may point nowhere)
        self.first = self.last = ""  # the first and the last year of the documents dated

    def add(self, path: str, meta: dict) -> None:
        """The next document in reading order."""
        name = meta["name"]
        self.rows.add(Row(name, meta["id"], meta["title"], meta["date_when"],
                          meta["date_text"], meta["kind"], meta["classification"],
                          meta["archive"]))
        when = meta["date_when"] or ""
        if re.match(r"\d{4}", when):
            year = when[:4]
            self.first = min(self.first or year, year)
            self.last = max(self.last, year)
        if self.project is None and meta["project"]:
            self.project = meta["project"]
        for ident, xml in meta["entries"]:
            if ident not in self.known:  # the register's entry, else the first file's copy
                entry = entry_of(etree.fromstring(xml))
                if entry is not None:
                    self.known[ident] = entry
        k, at = len(self.rows) - 1, 0  # (the lists: linked, then proposed, one after another)
        for ref, passages, digest, size in meta["linked"]:
            count = self.counts.setdefault(ref, [0, 0, hashlib.sha256(), array("I")])
            count[0] += passages
            count[1] += 1
            count[2].update(f"{name}\0{digest}\n".encode("utf-8"))
            count[3].extend((k, at, size))
            at += size
        for type_, key, text, certs, digest, size in meta["proposed"]:
            found = self.proposed.setdefault((type_, key),
                                             [text, set(), hashlib.sha256(), 0, array("I")])
            found[1].update(certs)
            found[2].update(f"{name}\0{digest}\n".encode("utf-8"))
            found[3] += 1
            found[4].extend((k, at, size))
            at += size
        self.search.update(f"{name}\0{meta['search']}\n".encode("utf-8"))
        if meta["uncarried"]:
            self.uncarried[name] = meta["uncarried"]
        if meta["pointers"]:
            self.pointers.append((path, meta["pointers"]))

    # ------------------------------------------------------------------ what it gives

    def problems(self) -> list[Diagnostic]:
        """A warning for each name whose ``@ref`` points at no entry, in reading order."""
        return [d for path, pointers in self.pointers
                for d in unresolved(path, [(raw, tuple(refs), line)
                                           for raw, refs, line in pointers], self.known)]

    def extra(self, name: str) -> list[str]:
        """The entries a document names but does not carry, as XML.

        Files made by teipipe carry every entry they name; this is for files that do not
        (yet), so that their pages still explain every name the register knows.
        """
        return [etree.tostring(self.known[r].element, encoding="unicode", with_tail=False)
                for r in self.uncarried.get(name, ()) if r in self.known]

    def linked(self) -> list[Entry]:
        """The entries some document names, in register order."""
        return sorted((self.known[r] for r in self.counts if r in self.known),
                      key=lambda e: e.sort_key)

    def named(self, page: str) -> list[tuple[str, str]]:
        """The proposed names of a type, as (type, key), in order."""
        return sorted(k for k in self.proposed if k[0] == page)

    def keys(self, options: Options, register: str) -> dict[str, str]:
        """For each file :func:`edition_files` makes, a digest of all it is made from."""
        def key(*parts) -> str:
            return hashlib.sha256(json.dumps([options.title, options.description,
                                              options.base_url, *parts],
                                             ensure_ascii=False).encode("utf-8")).hexdigest()
        rows = self.rows.digest.hexdigest()  # (every row: the rows are not held)
        linked = self.linked()
        xml = {e.id: etree.tostring(e.element, encoding="unicode") for e in linked}
        entries = [[e.id, e.type, e.name, *self.counts[e.id][:2]] for e in linked]
        # a list shows counts, not passages: the digests of the passages are not its inputs
        lists = {REGISTER_PAGES[page]: key(page, register, len(self.rows), [
            [e.id, e.name, *self.counts[e.id][:2], xml[e.id]] for e in linked
            if e.type == page], [[*k, v[0], sorted(v[1]), v[3]]
                                 for k, v in sorted(self.proposed.items()) if k[0] == page])
            for page in REGISTER_PAGES}
        # an entry's page: its entry and its passages (not how many documents the edition
        # has: then a document added would make every entry's page again)
        own = {entry_page(e.type, e.id): key("entry", e.id, e.type, e.name,
                                             *self.counts[e.id][:2],
                                             self.counts[e.id][2].hexdigest(), xml[e.id])
               for e in linked}
        proposed = {PROPOSED_PAGES[page]: key("proposed", page, [
            [*k, v[0], sorted(v[1]), v[3], v[2].hexdigest()] for k, v in names])
            for page in REGISTER_PAGES
            if (names := [(k, self.proposed[k]) for k in self.named(page)])}
        return {"index.html": key("home", rows, self.project), **lists, **own, **proposed,
                "search.html": key("search", len(self.rows), entries),
                SEARCH_INDEX: key("index", rows, [[e.id, e.name, e.type] for e in
                                                  sorted(self.known.values(),
                                                         key=lambda e: e.sort_key)],
                                  self.search.hexdigest()),
                **{f"assets/{name}": key("static", name) for name in STATIC_FILES}}

    # ------------------------------------------------------------------ skeletons

    def years(self) -> tuple[str, str]:
        """The first and the last year of the documents ("" when none is dated)."""
        return self.first, self.last

    def summary(self, page: str, options: Options, only: Entry | None = None
                ) -> etree._ElementTree:
        """The edition as ``collection.xsl`` reads it (documented there) for one page, with
        no occurrences under the entries (:func:`entry_pages` puts them in); ``only``:
        the entry of an entry's page."""
        first, last = self.years()
        root = etree.Element("edition", {
            "title": options.title, "count": str(len(self.rows)), "first": first,
            "last": last}, nsmap={"tei": TEI_NS})
        etree.SubElement(root, "description").text = \
            options.description or self.project or DEFAULT_DESCRIPTION
        if page in REGISTER_PAGES or page == "search" or only is not None:
            for entry in (only,) if only is not None else self.linked():
                if page in REGISTER_PAGES and entry.type != page:
                    continue
                passages, documents = self.counts[entry.id][:2]
                first = entry.sort_key[:1]
                el = etree.SubElement(root, "entry", {
                    "id": entry.id, "type": entry.type, "page": REGISTER_PAGES[entry.type],
                    "href": entry_page(entry.type, entry.id),
                    "name": entry.name, "letter": first.upper() if first.isalpha() else "#",
                    "passages": str(passages), "documents": str(documents)})
                if page != "search":  # (its list names the entries: it shows no card)
                    el.append(copy.deepcopy(entry.element))
        if page in REGISTER_PAGES or page in PROPOSED_PAGES.values():
            kind = page if page in REGISTER_PAGES else \
                next(k for k, v in PROPOSED_PAGES.items() if v == page)
            root.set("register", kind)
            root.set("proposed-page", PROPOSED_PAGES[kind])
            for type_, key in self.named(kind):
                text, certs, _digest, documents = self.proposed[(type_, key)][:4]
                etree.SubElement(root, "proposed", {
                    "type": type_, "text": text, "documents": str(documents),
                    "cert": ", ".join(sorted(certs, key=_cert_rank))})
        return etree.ElementTree(root)

    def page(self, page: str, options: Options, only: Entry | None = None) -> bytes:
        """A page of ``collection.xsl`` (``page``: its parameter, or the file name of a page
        of proposed names); the home page without its documents, an entry's page
        (``only``) or a page of proposed names without the occurrences
        (:func:`edition_files` puts them in)."""
        kind = "proposed" if page in PROPOSED_PAGES.values() else page
        values = {k: etree.XSLT.strparam(v) for k, v in params(options, page=kind).items()}
        return html_page(stylesheet("collection.xsl")(self.summary(page, options, only),
                                                      **values))

    @staticmethod
    def table(start: int, rows: Iterable[Row]) -> bytes:
        """The rows of the table of documents of the home page, of ``rows``, documents
        ``start`` on in reading order."""
        root = etree.Element("rows")
        for k, r in enumerate(rows, start):
            etree.SubElement(root, "document", {
                "name": r.name, "id": r.id, "href": f"documents/{r.name}.html",
                "tei": f"tei/{r.name}.xml", "text": f"text/{r.name}.txt",
                "when": r.date_when or "", "sort": f"{r.date_when or '~'} {k:06d}",
                "date": r.date_text or r.date_when or "", "title": r.title,
                "kind": r.kind, "classification": r.classification, "archive": r.archive})
        return bytes(stylesheet("pieces.xsl")(etree.ElementTree(root)))


#: How :func:`entry_pages` runs a function over tasks (in worker processes when there
#: are enough: :meth:`.build.Build.read`), the results in order.
Run = Callable[[Callable, list], Iterator]


class Searches(Protocol):
    """The search part (:class:`.summary.Summary`) of each document, by its place in
    reading order (``searches(k)``), then :meth:`close`: plain data, handed to the worker
    process that writes the search index (:func:`make_search_index`)."""

    def __call__(self, k: int) -> dict: ...

    def close(self) -> None: ...


def search_index(plan: Plan, searches: Searches, target: Path, run: Run = map
                 ) -> Iterator[str]:
    """The search index written to the file ``target`` by ``run``
    (:func:`make_search_index`): in a worker process, while this one makes the other
    files (:func:`edition_files`), for it is the largest of them and a document's passages
    are read again for it from the summaries.  Its one result is ``target``, as a string."""
    target.parent.mkdir(parents=True, exist_ok=True)
    entities = [(e.id, e.name, e.type)
                for e in sorted(plan.known.values(), key=lambda e: e.sort_key)]
    return run(make_search_index, [(plan.rows.path, entities, searches, str(target))])


def make_search_index(task: tuple[str, list[tuple[str, str, str]], Searches, str]) -> str:
    """Worker: the search index (:class:`.search.IndexWriter`) of the documents whose rows
    are in the file ``task[0]`` (:class:`Rows`) and the register entries ``task[1]``, from
    the documents' search parts ``task[2]``, written to the file ``task[3]``."""
    rows, entities, searches, target = task
    documents = [[f"documents/{r.name}.html", r.title, r.date_text or "", r.date_when or ""]
                 for r in read_rows(rows)]
    try:
        with open(target, "wb") as out:
            index = IndexWriter(out, documents, entities)
            for k in range(len(documents)):
                search = searches(k)
                index.add(k, search["passages"], search["words"])
            index.close()
    finally:
        searches.close()
    return target


def entry_pages(plan: Plan, options: Options, wanted: Iterable[str],
                located: Callable[[int], tuple[str, int]], work: Path, run: Run = map
                ) -> Iterator[tuple[str, Path, str, str]]:
    """The entries' pages named ``wanted`` (of :meth:`Plan.keys`), written in the folder
    ``work`` (with the SHA-256 and SHA-512 of each): one per entry, hundreds, a stylesheet run each, handed to ``run``
    (:func:`make_entry_page`) now, so that worker processes make them while this process
    makes the other files (:func:`edition_files`); they come as they are iterated.

    ``located(k)``: the file in which the lists of occurrences of the ``k``-th document in
    reading order are kept (its summary's ``lists``, :mod:`.summary`), and where in it they
    begin: each list is copied from there into the pages, not read and written again.
    """
    wanted = set(wanted)
    entries = [e for e in plan.linked() if entry_page(e.type, e.id) in wanted]
    if not entries:
        return iter(())
    spans = _Spans(located)
    tasks, rels = [], []
    for entry in entries:
        rels.append(rel := entry_page(entry.type, entry.id))
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        tasks.append((etree.tostring(plan.summary("entry", options, entry)),
                      params(options, page="entry"), [spans(plan.counts[entry.id][3])],
                      str(work / rel)))
    return ((rel, Path(target), sha, sha512)
            for rel, (target, sha, sha512) in zip(rels, run(make_entry_page, tasks)))


def edition_files(plan: Plan, options: Options, wanted: Iterable[str],
                  located: Callable[[int], tuple[str, int]], work: Path
                  ) -> Iterator[tuple[str, bytes | Path]]:
    """The edition's files named ``wanted`` (of :meth:`Plan.keys`) but the search index
    (:func:`search_index`) and the entries' pages (:func:`entry_pages`): small ones as
    bytes, the home page and the pages of proposed names as files written in the folder
    ``work`` (``located``: as for :func:`entry_pages`, asked only when a page of proposed
    names is made)."""
    wanted = set(wanted)
    if PAGES["home"] in wanted:
        work.mkdir(parents=True, exist_ok=True)
        _home_page(plan, options, work / PAGES["home"])
        yield PAGES["home"], work / PAGES["home"]
    if PAGES["search"] in wanted:
        yield PAGES["search"], plan.page("search", options)
    for name in STATIC_FILES:
        if f"assets/{name}" in wanted:
            yield f"assets/{name}", (STATIC_DIR / name).read_bytes()
    for page, name in REGISTER_PAGES.items():
        if name in wanted:
            yield name, plan.page(page, options)
    proposed = [page for page, name in PROPOSED_PAGES.items() if name in wanted]
    if proposed:
        spans = _Spans(located)
        work.mkdir(parents=True, exist_ok=True)
    for page in proposed:
        target = work / PROPOSED_PAGES[page]
        _with_occurrences(plan.page(PROPOSED_PAGES[page], options),
                          [spans(plan.proposed[k][4]) for k in plan.named(page)], target)
        yield PROPOSED_PAGES[page], target


#: Where the lists of occurrences of one name are (:class:`_Spans`): the files, and for
#: each list three numbers, the file's place among them, the offset and the size (an
#: array, not a tuple a list: an entry named in thousands of documents has thousands).
Spans = tuple[list[str], array]


class _Spans:
    """Where the lists of occurrences of a name are (:attr:`Plan.counts`), as
    :data:`Spans` for :func:`_with_occurrences`; ``located(k)``: where the lists of the
    ``k``-th document begin, asked once for each document."""

    def __init__(self, located: Callable[[int], tuple[str, int]]):
        self.located = located
        self.starts: dict[int, tuple[str, int]] = {}
        self.files: dict[str, str] = {}  # one string per file: pickled once per task

    def __call__(self, found: array) -> Spans:
        files: dict[str, int] = {}
        where = array("Q")
        for j in range(0, len(found), 3):
            k = found[j]
            start = self.starts.get(k)
            if start is None:
                path, offset = self.located(k)
                start = self.starts[k] = (self.files.setdefault(path, path), offset)
            where.extend((files.setdefault(start[0], len(files)), start[1] + found[j + 1],
                          found[j + 2]))
        return list(files), where


def _home_page(plan: Plan, options: Options, target: Path) -> None:
    """The home page: its skeleton, with the rows of its table made a few at a time."""
    head, tail = plan.page("home", options).split(_TABLE)
    with open(target, "wb") as out:
        out.write(head + b"<tbody>")
        rows = iter(plan.rows)
        for start in range(0, len(plan.rows), ROWS):
            out.write(plan.table(start, itertools.islice(rows, ROWS)).rstrip(b"\n"))
        out.write(b"</tbody>" + tail)


def make_entry_page(task: tuple[bytes, dict[str, str], list[Spans], str]
                    ) -> tuple[str, str, str]:
    """Worker: an entry's page written to the file ``task[3]``: ``collection.xsl`` on the
    edition summary ``task[0]`` (:meth:`Plan.summary`, as XML) with the parameters
    ``task[1]``, its occurrences copied in from where ``task[2]`` says
    (:func:`_with_occurrences`).  Its file and the SHA-256 and SHA-512 of its bytes (the
    record's and the deposit's, made here, in parallel, rather than by the main process
    or the deposit reading the pages again)."""
    summary, values, spans, target = task
    tree = etree.ElementTree(etree.fromstring(summary, safe_parser()))
    skeleton = html_page(stylesheet("collection.xsl")(
        tree, **{k: etree.XSLT.strparam(v) for k, v in values.items()}))
    return target, *_with_occurrences(skeleton, spans, Path(target))


#: Bytes of a page gathered before they are written (:func:`_with_occurrences`).
PIECE = 1 << 20


def _with_occurrences(skeleton: bytes, spans: list[Spans], target: Path) -> tuple[str, str]:
    """An entry's page, or a page of proposed names: its skeleton, with the occurrences of
    each of its names (``spans``: for each, where its lists are) copied in where the
    skeleton leaves room, written a megabyte at a time (the page of the names of
    organizations proposed in 10,000 documents is 15 MB); the SHA-256 and SHA-512 of what
    was written."""
    pieces = skeleton.split(_ROOM)
    if len(pieces) != len(spans) + 1:  # the skeleton has one list per name, no more
        raise AssertionError(f"{target.name}: {len(pieces) - 1} lists for {len(spans)} names")
    # each list read with one pread, not a seek and a buffered read: that reads (and
    # copies) a buffer's worth for a list of a few hundred bytes, tens of thousands of times
    fds: dict[str, int] = {}
    digest, long = hashlib.sha256(), hashlib.sha512()
    with open(target, "wb") as out:
        parts, size = [pieces[0]], len(pieces[0])
        try:
            for (files, where), piece in zip(spans, pieces[1:]):
                parts.append(OCCURRENCES)
                for j in range(0, len(where), 3):
                    path = files[where[j]]
                    fd = fds.get(path)
                    if fd is None:
                        fd = fds[path] = os.open(path, os.O_RDONLY)
                    parts.append(os.pread(fd, where[j + 2], where[j + 1]))
                    size += where[j + 2]
                parts.append(b"</ul>")
                parts.append(piece)
                size += len(piece)
                if size >= PIECE:
                    data = b"".join(parts)
                    out.write(data)
                    digest.update(data)
                    long.update(data)
                    parts, size = [], 0
        finally:
            for fd in fds.values():
                os.close(fd)
        data = b"".join(parts)
        out.write(data)
        digest.update(data)
        long.update(data)
    return digest.hexdigest(), long.hexdigest()


__all__ = ["PAGES", "Plan", "Row", "Rows", "Run", "SEARCH_INDEX", "Searches", "edition_files",
           "entry_pages", "make_entry_page", "make_search_index", "search_index"]
