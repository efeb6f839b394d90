"""Converting many pages: files in, TEI files out, one result per file, never a traceback.

Each file is converted on its own (in a worker process when ``jobs > 1``); a bad file yields
an error result and the batch goes on.  A TEI file is only rewritten when its content
changes, and never when it was changed by hand since teipipe wrote it (unless ``force``).
With a build record (:mod:`pipeline.incremental`), a source whose TEI file is up to date is
not even read (:class:`Plan`); results stream out in input order as they are made.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import json
import os
import re
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import incremental, workers
from .convert import PageError, read_page
from .diagnostics import Diagnostic, Severity, error
from .files import SourceError, display_path, read_source, write_atomic
from .gc_guard import collector_paused
from .model import SourceInfo
from .passes import Context, default_passes, load_context, run
from .record_store import RecordStore
from .tei.write import serialize

_RECORD = re.compile(rb"\A(<\?xml[^>]*\?>\n)?<\?teipipe (?P<attrs>[^?]*)\?>\n", re.S)


@dataclass
class FileResult:
    """What happened to one source: ``written``, ``unchanged``, ``refused`` or ``failed``."""

    source: str
    output: str | None
    status: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    built: dict | None = field(default=None, repr=False)  # for the build record (internal)

    @property
    def ok(self) -> bool:
        return self.status in ("written", "unchanged")


def hand_edited(existing: bytes) -> bool:
    """Whether a TEI file differs from what teipipe wrote into it (its recorded hash)."""
    m = _RECORD.match(existing)
    if not m:
        return True  # not written by teipipe at all
    attrs = dict(re.findall(rb'([\w-]+)="([^"]*)"', m.group("attrs")))
    recorded = attrs.get(b"content-sha256", b"").decode()
    return hashlib.sha256(existing[m.end():]).hexdigest() != recorded


def convert_file(src: Path, out_dir: Path, force: bool = False,
                 context: Context | None = None, record: bool = False) -> FileResult:
    """Convert one page to ``out_dir/<name>.xml`` (see the module docstring); ``record``:
    also make the build record's entry (``built``) for a file written or found up to date."""
    seen_ns = time.time_ns()  # before the source is looked at
    shown = display_path(src)
    out = out_dir / (src.stem + ".xml")
    shown_out = display_path(out)
    try:
        st = os.stat(src)
    except OSError:
        st = None  # read_source says why
    try:
        source = read_source(src, st)
    except SourceError as exc:
        return FileResult(shown, None, "failed", [exc.diagnostic.with_file(shown)])
    notes = [d.with_file(shown) for d in source.warnings]
    info = SourceInfo(_relative(src, out_dir), source.sha256, source.encoding,
                      source.line_ends)
    try:
        doc, found = read_page(source.text, src.stem, info)
    except PageError as exc:
        return FileResult(shown, None, "failed", notes + [exc.diagnostic.with_file(shown)])
    notes.extend(d.with_file(shown) for d in found)
    doc, found, _applied = run(doc, default_passes(), context or Context())
    notes.extend(d.with_file(shown) for d in found)
    notes.sort(key=lambda d: (d.line or 0, d.column or 0, d.code))
    data = serialize(doc)
    try:
        existing: bytes | None = out.read_bytes()
    except OSError as exc:
        if exc.errno not in _MISSING:
            return FileResult(shown, shown_out, "failed",
                              notes + [error("E021", f"cannot read {shown_out}: {exc.strerror}",
                                             file=shown)])
        existing = None
    if existing == data:
        result = FileResult(shown, shown_out, "unchanged", notes)
    elif existing is not None and not force and hand_edited(existing):
        notes.append(error("E020", f"{shown_out} was changed by hand since teipipe wrote it; "
                           "not overwritten", file=shown,
                           hint="keep your edits elsewhere, or run again with --force to "
                           "replace the file"))
        return FileResult(shown, shown_out, "refused", notes)
    else:
        try:
            write_atomic(out, data)
        except OSError as exc:
            return FileResult(shown, shown_out, "failed",
                              notes + [error("E021", f"cannot write {shown_out}: {exc.strerror}",
                                             file=shown)])
        result = FileResult(shown, shown_out, "written", notes)
    if record and st is not None:
        result.built = _built(incremental.hashed_state(source.sha256, st, seen_ns), out, data,
                              notes)
    return result


