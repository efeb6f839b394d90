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


def _with_progress(paths: list[Path], work):
    """Run ``work(progress)`` with a progress bar when stderr is a terminal."""
    if not sys.stderr.isatty() or len(paths) < 2:
        return work(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(), console=_console(),
                  transient=True) as bar:
        task = bar.add_task("converting", total=len(paths))
        return work(lambda _result: bar.advance(task))


@main.group()
def export() -> None:
    """Build the editions from the TEI files: `export html`, `export text`."""


def _report_export(result, out_dir: Path, entry: str, strict: bool) -> None:
    """Print an export's problems and summary; exit with its status."""
    for d in result.diagnostics:
        _say(d.format())
    w = result.written
    if w is not None:
        noun = "document" if result.documents == 1 else "documents"
        _say(f"{result.documents} {noun}: {w.written} files written, {w.unchanged} "
             f"unchanged, {w.removed} removed; open {out_dir / entry}")
    sys.exit(exit_status(result.diagnostics, strict))


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
def export_html(sources: tuple[Path, ...], out_dir: Path, title: str | None,
                description: str | None, base_url: str, register: Path | None,
                edition_file: Path | None, force: bool, strict: bool) -> None:
    """The HTML edition of the TEI files (SOURCES files or folders; default tei/).

    A static site that works opened from disk or from any web server: open
    OUTPUT/index.html.
    """
    from .export.run import edition_options
    from .export.run import export_html as run
    default_register, default_edition = Path("source/register.xml"), Path("edition.toml")
    register = register or (default_register if default_register.is_file() else None)
    edition_file = edition_file or (default_edition if default_edition.is_file() else None)
    options, problems = edition_options(edition_file, title, description, base_url)
    result = run(sources, out_dir, options, register, force)
    result.diagnostics[:0] = problems
    _report_export(result, out_dir, "index.html", strict)


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
def export_text(sources: tuple[Path, ...], out_dir: Path, width: int, diplomatic: bool,
                force: bool, strict: bool) -> None:
    """The plain-text edition of the TEI files (SOURCES files or folders; default tei/).

    NAME.txt per document (a header block, then the text), corpus.txt (every text, one
    paragraph per line) and corpus.tsv (the metadata, one row per document).
    """
    from .export.run import export_text as run
    _report_export(run(sources, out_dir, width, diplomatic, force), out_dir, "corpus.txt",
                   strict)


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


if __name__ == "__main__":  # pragma: no cover
    main()
