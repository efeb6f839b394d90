"""A small edition on disk for the deposit tests: every seed and sample page converted, with
stand-ins for what other parts of the project build (register, schema, HTML, text), since
the package must take whatever those folders hold."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from pipeline.batch import convert_many
from pipeline.export.text import diplomatic
from pipeline.tei.read import parse, read_tei

from conftest import SEEDS, sample_pages

EDITION_TOML = """\
[edition]
title = "Test edition"
description = "Cold War documents for the deposit tests."
identifier = "test-edition"
publisher = "Test Press"

[depositor]
organization = "Test University Library"
address = "1 Library Walk, Testville"
contact-name = "Ada Archivist"
contact-email = "ada@example.org"
contact-phone = "+1 555 0100"
"""

REGISTER = """\
<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Register</title>
</titleStmt><publicationStmt><p>test</p></publicationStmt><sourceDesc><p>test</p></sourceDesc>
</fileDesc></teiHeader><standOff><listPlace><place xml:id="pla-hanoi"><placeName type="preferred"
>Hanoi</placeName></place></listPlace></standOff></TEI>
"""


def make_edition(root: Path) -> Path:
    """Write the test edition under ``root`` and return ``root``."""
    source = root / "source"
    source.mkdir(parents=True)
    for page in [*sorted(SEEDS.glob("*.txt")), *sample_pages()]:
        shutil.copyfile(page, source / page.name)
    results = convert_many(sorted(source.glob("*.txt")), root / "tei")
    assert all(r.ok for r in results), [d.format() for r in results for d in r.diagnostics]
    (source / "register.xml").write_text(REGISTER, encoding="utf-8")
    (root / "schema").mkdir()
    (root / "schema" / "README.md").write_text("# Encoding guide\n", encoding="utf-8")
    html_dir, text_dir = root / "build" / "html", root / "build" / "text"
    (html_dir / "assets").mkdir(parents=True)
    text_dir.mkdir(parents=True)
    (html_dir / "index.html").write_text("<!DOCTYPE html><title>Edition</title>\n")
    (html_dir / "assets" / "edition.css").write_text("body { margin: 0 }\n")
    for tei in sorted((root / "tei").glob("*.xml")):
        doc = read_tei(parse(tei))
        (html_dir / f"{tei.stem}.html").write_text(
            f"<!DOCTYPE html><title>{html.escape(doc.header.title)}</title>\n", encoding="utf-8")
        (text_dir / f"{tei.stem}.txt").write_text(diplomatic(doc.body), encoding="utf-8")
    (root / "edition.toml").write_text(EDITION_TOML, encoding="utf-8")
    return root


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder``: relative path -> bytes (for byte-identical comparisons)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}
