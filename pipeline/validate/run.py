"""Running the four layers on many files: cache first, then workers, then the corpus rules.

:func:`validate` is what ``teipipe validate`` calls.  Each file is checked on its own
(:func:`check_file`: well-formedness, project schema, tei_all, rules), in worker processes
when there are many; results of unchanged files come from the cache (:mod:`.cache`); the
rules across files run last, on the facts of all files.  A problem in one file never stops
the others, and a bug in a check is reported as V399 for that file, not as a traceback.
"""

from __future__ import annotations

import gc
import os
from array import array
from collections import deque
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..diagnostics import Diagnostic, Severity
from . import cache as cache_mod
from .codes import diagnostic
from .corpus import CorpusFacts
from .isolated import in_own_thread
from .schema import DOCUMENT, REGISTER, kind_of
from .xmlfile import MAX_BYTES, XmlFile, read_xml

DEFAULT_PATHS = (Path("tei"), Path("source/register.xml"))
LAYER_ORDER = {"file": 0, "schema": 1, "tei": 2, "rules": 3}
PARALLEL_FROM = 24  # files to check before workers (and warming up) pay for themselves
#: Results that say more about this machine than about the file are not kept: tei_all not
#: set up (V202), a bug in a check (V399).
UNCACHED = {"V202", "V399"}
#: Files a worker checks per message (and per thread, :mod:`.isolated`): enough to make the
#: messages' cost small, few enough that the workers finish together and results come back
#: (in order) as they are made.
CHUNK = 32
AHEAD = 4  # chunks given to each worker ahead of the one whose results are awaited
LOOK_UP = 500  # files whose results are looked up in the cache in one query
NO_KEY = bytes(32)  # (in place of the key of a file not worth caching)
MAX_PER_FILE = 500  # problems listed for one file; a broken file repeats its faults


@dataclass(frozen=True)
class Options:
    max_bytes: int = MAX_BYTES
    jobs: int = 0  # 0: all cores
    use_cache: bool = True
    register: Path | None = None  # default: source/register.xml
    quick: bool = True  # documents read hollow first (:mod:`.hollow`); False: for tests


@dataclass
class FileResult:
    shown: str
    kind: str
    diagnostics: list[Diagnostic]
    facts: dict | None  # None when the file could not be parsed
    cached: bool = False


@dataclass
class Report:
    files: list[str]
    diagnostics: list[Diagnostic]
    cached: int = 0

    def summary(self) -> dict[str, int]:
        errors = sum(d.severity == Severity.ERROR for d in self.diagnostics)
        warnings = sum(d.severity == Severity.WARNING for d in self.diagnostics)
        return {"files": len(self.files), "errors": errors, "warnings": warnings,
                "files_with_problems": len({d.file for d in self.diagnostics
                                            if d.severity != Severity.INFO}),
                "from_cache": self.cached}


def find_files(paths: Iterable[Path | str]) -> list[str]:
    """Files and folders (their ``*.xml``, recursively) into files, in a stable order (a
    folder's files as ``Path.rglob`` finds and sorts them), as strings: a Path object of
    each of 10,000 files held 4 MB, and finding them with ``rglob`` twice that.

    A path given by name that does not exist stays in the list: reading it reports V001.
    Without paths: tei/ and source/register.xml, where they exist.
    """
    given = [_normal(os.fspath(p)) for p in paths]
    found: list[str] = []
    for path in given or [str(p) for p in DEFAULT_PATHS]:
        if os.path.isdir(path):
            # (components compared one by one, as Path orders them: "\0" sorts first)
            found.extend(sorted(_xml_files(path), key=lambda p: p.replace(os.sep, "\0")))
        elif os.path.exists(path) or given:
            found.append(path)
    seen: set[str] = set()
    unique = []
    folders: dict[str, str] = {}
    for path in found:
        key = real_path(path, folders)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _normal(path: str) -> str:
    """``str(Path(path))``; ``path`` itself when that is it (the list of files given again,
    as the command does, is not copied)."""
    normal = str(Path(path))
    return path if normal == path else normal


def _xml_files(folder: str) -> Iterator[str]:
    """The ``*.xml`` files in ``folder`` and below (symbolic links to folders not followed),
    written as ``str(Path(folder).rglob(...))`` writes them."""
    for top, _folders, names in os.walk(folder):
        for name in names:
            if name.endswith(".xml"):
                path = os.path.join(top, name)
                if folder == os.curdir:
                    path = path[len(os.curdir + os.sep):]
                if os.path.isfile(path):
                    yield path


