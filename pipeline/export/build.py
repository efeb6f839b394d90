"""Building an edition folder fast: each document's work in worker processes, and only the
work whose inputs changed.

An export makes two kinds of files: a document's own files (its page and downloads; in the
plain-text edition, its text) and the edition's files, which list every document (the home
page, the registers and the search index; ``corpus.txt`` and ``corpus.tsv``).

1. Each TEI file whose content is not the one the build record remembers
   (:mod:`pipeline.incremental`) is read, in a worker process, into a *summary* (what the
   edition's files need of it, :mod:`.summary`) and the files that depend on it alone.  The
   summary is kept in the cache folder, by content.
2. Reading order, positions and neighbours come from the record (id, title, date of each
   document), without reading the files again.
3. A document's page (which also names its neighbours, its position and the edition's
   title) is made again, in a worker, when any of these changed, or when its file is no
   longer what was written.
4. The edition's files are made again when a document was read again, came or went, or the
   register changed, from every summary (the cached ones for the documents that did not
   change).

With nothing changed an export looks at the files' times and writes nothing.  Memory: the
documents are read one at a time, in the workers; what the main process keeps are the
summaries, which the edition's files need all at once.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from .. import incremental
from ..assets import cache_dir
from ..diagnostics import Diagnostic, error
from ..files import write_atomic
from ..tei.read import parse
from . import html, text
from .output import KEEP, Written, write_files
from .register import Entry
from .sources import find_tei, in_order, read, sort_key
from .summary import SUMMARY_VERSION, Summary, summarize

EDITION = "\0edition"  # the record's entry for the edition's files
PARALLEL_FROM = 8  # documents before worker processes pay for themselves

#: How a run reports progress: ``start(what, total)`` for each phase, then ``advance()``.
Progress = tuple[Callable[[str, int], None], Callable[[], None]]


@dataclass(frozen=True)
class Doc:
    """A document as the record remembers it: enough to order the edition, to name it as a
    neighbour and to tell whether its files are up to date."""

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


class Build:
    """One export into one folder: its record, its cache of summaries, its workers."""

    def __init__(self, stage: str, out_dir: Path, settings: dict, record: Path | None,
                 jobs: int = 1, rebuild: bool = False, progress: Progress | None = None):
        self.out_dir = out_dir
        self.jobs = jobs or os.cpu_count() or 1
        self.rebuild = rebuild
        self.progress = progress
        digest = incremental.settings_digest(stage, settings)
        self.record = incremental.BuildRecord(record, digest)
        self.cache = cache_dir() / "export" / stage / digest[:16] if record else None
        self.started = time.time_ns()
        self.given: dict[str, tuple[str, str]] = {}  # output -> (its entry, sha256 given)

    # ------------------------------------------------------------------ inputs

    def partition(self, files: Sequence[Path]) -> tuple[dict[str, Doc], list[Path]]:
        """The documents whose TEI file is the one remembered (by path), and the others."""
        fresh: dict[str, Doc] = {}
        stale: list[Path] = []
        for path in files:
            entry = None if self.rebuild else self.record.get(str(path))
            state = incremental.state(path, entry["source"], self.started) if entry else None
            if entry is None or state is None or state.sha256 != entry["source"].sha256 or \
                    self.cache is None or not self.summary_path(state.sha256).is_file():
                stale.append(path)
                continue
            if state != entry["source"]:
                self.record.put(str(path), dict(entry, source=state))
            fresh[str(path)] = Doc(path, path.stem, entry["id"], entry["title"], entry["when"],
                                   state.sha256)
        return fresh, stale

    def summary_path(self, sha: str) -> Path:
        assert self.cache is not None
        return self.cache / sha[:2] / f"{sha}.json"

    def cached(self, doc: Doc) -> dict:
        return json.loads(self.summary_path(doc.sha).read_text(encoding="utf-8"))

    def remember(self, doc: Doc, state: incremental.FileState, **more) -> None:
        """Keep a document's entry (by path; its summary was kept by the worker)."""
        self.record.put(str(doc.path), {"source": state, "id": doc.id, "title": doc.title,
                                        "when": doc.when, "files": {}, **more})

    def read(self, fn: Callable, tasks: list, what: str) -> Iterator:
        """``fn`` over ``tasks``, in order, in worker processes when there are enough.

        The tasks are handed to the workers at once, not when the first result is asked
        for: meanwhile the caller can do work of its own.
        """
        if self.progress and tasks:
            self.progress[0](what, len(tasks))
        if self.jobs <= 1 or len(tasks) < PARALLEL_FROM:
            return self._reported(map(fn, tasks))
        pool = ProcessPoolExecutor(max_workers=min(self.jobs, len(tasks)))
        results = pool.map(fn, tasks, chunksize=max(1, min(32, len(tasks) // (self.jobs * 8))))
        return self._reported(results, pool)

    def _reported(self, results: Iterator, pool: ProcessPoolExecutor | None = None) -> Iterator:
        try:
            for result in results:
                if self.progress:
                    self.progress[1]()
                yield result
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)

    # ------------------------------------------------------------------ outputs

    def intact(self, key: str, rel: str) -> bool:
        """Whether the output ``rel`` recorded under entry ``key`` is still what was written."""
        recorded = (self.record.get(key) or {}).get("files", {}).get(rel)
        if recorded is None:
            return False
        now = incremental.state(self.out_dir / rel, recorded, self.started)
        return now is not None and now.sha256 == recorded.sha256

    def give(self, key: str, rel: str, data: bytes) -> tuple[str, bytes]:
        """An output file of entry ``key``, to be written (its state is recorded after)."""
        self.given[rel] = (key, hashlib.sha256(data).hexdigest())
        return rel, data

    def write(self, files: Iterable[tuple[str, bytes | None]], force: bool) -> Written:
        """Write the files; record the state of each file written; save the record."""
        done = write_files(self.out_dir, files, force)
        for rel in done.refused:  # not made: what it belongs to is made again next time
            if rel in self.given:
                self.record.drop(self.given[rel][0])
        for rel, (key, sha) in self.given.items():
            entry = self.record.get(key)
            if entry is None:
                continue
            try:
                st = os.stat(self.out_dir / rel)
            except OSError:
                continue
            state = incremental.FileState(sha, st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                                          st.st_ino)
            self.record.put(key, dict(entry, files={**entry.get("files", {}), rel: state}))
        self.record.save()
        return done


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


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


def _ordered(build: Build, fresh: dict[str, Doc], read_now: list[tuple], outcome: Result,
             paths: Sequence[Path]) -> list[Doc]:
    """The edition's documents in reading order: those remembered and those just read
    (key, name, id, title, date); the problems of order (E403) or of no document (E408)."""
    docs = [*fresh.values(), *(Doc(Path(key), name, ident, title, when,
                                   build.record.get(key)["source"].sha256)
                               for key, name, ident, title, when in read_now)]
    ordered, found = in_order(docs)
    outcome.diagnostics.extend(found)
    outcome.documents = len(ordered)
    if not ordered:
        outcome.diagnostics.append(error(
            "E408", "no TEI file to export", file=", ".join(map(str, paths)) or "tei",
            hint="name TEI files or folders of .xml files"))
    return ordered


# ----------------------------------------------------------------------------- HTML


def _read_html(args: tuple[str, int, str | None]):
    """Worker: a TEI file into its summary (kept in the cache folder ``args[2]``) and its
    downloads (TEI file, plain text)."""
    path, width, cache = Path(args[0]), args[1], args[2]
    source, problems, state = _read(path)
    if source is None or state is None:
        return str(path), None, None, problems, []
    own = [(f"tei/{source.name}.xml", source.data),
           (f"text/{source.name}.txt", text.document_text(source.doc, width).encode("utf-8"))]
    data = summarize(source).as_data()
    if cache is not None:
        _keep(Path(cache), state.sha256, data)
    return str(path), state, data, problems, own


def _keep(cache: Path, sha: str, data: dict) -> None:
    """A summary into the cache folder, by the content of its file."""
    try:
        write_atomic(cache / sha[:2] / f"{sha}.json",
                     json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    except OSError:
        pass  # no cache: the next run reads the file again


def _render_page(args: tuple[str, dict[str, str], list[str]]) -> bytes:
    """Worker: a document's page."""
    path, params, extra = args
    return html.document_page(parse(Path(path)), params, extra)


def _downloads(path: Path, name: str, width: int) -> list[tuple[str, bytes]]:
    source, _problems = read(path)
    if source is None:
        return []
    return [(f"tei/{name}.xml", source.data),
            (f"text/{name}.txt", text.document_text(source.doc, width).encode("utf-8"))]


def _open_pointers(summary: Summary) -> bool:
    """Whether a document names entries it does not carry (or points nowhere): its page
    and its warnings then depend on the rest of the edition and on the register."""
    carried = summary.carried
    return bool(set(summary.named) - carried) or any(
        not refs or set(refs) - carried for _raw, refs, _line in summary.pointers)


def export_html(paths: Sequence[Path], out_dir: Path, options: html.Options,
                register: tuple[dict[str, Entry], str] = ({}, ""), force: bool = False,
                jobs: int = 1, record: Path | None = None, rebuild: bool = False,
                progress: Progress | None = None) -> Result:
    """The HTML edition of the TEI files ``paths`` in ``out_dir`` (see the module docstring).

    ``register``: the register's entries and a digest of its file; ``record``: the build
    record's path (None: make everything, remember nothing).
    """
    outcome = Result()
    files, problems = find_tei(paths or (Path("tei"),))
    outcome.diagnostics.extend(problems)
    entries, register_digest = register
    build = Build("export-html", out_dir, {"options": asdict(options),
                                           "summary": SUMMARY_VERSION},
                  record, jobs, rebuild, progress)
    fresh, stale = build.partition(files)
    read_now: dict[str, Summary] = {}

    def site() -> Iterator[tuple[str, bytes | None]]:
        cache = str(build.cache) if build.cache is not None else None
        for key, state, data, found, own in build.read(
                _read_html, [(str(p), options.width, cache) for p in stale], "reading"):
            outcome.diagnostics.extend(found)
            if data is None:
                build.record.drop(key)
                continue
            summary = read_now[key] = Summary.from_data(data)
            build.remember(Doc(summary.path, summary.name, summary.id, summary.title,
                               summary.date_when, state.sha256), state,
                           open=_open_pointers(summary))
            for rel, content in own:
                yield build.give(key, rel, content)
        for key, doc in fresh.items():
            kept = [rel for rel in (f"tei/{doc.name}.xml", f"text/{doc.name}.txt")
                    if build.intact(key, rel)]
            yield from ((rel, KEEP) for rel in kept)
            if len(kept) < 2:
                yield from (build.give(key, rel, data) for rel, data in
                            _downloads(doc.path, doc.name, options.width) if rel not in kept)
        ordered = _ordered(build, fresh, [(key, s.name, s.id, s.title, s.date_when)
                                          for key, s in read_now.items()], outcome, paths)
        if not ordered:
            return
        edition = build.record.get(EDITION) or {}
        edition_key = _digest([(d.name, d.sha) for d in ordered], register_digest)
        plan = None
        if read_now or edition.get("key") != edition_key or not all(
                build.intact(EDITION, rel) for rel in edition.get("files", {})) or \
                any(build.record.get(str(d.path)).get("open") for d in ordered):
            plan = html.plan([read_now.get(str(d.path)) or Summary.from_data(build.cached(d))
                              for d in ordered], entries)
            outcome.diagnostics.extend(plan.problems)
        pages = _pages(build, ordered, plan, options)  # the workers start on them now,
        if plan is None:  # while this process makes the edition's files
            yield from ((rel, KEEP) for rel in edition["files"])
        else:
            build.record.put(EDITION, {"key": edition_key, "files": {}})
            for rel, data in html.edition_files(plan, options):
                yield build.give(EDITION, rel, data)
        yield from pages

    outcome.written = build.write(site(), force)
    outcome.diagnostics.extend(outcome.written.problems)
    return outcome


def _pages(build: Build, ordered: list[Doc], plan: html.Plan | None,
           options: html.Options) -> Iterator[tuple[str, bytes | None]]:
    """Each document's page, kept when its inputs are those it was made from; the others
    are handed to the workers at once (the pages come as they are iterated)."""
    neighbours = plan or html.Plan(list(ordered), {})  # names and titles are all it needs
    tasks, made, kept = [], [], []
    for k, doc in enumerate(ordered):
        key, rel = str(doc.path), f"documents/{doc.name}.html"
        params = html.page_params(neighbours, k, options)
        extra = html.missing_entries(plan, k) if plan is not None else []
        page = _digest(doc.sha, params, extra)
        entry = build.record.get(key)
        if entry.get("page") == page and build.intact(key, rel):
            kept.append((rel, KEEP))
            continue
        build.record.put(key, dict(entry, page=page))
        tasks.append((key, params, extra))
        made.append((key, rel))
    results = build.read(_render_page, tasks, "pages")
    return itertools.chain(kept, (build.give(key, rel, data)
                                  for (key, rel), data in zip(made, results)))


# ----------------------------------------------------------------------------- plain text


def _read_text(args: tuple[str, int, bool, str | None]):
    """Worker: a TEI file into its text, and what corpus.txt and corpus.tsv need of it
    (kept in the cache folder ``args[3]``)."""
    path, width, diplomatic, cache = Path(args[0]), args[1], args[2], args[3]
    source, problems, state = _read(path)
    if source is None or state is None:
        return str(path), None, None, problems, b""
    data = {"id": source.doc.id, "title": source.doc.header.title,
            "when": source.doc.header.date_when,
            "corpus": text.corpus_text([source.doc], diplomatic),
            "row": text.metadata_row(source.doc, f"{source.name}.txt")}
    if cache is not None:
        _keep(Path(cache), state.sha256, data)
    return str(path), state, data, problems, text.document_text(
        source.doc, width, diplomatic).encode("utf-8")


def export_text(paths: Sequence[Path], out_dir: Path, width: int = text.WIDTH,
                diplomatic: bool = False, force: bool = False, jobs: int = 1,
                record: Path | None = None, rebuild: bool = False,
                progress: Progress | None = None) -> Result:
    """The plain-text edition of the TEI files ``paths`` in ``out_dir``: ``NAME.txt`` per
    document, ``corpus.txt`` and ``corpus.tsv`` (see the module docstring)."""
    outcome = Result()
    files, problems = find_tei(paths or (Path("tei"),))
    outcome.diagnostics.extend(problems)
    build = Build("export-text", out_dir, {"width": width, "diplomatic": diplomatic},
                  record, jobs, rebuild, progress)
    fresh, stale = build.partition(files)
    read_now: dict[str, dict] = {}

    def edition() -> Iterator[tuple[str, bytes | None]]:
        cache = str(build.cache) if build.cache is not None else None
        for key, state, data, found, content in build.read(
                _read_text, [(str(p), width, diplomatic, cache) for p in stale], "reading"):
            outcome.diagnostics.extend(found)
            if data is None:
                build.record.drop(key)
                continue
            read_now[key] = data
            path = Path(key)
            build.remember(Doc(path, path.stem, data["id"], data["title"], data["when"],
                               state.sha256), state)
            yield build.give(key, f"{path.stem}.txt", content)
        for key, doc in fresh.items():
            rel = f"{doc.name}.txt"
            if build.intact(key, rel):
                yield rel, KEEP
                continue
            source, _problems = read(doc.path)
            if source is not None:
                yield build.give(key, rel, text.document_text(source.doc, width, diplomatic)
                                 .encode("utf-8"))
        ordered = _ordered(build, fresh, [(key, Path(key).stem, d["id"], d["title"], d["when"])
                                          for key, d in read_now.items()], outcome, paths)
        if not ordered:
            return
        recorded = build.record.get(EDITION) or {}
        key = _digest([(d.name, d.sha) for d in ordered])
        if not read_now and recorded.get("key") == key and all(
                build.intact(EDITION, rel) for rel in recorded.get("files", {})):
            yield from ((rel, KEEP) for rel in recorded["files"])
            return
        build.record.put(EDITION, {"key": key, "files": {}})
        parts = [read_now.get(str(d.path)) or build.cached(d) for d in ordered]
        yield build.give(EDITION, "corpus.txt",
                         "\n".join(p["corpus"] for p in parts).encode("utf-8"))
        yield build.give(EDITION, "corpus.tsv",
                         text.corpus_tsv(p["row"] for p in parts).encode("utf-8"))

    outcome.written = build.write(edition(), force)
    outcome.diagnostics.extend(outcome.written.problems)
    return outcome
