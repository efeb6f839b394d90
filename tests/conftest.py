"""Shared test fixtures: the sample pages beside the repository, the tei_all schema."""

from __future__ import annotations

import csv
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


def manifest() -> dict[str, dict[str, str]]:
    with (SAMPLES / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


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
