"""A convert run's memory does not grow with its files: what the main process keeps per
source (the plan, the build record, the results) is a few hundred bytes at most, whether
the pages are converted or found up to date.  (At 10,000 pages the record alone, held in
memory, was 15 MB.)  Measured with tracemalloc: the peak of a run over n and 4n pages."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

from pipeline.batch import Plan

from conftest import sample_pages

#: Bytes per page the peak may grow by (the paths of the sources, as strings, stay: some
#: 300 B here; a record held in memory made it 2.5 kB).
PER_PAGE = 600


def _pages(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    samples = sample_pages()
    for n in range(count):
        page = samples[n % len(samples)]
        shutil.copyfile(page, folder / f"{n:04d}-{page.name}")
    return sorted(folder.glob("*.txt"))


def _peak(root: Path, pages: list[Path]) -> int:
    """The peak of the memory traced in a run over ``pages`` (its results read and let go)."""
    tracemalloc.start()
    try:
        plan = Plan(pages, root / "tei", settings={"ner": False}, record=root / "r.sqlite")
        for result in plan.run(1):
            assert result.ok
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_peak_does_not_grow_with_the_pages(tmp_path: Path) -> None:
    _peak(tmp_path / "warm", _pages(tmp_path / "warm-pages", 10))  # resources loaded once
    small, large = tmp_path / "small", tmp_path / "large"
    few, many = _pages(tmp_path / "few", 30), _pages(tmp_path / "many", 120)
    converted = _peak(small, few), _peak(large, many)
    fresh = _peak(small, few), _peak(large, many)  # nothing changed: all from the record
    for peak_few, peak_many in (converted, fresh):
        assert peak_many - peak_few < PER_PAGE * (len(many) - len(few)), (converted, fresh)
