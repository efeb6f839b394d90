"""Golden files per stage, as pandoc keeps them: page -> document model -> TEI.

For each case, ``tests/golden/convert/NAME.model.json`` is the reader's document (the model's
versioned JSON dump) and ``NAME.xml`` the TEI writer's output for it (before the entity pass,
which has its own golden file).  After a deliberate change, refresh them with
``pytest tests/test_golden_convert.py --update-golden`` and read the diff before committing:
every changed line must be one you meant.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.convert import read_page
from pipeline.files import read_source
from pipeline.model import SourceInfo, dumps
from pipeline.tei.write import serialize

from conftest import PAGES, ROOT

GOLDEN = Path(__file__).parent / "golden" / "convert"
CASES = [  # inputs: the seeds and own pages of different kinds and layouts
    ROOT / "source" / "1967-01-23_politburo-cable.txt",
    ROOT / "source" / "1968-10-15_politburo-cable-323.txt",
    PAGES / "11_le-duan-cable-cosvn.txt",
    PAGES / "13_puzanov-journal-kim-il-sung.txt",
    PAGES / "17_roa-letter-lechuga.txt",
    PAGES / "18_cpcz-presidium-warsaw-letter.txt",
    PAGES / "23_yugoslav-memorandum-czechoslovakia.txt",
]


def _outputs(path: Path) -> dict[str, bytes]:
    source = read_source(path)
    rel = f"../{path.relative_to(ROOT).as_posix()}"
    doc, _notes = read_page(source.text, path.stem,
                            SourceInfo(rel, source.sha256, source.encoding, source.line_ends))
    return {".model.json": dumps(doc).encode("utf-8"), ".xml": serialize(doc)}


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_golden(path: Path, update_golden: bool) -> None:
    for suffix, actual in _outputs(path).items():
        golden = GOLDEN / (path.stem + suffix)
        if update_golden:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(actual)
            continue
        assert golden.exists(), f"{golden.name} is missing: run pytest --update-golden"
        assert actual.decode("utf-8") == golden.read_text(encoding="utf-8"), (
            f"{golden.name} differs from the output: if the change is meant, run pytest "
            "--update-golden and review the diff")


def test_golden_files_all_have_a_case() -> None:
    stems = {p.stem for p in CASES}
    orphans = {p.name for p in GOLDEN.iterdir()
               if p.name.split(".", 1)[0] not in stems} if GOLDEN.exists() else set()
    assert not orphans, f"golden files without a case: {sorted(orphans)}"
