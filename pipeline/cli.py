"""The command line: options in, a library call, messages out, an exit status.  No logic.

Exit status: 0 when all went well (warnings allowed unless ``--strict``), 1 when any file
had an error, 2 for a wrong command line (click's own).
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Mapping

import click

from . import __version__
from .diagnostics import Severity, as_text, exit_status, status_for


def _console():
    from rich.console import Console
    return Console(stderr=True, highlight=False)


def _say(message: str, err: bool = True) -> None:
    click.echo(message, err=err)


QUIET = click.option("-q", "--quiet", is_flag=True,
                     help="Print errors and the summary only (warnings still count for --strict).")


def _shown(diagnostics, quiet: bool) -> list:
    """The problems to print: all of them, or with ``quiet`` the errors only."""
    return [d for d in diagnostics if not quiet or d.severity == Severity.ERROR]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="teipipe")
def main() -> None:
    """Archive document pages into a scholarly TEI edition."""
    from .gc_guard import collector_safe  # (profiled on Python 3.11.0-3.11.2: see there)
    click.get_current_context().with_resource(collector_safe())


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("tei"), show_default=True, help="Folder for the TEI files.")
@click.option("--force", is_flag=True, help="Overwrite TEI files even if changed by hand.")
@click.option("--strict", is_flag=True, help="Exit with status 1 on warnings too.")
@click.option("-j", "--jobs", type=int, default=0,
              help="Worker processes (default: all cores).")
@QUIET
@click.option("--register", "register", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Authority register for names [default: "
              "source/register.xml when it exists; without one, names are not tagged].")
@click.option("--ner/--no-ner", default=True, show_default=True,
              help="Let the statistical recognizer (spaCy, when installed) propose names.")
@click.option("--rebuild", is_flag=True,
              help="Convert every source, also those whose TEI file is up to date.")
@click.option("--stamp", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Touch this file when a TEI file was written (or it does not exist yet): "
              "what depends on the TEI is then out of date for make.")
def convert(sources: tuple[Path, ...], out_dir: Path, force: bool, strict: bool, jobs: int,
            quiet: bool, register: Path | None, ner: bool, rebuild: bool,
            stamp: Path | None) -> None:
    """Convert archive pages (SOURCE files or folders of .txt files) to TEI.

    Each NAME.txt becomes OUTPUT/NAME.xml.  Problems are reported one per line as
    file:line: severity: message [code]; the batch goes on past bad files.  A source whose
    TEI file is up to date (same page, register, settings and teipipe) is not converted
    again; its warnings are repeated.
    """
    from .batch import Plan, Tally
    from .files import find_sources
    from .record_store import store_path

    paths, problems = find_sources(sources or (Path("source"),))
    for d in problems:
        _say(d.format())
    settings = _entity_settings(register, ner)
    plan = Plan(paths, out_dir, force, settings, store_path("convert", out_dir), rebuild)
    del paths  # the plan has them, as strings (10,000 paths as objects: 4 MB)
    if plan.work and settings:
        _check_register(Path(settings["register"]))
    tally = Tally()
    with _progress("converting", plan.work) as advance:
        for r in plan.run(jobs or os.cpu_count() or 1, advance):
            shown = _shown(r.diagnostics, quiet)
            if shown:
                _say(as_text(shown))
            tally.add(r)
    counts = tally.counts
    tally.note(problems)
    if stamp is not None and (counts["written"] or not stamp.exists()):
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    _say(f"{counts['files']} files: {counts['written']} written, {counts['unchanged']} "
         f"unchanged, {counts['refused']} refused, {counts['failed']} failed; "
         f"{counts['warnings']} warnings")
    sys.exit(status_for(tally.worst, strict))


def _entity_settings(register: Path | None, ner: bool) -> dict:
    """Settings of the entity tagger: the register (by path and content) and the recognizer."""
    from .entities.register import DEFAULT_PATH
    if register is None and not DEFAULT_PATH.exists():
        return {}
    path = register or DEFAULT_PATH
    try:
        data = path.read_bytes()
    except OSError:
        _check_register(path)  # says why it cannot be read, and stops
    import hashlib

    from .assets import cache_dir
    return {"register": str(path), "register-sha256": hashlib.sha256(data).hexdigest(),
            "ner": ner, "cache": str(cache_dir() / "ner")}


def _check_register(path: Path) -> None:
    """Stop before any writing when the register has errors.

    Converting with a register that cannot be read would rewrite every TEI file without its
    links, so the run stops and says why instead.  (A register already used for every TEI
    file, unchanged since, needs no check: nothing is converted.)
    """
    from .entities.register import RegisterError, load_register
    try:
        load_register(path)
    except RegisterError as exc:
        _say(as_text(exc.diagnostics))
        _say("the register has errors: nothing was converted")
        sys.exit(1)


@contextmanager
def _progress(what: str, total: int):
    """One progress bar on stderr for ``total`` steps (when stderr is a terminal); yields
    the function that advances it."""
    if not sys.stderr.isatty() or total < 2:
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(), console=_console(),
                  transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda: bar.advance(task)


@contextmanager
def _phases():
    """One progress bar on stderr (when it is a terminal) for a run in phases: yields the
    ``(start(what, total), advance())`` pair a phase reports through."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(), console=_console(),
                  transient=True) as bar:
        current = []

        def start(what: str, total: int) -> None:
            if current:
                bar.remove_task(current.pop())
            current.append(bar.add_task(what, total=total))
        yield start, lambda: bar.advance(current[-1])


