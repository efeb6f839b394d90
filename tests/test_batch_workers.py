"""Converting in worker processes gives what converting in one process gives, in order:
the chunks sent to the workers shrink towards the end (an even finish), and cover every page
once."""

from __future__ import annotations

from pathlib import Path

from pipeline.batch import convert_many
from pipeline.bench.corpus import generate
from pipeline.entities.register import load_register

from conftest import ROOT


def test_workers_convert_every_page_once_in_order(tmp_path: Path) -> None:
    register = ROOT / "source" / "register.xml"
    pages = generate(tmp_path / "source", 40, load_register(register)[0])
    bad = tmp_path / "source" / "0000-empty.txt"
    bad.write_text("", encoding="utf-8")
    pages.insert(17, bad)
    settings = {"register": str(register), "ner": False}
    alone = convert_many(pages, tmp_path / "alone", jobs=1, settings=settings)
    workers = convert_many(pages, tmp_path / "workers", jobs=2, settings=settings)
    assert [(r.source, r.status, r.diagnostics) for r in workers] == \
        [(r.source, r.status, r.diagnostics) for r in alone]
    assert [r.status for r in workers].count("written") == 40 and workers[17].status == "failed"
    for page in pages[:17] + pages[18:]:
        name = page.stem + ".xml"
        assert (tmp_path / "workers" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes()