def real_path(path: Path | str, folders: dict[str, str]) -> str:
    """``os.path.realpath(path)``, with the real path of each folder worked out once
    (``folders``: by folder as written): a realpath is a stat per folder of the path, paid
    for every one of thousands of files; a file that is no symbolic link only needs the
    real path of its folder."""
    head, tail = os.path.split(path)
    if tail in ("", os.curdir, os.pardir) or os.path.islink(path):
        return os.path.realpath(path)
    real = folders.get(head)
    if real is None:
        real = folders[head] = os.path.realpath(head or os.curdir)
    return os.path.join(real, tail)


def shown_as(path: Path | str, cwd: str) -> str:
    """The name used in messages: relative to the working directory when inside it (the
    string given, not a copy, when it is that already)."""
    written = os.fspath(path)
    if not os.path.isabs(written) and os.pardir not in written.split(os.sep):
        rel = os.path.normpath(written)  # what relpath(abspath(...)) gives, without its work
    else:
        rel = os.path.relpath(os.path.abspath(path), cwd)
    if rel.startswith(".."):
        return str(path)
    return written if rel == written else rel


def check_file(path: Path, shown: str, max_bytes: int = MAX_BYTES,
               quick: bool = True) -> FileResult:
    """The four layers on one file; with ``quick``, a document is first read hollow
    (:mod:`.hollow`), and that verdict stands when the file has nothing to report.

    A tei_all error on the line of an element the project's own checks already faulted says
    the same thing less precisely, and is left out: one fault, one report.
    """
    if quick:
        from .hollow import hollow_file
        hollow = hollow_file(path, shown, max_bytes)
        if hollow is not None:
            result = _checked(hollow)
            # (a check that asked for the walk of every element found a fault, which a
            # hollow file may not show)
            if not result.diagnostics and result.facts is not None and \
                    not hollow.index.walked_whole:
                return result
    return _checked(read_xml(path, shown, max_bytes))


def _checked(f: XmlFile) -> FileResult:
    """The four layers on a file read."""
    shown = f.shown
    if f.tree is None:
        return FileResult(shown, DOCUMENT, f.problems, None)
    kind = kind_of(f.tree)
    out: list[Diagnostic] = []
    anchors: set[int] = set()
    schema_errors = _guarded(out, f, "the project schema", _schema_layer, kind, anchors)
    conformance = _guarded(out, f, "tei_all", _tei_layer)
    _guarded(out, f, "the rules", _rules_layer, kind, not schema_errors)
    facts = _guarded_facts(out, f)
    anchors |= {d.line for d in out if d.severity == Severity.ERROR and d.line
                and d.code[1] in "13"}
    restated = {id(d) for d in conformance if d.code == "V201" and d.line in anchors}
    found = _ordered([d for d in out if id(d) not in restated])
    if len(found) > MAX_PER_FILE:
        found = found[:MAX_PER_FILE] + [diagnostic(
            "V399", f"{len(found) - MAX_PER_FILE} more problems in this file are not listed; "
            "fix the first ones and check again", file=shown,
            hint="a file with this many problems is probably not a document of the edition")]
    return FileResult(shown, kind, found, facts)


def _schema_layer(f: XmlFile, kind: str, anchors: set[int]) -> list[Diagnostic]:
    """The project schema's errors; ``anchors`` gets the lines of the elements concerned."""
    from .schema import check_schema
    found, elements = check_schema(f, kind)
    anchors |= elements
    return found


def _tei_layer(f: XmlFile) -> list[Diagnostic]:
    from .conformance import check_tei
    return check_tei(f)


def _rules_layer(f: XmlFile, kind: str, schema_ok: bool) -> list[Diagnostic]:
    from .checks import dangling_pointers, dates, duplicate_ids, file_name, id_prefixes
    from .corpus import namesakes
    from .fidelity import check_fidelity
    from .schematron import check_schematron
    out = check_schematron(f) + duplicate_ids(f) + dangling_pointers(f) + dates(f)
    if kind == DOCUMENT:
        out += id_prefixes(f) + file_name(f) + check_fidelity(f, schema_ok)
    else:
        out += namesakes(f)
    return out