@main.group()
def export() -> None:
    """Build the editions from the TEI files: `export html`, `export text`."""


def _report_export(result, out_dir: Path, entry: str, strict: bool, quiet: bool,
                   *more) -> int:
    """Print an export's problems and summary; its exit status.  ``more``: the
    (result, out_dir, entry) of editions made in the same run (a problem both report is
    printed once)."""
    runs = ((result, out_dir, entry), *more)
    found = list(dict.fromkeys(d for outcome, _, _ in runs for d in outcome.diagnostics))
    for d in _shown(found, quiet):
        _say(d.format())
    for outcome, folder, page in runs:
        w = outcome.written
        if w is not None:
            noun = "document" if outcome.documents == 1 else "documents"
            held = f", {w.held} left as they were (an input could not be read)" \
                if w.held else ""
            _say(f"{outcome.documents} {noun}: {w.written} files written, {w.unchanged} "
                 f"unchanged, {w.removed} removed{held}; open {folder / page}")
    return exit_status(found, strict)


#: The review of names written in the same run as an edition (`make all` does).
REVIEW_OUTPUT = click.option(
    "--review-output", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Write there the review of names that `entities review SOURCES -o REVIEW_OUTPUT` "
    "writes, the same file, from the same reading of each TEI file.")
REVIEW_FORMAT = click.option(
    "--review-format", type=click.Choice(["text", "tsv", "json"]), default="text",
    show_default=True, help="The review's format (as `entities review --format`).")


@export.command("html")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build/html"), show_default=True, help="Folder for the site.")
@click.option("--title", default=None,
              help="The edition's title (default: [edition] title in edition.toml).")
@click.option("--description", default=None, help="One paragraph for the home page "
              "(default: [edition] description in edition.toml, else the TEI projectDesc).")
@click.option("--base-url", default="", help="The address the site will be published at, "
              "for the citations (e.g. https://example.org/edition/).")
@click.option("--register", "register", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="The register file (default: source/register.xml if any).")
@click.option("--edition-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Edition metadata (default: edition.toml if any).")
@click.option("--force", is_flag=True, help="Overwrite files teipipe did not write there.")
@click.option("--strict", is_flag=True, help="Exit with status 1 on warnings too.")
@click.option("-j", "--jobs", type=int, default=0, help="Worker processes (default: all cores).")
@click.option("--rebuild", is_flag=True, help="Make every file, also those up to date.")
@click.option("--text-output", "text_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Build the plain-text edition there too, as `export text -o "
              "TEXT_OUTPUT` does, reading each TEI file once for both.")
