"""Converting many pages: files in, TEI files out, one result per file, never a traceback.

Each file is converted on its own (in a worker process when ``jobs > 1``); a bad file yields
an error result and the batch goes on.  A TEI file is only rewritten when its content
changes, and never when it was changed by hand since teipipe wrote it (unless ``force``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .convert import PageError, read_page
from .diagnostics import Diagnostic, Severity, error
from .files import SourceError, display_path, read_source, write_atomic
from .model import SourceInfo
from .passes import Context, default_passes, load_context, run
from .tei.write import serialize

_RECORD = re.compile(rb"\A(<\?xml[^>]*\?>\n)?<\?teipipe (?P<attrs>[^?]*)\?>\n", re.S)


@dataclass
class FileResult:
    """What happened to one source: ``written``, ``unchanged``, ``refused`` or ``failed``."""

    source: str
    output: str | None
    status: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("written", "unchanged")


def find_sources(paths: Iterable[Path], pattern: str = "*.txt"
                 ) -> tuple[list[Path], list[Diagnostic]]:
    """Expand files and folders into sources (files in folders: those matching ``pattern``),
    in a stable order."""
    found: list[Path] = []
    notes: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob(pattern) if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            notes.append(error("E001", "no such file or folder", file=str(path)))
    return found, notes


def hand_edited(existing: bytes) -> bool:
    """Whether a TEI file differs from what teipipe wrote into it (its recorded hash)."""
    m = _RECORD.match(existing)
    if not m:
        return True  # not written by teipipe at all
    attrs = dict(re.findall(rb'([\w-]+)="([^"]*)"', m.group("attrs")))
    recorded = attrs.get(b"content-sha256", b"").decode()
    return hashlib.sha256(existing[m.end():]).hexdigest() != recorded


def convert_file(src: Path, out_dir: Path, force: bool = False,
                 context: Context | None = None) -> FileResult:
    """Convert one page to ``out_dir/<name>.xml`` (see the module docstring)."""
    shown = display_path(src)
    out = out_dir / (src.stem + ".xml")
    shown_out = display_path(out)
    try:
        source = read_source(src)
    except SourceError as exc:
        return FileResult(shown, None, "failed", [exc.diagnostic.with_file(shown)])
    notes = [d.with_file(shown) for d in source.warnings]
    info = SourceInfo(Path(os.path.relpath(src, out_dir)).as_posix(), source.sha256,
                      source.encoding, source.line_ends)
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
        existing = out.read_bytes() if out.exists() else None
    except OSError as exc:
        return FileResult(shown, shown_out, "failed",
                          notes + [error("E021", f"cannot read {shown_out}: {exc.strerror}",
                                         file=shown)])
    if existing == data:
        return FileResult(shown, shown_out, "unchanged", notes)
    if existing is not None and not force and hand_edited(existing):
        notes.append(error("E020", f"{shown_out} was changed by hand since teipipe wrote it; "
                           "not overwritten", file=shown,
                           hint="keep your edits elsewhere, or run again with --force to "
                           "replace the file"))
        return FileResult(shown, shown_out, "refused", notes)
    try:
        write_atomic(out, data)
    except OSError as exc:
        return FileResult(shown, shown_out, "failed",
                          notes + [error("E021", f"cannot write {shown_out}: {exc.strerror}",
                                         file=shown)])
    return FileResult(shown, shown_out, "written", notes)


_CONTEXTS: dict[str, Context] = {}


def _context(settings: str) -> Context:
    """The run's context, loaded once per process (settings as JSON, so they can be sent)."""
    if settings not in _CONTEXTS:
        _CONTEXTS[settings] = load_context(json.loads(settings))
    return _CONTEXTS[settings]


def _convert_task(args: tuple[str, str, bool, str]) -> FileResult:
    src, out_dir, force, settings = args
    try:
        return convert_file(Path(src), Path(out_dir), force, _context(settings))
    except Exception as exc:  # a bug must not stop the batch; say which file hit it
        return FileResult(display_path(Path(src)), None, "failed", [error(
            "E099", f"internal error ({type(exc).__name__}: {exc}); please report it with "
            "this file", file=display_path(Path(src)))])


def convert_many(sources: list[Path], out_dir: Path, force: bool = False, jobs: int = 1,
                 progress: Callable[[FileResult], None] | None = None,
                 settings: dict | None = None) -> list[FileResult]:
    """Convert ``sources`` (in parallel with ``jobs`` > 1); results come in input order.

    ``settings`` name the resources of the passes (see :func:`pipeline.passes.load_context`);
    each worker process loads them once.
    """
    results: list[FileResult] = []
    seen: dict[str, Path] = {}
    tasks: list[tuple[str, str, bool, str]] = []
    shared = json.dumps(settings or {}, sort_keys=True)
    clashes: dict[int, FileResult] = {}
    for k, src in enumerate(sources):
        name = src.stem
        if name in seen:
            clashes[k] = FileResult(display_path(src), None, "failed", [error(
                "E022", f"same output name as {display_path(seen[name])}: both would be "
                f"written to {name}.xml", file=display_path(src),
                hint="give each source a unique file name (date and title)")])
            continue
        seen[name] = src
        tasks.append((str(src), str(out_dir), force, shared))
    for result in _run(tasks, jobs):
        if progress:
            progress(result)
        results.append(result)
    for k in sorted(clashes):
        results.insert(k, clashes[k])
    return results


def _run(tasks: list[tuple[str, str, bool, str]], jobs: int) -> Iterator[FileResult]:
    if jobs <= 1 or len(tasks) < 4:
        yield from map(_convert_task, tasks)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_convert_task, tasks, chunksize=max(1, len(tasks) // (jobs * 8)))


def summary(results: list[FileResult]) -> dict[str, int]:
    counts = {"files": len(results), "written": 0, "unchanged": 0, "refused": 0, "failed": 0,
              "warnings": 0, "errors": 0}
    for r in results:
        counts[r.status] += 1
        for d in r.diagnostics:
            if d.severity == Severity.WARNING:
                counts["warnings"] += 1
            elif d.severity == Severity.ERROR:
                counts["errors"] += 1
    return counts
