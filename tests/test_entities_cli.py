"""The entity commands end to end: review and add round trip, scores, a broken register."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.entities.score import located_names
from pipeline.tei.read import parse, read_text
from pipeline.validate import body_text

from conftest import ROOT, page_with_new_people

SEED = ROOT / "source" / "1967-01-23_politburo-cable.txt"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_review_then_add_then_convert_links_the_new_person(tmp_path: Path) -> None:
    register = tmp_path / "register.xml"
    shutil.copy(ROOT / "source" / "register.xml", register)
    page = page_with_new_people(tmp_path)
    out = tmp_path / "tei"
    code, output = run("convert", str(page), "-o", str(out), "--register", str(register),
                       "--no-ner")
    assert code == 0, output
    tei = (out / (page.stem + ".xml")).read_text(encoding="utf-8")
    assert 'cert="medium" resp="#d1967-02-01_new-cable.ner">Ivan Petrovsky</persName>' in tei
    code, output = run("entities", "review", str(out), "--format", "json")
    assert code == 0
    proposals = {(p["type"], p["name"]): p for p in json.loads(output)}
    assert proposals[("person", "Ivan Petrovsky")]["count"] == 1
    assert proposals[("person", "Petrovsky")]["count"] == 1  # the surname after the name
    assert "[[Ivan Petrovsky]] met Ambassador" in proposals[("person", "Ivan Petrovsky")][
        "contexts"][0]
    assert ("person", "Zoltán Kertész") in proposals

    code, output = run("register", "add", "person", "Ivan Petrovsky", "--variant",
                       "Petrovsky", "--description", "Soviet official.", "--country",
                       "pla-soviet-union", "--register", str(register))
    assert code == 0 and "per-ivan-petrovsky" in output
    assert '<nationality ref="#pla-soviet-union">Soviet Union</nationality>' in \
        register.read_text(encoding="utf-8")
    code, output = run("register", "check", str(register))
    assert code == 0, output
    code, output = run("convert", str(page), "-o", str(out), "--register", str(register),
                       "--no-ner")
    assert code == 0, output
    tei = (out / (page.stem + ".xml")).read_text(encoding="utf-8")
    assert '<persName ref="#per-ivan-petrovsky">Ivan Petrovsky</persName>' in tei
    assert '<persName ref="#per-ivan-petrovsky">Petrovsky</persName>' in tei
    assert '<person xml:id="per-ivan-petrovsky">' in tei
    code, output = run("entities", "review", str(out), "--format", "json")
    names = {p["name"] for p in json.loads(output)}
    assert "Zoltán Kertész" in names and not {"Ivan Petrovsky", "Petrovsky"} & names


def test_register_add_refuses_a_name_already_there(tmp_path: Path) -> None:
    register = tmp_path / "register.xml"
    shutil.copy(ROOT / "source" / "register.xml", register)
    before = register.read_bytes()
    code, output = run("register", "add", "place", "Hanoi", "--register", str(register))
    assert code == 1 and "pla-hanoi" in output
    code, output = run("register", "add", "org", "X", "--idno", "wikidata:9640",
                       "--register", str(register))
    assert code == 1
    assert register.read_bytes() == before


def test_a_broken_register_stops_the_conversion_before_writing(tmp_path: Path) -> None:
    register = tmp_path / "register.xml"
    register.write_text("<TEI>\n<standOff>", encoding="utf-8")
    code, output = run("convert", str(SEED), "-o", str(tmp_path / "tei"), "--register",
                       str(register))
    assert code == 1
    assert "register.xml:" in output and "E301" in output
    assert not (tmp_path / "tei").exists()


def test_scores_map_names_back_to_crlf_source_offsets(tmp_path: Path) -> None:
    raw = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    page = tmp_path / "page.txt"
    page.write_bytes(raw.encode("utf-8"))
    code, output = run("convert", str(page), "-o", str(tmp_path), "--no-ner")
    assert code == 0, output
    gold = tmp_path / "page.gold.tsv"
    hanoi, haiphong = raw.index("Hanoi"), raw.index("Haiphong")
    gold.write_text("type\tsurface\toffset\tcanonical\n"
                    f"place\tHanoi\t{hanoi}\tHanoi\nplace\tHaiphong\t{haiphong}\tHaiphong\n"
                    "person\tSkip\t0\tNobody\n", encoding="utf-8")
    code, output = run("entities", "score", "--gold", str(gold), str(tmp_path / "page.xml"),
                       "--format", "json")
    assert code == 0, output
    data = json.loads(output)
    assert data["types"]["place"]["tp"] == 2
    assert data["types"]["person"]["fn"] == 1 and data["types"]["person"]["tp"] == 0
    assert data["linking"] == {"accuracy": 1.0, "linked": 2, "found": 2, "in_register": 2}
    found = sum(c["tp"] + c["fp"] for c in data["types"].values())
    assert data["overall"]["precision"] == round(2 / found, 4)
    code, output = run("entities", "score", "--gold", str(gold), str(tmp_path / "page.xml"))
    assert "place" in output and "linking: 1.000" in output


def test_unreadable_files_are_one_line_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI", encoding="utf-8")
    code, output = run("entities", "review", str(bad))
    assert code == 1 and str(bad) in output and "Traceback" not in output
    gold = tmp_path / "bad.gold.tsv"
    gold.write_text("type\tsurface\toffset\nthing\tX\tnine\n", encoding="utf-8")
    code, output = run("entities", "score", "--gold", str(gold), str(bad))
    assert code == 1 and f"{gold}:2:" in output
    register = tmp_path / "register.xml"
    register.write_text("<TEI", encoding="utf-8")
    code, output = run("register", "add", "person", "X", "--register", str(register))
    assert code == 1 and "error" in output and "Traceback" not in output


def test_review_reads_a_text_that_holds_private_use_characters(tmp_path: Path) -> None:
    # the long way marks names with two private-use characters: a text holding them too
    # (a special sign of the edition's own) must neither crash review nor shift a name
    page = page_with_new_people(tmp_path)
    page.write_text(page.read_text(encoding="utf-8").replace(
        "in Hanoi.", "in Hanoi \ue000\ue001."), encoding="utf-8")
    out = tmp_path / "tei"
    code, output = run("convert", str(page), "-o", str(out), "--no-ner")
    assert code == 0, output
    code, output = run("entities", "review", str(out), "--format", "json")
    assert code == 0, output
    proposals = {(p["type"], p["name"]): p for p in json.loads(output)}
    assert "[[Zoltán Kertész]] in Hanoi \ue000\ue001. Petrovsky" in proposals[
        ("person", "Zoltán Kertész")]["contexts"][0]
    assert proposals[("person", "Ivan Petrovsky")]["count"] == 1
    tree = parse(out / (page.stem + ".xml"))
    text, names = located_names(read_text(tree))  # the long way, as review falls back to it
    assert "in Hanoi \ue000\ue001. Petrovsky agreed" in text
    spans = {text[start:end] for start, end, _ in names}
    assert {"Ivan Petrovsky", "Petrovsky", "Hanoi"} <= spans
    quick = body_text.located_names(tree)  # the way review reads it first
    assert quick is not None and quick[0] == text
    assert [(a, b) for a, b, _ in quick[1]] == [(a, b) for a, b, _ in names]