@REVIEW_OUTPUT
@REVIEW_FORMAT
@QUIET
def export_html(sources: tuple[Path, ...], out_dir: Path, title: str | None,
                description: str | None, base_url: str, register: Path | None,
                edition_file: Path | None, force: bool, strict: bool, jobs: int,
                rebuild: bool, text_dir: Path | None, review_output: Path | None,
                review_format: str, quiet: bool) -> None:
    """The HTML edition of the TEI files (SOURCES files or folders; default tei/).

    A static site that works opened from disk or from any web server: open
    OUTPUT/index.html.  With --text-output, the plain-text edition too; with
    --review-output, the review of names.
    """
    from .export.run import TextEdition, edition_options
    from .export.run import export_editions as run
    from .record_store import store_path
    default_register, default_edition = Path("source/register.xml"), Path("edition.toml")
    register = register or (default_register if default_register.is_file() else None)
    edition_file = edition_file or (default_edition if default_edition.is_file() else None)
    options, problems = edition_options(edition_file, title, description, base_url)
    plain = None if text_dir is None else TextEdition(text_dir,
                                                      record=store_path("export-text", text_dir))
    review = _ExportReview(sources, review_output, review_format, jobs)
    with _phases() as progress:
        result, plain_result = run(sources, out_dir, options, register, plain, force,
                                   jobs or os.cpu_count() or 1,
                                   store_path("export-html", out_dir), rebuild, progress,
                                   review_output is not None,
                                   lambda outcome: review.make(outcome.names))
    result.diagnostics[:0] = problems
    status = _report_export(result, out_dir, "index.html", strict, quiet,
                            *([(plain_result, text_dir, "corpus.txt")] if plain_result else []))
    sys.exit(review.status(status, result.names))


class _ExportReview:
    """The review of names an export writes too (``--review-output``, when given), with the
    names its workers found: made as soon as the export has read every file (while its
    workers make the pages: not serial work after them, :func:`.export.run.export_editions`),
    else after the export; what it says is said after the export's own report."""

    def __init__(self, sources: tuple[Path, ...], output: Path | None, fmt: str, jobs: int):
        self.sources, self.output, self.fmt, self.jobs = sources, output, fmt, jobs
        self.made: tuple[int, list[str]] | None = None  # its exit status, its messages

    def make(self, found: Mapping | None, during: bool = True) -> None:
        """Make the review, unless made already (``during`` the export: a failure, such
        as a review that cannot be written, is left for the try after it, which stops the
        command as it always did, rather than stopping the export halfway)."""
        if self.output is None or self.made is not None:
            return
        said: list[str] = []
        try:
            self.made = _review(self.sources, self.fmt, self.output, self.jobs, found,
                                said.append), said
        except Exception:
            if not during:
                raise

    def status(self, status: int, found: Mapping | None) -> int:
        """The exit status of the export (``status``) and the review: the worse of the two
        (the review made now if it was not made during the export).  The names ``found``
        are let go of then (:meth:`.entities.review.Found.close`: a store on disk)."""
        try:
            self.make(found, during=False)
        finally:
            close = getattr(found, "close", None)
            if close is not None:
                close()
        if self.made is None:
            return status
        for message in self.made[1]:
            _say(message)
        return max(status, self.made[0])


def _with_review(status: int, sources: tuple[Path, ...], output: Path | None, fmt: str,
                 jobs: int, found: Mapping | None) -> int:
    """The exit status of an export (``status``) that writes the review to ``output``
    too (when given), with the names its workers ``found``: the worse of the two."""
    return _ExportReview(sources, output, fmt, jobs).status(status, found)


@export.command("text")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build/text"), show_default=True, help="Folder for the texts.")
@click.option("--width", type=click.IntRange(min=0), default=78, show_default=True,
              help="Wrap lines at this many characters; 0 for no wrapping.")
@click.option("--diplomatic", is_flag=True,
              help="Write each document's text exactly as the source has it, nothing added.")