#: Errors of reading a TEI file that mean there is none yet (as ``Path.exists`` takes them).
_MISSING = frozenset((errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP))


def _built(source: incremental.FileState, out: Path, data: bytes,
           diagnostics: list[Diagnostic]) -> dict | None:
    """The build record's entry for a file just written (or found as it would be written):
    the source as read, the TEI file as teipipe made it, the diagnostics to replay.

    The TEI file is not read again: its bytes are ``data``, hashed here while held, and one
    ``stat`` gives its times.  A file whose size is not that of ``data`` was changed since
    (by hand, meanwhile): it gets no entry, so the next run looks at it afresh.
    """
    try:
        st = os.stat(out)
    except OSError:
        return None
    if st.st_size != len(data):
        return None
    return {"source": source, "output": incremental.state_of(data, st),
            "diagnostics": [[d.code, int(d.severity), d.message, d.line, d.column, d.hint]
                            for d in diagnostics]}


@lru_cache(maxsize=256)
def _relative_folder(folder: str, out_dir: str) -> str:
    return Path(os.path.relpath(folder, out_dir)).as_posix()


def _relative(src: Path, out_dir: Path) -> str:
    """``src`` relative to ``out_dir`` (as the TEI's record names it), its folder's part
    worked out once per run."""
    folder = _relative_folder(str(src.parent), str(out_dir))
    return src.name if folder == "." else f"{folder}/{src.name}"


_CONTEXTS: dict[str, Context] = {}


def _context(settings: str) -> Context:
    """The run's context, loaded once per process (settings as JSON, so they can be sent).

    The resources (register, gazetteer: hundreds of thousands of objects) live as long as
    the process, so they are moved out of the garbage collector's sight (``gc.freeze``):
    every full collection would otherwise walk them all again (and, in a forked worker,
    write to and so copy the memory pages they sit on).  They are frozen before the
    collector is let back on: made while it was held off, they all sit in its youngest
    generation, and its first turn would walk them all once more (a tenth of the start-up).
    """
    if settings not in _CONTEXTS:
        with collector_paused():
            _CONTEXTS[settings] = load_context(json.loads(settings))
            gc.freeze()
    return _CONTEXTS[settings]


def _convert_task(src: str, out_dir: str, force: bool, settings: str) -> FileResult:
    try:
        context = _context(settings)
        with collector_paused():
            return convert_file(Path(src), Path(out_dir), force, context, record=True)
    except Exception as exc:  # a bug must not stop the batch; say which file hit it
        shown = display_path(Path(src))
        return FileResult(shown, None, "failed", [error(
            "E099", f"internal error ({type(exc).__name__}: {exc}); please report it with "
            "this file", file=shown)])


#: What is known of a source before the run (:attr:`Plan.todo`): it must be converted; it is
#: fresh and had no diagnostics; it is fresh and its diagnostics are in the build record;
#: its result is in :attr:`Plan.known`.
CONVERT, FRESH, FRESH_NOTED, KNOWN = range(4)