def _guarded(out: list[Diagnostic], f: XmlFile, layer: str,
             check: Callable[..., list[Diagnostic]], *args) -> list[Diagnostic]:
    """Run one layer; its errors are also returned.  A bug in a check is reported (V399)
    and must not hide the other layers' results."""
    try:
        found = check(f, *args)
    except Exception as exc:
        found = [diagnostic("V399", f"internal error while checking {layer} "
                            f"({type(exc).__name__}: {exc})", file=f.shown)]
    out.extend(found)
    return [d for d in found if d.severity == Severity.ERROR]


def _guarded_facts(out: list[Diagnostic], f: XmlFile) -> dict | None:
    from .corpus import facts_of
    try:
        return facts_of(f)
    except Exception as exc:
        out.append(diagnostic("V399", f"internal error while reading the file's ids and "
                              f"references ({type(exc).__name__}: {exc})", file=f.shown))
        return None


def _ordered(found: list[Diagnostic]) -> list[Diagnostic]:
    from .codes import RULES
    return sorted(found, key=lambda d: (d.line or 0, LAYER_ORDER[RULES[d.code].layer], d.code,
                                        d.column or 0))


# ----------------------------------------------------------------------------- the run


def validate(paths: Iterable[Path | str] = (), options: Options = Options(),
             progress: Callable[[], None] | None = None) -> Report:
    """Validate files and folders (default: tei/ and source/register.xml).

    The register the documents' standOff copies are checked against is ``options.register``,
    else the register among the files checked, else source/register.xml (read for reference
    when it is not among the files).

    Results are taken one by one, in file order, as the workers give them: each file's
    diagnostics are kept, its facts reduced at once (:class:`.corpus.CorpusFacts`); only the
    results of files that may be the register are kept whole.
    """
    files = find_files(paths)
    cwd = os.getcwd()
    names = [shown_as(p, cwd) for p in files]
    with cache_mod.ResultCache() if options.use_cache else nullcontext() as store:
        maybe_register = {os.path.realpath(p) for p in (options.register,
                                                        Path("source/register.xml")) if p}
        corpus = CorpusFacts()
        diagnostics: list[Diagnostic] = []
        registers: dict[int, tuple[str, FileResult]] = {}  # possible registers: real path, result
        folders: dict[str, str] = {}
        cached = 0
        for k, result in enumerate(_results(files, names, options, store, progress)):
            diagnostics.extend(result.diagnostics)
            cached += result.cached
            if result.facts is not None:
                corpus.add(result.shown, result.kind == DOCUMENT, result.facts)
            real = real_path(files[k], folders)
            if (result.kind == REGISTER and result.facts is not None) or real in maybe_register:
                registers[k] = real, result
        found = [k for k, (_real, r) in registers.items()
                 if r.kind == REGISTER and r.facts is not None]
        register_path = options.register or (Path(files[found[0]]) if len(found) == 1
                                             else Path("source/register.xml"))
        wanted = os.path.realpath(register_path)
        # (the files are all different real paths, and the register's is among those kept)
        at = next((k for k, (real, _r) in registers.items() if real == wanted), None) \
            if register_path.exists() else None
        register = registers[at][1] if at is not None else None
        if at is None and register_path.is_file():
            register, = _results([str(register_path)], [shown_as(register_path, cwd)], options,
                                 store, None)
    diagnostics.extend(_corpus_rules(corpus, register, shown_as(register_path, cwd),
                                     register_in_run=at is not None))
    order = {shown: k for k, shown in enumerate(names)}
    diagnostics.sort(key=lambda d: (order.get(d.file, len(order)), d.line or 0))
    return Report(names, diagnostics, cached=cached)


def _corpus_rules(corpus: CorpusFacts, register: FileResult | None, register_name: str,
                  register_in_run: bool) -> list[Diagnostic]:
    from .corpus import register_use, standoff_copies
    out = list(corpus.clashes())
    register_facts = register.facts if register is not None else None
    known = {eid: digest for eid, _line, digest in register_facts["entries"]} \
        if register_facts is not None else None
    for shown, entries in corpus.copies():
        out.extend(standoff_copies(shown, entries, known, register_name))
    if register_in_run and register_facts is not None and corpus.documents:
        out.extend(register_use(register.shown, register_facts,  # type: ignore[union-attr]
                                corpus.used))
    return out