@click.option("--force", is_flag=True, help="Overwrite files teipipe did not write there.")
@click.option("--strict", is_flag=True, help="Exit with status 1 on warnings too.")
@click.option("-j", "--jobs", type=int, default=0, help="Worker processes (default: all cores).")
@click.option("--rebuild", is_flag=True, help="Make every file, also those up to date.")
@REVIEW_OUTPUT
@REVIEW_FORMAT
@QUIET
def export_text(sources: tuple[Path, ...], out_dir: Path, width: int, diplomatic: bool,
                force: bool, strict: bool, jobs: int, rebuild: bool,
                review_output: Path | None, review_format: str, quiet: bool) -> None:
    """The plain-text edition of the TEI files (SOURCES files or folders; default tei/).

    NAME.txt per document (a header block, then the text), corpus.txt (every text, one
    paragraph per line) and corpus.tsv (the metadata, one row per document).  With
    --review-output, the review of names too.
    """
    from .export.run import export_text as run
    from .record_store import store_path
    with _phases() as progress:
        result = run(sources, out_dir, width, diplomatic, force, jobs or os.cpu_count() or 1,
                     store_path("export-text", out_dir), rebuild, progress,
                     review_output is not None)
    status = _report_export(result, out_dir, "corpus.txt", strict, quiet)
    sys.exit(_with_review(status, sources, review_output, review_format, jobs, result.names))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "github"]),
              default="text", show_default=True, help="How to report the problems.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report there (the summary still goes to the terminal).")
@click.option("--strict", is_flag=True, help="Exit with status 1 on warnings too.")
@click.option("--ignore", metavar="CODES", default="",
              help="Rules to leave out, comma-separated (V314,V321).")
@click.option("--all", "show_all", is_flag=True,
              help="List every problem (text shows 20 per rule and file).")
@click.option("-j", "--jobs", type=int, default=0, help="Worker processes (default: all cores).")
@click.option("--no-cache", is_flag=True, help="Check every file, even unchanged ones.")
@click.option("--register", type=click.Path(dir_okay=False, path_type=Path),
              help="The entity register (default: the one among PATHS, else "
                   "source/register.xml).")
@click.option("--max-bytes", type=click.IntRange(1), default=None,
              help="Refuse larger files unread (default: 8 MB).")
def validate(paths: tuple[Path, ...], fmt: str, output: Path | None, strict: bool,
             ignore: str, show_all: bool, jobs: int, no_cache: bool, register: Path | None,
             max_bytes: int | None) -> None:
    """Check TEI files (PATHS: files or folders; default tei/ and source/register.xml).

    Four layers, in order: well-formed and safe XML, the project schema (schema/teipipe.xsd,
    schema/register.xsd), TEI P5 (tei_all), the edition's rules (schema/teipipe.sch and
    Python checks, the register and the source pages).  Every problem of every file is
    reported as file:line:column: severity: message [code], with a hint; exit status 1 on
    any error (with --strict, on any warning).
    """
    from dataclasses import replace

    from .validate.report import render, summary_line
    from .validate.run import Options, find_files, validate as run_validate
    from .validate.xmlfile import MAX_BYTES

    options = Options(max_bytes=max_bytes or MAX_BYTES, jobs=jobs, use_cache=not no_cache,
                      register=register)
    files = find_files(paths)
    with _progress("validating", len(files)) as advance:
        report = run_validate(files, options, progress=advance)
    skip = {code.strip().upper() for code in ignore.split(",") if code.strip()}
    report = replace(report, diagnostics=[d for d in report.diagnostics if d.code not in skip])
    text = render(report, fmt, limit=None if show_all else 20)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text + "\n", encoding="utf-8")
        _say(summary_line(report))
    elif fmt == "text":
        _say(text, err=False)
    else:
        _say(text, err=False)
        _say(summary_line(report))
    sys.exit(exit_status(report.diagnostics, strict))


@main.command()
@click.argument("root", required=False, default=Path("."),
                type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), default=None,
              help="Package folder [default: ROOT/build/deposit; ROOT/build/dspace-saf].")
@click.option("--format", "fmts", type=click.Choice(["bagit", "dspace-saf"]), multiple=True,
              help="A BagIt 1.0 bag, or a DSpace Simple Archive Format batch [default: bagit]; "
              "give it twice for both in one run (each to its default folder).")
