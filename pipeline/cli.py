"""The command line: options in, a library call, messages out, an exit status.  No logic.

Exit status: 0 when all went well (warnings allowed unless ``--strict``), 1 when any file
had an error, 2 for a wrong command line (click's own).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .diagnostics import Severity, as_text, exit_status


def _console():
    from rich.console import Console
    return Console(stderr=True, highlight=False)


def _say(message: str, err: bool = True) -> None:
    click.echo(message, err=err)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="teipipe")
def main() -> None:
    """Archive document pages into a scholarly TEI edition."""


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("tei"), show_default=True, help="Folder for the TEI files.")
@click.option("--force", is_flag=True, help="Overwrite TEI files even if changed by hand.")
@click.option("--strict", is_flag=True, help="Exit with status 1 on warnings too.")
@click.option("-j", "--jobs", type=int, default=0,
              help="Worker processes (default: all cores).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors and the summary only.")
def convert(sources: tuple[Path, ...], out_dir: Path, force: bool, strict: bool, jobs: int,
            quiet: bool) -> None:
    """Convert archive pages (SOURCE files or folders of .txt files) to TEI.

    Each NAME.txt becomes OUTPUT/NAME.xml.  Problems are reported one per line as
    file:line: severity: message [code]; the batch goes on past bad files.
    """
    from .batch import convert_many, find_sources, summary

    paths, problems = find_sources(sources or (Path("source"),))
    for d in problems:
        _say(d.format())
    jobs = jobs or os.cpu_count() or 1
    results = _with_progress(paths, lambda progress: convert_many(
        paths, out_dir, force=force, jobs=jobs, progress=progress))
    diagnostics = list(problems)
    for r in results:
        shown = [d for d in r.diagnostics if not quiet or d.severity == Severity.ERROR]
        if shown:
            _say(as_text(shown))
        diagnostics.extend(r.diagnostics)
    counts = summary(results)
    _say(f"{counts['files']} files: {counts['written']} written, {counts['unchanged']} "
         f"unchanged, {counts['refused']} refused, {counts['failed']} failed; "
         f"{counts['warnings']} warnings")
    sys.exit(exit_status(diagnostics, strict))


def _with_progress(paths, work, what: str = "converting"):
    """Run ``work(progress)`` with a progress bar when stderr is a terminal."""
    if not sys.stderr.isatty() or len(paths) < 2:
        return work(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(), console=_console(),
                  transient=True) as bar:
        task = bar.add_task(what, total=len(paths))
        return work(lambda _result: bar.advance(task))


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
    report = _with_progress(files, lambda progress: run_validate(
        files, options, progress=(lambda: progress(None)) if progress else None),
        "validating")
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
@click.option("--format", "fmt", type=click.Choice(["bagit", "dspace-saf"]), default="bagit",
              show_default=True, help="A BagIt 1.0 bag, or a DSpace Simple Archive Format batch.")
@click.option("--archive", type=click.Choice(["zip", "tar.gz"]), default=None,
              help="Also write the package as one reproducible file beside its folder.")
@click.option("--verify", "bag", type=click.Path(path_type=Path), default=None,
              help="Check the bag BAG (folder, .zip or .tar.gz) instead of making one.")
@click.option("--force", is_flag=True, help="Replace an output folder teipipe did not make.")
@click.option("--strict", is_flag=True, help="Exit with status 1 on warnings too.")
def deposit(root: Path, out: Path | None, fmt: str, archive: str | None, bag: Path | None,
            force: bool, strict: bool) -> None:
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
    from .deposit.make import DEFAULT_OUTPUT, make_package
    target = out if out is not None else root / DEFAULT_OUTPUT[fmt]
    made, notes = make_package(root, target, fmt, archive, force,
                               os.environ.get("SOURCE_DATE_EPOCH"))
    if notes:
        _say(as_text(notes))
    if made.folder is not None:
        also = f" and {made.archive}" if made.archive else ""
        _say(f"{made.documents} documents, {made.files} edition files: {made.folder}{also}")
    else:
        _say("no package written")
    sys.exit(exit_status(notes, strict))


@main.command()
def setup() -> None:
    """Fetch the third-party files the checks need (tei_all, METS, Dublin Core schemas)."""
    from .assets import ASSETS, AssetError, path_of
    for asset in ASSETS:
        try:
            path = path_of(asset)
        except AssetError as exc:
            _say(f"error: {exc}")
            sys.exit(1)
        _say(f"{asset.name}: {path} ({asset.licence})", err=False)
    from .validate.conformance import prepare
    _say(f"tei_all pruned to the project's elements: {prepare()}", err=False)


if __name__ == "__main__":  # pragma: no cover
    main()