def _results(files: list[str], names: list[str], options: Options, store,
             progress: Callable[[], None] | None) -> Iterator[FileResult]:
    """The result of each file, in order: from the cache, else checked (and then cached).
    Results found in the cache are read one at a time as their turn comes; what is kept
    of each file until then is its key's 32 bytes."""
    salt = cache_mod.salt(f"max_bytes={options.max_bytes}") if store else ""
    keys = bytearray()  # each file's key, or NO_KEY
    todo = array("q")  # the positions of the files to check
    for at in range(0, len(files), LOOK_UP):
        batch = {}
        for k in range(at, min(at + LOOK_UP, len(files))):
            key = _key(store, salt, Path(files[k]), names[k], options.max_bytes)
            keys += bytes.fromhex(key) if key is not None else NO_KEY
            batch[k] = key
        found = store.present([key for key in batch.values() if key]) if store else set()
        for k, key in batch.items():
            if key in found:
                if progress:
                    progress()
            else:
                todo.append(k)
    checked = _check_all(files, names, todo, options, progress)
    at = 0  # the next file of todo
    for k in range(len(files)):
        raw = bytes(keys[32 * k:32 * k + 32])
        key = raw.hex() if raw != NO_KEY else None
        if at < len(todo) and todo[at] == k:
            at += 1
            result = next(checked)
        else:
            hit = store.get(key)
            if hit is not None:
                kind, diagnostics, facts = hit
                yield FileResult(names[k], kind, diagnostics, facts, cached=True)
                continue
            # (gone since it was seen: another run's cache, in between, kept its own)
            result = check_file(Path(files[k]), names[k], options.max_bytes, options.quick)
        if key is not None and result.facts is not None and not any(
                d.code in UNCACHED for d in result.diagnostics):
            store.put(key, result.kind, result.diagnostics, result.facts)
        yield result
    if store:
        store.save()


def _key(store, salt: str, path: Path, shown: str, max_bytes: int) -> str | None:
    """The cache key of a file; None for files not worth caching (unreadable, too large)."""
    if store is None:
        return None
    try:
        if not path.is_file() or path.stat().st_size > max_bytes:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return cache_mod.file_key(salt, shown, path, data)


def _check_all(files: list[str], names: list[str], todo: Sequence[int], options: Options,
               progress: Callable[[], None] | None) -> Iterator[FileResult]:
    """Check the files at the positions ``todo``, in worker processes when there are many;
    results come in order, each as soon as it and those before it are done (none is held
    longer).  Many files are checked a chunk at a time, each chunk in a thread of its own
    (:mod:`.isolated`), and a few chunks are given to the workers ahead (not all: they would
    be held until done)."""
    jobs = options.jobs or os.cpu_count() or 1
    if len(todo) < PARALLEL_FROM:
        for k in todo:
            yield check_file(Path(files[k]), names[k], options.max_bytes, options.quick)
            if progress:
                progress()
        return
    _warm_up()
    chunks = ([(files[k], names[k], options.max_bytes, options.quick)
               for k in todo[at:at + CHUNK]] for at in range(0, len(todo), CHUNK))
    if jobs <= 1:
        for chunk in chunks:
            for result in _chunk(chunk):
                yield result
                if progress:
                    progress()
        return
    from concurrent.futures import Future  # (here: a run in one process does without,

    from .. import workers  # 8 ms to import)

    # What a worker inherits (modules, schemas) lives as long as it: frozen at its start,
    # its collector never walks those objects again, nor copies their pages (gc.freeze).
    with workers.pool(jobs, initializer=gc.freeze) as pool:
        ahead: deque[Future[list[FileResult]]] = deque(
            pool.submit(_chunk, chunk) for chunk in islice(chunks, AHEAD * jobs))
        while ahead:
            results = ahead.popleft().result()
            for chunk in islice(chunks, 1):
                ahead.append(pool.submit(_chunk, chunk))
            for result in results:
                yield result
                if progress:
                    progress()


def _chunk(chunk: list[tuple[str, str, int, bool]]) -> list[FileResult]:
    """The results of a chunk of files, checked in a thread of its own."""
    return in_own_thread(lambda: [check_file(Path(path), shown, max_bytes, quick)
                                  for path, shown, max_bytes, quick in chunk])


def _warm_up() -> None:
    """Compile the schemas once in the parent: the forked workers inherit them.  (xmlschema
    is left out: it is loaded only by a worker that meets an invalid file.)"""
    from .conformance import ConformanceUnavailable, outline
    from .schema import fast_schema
    from .schema_parts import document_outline
    from .schematron import _parts, _schematron
    fast_schema(DOCUMENT)
    document_outline()
    fast_schema(REGISTER)
    _schematron()
    _parts()
    try:
        outline()
    except ConformanceUnavailable:
        pass  # each file reports V202