@click.option("--archive", type=click.Choice(["zip", "tar.gz"]), default=None,
              help="Also write the package as one reproducible file beside its folder.")
@click.option("--compress-level", "level", type=click.IntRange(0, 9), default=None,
              help="Deflate level of the --archive: 0 stored, 1-9 libdeflate's (9 smallest; "
              "zlib's for files over 8 MiB) [default: 1, the fastest].")
@click.option("--verify", "bag", type=click.Path(path_type=Path), default=None,
              help="Check the bag BAG (folder, .zip or .tar.gz) instead of making one.")
@click.option("--force", is_flag=True, help="Replace an output folder teipipe did not make.")
@click.option("--strict", is_flag=True, help="Exit with status 1 on warnings too.")
@QUIET
def deposit(root: Path, out: Path | None, fmts: tuple[str, ...], archive: str | None,
            level: int | None, bag: Path | None, force: bool, strict: bool,
            quiet: bool) -> None:
    """Package the edition in ROOT for institutional repositories (DSpace, Fedora, Zenodo).

    Takes tei/, source/ (pages, register), schema/, build/html/ and build/text/; adds Dublin
    Core and METS for each document.  The same edition always gives the same bytes; the
    package date is SOURCE_DATE_EPOCH, else the newest commit of the edition's sources.
    """
    if bag is not None:
        from .deposit.verify import verify
        problems = verify(bag)
        if problems:
            _say(as_text(problems))
        _say(f"{bag}: {'damaged, ' + str(len(problems)) + ' problems' if problems else 'valid'}")
        sys.exit(exit_status(problems))
    fmts = tuple(dict.fromkeys(fmts)) or ("bagit",)
    if out is not None and len(fmts) > 1:
        raise click.UsageError("-o names one package folder: give one --format with it")
    from .deposit.heap import release_large_buffers
    from .deposit.make import DEFAULT_OUTPUT, Shared, make_package
    from .deposit.deflate import LEVEL, Unavailable, deflate
    from .record_store import store_path
    release_large_buffers()  # peak memory that does not grow with the edition
    level = LEVEL if level is None else level
    try:
        if archive:
            deflate(level)
    except Unavailable as exc:
        from .diagnostics import error
        _say(as_text([error("E510", f"cannot write the archive: {exc}",
                            hint="run `make setup` (or `pip install -e .`) to install it")]))
        sys.exit(1)
    shared = Shared.of(root, len(fmts), level)  # packages read, hash, parse, deflate once
    everything: list = []
    summary: list[str] = []  # said once every archive is written: one may be written beside
    for fmt in fmts:         # the next package, in a child process (deposit/background.py)
        target = out if out is not None else root / DEFAULT_OUTPUT[fmt]
        try:
            made, notes = make_package(root, target, fmt, archive, force,
                                       os.environ.get("SOURCE_DATE_EPOCH"),
                                       store_path(f"deposit-{fmt}", target), shared, level)
        except OSError as exc:  # an archive not written (a package folder's own are notes)
            from .diagnostics import error
            from .files import display_path
            shown = display_path(Path(exc.filename)) if exc.filename else None
            _say(as_text([error("E509", f"cannot write the archive: {exc.strerror or exc}",
                                file=shown, hint="free space or make the folder writable, "
                                "then run the deposit again")]))
            sys.exit(1)
        shown = [d for d in _shown(notes, quiet) if d not in everything]  # once per run
        if shown:
            _say(as_text(shown))
        if made.folder is not None:
            also = f" and {made.archive}" if made.archive else ""
            summary.append(f"{made.documents} documents, {made.files} edition files: "
                           f"{made.folder}{also}")
        else:
            summary.append("no package written")
        everything += notes
    for line in summary:
        _say(line)
    sys.exit(exit_status(everything, strict))


