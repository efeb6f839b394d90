"""Building an edition folder fast: each document's work in worker processes, and only the
work whose inputs changed.

An export makes two kinds of files: a document's own files (its page and downloads; in the
plain-text edition, its text) and the edition's files, which list every document (the home
page, the registers and the search index; ``corpus.txt`` and ``corpus.tsv``).

1. Each TEI file whose content is not the one the build record remembers
   (:mod:`pipeline.incremental`) is read, in a worker process, into a *summary* (what the
   edition's files need of it, :mod:`.summary`) and the files that depend on it alone.  The
   summary is kept in the cache folder, many to a file (:mod:`.packs`); the record says
   where, with the content it was made from.
2. Reading order and neighbours come from the record (id, title, date of each document),
   without reading the files again.
3. A document's page (which also names its neighbours and the edition's title) is made
   again, in a worker, when any of these changed, or when its file is no longer what was
   written; the worker puts it in place itself.  A page does not say how many documents
   the edition has, or where in it the document is: then a document added or removed
   would make every page again, not two.
4. The edition's files are planned from the summaries' small ``meta`` parts
   (:mod:`.edition`); each is made again only when a digest of what it shows changed, from
   the summaries read back one at a time (a changed word in one document: its own files,
   the search index, and a register page when the word is near a name).

One pool of worker processes serves every phase of a run, and both editions when
``--text-output`` makes them together: a phase's tasks queue behind the last one's.  Once
the files are read, the documents' pages are handed to the workers at once (most need
nothing of the plan, step 4), then the search index and the entries' pages, while this
process plans the edition and makes its other files and the plain-text edition; it waits
for the workers only then, and what it does after them is only recording what they made
(they look at and hash the files they make themselves).  Traced on 3,000 documents from
nothing, the cores left idle were: both workers, a quarter of a second between the
reading and the pages (waiting for the plan), and one core for 0.4 s at the end (the
plain-text edition, the record); now 0.07 s and 0.13 s.

Asked for the review of names too (``--review-output``), the workers that read a file find
its names to review in the tree they parsed (:func:`pipeline.entities.review.mentions`) and
the run gives them back (:attr:`Result.names`), for :func:`pipeline.entities.review.collect`
to gather with those of the files not read (from the review's own build record): the review
then reads and parses no file the export read.

With nothing changed an export looks at the files' times and writes nothing.  Memory: the
documents are read one at a time, in the workers; the main process keeps a row and a few
digests per document, and writes the large files (registers, search index, the table of
documents, ``corpus.txt``) as it makes them, so that memory does not grow with the edition
beyond those rows.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import marshal
import os
import pickle
import shutil
import struct
import tempfile
import time
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, MutableMapping, Sequence

from .. import incremental, workers
from ..assets import cache_dir
from ..gc_guard import collector_paused
from ..deposit import facts_store
from ..diagnostics import Diagnostic, Severity, error
from ..record_store import RecordStore
from ..tei.read import parse
from . import edition, html, html_pieces, packs, text
from .given import Given
from .output import KEEP, Placed, Written, listed, placed, write_files
from .register import Entry
from .sources import find_tei, in_order, read, sort_key
from .summary import SUMMARY_VERSION, summarize

EDITION = "\0edition"  # the record's entry for the edition's files
PARALLEL_FROM = 8  # documents before worker processes pay for themselves
WORK_PREFIX = ".teipipe-work-"  # + the process id: an export's work folder in its output

#: How a run reports progress: ``start(what, total)`` for each phase, then ``advance()``.
Progress = tuple[Callable[[str, int], None], Callable[[], None]]


@dataclass(frozen=True, slots=True)
class Doc:
    """A document as the record remembers it: enough to order the edition, to name it as a
    neighbour and to tell whether its files are up to date.  (Slots: an edition holds one
    per document, its ``path`` the one :func:`.sources.find_tei` found, not a copy.)"""

    path: Path
    name: str
    id: str
    title: str
    when: str | None
    sha: str

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return sort_key(self.when, self.title, self.name)


@dataclass
class Result:
    """What an export did: the documents in the edition, what was written, the problems."""

    documents: int = 0
    written: Written | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: With the review asked for: the names to review of each file read (by path), with
    #: the file's state as read, kept on disk as they come
    #: (:class:`pipeline.entities.review.Found`); else None.
    names: MutableMapping[str, tuple[incremental.FileState, list]] | None = None


class Workers:
    """The worker processes of one run, started when first asked for and shared by all its
    phases and both editions (reading, pages, the search index, the entries' pages): one
    pool, not one per phase, so that a phase's tasks queue behind the last one's and no
    core waits for a pool to end and the next to start."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None

    def get(self, tasks: int) -> ProcessPoolExecutor:
        """The pool; when it is made, of no more processes than the ``tasks`` it is made
        for (all are started at once)."""
        if self.pool is None:
            self.pool = workers.pool(max(1, min(self.jobs, tasks)))
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


class Build:
    """One export into one folder: its record, its cache of summaries, its workers."""

    def __init__(self, stage: str, out_dir: Path, settings: dict, record: Path | None,
                 jobs: int = 1, rebuild: bool = False, progress: Progress | None = None,
                 force: bool = False, workers: Workers | None = None):
        self.out_dir = out_dir
        self.force = force  # files teipipe did not write may be replaced
        self.listed = listed(out_dir)  # the files it wrote there before
        self.jobs = jobs or os.cpu_count() or 1
        self.workers = workers or Workers(self.jobs)
        self.rebuild = rebuild
        self.progress = progress
        digest = incremental.settings_digest(stage, settings)
        self.record = RecordStore(record, digest)
        self.cache = cache_dir() / "export" / stage / digest[:16] if record else None
        self.started = time.time_ns()
        # the outputs given (:meth:`give`): their entries, SHA-256, times when a worker
        # placed them and looked at them (as they come, while the workers make the rest,
        # not in a serial tail after them), SHA-512 for the deposit; on disk
        self.given = Given()
        self.packs: dict[str, bool] = {}  # the packs of summaries looked for (:mod:`.packs`)
        # the packs of this record's summaries are named after it
        self.pack_prefix = hashlib.sha256(str(record).encode("utf-8")).hexdigest()[:16]

    # ------------------------------------------------------------------ inputs

    def partition(self, files: Sequence[Path], kind: str) -> tuple[dict[str, Doc],
                                                                    list[Path]]:
        """The documents whose TEI file is the one remembered (by path) and whose summary
        (of ``kind``, in a pack: :mod:`.packs`) is in the cache, and the others."""
        fresh: dict[str, Doc] = {}
        stale: list[Path] = []
        for path in files:
            entry = None if self.rebuild else self.record.get(str(path))
            state = incremental.state(path, entry["source"], self.started) if entry else None
            if entry is None or state is None or state.sha256 != entry["source"].sha256 or \
                    self.cache is None or not packs.present(
                        self.cache, entry.get("pack" if kind == "text" else "summary"),
                        self.packs):
                stale.append(path)
                continue
            if state != entry["source"]:
                self.record.put(str(path), dict(entry, source=state))
            fresh[str(path)] = Doc(path, path.stem, entry["id"], entry["title"], entry["when"],
                                   state.sha256)
        return fresh, stale

    def remember(self, doc: Doc, state: incremental.FileState, **more) -> None:
        """Keep a document's entry (by path; its summary was kept by the worker)."""
        self.record.put(str(doc.path), {"source": state, "id": doc.id, "title": doc.title,
                                        "when": doc.when, "files": {}, **more})

    def read(self, fn: Callable, tasks: Sequence, what: str | None,
             ahead: int | None = None) -> Iterator:
        """``fn`` over ``tasks``, in order, in worker processes when there are enough;
        reported as the phase ``what`` (None: not reported, work done while a phase is).

        The tasks are handed to the workers at once, not when the first result is asked
        for: meanwhile the caller can do work of its own.  With ``ahead``, for a caller
        that takes the results as they come, only that many chunks of them are handed
        over and not taken yet: the results a worker makes faster than the caller takes
        them are not held (a file read gives its text, its files and its facts: reading
        10,000 documents, thousands waited), nor the tasks not handed over (``tasks``
        may make them when sliced: :class:`Tasks`).  Fewer tasks than
        :data:`PARALLEL_FROM` are run here, when they are asked for, unless the workers
        are running already.
        """
        progress = self.progress if what is not None else None
        if progress and tasks:
            progress[0](what, len(tasks))
        fn = functools.partial(_paused, fn)
        if self.jobs <= 1 or (len(tasks) < PARALLEL_FROM and self.workers.pool is None):
            return self._reported(map(fn, tasks), progress)
        pool = self.workers.get(len(tasks))
        return self._reported(_results(
            lambda start, stop: pool.submit(_chunk, fn, tasks[start:stop]),
            chunks(len(tasks), self.jobs), ahead and ahead * self.jobs), progress)

    @staticmethod
    def _reported(results: Iterator, progress: Progress | None) -> Iterator:
        try:
            for result in results:
                if progress:
                    progress[1]()
                yield result
        finally:  # the tasks not begun yet are dropped (the workers' map cancels them)
            close = getattr(results, "close", None)
            if close is not None:
                close()

    # ------------------------------------------------------------------ outputs

    def intact(self, key: str, rel: str) -> bool:
        """Whether the output ``rel`` recorded under entry ``key`` is still what was written
        (by its times but the change time, which a deposit's links to it change: an output
        is only ever replaced by a new file, see :func:`.output.place`)."""
        recorded = (self.record.get(key) or {}).get("files", {}).get(rel)
        if recorded is None:
            return False
        now = incremental.state(self.out_dir / rel, recorded, self.started, ctime=False)
        return now is not None and now.sha256 == recorded.sha256

    def give(self, key: str, rel: str, data: bytes | Path | Placed, sha: str | None = None,
             sha512: str | None = None) -> tuple[str, bytes | Path | Placed]:
        """An output file of entry ``key``, to be written (its state is recorded after);
        ``data`` its bytes, or a file that holds them (``sha``, ``sha512``: their SHA-256 and
        SHA-512, when the worker that wrote it said), or what a worker did with it.  Bytes
        in hand, and a file read for its SHA-256, have their SHA-512 taken too, for the
        deposit (:func:`.facts_store.keep_placed`), which read them again for it."""
        stat = None
        if isinstance(data, Placed):
            sha, stat, sha512 = data.sha256, data.stat, data.sha512
        elif sha is None and isinstance(data, Path):
            with open(data, "rb") as handle:
                sha, sha512 = _digests(handle)
        elif isinstance(data, bytes):
            sha = sha or hashlib.sha256(data).hexdigest()
            sha512 = sha512 or hashlib.sha512(data).hexdigest()
        self.given.add(rel, key, sha, stat, sha512)  # (given twice: the last counts)
        return rel, data

    def write(self, files: Iterable[tuple[str, bytes | Path | Placed | None]],
              *read: Result) -> Written:
        """Write the files; record the state of each file written; save the record.  The
        files of an earlier run that are not made again are removed only when every input
        was read: when one of the ``read`` outcomes (complete once ``files`` are made)
        has an error, they are left in place (:func:`.output.write_files`)."""
        done = write_files(self.out_dir, files, self.force, lambda: not any(
            d.severity == Severity.ERROR for outcome in read for d in outcome.diagnostics),
            self.listed)
        for rel in done.refused:  # not made: what it belongs to is made again next time
            key = self.given.key(rel)
            if key is not None:
                self.record.drop(key)
        observed = self._observed(done.refused)
        if self.cache is not None:  # (an export that keeps a record): for the deposit,
            facts_store.keep_placed(str(self.out_dir), observed)  # kept as they come
        else:
            for _file in observed:
                pass
        self.given.close()
        self.record.save()
        return done

    def _observed(self, refused: set[str]) -> Iterator[tuple[str, incremental.FileState,
                                                              str | None]]:
        """The state of each file given (:meth:`give`) whose entry is still in the record,
        kept in the record, an entry at a time (a file written here is looked at now: a
        worker looked at what it placed); as (rel, state, SHA-512) for those not
        ``refused``."""
        for key, files in self.given.by_key():
            entry = self.record.get(key)
            if entry is None:
                continue
            states: dict[str, incremental.FileState] = {}
            for rel, sha, stat, sha512 in files:
                if stat is None:
                    try:
                        st = os.stat(self.out_dir / rel)
                    except OSError:
                        continue
                    stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                states[rel] = incremental.FileState(sha, *stat)
                if rel not in refused:
                    yield rel, states[rel], sha512
            if states:
                self.record.put(key, dict(entry, files={**entry.get("files", {}), **states}))


def chunks(tasks: int, jobs: int, most: int = 32) -> Iterator[tuple[int, int]]:
    """The chunks (start, stop) in which ``tasks`` tasks are handed to ``jobs`` workers:
    each an eighth of what is left per worker, at most ``most`` (a chunk is one hand-over
    to a worker and back), so that the last are of one task: with chunks of one size, a
    worker that ended its last chunk waited, idle, for the other's, at the end of each
    phase (up to a chunk's time, a sixth of a second when reading)."""
    start = 0
    while start < tasks:
        stop = start + max(1, min(most, (tasks - start) // (jobs * 8)))
        yield start, stop
        start = stop


class Tasks(Sequence):
    """The tasks ``make(item)`` of ``items``, made when they are asked for (:meth:`Build.read`
    with ``ahead`` hands them over a chunk at a time): not a list of them all at once,
    a few hundred bytes each."""

    def __init__(self, make: Callable, items: Sequence):
        self.make = make
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, k):  # (a slice: a list of tasks; an index: one)
        if isinstance(k, slice):
            return [self.make(item) for item in self.items[k]]
        return self.make(self.items[k])


#: Chunks per worker handed over and not taken yet, for the callers that take the results
#: as they come (:meth:`Build.read`): enough that a worker does not wait for the next.
AHEAD = 4


def _chunk(fn: Callable, tasks: list) -> list:
    """Worker: ``fn`` of each of ``tasks``."""
    return [fn(task) for task in tasks]


def _results(submit: Callable[[int, int], Future], bounds: Iterator[tuple[int, int]],
             ahead: int | None) -> Iterator:
    """The results of the chunks ``bounds`` (:func:`chunks`) in order, each chunk handed
    over by ``submit`` and let go once it is given; ``ahead``: how many chunks are handed
    over and not given yet, at most (None: all at once).  The first are handed over now,
    not when the first result is asked for (this is no generator): the caller works
    meanwhile (a generator handed nothing over until then, and the workers waited, idle,
    for the plan, the edition's files, the plain-text edition and the review of names: 3-4
    s at 10,000 documents).  The futures not begun are cancelled when the caller stops."""
    return _given(deque(submit(*b) for b in itertools.islice(bounds, ahead)), submit, bounds)


def _given(futures: deque[Future], submit: Callable[[int, int], Future],
           bounds: Iterator[tuple[int, int]]) -> Iterator:
    """The results of ``futures`` (:func:`_results`), handing over a chunk more of
    ``bounds`` for each chunk given."""
    try:
        while futures:
            done = futures.popleft().result()
            futures.extend(submit(*b) for b in itertools.islice(bounds, 1))
            yield from done
    finally:
        for future in futures:
            future.cancel()


def _paused(fn: Callable, task):
    """``fn(task)`` with the cyclic garbage collector held off
    (:func:`pipeline.gc_guard.collector_paused`): a document's tree, summary and page are
    thousands of objects, all alive until the task ends and then freed by their reference
    counts; the collector, counting allocations, would walk them again and again meanwhile
    (2-3 % of an export's time)."""
    with collector_paused():
        return fn(task)


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def _digests(handle: IO[bytes]) -> tuple[str, str]:
    """The SHA-256 and SHA-512 of a file's bytes, read once into one buffer (as
    :func:`hashlib.file_digest` does: a search index of tens of megabytes is not held)."""
    short, long = hashlib.sha256(), hashlib.sha512()
    buffer = bytearray(1 << 18)
    view = memoryview(buffer)
    while n := handle.readinto(buffer):
        short.update(view[:n])
        long.update(view[:n])
    return short.hexdigest(), long.hexdigest()


def _read(path: Path):
    """The source (or why not) and the state of its file as it was read."""
    seen = time.time_ns()
    try:
        st = os.stat(path)
    except OSError:
        st = None
    source, problems = read(path)
    state = incremental.state_of(source.data, st, seen) if source and st else None
    return source, problems, state


def _names(located: tuple[str, list[text.Located]] | None) -> list | None:
    """Worker: the names the review lists of a file read, from the text and names of its
    document (:func:`.text.located_names`: read already, its tree need not be walked again
    for them, :func:`pipeline.entities.review.mentions_in`); None when not wanted (no
    ``located``)."""
    if located is None:
        return None
    from ..entities.review import mentions_in  # (the export alone does without it)
    return mentions_in(*located)


def _found() -> MutableMapping[str, tuple[incremental.FileState, list]]:
    """Where the names to review of the files read go (:attr:`Result.names`): on disk,
    as they come (not held here)."""
    from ..entities.review import Found  # (the export alone does without it)
    return Found()


def _ordered(fresh: dict[str, Doc], read_now: list[Doc], outcome: Result,
             paths: Sequence[Path]) -> list[Doc]:
    """The edition's documents in reading order: those remembered and those just read; the
    problems of order (E403) or of no document (E408)."""
    ordered, found = in_order([*fresh.values(), *read_now])
    outcome.diagnostics.extend(found)
    outcome.documents = len(ordered)
    if not ordered:
        outcome.diagnostics.append(error(
            "E408", "no TEI file to export", file=", ".join(map(str, paths)) or "tei",
            hint="name TEI files or folders of .xml files"))
    return ordered


# ----------------------------------------------------------------------------- HTML


def _read_html(args: tuple[str, html.Options, str, Where, TextTask | None, str, bool]):
    """Worker: a TEI file into its summary and its page but for the links to its
    neighbours (:func:`.html_pieces.splice`), kept together in a pack in the folder
    ``args[2]`` (:func:`_pack`; where: the last of what it gives); its downloads (TEI
    file, plain text); from one parse.  ``args[3]``: the output folder and, for each
    download, whether a file there may be replaced: the worker puts them in place itself
    (:func:`.output.place`).  ``args[4]``: when the plain-text
    edition is made in the same run, what it needs of this file (as :func:`_read_text`
    makes it, from the same parse), else None.  ``args[5]``: the prefix of the packs of the
    build record (:attr:`Build.pack_prefix`).  ``args[6]``: whether to find its names to
    review too (:func:`_names`: the last but one of what it gives).  Last comes what a
    deposit needs of the file (:func:`.deposit.facts_store.entry`), which it then need not
    read again."""
    path, options, cache = Path(args[0]), args[1], Path(args[2])
    source, problems, state = _read(path)
    if source is None or state is None:
        return str(path), None, None, problems, [], None if args[4] is None else \
            (str(path), None, None, [], [], None, None), None, False, None, None
    # the document's text and names: for its names to review and its row of corpus.tsv
    located = text.located_names(source.doc.body) if args[6] or args[4] is not None \
        else None
    names = _names(located if args[6] else None)
    units = text.layout(source.doc.body)  # (laid out for the download and corpus.txt)
    download = text.document_text(source.doc, options.width, units=units).encode()
    own = _put([(f"tei/{source.name}.xml", source.data, state.sha256),  # (hashed once)
                (f"text/{source.name}.txt", download, None)], args[3])
    plain = None
    if args[4] is not None:
        width, diplomatic = args[4][0], args[4][1]
        same = width == options.width and not diplomatic  # then it is the download
        like = sha = None  # the download, when it is in place: the text edition's file
        if same and args[3] is not None and isinstance(own[1][1], Placed) and \
                own[1][1].outcome in ("written", "unchanged"):  # links it
            like, sha = Path(args[3][0]) / own[1][0], own[1][1].sha256
        row, own_text, part = _text_of(source, state, args[4], download if same else None,
                                       like, sha, units, None if located is None
                                       else located[0])
        plain = (str(path), state, row, [], own_text, part, None)  # (names: given above)
    summary = summarize(source)
    meta = summary.meta
    page = b""  # none when its page shows entries of the register it lacks (Plan.extra)
    if not meta["uncarried"]:
        page = html.early_page(source.tree, source.name, options, dict(meta["entries"]),
                               summary.elements)
    lists = b"".join([*(data for _ref, data in summary.lists["linked"]),
                      *(data for _type, _key, data in summary.lists["proposed"])])
    parts = [marshal.dumps(meta), marshal.dumps(summary.search), lists]
    where = _pack(cache, args[5]).add(_SIZES.pack(*map(len, parts), len(page))
                                      + b"".join(parts) + page)
    return str(path), state, (meta["name"], meta["id"], meta["title"], meta["date_when"]), \
        problems, own, plain, where, bool(meta["uncarried"]), names, \
        facts_store.entry(str(path), source.data, state, source.doc, source.tree.getroot())


#: The pack this process puts the HTML summaries it makes in (:func:`_pack`).
_PACKED: list[packs.Writer] = []


def _pack(cache: Path, prefix: str) -> packs.Writer:
    """Worker: the pack of the summaries this process makes in ``cache`` (one per process
    and folder: a worker's summaries go into one file, not one file each), for the build
    record of ``prefix``."""
    if _PACKED and (_PACKED[0].folder != cache or _PACKED[0].prefix != prefix or
                    _PACKED[0].pid != os.getpid()):
        _PACKED.pop().close()
    if not _PACKED:
        _PACKED.append(packs.Writer(cache, prefix, unbuffered=True))
    return _PACKED[0]


def _packed_done() -> None:
    """The pack of this process complete: a later run starts its own."""
    if _PACKED:
        _PACKED.pop().close()


#: Where a worker puts a document's own files: the output folder and, for each file,
#: whether a file there may be replaced (None: the main process writes them).
Where = tuple[str, dict[str, bool]] | None


def _put(files: list[tuple[str, bytes, str | None]], where: Where, like: Path | None = None
         ) -> list[tuple[str, bytes | Placed]]:
    """Worker: a document's own files (path, bytes, their SHA-256 when it is known already)
    put in place here (:func:`.output.placed`), not passed through the main process, when
    ``where`` says where; ``like``: a file that holds the bytes of the (one) file, to link
    (:func:`.output.place`)."""
    if where is None:
        return [(rel, data) for rel, data, _sha in files]
    out_dir, replace = Path(where[0]), where[1]
    return [(rel, placed(out_dir, rel, data, replace[rel], like, sha))
            for rel, data, sha in files]


def _placing(build: Build, stale: list[Path], fresh: dict[str, Doc],
             own: Callable[[str], tuple[str, ...]]) -> Callable[[Path], Where]:
    """Where a worker puts the own files (``own(name)``) of each file it reads: not when
    another file has its name (one of them is left out, E403; the main process writes
    them, in order).  Only the names of more than one file are kept, not a count of each
    name (one per document)."""
    shared = {name for name, count in Counter(
        p.stem for p in (*stale, *(d.path for d in fresh.values()))).items() if count > 1}

    out_dir = str(build.out_dir)

    def where(path: Path) -> Where:
        if path.stem in shared:
            return None
        return out_dir, {rel: build.force or rel in build.listed
                                    for rel in own(path.stem)}
    return where


def _render_page(args: tuple[str, str, html.Neighbours, html.Options, list[str], str, str,
                             bool, str, packs.Where]) -> bytes:
    """Worker: a document's page, put in place here (:func:`.output.place`): pages are
    the bulk of the edition, and need not pass through the main process.  The page made
    when its file was read, kept with its summary (in the folder ``args[8]``, where
    ``args[9]`` says), gets its neighbours (``args[2]``) here; when there is none, it is
    made now.  (Its parameters are made here, not handed over: the tasks of every page
    wait for the workers at once, a kilobyte each.)  What became of it comes back packed
    (:meth:`.output.Placed.packed`): the results wait while the main process makes the
    edition's other files."""
    path, name, around, options, extra, out_dir, rel, replace, cache, summary = args
    params = html.around_params(name, options, around)
    data = None
    if not extra:
        early = _early_page(Path(cache), summary)
        data = html_pieces.splice(early, params) if early else None
    if data is None:
        data = html.document_page(parse(Path(path)), params, extra)
    return placed(Path(out_dir), rel, data, replace).packed()  # (:func:`_pages` unpacks)


def _downloads(path: Path, name: str, width: int) -> list[tuple[str, bytes]]:
    source, _problems = read(path)
    if source is None:
        return []
    return [(f"tei/{name}.xml", source.data),
            (f"text/{name}.txt", text.document_text(source.doc, width).encode("utf-8"))]


def export_html(paths: Sequence[Path], out_dir: Path, options: html.Options,
                register: tuple[dict[str, Entry], str] = ({}, ""), force: bool = False,
                jobs: int = 1, record: Path | None = None, rebuild: bool = False,
                progress: Progress | None = None, review: bool = False) -> Result:
    """The HTML edition of the TEI files ``paths`` in ``out_dir`` (see the module docstring).

    ``register``: the register's entries and a digest of its file; ``record``: the build
    record's path (None: make everything, remember nothing); ``review``: find the names to
    review of the files read too (:attr:`Result.names`).
    """
    return export_editions(paths, out_dir, options, register, None, force, jobs, record,
                           rebuild, progress, review)[0]


@dataclass(frozen=True)
class TextEdition:
    """The plain-text edition, when it is made in the same run as the HTML edition: where,
    how (as :func:`export_text` takes them) and its build record."""

    out_dir: Path
    width: int = text.WIDTH
    diplomatic: bool = False
    record: Path | None = None


def export_editions(paths: Sequence[Path], out_dir: Path, options: html.Options,
                    register: tuple[dict[str, Entry], str], plain: TextEdition | None,
                    force: bool = False, jobs: int = 1, record: Path | None = None,
                    rebuild: bool = False, progress: Progress | None = None,
                    review: bool = False,
                    read_all: Callable[[Result], None] = lambda outcome: None
                    ) -> tuple[Result, Result | None]:
    """The HTML edition (as :func:`export_html`) and, with ``plain``, the plain-text edition
    (as :func:`export_text` makes it, file for file, with its own record) from one reading
    of each TEI file: a file that either edition must read again is read once, for both.
    A file's problems are reported with the HTML edition's; so are, with ``review``, the
    names to review of the files either read (:attr:`Result.names`).

    ``read_all(outcome)`` is called once every file either edition reads is read (its
    names to review, with ``review``, are all in ``outcome.names``), while the workers
    make the last pages: what the caller makes of them (`make all`'s review of names) is
    then no serial work after the workers (not called when there is no document)."""
    outcome = Result(names=_found() if review else None)
    files, problems = find_tei(paths or (Path("tei"),))
    outcome.diagnostics.extend(problems)
    entries, register_digest = register
    build = Build("export-html", out_dir, {"options": asdict(options),
                                           "summary": [SUMMARY_VERSION, marshal.version]},
                  record, jobs, rebuild, progress, force)
    with contextlib.ExitStack() as stack:
        stack.callback(build.record.close)
        stack.callback(build.given.close)  # (closed by its write: here, when that is not reached)
        work = stack.enter_context(_workspace(build, out_dir))
        stack.callback(build.workers.close)
        fresh, stale = build.partition(files, "html")
        # for each file read: what it is to give the plain-text edition (None: nothing)
        text_task: Callable[[Path], TextTask | None] = lambda path: None
        given = Handed()  # what the files read for both editions gave the plain-text one
        text_pack = None  # where what they gave for corpus.txt and .tsv is kept meanwhile
        if plain is not None:
            text_build = Build("export-text", plain.out_dir, _text_settings(plain.width,
                                                                            plain.diplomatic),
                               plain.record, jobs, rebuild, progress, force, build.workers)
            stack.callback(text_build.record.close)
            stack.callback(text_build.given.close)
            text_work = stack.enter_context(_workspace(text_build, plain.out_dir))
            stack.callback(build.workers.close)  # (ended before either work folder goes)
            text_fresh, text_stale = text_build.partition(files, "text")
            placing = _placing(text_build, text_stale, text_fresh, lambda name: (f"{name}.txt",))
            # a file read here whose text is not fresh is read for both editions
            width, diplomatic = plain.width, plain.diplomatic
            text_task = lambda path: None if str(path) in text_fresh else (
                width, diplomatic, placing(path))
            given = Handed(lambda key: key not in fresh)
            stack.callback(given.close)
            text_pack = packs.Writer(text_build.cache, text_build.pack_prefix)
            stack.callback(text_pack.close)
        text_outcome: Result | None = None

        def texts() -> None:
            """The plain-text edition, made once the files are read: while the workers
            make the HTML edition's last pages (:func:`_site`), or after."""
            nonlocal text_outcome
            if plain is None or text_outcome is not None or text_pack is None:
                return
            text_pack.close()
            text_outcome = Result(names=outcome.names)  # (one dict: either edition's reads)
            text_outcome.written = text_build.write(_texts(
                text_build, text_fresh, text_stale, plain.width, plain.diplomatic,
                text_outcome, paths, text_work, given), outcome, text_outcome)
            text_outcome.diagnostics.extend(text_outcome.written.problems)

        def meanwhile() -> None:
            texts()  # (may read files the HTML edition did not: their names too)
            read_all(outcome)

        # for the deposit (:mod:`.deposit.facts_store`): kept as they come, not held (and
        # let go of when the run stops early: its transaction, rolled back, is no lock left)
        told = stack.enter_context(facts_store.Keeper(facts_store.store_path()))
        outcome.written = build.write(_site(build, fresh, stale, options, entries,
                                            register_digest, outcome, paths, work,
                                            text_task, given, told, text_pack, meanwhile),
                             outcome)
        outcome.diagnostics.extend(outcome.written.problems)
        texts()
    return outcome, text_outcome


@contextlib.contextmanager
def _workspace(build: Build, out_dir: Path) -> Iterator[Path]:
    """A folder in ``out_dir`` for the edition's large files while they are written (they
    are moved into place from there), removed after (also when the run is interrupted);
    and a cache folder for the summaries when the build has none (no record, or one that
    cannot be written), for this run only.  The folders that runs which were killed left
    behind are removed first."""
    _remove_abandoned(out_dir)
    work = out_dir / f"{WORK_PREFIX}{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="teipipe-export-") as scratch:
        if build.cache is None or not _writable(build.cache):
            build.cache = Path(scratch)
        try:
            yield work
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _remove_abandoned(out_dir: Path) -> None:
    """Remove the work folders of exports into ``out_dir`` whose process is gone (a run
    that was killed cannot clean up after itself); those of running exports stay."""
    try:
        found = list(out_dir.glob(f"{WORK_PREFIX}*"))
    except OSError:
        return
    for folder in found:
        pid = folder.name.removeprefix(WORK_PREFIX)
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # none of that number; no such number
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def _site(build: Build, fresh: dict[str, Doc], stale: list[Path], options: html.Options,
          entries: dict[str, Entry], register_digest: str, outcome: Result,
          paths: Sequence[Path], work: Path,
          text_task: Callable[[Path], TextTask | None], given: Handed,
          told: facts_store.Keeper, text_pack: packs.Writer | None = None,
          meanwhile: Callable[[], None] = lambda: None
          ) -> Iterator[tuple[str, bytes | Path | None]]:
    """Every file of the HTML edition, made or kept (see the module docstring); the files
    read for which ``text_task`` gives a task give their part of the plain-text edition
    too, kept in ``given`` for :func:`_texts`, what corpus.txt and corpus.tsv need of them in
    ``text_pack`` (not in memory: it is as large as the corpus); what the deposit needs of
    them in ``told``, closed once they are all read.  ``meanwhile()`` is
    called once the workers have every page to make, before they are waited for (the
    plain-text edition is made then, by :func:`export_editions`).  The names to review of
    the files read go into ``outcome.names``, when it is a dict."""
    assert build.cache is not None
    cache = build.cache
    read_now: list[Doc] = []
    placing = _placing(build, stale, fresh, lambda name: (f"tei/{name}.xml",
                                                          f"text/{name}.txt"))
    review, folder = outcome.names is not None, str(cache)
    for path, (key, state, row, found, own, plain, where, uncarried, names, facts) in zip(
            stale, build.read(_read_html, Tasks(lambda p: (
                str(p), options, folder, placing(p), text_task(p), build.pack_prefix,
                review), stale), "reading", AHEAD), strict=True):
        outcome.diagnostics.extend(found)
        if facts is not None:
            told.add(*facts)
        if plain is not None:
            part = plain[5]
            given.add((*plain[:5], part if part is None or text_pack is None
                       else text_pack.add(part), None))
        if row is None:
            build.record.drop(key)
            continue
        if names is not None and outcome.names is not None:
            outcome.names[key] = (state, names)
        read_now.append(Doc(path, row[0], row[1], row[2], row[3], state.sha256))
        build.remember(read_now[-1], state, summary=where,
                       **({"uncarried": True} if uncarried else {}))
        for rel, content in own:
            yield build.give(key, rel, content)
    _packed_done()

    def then() -> None:  # the workers have every page to make: the store is kept meanwhile
        told.close(forget_gone=True)
        meanwhile()
    for key, doc in fresh.items():
        kept = [rel for rel in (f"tei/{doc.name}.xml", f"text/{doc.name}.txt")
                if build.intact(key, rel)]
        yield from ((rel, KEEP) for rel in kept)
        if len(kept) < 2:
            yield from (build.give(key, rel, data) for rel, data in
                        _downloads(doc.path, doc.name, options.width) if rel not in kept)
    ordered = _ordered(fresh, read_now, outcome, paths)
    if not ordered:
        return
    recorded = build.record.get(EDITION) or {}
    edition_key = _digest([(d.name, d.sha) for d in ordered], register_digest)
    plan = None
    summaries = packs.Reader(cache)
    if read_now or recorded.get("key") != edition_key or not all(
            build.intact(EDITION, rel) for rel in recorded.get("files", {})):
        # the pages of the documents that carry every entry they name need nothing of the
        # plan (:meth:`.edition.Plan.extra`): the workers make them while it is made
        pages = _pages(build, ordered, options, cache,
                       lambda doc, entry: None if entry.get("uncarried") else [])
        # where each summary is, from the record once (an entry read back is 30 µs)
        wheres = packs.Places(build.record.get(str(doc.path))["summary"] for doc in ordered)
        plan = edition.Plan(entries)
        for k, doc in enumerate(ordered):
            plan.add(str(doc.path), _meta(summaries, wheres[k]))
        problems = plan.problems()
    else:  # the warnings of the edition as it was made: it still has them
        problems = [Diagnostic(code, Severity(severity), *rest)
                    for code, severity, *rest in recorded.get("problems", [])]
    outcome.diagnostics.extend(problems)
    if plan is None:
        summaries.close()
        pages = _pages(build, ordered, options, cache,
                       lambda doc, entry: entry.get("extra", []))
        yield from ((rel, KEEP) for rel in recorded["files"])
        then()
        yield from pages
        _sweep(build)
        return
    extra = plan.extra
    pages = itertools.chain(pages, _pages(
        build, ordered, options, cache,
        lambda doc, entry: extra(doc.name) if entry.get("uncarried") else None, None))
    keys = plan.keys(options, register_digest)
    made = [rel for rel, k in keys.items()
            if recorded.get("keys", {}).get(rel) != k or not build.intact(EDITION, rel)]
    kept = {rel: state for rel, state in recorded.get("files", {}).items()
            if rel in keys and rel not in made}
    build.record.put(EDITION, {"key": edition_key, "keys": keys, "files": kept, "problems": [
        [d.code, int(d.severity), d.message, d.file, d.line, d.column, d.hint]
        for d in problems]})
    run: edition.Run = functools.partial(build.read, what=None)
    index = None  # handed to the workers before the entries' pages: the longest task
    if edition.SEARCH_INDEX in made:
        index = edition.search_index(plan, _Searches(str(cache), wheres),
                                     work / "search-index.js", run)
    try:
        located: Callable[[int], tuple[str, int]] = lambda k: _lists(summaries, cache,
                                                                     wheres[k])
        entry_pages = edition.entry_pages(plan, options, made, located, work, run)
        yield from ((rel, KEEP) for rel in kept)  # the workers make pages meanwhile,
        for rel, data in edition.edition_files(  # while this process makes the others
                plan, options, made, located, work):
            yield build.give(EDITION, rel, data)
    finally:
        summaries.close()
    then()  # (before the workers are waited for)
    if index is not None:
        yield build.give(EDITION, edition.SEARCH_INDEX, Path(next(index)))
    yield from pages
    yield from (build.give(EDITION, rel, target, sha, sha512)
                for rel, target, sha, sha512 in entry_pages)
    _sweep(build)


def _sweep(build: Build, key: str = "summary") -> None:
    """Remove the packs of the build's record that none of its entries' ``key`` names."""
    assert build.cache is not None
    packs.sweep(build.cache, build.pack_prefix, {entry[key][0] for entry in
                                                 build.record.values() if key in entry})


#: The sizes of the three parts of an HTML summary and of the document's page but for its
#: neighbours (empty when there is none), before them (:func:`marshal.load` from a file
#: reads it in many small pieces: the parts are read whole, then loaded; the third, the
#: lists of occurrences, is their bytes, copied as they are into the entries' pages,
#: :func:`.edition.edition_files`).  The page is
#: kept with the summary, not in a file of its own: a file made is a tenth of a
#: millisecond; and when only its neighbours change, the page is not made again.
_SIZES = struct.Struct("<4Q")


def _meta(summaries: packs.Reader, where: packs.Where) -> dict:
    """The meta of an HTML summary (the first of its parts: the rest is not read)."""
    size = _SIZES.unpack(summaries.read(where, 0, _SIZES.size))[0]
    return marshal.loads(summaries.read(where, _SIZES.size, size))


def _lists(summaries: packs.Reader, cache: Path, where: packs.Where) -> tuple[str, int]:
    """Where the lists of an HTML summary (its third part: the lists of occurrences, their
    bytes one after another) are: the pack's path, the offset in it."""
    meta, search, _lists, _page = _SIZES.unpack(summaries.read(where, 0, _SIZES.size))
    return str(cache / where[0]), where[1] + _SIZES.size + meta + search


class _Searches:
    """The search parts (the second) of HTML summaries, by their place in ``wheres``:
    plain data for the worker that writes the search index (:func:`.edition.search_index`),
    which reads them from the packs in the folder ``cache`` itself."""

    def __init__(self, cache: str, wheres: packs.Places):
        self.cache = cache
        self.wheres = wheres
        self.reader: packs.Reader | None = None

    def __getstate__(self) -> tuple[str, packs.Places]:
        return self.cache, self.wheres

    def __setstate__(self, state: tuple[str, packs.Places]) -> None:
        self.cache, self.wheres = state
        self.reader = None

    def __call__(self, k: int) -> dict:
        if self.reader is None:
            self.reader = packs.Reader(Path(self.cache))
        where = self.wheres[k]
        meta, search, _lists, _page = _SIZES.unpack(self.reader.read(where, 0, _SIZES.size))
        return marshal.loads(self.reader.read(where, _SIZES.size + meta, search))

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
            self.reader = None


def _early_page(pack: Path, where: packs.Where) -> bytes | None:
    """The page kept with an HTML summary (its fourth part; None: none, or the summary is
    gone from the cache since)."""
    summaries = packs.Reader(pack)
    try:
        *parts, page = _SIZES.unpack(summaries.read(where, 0, _SIZES.size))
        return summaries.read(where, _SIZES.size + sum(parts), page) or None
    except OSError:
        return None
    finally:
        summaries.close()


def _pages(build: Build, ordered: list[Doc], options: html.Options, cache: Path,
           extra: Callable[[Doc, dict], list[str] | None], what: str | None = "pages"
           ) -> Iterator[tuple[str, Placed | None]]:
    """The page of each document for which ``extra(doc, its record entry)`` gives the
    entries to add to it (:meth:`.edition.Plan.extra`; None: not this one), kept when its
    inputs are those it was made from; the others are handed to the workers at once (the
    pages come as they are iterated), with their summaries in ``cache``
    (:func:`_render_page`); reported as the phase ``what``."""
    tasks, todo, kept = [], [], []
    out_dir, folder = str(build.out_dir), str(cache)
    for k, doc in enumerate(ordered):
        key, rel = str(doc.path), f"documents/{doc.name}.html"
        entry = build.record.get(key)
        added = extra(doc, entry)
        if added is None:
            continue
        around = html.neighbours(ordered, k)
        page = _digest(doc.sha, html.around_params(doc.name, options, around), added)
        if entry.get("page") == page and build.intact(key, rel):
            kept.append((rel, KEEP))
            continue
        entry = {k: v for k, v in entry.items() if k != "extra"}
        build.record.put(key, {**entry, "page": page, **({"extra": added} if added else {})})
        tasks.append((key, doc.name, around, options, added, out_dir, rel,
                      build.force or rel in build.listed, folder, entry["summary"]))
        todo.append(doc)  # (its key and page named again when given: not held meanwhile)
    results = build.read(_render_page, tasks, what)
    return itertools.chain(kept, (build.give(str(doc.path), f"documents/{doc.name}.html",
                                             Placed.unpacked(data))
                                  for doc, data in zip(todo, results)))


# ----------------------------------------------------------------------------- plain text


#: What a worker needs to make a file's part of the plain-text edition: the width, whether
#: diplomatic and where to put the text (:data:`Where`).
TextTask = tuple[int, bool, Where]


def _read_text(args: tuple[str, int, bool, Where, bool]):
    """Worker: a TEI file into its text (put in place here, :func:`_put`, when ``args[3]``
    says where), and what corpus.txt and corpus.tsv need of it (for the main process to
    keep in a pack, :mod:`.packs`); with ``args[4]``, its names to review too
    (:func:`_names`)."""
    path = Path(args[0])
    source, problems, state = _read(path)
    if source is None or state is None:
        return str(path), None, None, problems, [], None, None
    located = text.located_names(source.doc.body)  # (its names to review, its row)
    row, own, part = _text_of(source, state, args[1:4], plain=located[0])
    return str(path), state, row, problems, own, part, _names(located if args[4] else None)


#: A document's part of corpus.txt and corpus.tsv (:func:`_text_of`) is the size of its
#: part of corpus.txt, then that part, then its line of corpus.tsv, as UTF-8: copied into
#: them as they are (:func:`_texts`), not made JSON and read back (a fifth of a second for
#: 3,000 documents).
_CORPUS = struct.Struct("<Q")


def _text_of(source, state: incremental.FileState, task: TextTask,
             made: bytes | None = None, like: Path | None = None, sha: str | None = None,
             units: list[text.Unit] | None = None, plain: str | None = None
             ) -> tuple[tuple, list[tuple[str, bytes | Placed]], bytes]:
    """Worker: a read TEI file's part of the plain-text edition: the row the record keeps,
    its text (``made``: its bytes when they were made already, and ``like``: a file that
    holds them, whose SHA-256 is ``sha``), put in place when ``task`` says where, and what corpus.txt and corpus.tsv
    need of it (:func:`_texts` keeps it); ``units``: the :func:`.text.layout` of its
    body, and ``plain``, its :func:`.text.diplomatic` text, when they are made already."""
    width, diplomatic, where = task
    h = source.doc.header
    if units is None and not diplomatic:  # (laid out for its text and corpus.txt)
        units = text.layout(source.doc.body)
    corpus = text.corpus_part(source.doc, diplomatic, units).encode("utf-8")
    part = b"".join([_CORPUS.pack(len(corpus)), corpus, text.tsv_line(
        text.metadata_row(source.doc, f"{source.name}.txt", plain)).encode("utf-8")])
    if made is None:
        made = text.document_text(source.doc, width, diplomatic, units).encode()
    return (source.doc.id, h.title, h.date_when), \
        _put([(f"{source.name}.txt", made, sha)], where, like), part


def export_text(paths: Sequence[Path], out_dir: Path, width: int = text.WIDTH,
                diplomatic: bool = False, force: bool = False, jobs: int = 1,
                record: Path | None = None, rebuild: bool = False,
                progress: Progress | None = None, review: bool = False) -> Result:
    """The plain-text edition of the TEI files ``paths`` in ``out_dir``: ``NAME.txt`` per
    document, ``corpus.txt`` and ``corpus.tsv`` (see the module docstring); with ``review``,
    the names to review of the files read too (:attr:`Result.names`)."""
    outcome = Result(names=_found() if review else None)
    files, problems = find_tei(paths or (Path("tei"),))
    outcome.diagnostics.extend(problems)
    build = Build("export-text", out_dir, _text_settings(width, diplomatic), record, jobs,
                  rebuild, progress, force)
    with _workspace(build, out_dir) as work:
        try:
            fresh, stale = build.partition(files, "text")
            outcome.written = build.write(_texts(build, fresh, stale, width, diplomatic,
                                                 outcome, paths, work, Handed()), outcome)
        finally:
            build.workers.close()
            build.record.close()
            build.given.close()
    outcome.diagnostics.extend(outcome.written.problems)
    return outcome


class Handed:
    """What the files read for both editions gave the plain-text edition
    (:func:`_read_html`), a kilobyte each: kept in a temporary file (pickled) as they
    come, read back in the same order (:func:`_merged`), not held.  ``read(key)``: whether
    the file of the path ``key`` (one the plain-text edition reads) was read for both; the
    files are read in the same order for each edition (that of :func:`.sources.find_tei`).
    """

    def __init__(self, read: Callable[[str], bool] = lambda key: False):
        self.read = read
        self.file: IO[bytes] | None = None

    def __contains__(self, key: str) -> bool:
        return self.read(key)

    def add(self, part: tuple) -> None:
        if self.file is None:
            self.file = tempfile.TemporaryFile(prefix="teipipe-handed-")
        pickle.dump(part, self.file, pickle.HIGHEST_PROTOCOL)

    def parts(self) -> Iterator[tuple]:
        """What was added, in order (once)."""
        if self.file is None:
            return
        self.file.seek(0)
        while True:
            try:
                yield pickle.load(self.file)
            except EOFError:
                return

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def _merged(paths: list[Path], given: Handed, results: Iterator) -> Iterator[tuple]:
    """For each of ``paths`` in turn, what was ``given`` for it, else the next of
    ``results`` (which has one for each of the others), to its end (the workers stop)."""
    parts = given.parts()
    for path in paths:
        yield next(parts) if str(path) in given else next(results)
    for _ in results:  # pragma: no cover - there is none left
        pass


def _text_settings(width: int, diplomatic: bool) -> dict:
    """What the plain-text edition's files depend on besides the TEI files."""
    return {"width": width, "diplomatic": diplomatic}


def _texts(build: Build, fresh: dict[str, Doc], stale: list[Path], width: int,
           diplomatic: bool, outcome: Result, paths: Sequence[Path], work: Path,
           given: Handed) -> Iterator[tuple[str, bytes | Path | None]]:
    """Every file of the plain-text edition, made or kept; ``given``: what the files read
    already (for the HTML edition, :func:`_read_html`) gave, by path: those are not read
    again.  What corpus.txt and corpus.tsv need of the files read is kept in one new pack
    (:mod:`.packs`), unless it was kept already (where ``given`` says); their names to
    review in ``outcome.names``, when it is a dict."""
    assert build.cache is not None
    cache = build.cache
    read_now: list[Doc] = []
    placing = _placing(build, stale, fresh, lambda name: (f"{name}.txt",))
    review = outcome.names is not None
    results = build.read(_read_text, Tasks(
        lambda p: (str(p), width, diplomatic, placing(p), review),
        [p for p in stale if str(p) not in given]), "reading", AHEAD)
    pack = packs.Writer(cache, build.pack_prefix)
    try:
        for path, (key, state, row, found, own, part, names) in zip(
                stale, _merged(stale, given, results), strict=True):
            outcome.diagnostics.extend(found)
            if row is None:
                build.record.drop(key)
                continue
            if names is not None and outcome.names is not None:
                outcome.names[key] = (state, names)
            read_now.append(Doc(path, path.stem, *row, state.sha256))
            build.remember(read_now[-1], state,
                           pack=pack.add(part) if isinstance(part, bytes) else part)
            for rel, content in own:
                yield build.give(key, rel, content)
    finally:
        pack.close()
    for key, doc in fresh.items():
        rel = f"{doc.name}.txt"
        if build.intact(key, rel):
            yield rel, KEEP
            continue
        source, _problems = read(doc.path)
        if source is not None:
            yield build.give(key, rel, text.document_text(source.doc, width, diplomatic)
                             .encode("utf-8"))
    ordered = _ordered(fresh, read_now, outcome, paths)
    if not ordered:
        return
    recorded = build.record.get(EDITION) or {}
    key = _digest([(d.name, d.sha) for d in ordered])
    if not read_now and recorded.get("key") == key and all(
            build.intact(EDITION, rel) for rel in recorded.get("files", {})):
        yield from ((rel, KEEP) for rel in recorded["files"])
        return
    build.record.put(EDITION, {"key": key, "files": {}})
    work.mkdir(parents=True, exist_ok=True)
    parts = packs.Reader(cache)
    with open(work / "corpus.txt", "wb") as corpus, open(work / "corpus.tsv", "wb") as table:
        table.write(("\t".join(text.TSV_COLUMNS) + "\n").encode("utf-8"))
        for k, doc in enumerate(ordered):  # one document at a time: the corpus is large
            part = memoryview(parts.read(build.record.get(str(doc.path))["pack"]))
            size = _CORPUS.size + _CORPUS.unpack_from(part)[0]
            if k:
                corpus.write(b"\n")
            corpus.write(part[_CORPUS.size:size])
            table.write(part[size:])
    parts.close()
    _sweep(build, "pack")
    yield build.give(EDITION, "corpus.txt", work / "corpus.txt")
    yield build.give(EDITION, "corpus.tsv", work / "corpus.tsv")