class Plan:
    """A batch worked out before it runs: which sources need converting, which are fresh.

    A source is *fresh* when the build record says its TEI file was made from the same bytes,
    under the same settings and by the same code, and the TEI file is still what teipipe
    wrote (a file changed by hand is never fresh, so it is refused as ever).  Fresh sources
    are not read, converted nor written: their result (``unchanged``) and diagnostics are
    replayed from the record.

    What the plan keeps per source is small and flat (its path as a string and one byte):
    the record stays on disk (:class:`~pipeline.record_store.RecordStore`), a fresh source's
    diagnostics are read from it again when its result is given, and a conversion's entry
    goes to it as the result comes.  So the memory of a run does not grow with its files.
    """

    def __init__(self, sources: list[Path], out_dir: Path, force: bool = False,
                 settings: dict | None = None, record: Path | None = None,
                 rebuild: bool = False):
        self.out_dir = out_dir
        self.force = force
        self.shared = json.dumps(settings or {}, sort_keys=True)
        self.record = RecordStore(record, incremental.settings_digest(
            "convert", {k: v for k, v in (settings or {}).items() if k != "cache"}))
        #: the sources, in order (strings: a ``Path`` is several times the size)
        self.sources: list[str] = []
        #: per source, what is known of it before the run (:data:`CONVERT` ...)
        self.todo = bytearray()
        #: the results known before the run, by source index: names that clash
        self.known: dict[int, FileResult] = {}
        try:
            self._plan(sources, rebuild)
        except BaseException:
            self.record.close()  # a plan that cannot be worked out never runs
            raise

    def _plan(self, sources: list[Path], rebuild: bool) -> None:
        """Sort the sources into those to convert, the fresh and the known."""
        started = time.time_ns()
        seen: dict[str, str] = {}
        for src in sources:
            name = src.stem
            if name in seen:
                self.known[len(self.sources)] = FileResult(display_path(src), None, "failed", [
                    error("E022", f"same output name as {display_path(Path(seen[name]))}: "
                          f"both would be written to {name}.xml", file=display_path(src),
                          hint="give each source a unique file name (date and title)")])
                self.todo.append(KNOWN)
            else:
                seen[name] = str(src)
                self.todo.append(CONVERT if rebuild else self._fresh(src, started))
            self.sources.append(str(src))
        self.record.save()  # the times of files found unchanged (and no lock held till the run)

    @property
    def work(self) -> int:
        """How many sources must be converted."""
        return self.todo.count(CONVERT)

    def _fresh(self, src: Path, started: int) -> int:
        """Whether ``src`` must be converted (:data:`CONVERT`) or is fresh (:data:`FRESH`,
        :data:`FRESH_NOTED`); the record gets the times of files found unchanged."""
        out = self.out_dir / (src.stem + ".xml")
        entry = self.record.get(out.name)
        if entry is None:
            return CONVERT
        source = incremental.state(src, entry["source"], started)
        if source is None or source.sha256 != entry["source"].sha256:
            return CONVERT
        output = incremental.state(out, entry["output"], started)
        if output is None or output.sha256 != entry["output"].sha256:
            return CONVERT
        if source != entry["source"] or output != entry["output"]:
            self.record.put(out.name, dict(entry, source=source, output=output))
        return FRESH_NOTED if entry["diagnostics"] else FRESH

    def _replayed(self, src: Path, noted: bool) -> FileResult:
        """The result of a fresh source, its diagnostics as the record has them."""
        shown = display_path(src)
        out = self.out_dir / (src.stem + ".xml")
        entry = self.record.get(out.name) if noted else None
        notes = [Diagnostic(code, Severity(severity), message, shown, line, column, hint)
                 for code, severity, message, line, column, hint in
                 (entry["diagnostics"] if entry else ())]
        return FileResult(shown, display_path(out), "unchanged", notes)

    def run(self, jobs: int = 1, progress: Callable[[], None] | None = None,
            ) -> Iterator[FileResult]:
        """The results in input order, as they come (with ``jobs`` worker processes);
        ``progress`` is called after each conversion.  The build record is saved at the end,
        and closed (also when the run stops early: then without its changes): a plan runs once.
        """
        with self.record:
            tasks = (src for src, todo in zip(self.sources, self.todo) if todo == CONVERT)
            done = _run(tasks, self.work, jobs, (str(self.out_dir), self.force, self.shared))
            for index, (src, todo) in enumerate(zip(self.sources, self.todo)):
                if todo == KNOWN:
                    yield self.known[index]
                    continue
                if todo != CONVERT:
                    yield self._replayed(Path(src), todo == FRESH_NOTED)
                    continue
                result = next(done)
                name = Path(src).stem + ".xml"
                if result.built is not None:
                    self.record.put(name, result.built)
                    result.built = None
                else:
                    self.record.drop(name)
                if progress:
                    progress()
                yield result
            self.record.save()