@main.command()
@click.argument("names", nargs=-1)
def setup(names: tuple[str, ...]) -> None:
    """Fetch the third-party files the checks need, checksum-checked: the tei_all, METS and
    Dublin Core schemas, or only the assets NAMEd (axe.min.js, for the browser tests)."""
    from .assets import ASSETS, TEST_ASSETS, AssetError, path_of
    known = {asset.name: asset for asset in (*ASSETS, *TEST_ASSETS)}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise click.BadParameter(f"unknown asset {unknown[0]!r}; known: {', '.join(known)}")
    for asset in [known[n] for n in names] or ASSETS:
        try:
            path = path_of(asset)
        except AssetError as exc:
            _say(f"error: {exc}")
            sys.exit(1)
        _say(f"{asset.name}: {path} ({asset.licence})", err=False)
    from .validate.conformance import prepare
    _say(f"tei_all pruned to the project's elements: {prepare()}", err=False)
    from .entities.register import DEFAULT_PATH
    if not names and DEFAULT_PATH.exists():  # built now, not by the first convert
        from .assets import cache_dir
        from .entities.gazetteer import prepare as prepare_gazetteer
        _say(f"gazetteer for {DEFAULT_PATH}: "
             f"{prepare_gazetteer(DEFAULT_PATH, cache_dir() / 'gazetteer')}", err=False)


# ----------------------------------------------------------------------------- entities


@main.group()
def entities() -> None:
    """People, places and organizations: review proposals, score against gold files."""


@entities.command("score")
@click.option("--gold", "golds", multiple=True, required=True,
              type=click.Path(exists=True, path_type=Path),
              help="Gold file NAME.gold.tsv, or a folder of them (repeatable).")
@click.option("--register", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Register for linking accuracy [default: source/register.xml].")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--errors", is_flag=True, help="Also list missed, spurious and mislinked names.")
@click.argument("teis", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def entities_score(golds: tuple[Path, ...], register: Path | None, fmt: str, errors: bool,
                   teis: tuple[Path, ...]) -> None:
    """Precision, recall and F1 of TEI files' names against gold files, and linking.

    Each TEI file NAME.xml is scored against NAME.gold.tsv (one gold file and one TEI file
    are paired whatever their names).
    """
    import json

    from .entities.register import DEFAULT_PATH, RegisterError, load_register
    from .entities.score import GoldError, Score, pair, read_gold, tei_mentions
    gold_files = [g for p in golds for g in (sorted(p.glob("*.gold.tsv")) if p.is_dir()
                                             else [p])]
    tei_files = [t for p in teis for t in (sorted(p.glob("*.xml")) if p.is_dir() else [p])]
    reg = None
    try:
        if register or DEFAULT_PATH.exists():
            reg, _notes = load_register(register or DEFAULT_PATH)
    except RegisterError as exc:
        _say(as_text(exc.diagnostics))
        sys.exit(1)
    pairs = pair(gold_files, tei_files)
    if not pairs:
        _say("error: no TEI file matches a gold file (NAME.xml and NAME.gold.tsv)")
        sys.exit(1)
    from lxml import etree

    from .tei.read import TEIError
    score = Score()
    failed = False
    for gold, tei_path in pairs:
        try:
            score.add(tei_path.stem, read_gold(gold), tei_mentions(tei_path), reg)
        except GoldError as exc:
            _say(f"error: {exc}")
            failed = True
        except (TEIError, etree.XMLSyntaxError, OSError) as exc:
            _say(f"{tei_path}: error: cannot read the TEI file: {exc}")
            failed = True
    if failed:
        sys.exit(1)
    if fmt == "json":
        data = score.as_data()
        data["documents"] = len(pairs)
        click.echo(json.dumps(data, indent=1))
        return
    from .entities.report import score_table
    click.echo(score_table(score, len(pairs), errors))


@entities.command("review")
@click.argument("teis", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "tsv", "json"]), default="text",
              show_default=True, help="text to read; tsv or json for tools.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the review to this file instead of the terminal.")
@click.option("-j", "--jobs", type=int, default=0, help="Worker processes (default: all cores).")
def entities_review(teis: tuple[Path, ...], fmt: str, output: Path | None, jobs: int) -> None:
    """Names the register lacks (machine-proposed) and names left ambiguous, across TEI files.

    TEIS are TEI files or folders of them (default: tei/).  Each proposal is listed with its
    count, the documents and a few contexts; accept one with `teipipe register add`.
    """
    sys.exit(_review(teis, fmt, output, jobs))


