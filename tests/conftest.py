"""Shared test fixtures: the sample pages beside the repository, the tei_all schema."""

from __future__ import annotations

import csv
import functools
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "samples"
SEEDS = ROOT / "source"
PAGES = Path(__file__).resolve().parent / "pages"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files from the current output (review the diff!)")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def sample_pages() -> list[Path]:
    """The ten sample pages of ../shared/samples (the tests need them: CI has them)."""
    pages = sorted(SAMPLES.glob("*.txt"))
    assert pages, f"the sample pages are missing: expected them in {SAMPLES}"
    return pages


def own_pages() -> list[Path]:
    """Test pages written for this project (tests/pages)."""
    return sorted(PAGES.glob("*.txt"))


def all_pages() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) + sample_pages() + own_pages()


def page_with_new_people(folder: Path) -> Path:
    """A seed cable with a sentence naming two people the register lacks, written to
    ``folder`` (what the recognizer and the review of names are tested with)."""
    text = (SEEDS / "1967-01-23_politburo-cable.txt").read_text(encoding="utf-8").replace(
        "3. Our goals are to win public support",
        "3. Comrade Ivan Petrovsky met Ambassador Zoltán Kertész in Hanoi. Petrovsky agreed."
        " Our goals are to win public support")
    page = folder / "1967-02-01_new-cable.txt"
    page.write_text(text, encoding="utf-8")
    return page


def manifest(folder: Path = SAMPLES) -> dict[str, dict[str, str]]:
    """The MANIFEST.tsv rows of a folder of test pages (the shared samples or tests/pages)."""
    with (folder / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


@functools.cache
def pages_builder():
    """tests/pages/build.py (a script beside the pages that reads their masters) as a module."""
    spec = importlib.util.spec_from_file_location("pages_build", PAGES / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


@functools.cache
def converted(path: Path):
    """``(source, document, diagnostics)`` of a page, converted once per test session."""
    from pipeline.convert import read_page
    from pipeline.files import read_source
    from pipeline.model import SourceInfo
    source = read_source(path)
    doc, notes = read_page(source.text, path.stem, SourceInfo(path.name, source.sha256,
                                                              source.encoding,
                                                              source.line_ends))
    return source, doc, list(source.warnings) + notes


def param(known_failures: dict[tuple[str, str], str], stem: str, what: str, *values):
    """A test parameter with the id ``stem-what``, marked ``xfail(strict=True)`` when
    ``known_failures`` says the converter gets ``what`` wrong on that page: the mark must go
    as soon as the converter is fixed (a strict xfail that passes fails the suite)."""
    reason = known_failures.get((stem, what))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(*values, marks=marks, id=f"{stem}-{what}")


@pytest.fixture(scope="session")
def tei_all():
    """The official tei_all RELAX NG schema, compiled once per test session (~7 s)."""
    from lxml import etree

    from pipeline.assets import path_of
    return etree.RelaxNG(etree.parse(str(path_of())))


@pytest.fixture(scope="session")
def deposit_edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An edition on disk for the deposit tests (seeds and samples; see deposit_edition.py)."""
    from deposit_edition import make_edition
    return make_edition(tmp_path_factory.mktemp("edition"))


def tei_copies(folder: Path, count: int) -> list[str]:
    """``count`` copies of the project's TEI files in ``folder`` (made), each with its own
    name and id (the memory tests' editions of any size); their names, without ``.xml``."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted((ROOT / "tei").glob("*.xml"))
    names = []
    for k in range(count):
        path = sources[k % len(sources)]
        name = f"{path.stem}-{k:04d}"
        (folder / f"{name}.xml").write_bytes(
            path.read_bytes().replace(path.stem.encode(), name.encode()))
        names.append(name)
    return names