def convert_many(sources: list[Path], out_dir: Path, force: bool = False, jobs: int = 1,
                 progress: Callable[[FileResult], None] | None = None,
                 settings: dict | None = None, record: Path | None = None,
                 rebuild: bool = False) -> list[FileResult]:
    """Convert ``sources`` (in parallel with ``jobs`` > 1); results come in input order.

    ``settings`` name the resources of the passes (see :func:`pipeline.passes.load_context`);
    each worker process loads them once.  With a build ``record`` (a path, see
    :mod:`pipeline.record_store`), sources whose TEI file is up to date are skipped
    (``rebuild``: convert them all the same, and renew the record).
    """
    results = []
    for result in Plan(sources, out_dir, force, settings, record, rebuild).run(jobs):
        if progress:
            progress(result)
        results.append(result)
    return results


#: Chunks sent to the workers ahead of the one whose results are awaited, per worker: enough
#: that none waits for work, few enough that neither tasks nor results pile up in memory.
AHEAD = 3


def _run(sources: Iterator[str], count: int, jobs: int, common: tuple[str, bool, str]
         ) -> Iterator[FileResult]:
    """The results of converting the ``count`` ``sources`` (``common``: the output folder,
    ``force`` and the settings of them all), in order, with ``jobs`` workers."""
    if jobs <= 1 or count < 4:
        for src in sources:
            yield _convert_task(src, *common)
        return
    _context(common[2])  # loaded once here, before the workers are forked: they share it
    with workers.pool(min(jobs, count)) as pool:
        spans = _chunks(count, jobs)
        ahead: deque[Future[list[FileResult]]] = deque()
        try:
            while True:
                while len(ahead) <= AHEAD * jobs and (span := next(spans, None)):
                    ahead.append(pool.submit(_convert_chunk,
                                             list(islice(sources, span[1] - span[0])), common))
                if not ahead:
                    return
                yield from ahead.popleft().result()
        finally:  # stopped early (an interrupt): what has not started is not converted
            for chunk in ahead:
                chunk.cancel()


def _convert_chunk(sources: list[str], common: tuple[str, bool, str]) -> list[FileResult]:
    return [_convert_task(src, *common) for src in sources]


def _chunks(tasks: int, jobs: int) -> Iterator[tuple[int, int]]:
    """Where each chunk of tasks sent to a worker at a time starts and ends.

    Few round trips, yet a progress bar that moves (at most 64 tasks: a result waits for the
    rest of its chunk); and an even finish: a chunk is an eighth of a worker's share of what
    is left, so chunks shrink towards the end, down to single tasks, and no worker idles
    while another converts the rest of a big last chunk (at 10,000 pages, 64 of them: a
    fifth of a second).
    """
    start = 0
    while start < tasks:
        end = start + max(1, min(64, (tasks - start) // (jobs * 8)))
        yield start, end
        start = end


class Tally:
    """Counts of results and diagnostics, kept as results stream by (see :func:`summary`)."""

    def __init__(self) -> None:
        self.counts = {"files": 0, "written": 0, "unchanged": 0, "refused": 0, "failed": 0,
                       "warnings": 0, "errors": 0}
        self.worst: Severity | None = None

    def add(self, result: FileResult) -> None:
        self.counts["files"] += 1
        self.counts[result.status] += 1
        self.note(result.diagnostics)

    def note(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Count diagnostics (also those of no file's result, such as a missing folder)."""
        for d in diagnostics:
            if d.severity == Severity.WARNING:
                self.counts["warnings"] += 1
            elif d.severity == Severity.ERROR:
                self.counts["errors"] += 1
            if self.worst is None or d.severity > self.worst:
                self.worst = d.severity


def summary(results: Iterable[FileResult]) -> dict[str, int]:
    tally = Tally()
    for r in results:
        tally.add(r)
    return tally.counts