def _review(teis: tuple[Path, ...], fmt: str, output: Path | None, jobs: int,
            found: Mapping | None = None, say: Callable[[str], None] = _say) -> int:
    """Write the review of ``teis`` (`entities review`; an export's --review-output, with
    the names its workers ``found``); its exit status.  A file that cannot be read stops
    it with one line (the file, what is wrong), before anything is written.  ``say``:
    what to do with a message for stderr (an export says them after its own)."""
    from lxml import etree

    from .entities.review import render, review
    from .files import write_atomic
    from .tei.read import TEIError
    try:
        proposals = review(teis, jobs or os.cpu_count() or 1, found)
    except (TEIError, etree.XMLSyntaxError, OSError) as exc:
        say(f"error: cannot read the TEI file {exc}")
        return 1
    out = render(proposals, fmt)
    if output:
        if not output.is_file() or output.read_bytes() != out.encode("utf-8"):
            write_atomic(output, out.encode("utf-8"))
        say(f"{len(proposals)} names to review: {output}")
    else:
        click.echo(out, nl=False)
    return 0


@main.group("register")
def register_group() -> None:
    """The authority register (source/register.xml): check it, add entries."""


@register_group.command("check")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path),
                default="source/register.xml")
def register_check(path: Path) -> None:
    """Read the register and report every problem, one per line."""
    from .entities.register import RegisterError, load_register
    try:
        register, notes = load_register(path)
    except RegisterError as exc:
        _say(as_text(exc.diagnostics))
        sys.exit(1)
    if notes:
        _say(as_text(notes))
    counts = {t: sum(1 for e in register.entries.values() if e.type == t)
              for t in ("person", "place", "org")}
    _say(f"{path}: {counts['person']} people, {counts['place']} places, {counts['org']} "
         "organizations", err=False)


@register_group.command("add")
@click.argument("type_", metavar="TYPE", type=click.Choice(["person", "place", "org"]))
@click.argument("name")
@click.option("--variant", "variants", multiple=True, help="Another name (repeatable).")
@click.option("--short", "shorts", multiple=True,
              help="A short form read only with support from the document (repeatable).")
@click.option("--id", "eid", default=None, help="The xml:id [default: from the name].")
@click.option("--kind", default=None, help="Its @type: city, country, party, army, ...")
@click.option("--description", default="", help="One line saying who or what it is.")
@click.option("--country", default=None, help="Register id of its country (pla-...).")
@click.option("--from", "start", default=None, help="Birth year, or year the name came in.")
@click.option("--to", "end", default=None, help="Death year, or year the name went out.")
@click.option("--idno", "idnos", multiple=True, metavar="TYPE:VALUE",
              help="A verified id: wikidata:Q..., viaf:..., geonames:... (repeatable).")
@click.option("--register", "path", type=click.Path(dir_okay=False, path_type=Path),
              default="source/register.xml", show_default=True)
def register_add(type_: str, name: str, variants: tuple[str, ...], shorts: tuple[str, ...],
                 eid: str | None, kind: str | None, description: str, country: str | None,
                 start: str | None, end: str | None, idnos: tuple[str, ...],
                 path: Path) -> None:
    """Add a person, place or organization (e.g. one `entities review` proposed).

    Then `make all` (or `teipipe convert`) links it everywhere it occurs.
    """
    from .entities.edit import EditError, NewEntry, add_entry
    from .files import write_atomic
    pairs = []
    for item in idnos:
        kind_, _sep, value = item.partition(":")
        pairs.append((kind_, value))
    try:
        data, new_id = add_entry(path.read_bytes(), NewEntry(
            type_, name, variants, shorts, eid, kind, description, country, start, end,
            tuple(pairs)))
    except (EditError, OSError, SyntaxError) as exc:  # XMLSyntaxError is a SyntaxError
        _say(f"{path}: error: {exc}")
        sys.exit(1)
    write_atomic(path, data)
    _say(f"{path}: added {new_id} ({name})", err=False)


if __name__ == "__main__":  # pragma: no cover
    main()
