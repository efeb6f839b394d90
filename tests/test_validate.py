"""`teipipe validate`: good files pass, hostile files are refused in bounded time and memory,
every problem of every file comes out in every format, the cache and the workers change
nothing but speed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline.cli import main
from pipeline.diagnostics import Severity, exit_status
from pipeline.validate import conformance, run
from pipeline.validate.codes import diagnostic
from pipeline.validate.report import render
from pipeline.validate.run import Options, check_file, validate
from pipeline.validate.xmlfile import read_xml

from conftest import ROOT, all_pages

VALID = ROOT / "tests" / "valid"
VALID_DOC = VALID / "1967-01-23_test-cable.xml"
INVALID = ROOT / "tests" / "invalid"
NO_CACHE = Options(use_cache=False, jobs=1)
def _report(paths, options=NO_CACHE, **kw):
    return validate([Path(p) for p in paths], options, **kw)


# ----------------------------------------------------------------------------- good files


def test_the_test_edition_passes_without_a_warning(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    report = _report(["tests/valid"])
    assert report.files == ["tests/valid/1967-01-23_test-cable.xml", "tests/valid/register.xml"]
    assert report.diagnostics == []


def test_the_edition_passes(monkeypatch) -> None:
    """tei/ against source/register.xml, as `make validate` runs it (the register's own
    warnings, such as entries no document uses yet, are its business: see the next test)."""
    monkeypatch.chdir(ROOT)
    report = _report(["tei"])
    assert [d.format() for d in report.diagnostics] == []


def test_the_register_passes(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    if not (ROOT / "source" / "register.xml").exists():
        pytest.skip("no source/register.xml in this checkout")
    report = _report(["source/register.xml"])
    assert [d.format() for d in report.diagnostics if d.severity == Severity.ERROR] == []


@pytest.fixture(scope="module")
def converted_pages(tmp_path_factory) -> tuple[Path, list]:
    """Every page the tests know, converted now (with the register), and validated."""
    base = tmp_path_factory.mktemp("pages")
    pages = base / "source"
    pages.mkdir()
    for page in all_pages():
        shutil.copy(page, pages / page.name)
    if (ROOT / "source" / "register.xml").exists():
        shutil.copy(ROOT / "source" / "register.xml", pages / "register.xml")
    cwd = os.getcwd()
    os.chdir(base)
    try:
        result = CliRunner().invoke(main, ["convert", "source", "-o", "tei", "-j", "1", "-q"])
        assert result.exit_code == 0, result.output
        report = _report(["tei"])
    finally:
        os.chdir(cwd)
    assert len(report.files) == len(all_pages())
    return base, report.diagnostics


def test_every_converted_page_passes(converted_pages) -> None:
    """All four layers, on every page: no error, no warning."""
    base, diagnostics = converted_pages
    assert [d.format() for d in diagnostics] == []


def test_every_sender_and_recipient_is_linked_or_proposed(converted_pages) -> None:
    _base, diagnostics = converted_pages
    assert [d.format() for d in diagnostics if d.code == "V307"] == []


# ----------------------------------------------------------------------------- hostile files


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as handle:  # 1 GB, sparse: it takes no room on the disk
        handle.write(b"<TEI>")
        handle.truncate(2**30)
    f = read_xml(huge, "huge.xml")
    assert [d.code for d in f.problems] == ["V003"]
    assert "1024 MB" in f.problems[0].message and f.data == b""


def _billion_laughs(levels: int = 10) -> str:
    lines = ['<!ENTITY lol0 "lol">']
    for k in range(1, levels):
        lines.append(f'<!ENTITY lol{k} "' + f"&lol{k - 1};" * 10 + '">')
    return ("<?xml version=\"1.0\"?>\n<!-- a comment first -->\n<!DOCTYPE TEI [\n"
            + "\n".join(lines) + f"\n]>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">"
            f"&lol{levels - 1};</TEI>\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_billion_laughs_is_refused_before_parsing(tmp_path: Path, encoding: str) -> None:
    bomb = tmp_path / "bomb.xml"
    text = _billion_laughs()
    bomb.write_bytes(text.replace('version="1.0"', f'version="1.0" encoding="{encoding}"')
                     .encode(encoding))
    f = read_xml(bomb, "bomb.xml")
    assert [(d.code, d.line) for d in f.problems] == [("V004", 3)]
    assert f.tree is None


def test_an_entity_without_a_doctype_is_not_expanded(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">&lol9;</TEI>', encoding="utf-8")
    assert [d.code for d in read_xml(path, "x.xml").problems] == ["V002"]


def test_deep_nesting_is_refused_by_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "deep.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">' + "<p>" * 100_000
                    + "</p>" * 100_000 + "</TEI>", encoding="utf-8")
    problems = read_xml(path, "deep.xml").problems
    assert [d.code for d in problems] == ["V002"]


def test_a_hundred_thousand_misplaced_elements_cost_one_report(tmp_path: Path) -> None:
    """xmlschema would report each of them, at a cost growing with their number: beyond
    its limits the schema layer reports libxml2's one error instead."""
    path = tmp_path / "1967-01-23_test-cable.xml"
    path.write_text(VALID_DOC.read_text(encoding="utf-8").replace(
        "are:</p>", "are:" + "<hi>x</hi>" * 100_000 + "</p>"), encoding="utf-8")
    result = check_file(path, path.name)
    schema = [d for d in result.diagnostics if d.code.startswith("V1")]
    assert [d.code for d in schema] == ["V101"] and "(libxml2)" in schema[0].message


def test_a_missing_file_is_an_error_and_the_batch_goes_on(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    report = _report(["tests/valid/nothing.xml", "tests/valid/1967-01-23_test-cable.xml"],
                     Options(use_cache=False, jobs=1, register=VALID / "register.xml"))
    assert [(d.file, d.code) for d in report.diagnostics] == [
        ("tests/valid/nothing.xml", "V001")]


# ----------------------------------------------------------------------------- layers


def test_all_problems_of_all_files_come_out_in_one_run(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    report = _report(["tests/invalid/V101-unknown-element.xml", "tests/invalid/V307-unlinked-"
                      "name.xml", "tests/invalid/V002-not-well-formed.xml"],
                     Options(use_cache=False, jobs=1, register=VALID / "register.xml"))
    assert [d.code for d in report.diagnostics] == ["V101", "V307", "V002"]


def test_a_broken_check_is_reported_and_the_other_layers_still_run(monkeypatch) -> None:
    def broken(*_args):
        raise RuntimeError("boom")
    monkeypatch.setattr(run, "_rules_layer", broken)
    result = check_file(INVALID / "V101-unknown-element.xml", "x.xml")
    assert [d.code for d in result.diagnostics] == ["V399", "V101"]
    assert "RuntimeError: boom" in result.diagnostics[0].message


def test_without_tei_all_each_file_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TEIPIPE_ASSETS", str(tmp_path))
    conformance._tei_all.cache_clear()
    conformance.grammar_for.cache_clear()
    try:
        result = check_file(VALID_DOC, "doc.xml")
    finally:
        conformance._tei_all.cache_clear()
        conformance.grammar_for.cache_clear()
    assert [d.code for d in result.diagnostics] == ["V202"]


def test_conformance_uses_a_pruned_tei_all_that_compiles_fast() -> None:
    grammar = etree.parse(str(conformance.prepare())).getroot()
    full = etree.parse(str(conformance.path_of(fetch=False))).getroot()
    defines = "{http://relaxng.org/ns/structure/1.0}define"
    assert len(grammar.findall(defines)) < len(full.findall(defines)) / 2
    assert conformance.prepare() == conformance.pruned_path()  # derived once, then reused


# ----------------------------------------------------------------------------- cache, workers


def _corpus(tmp_path: Path, copies: int) -> Path:
    """The test edition copied ``copies`` times (each copy renamed, ids and all)."""
    folder = tmp_path / "tei"
    folder.mkdir()
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(VALID / "pages" / "1967-01-23_test-cable.txt", pages)
    text = VALID_DOC.read_text(encoding="utf-8").replace('source="pages/', 'source="../pages/')
    for k in range(copies):
        stem = f"1967-01-23_test-cable-{k:03d}"
        (folder / f"{stem}.xml").write_text(text.replace("d1967-01-23_test-cable",
                                                         f"d{stem}"), encoding="utf-8")
    shutil.copy(VALID / "register.xml", tmp_path / "register.xml")
    return tmp_path


def test_the_cache_remembers_unchanged_files_only(tmp_path: Path, monkeypatch) -> None:
    base = _corpus(tmp_path, 3)
    monkeypatch.chdir(base)
    monkeypatch.setenv("TEIPIPE_CACHE", str(base / "cache"))
    options = Options(jobs=1, register=Path("register.xml"))
    first = _report(["tei"], options)
    assert first.cached == 0 and first.diagnostics == []
    assert _report(["tei"], options).cached == 3
    changed = base / "tei" / "1967-01-23_test-cable-001.xml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("<hi>", "")
                       .replace("studied the situation", "studied the <hi>situation</hi>"),
                       encoding="utf-8")
    third = _report(["tei"], options)
    assert third.cached == 2 and [d.code for d in third.diagnostics] == ["V101"]
    page = base / "pages" / "1967-01-23_test-cable.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    fourth = _report(["tei"], options)
    assert fourth.cached == 0  # every file's source changed
    assert {d.code for d in fourth.diagnostics} == {"V101", "V317"}


def test_workers_give_the_same_report(tmp_path: Path, monkeypatch) -> None:
    base = _corpus(tmp_path, run.PARALLEL_FROM + 2)
    shutil.copy(INVALID / "V308-impossible-date.xml", base / "tei")
    monkeypatch.chdir(base)
    serial = _report(["tei"], Options(use_cache=False, jobs=1, register=Path("register.xml")))
    parallel = _report(["tei"], Options(use_cache=False, jobs=2, register=Path("register.xml")))
    assert parallel == serial
    assert {d.code for d in serial.diagnostics} >= {"V308"}


# ----------------------------------------------------------------------------- the command


def _cli(*args: str, cwd: Path = ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "validate", "--no-cache",
                           *args], cwd=cwd, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))


def test_cli_text_report_groups_by_file_and_sums_up() -> None:
    done = _cli("tests/invalid/V101-unknown-element.xml", "tests/invalid/V312-title-not-file-"
                "name.xml", "--register", "tests/valid/register.xml")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith("tests/invalid/V101-unknown-element.xml:118:")
    assert ": error: <hi> is not allowed in <p> [V101]" in lines[0]
    assert lines[1].startswith("    hint: ")
    assert lines[-1] == "2 files checked: 1 error, 1 warning in 2 files"


def test_cli_exit_status_strict_and_ignore() -> None:
    warning_only = ["tests/invalid/V312-title-not-file-name.xml", "--register",
                    "tests/valid/register.xml"]
    assert _cli(*warning_only).returncode == 0
    assert _cli(*warning_only, "--strict").returncode == 1
    assert _cli(*warning_only, "--strict", "--ignore", "V312").returncode == 0


def test_cli_json_junit_github(tmp_path: Path) -> None:
    args = ["tests/invalid/V101-unknown-element.xml", "tests/valid/1967-01-23_test-cable.xml",
            "--register", "tests/valid/register.xml"]
    data = json.loads(_cli(*args, "--format", "json").stdout)
    assert data["summary"]["files"] == 2 and data["summary"]["errors"] == 1
    assert data["diagnostics"][0]["code"] == "V101" and data["diagnostics"][0]["line"] == 118
    junit = tmp_path / "report.xml"
    done = _cli(*args, "--format", "junit", "-o", str(junit))
    assert done.returncode == 1 and done.stdout == ""
    suite = etree.parse(str(junit)).getroot()
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    assert [len(case.findall("failure")) for case in suite] == [1, 0]
    github = _cli(*args, "--format", "github").stdout.splitlines()
    assert github == [github[0]] and github[0].startswith(
        "::error file=tests/invalid/V101-unknown-element.xml,line=118,title=V101::")


def test_text_shows_twenty_of_a_rule_per_file_and_counts_the_rest() -> None:
    many = [diagnostic("V321", f"\"per-{k}\" is copied into standOff but nothing in the "
                       "document refers to it", file="x.xml", line=k) for k in range(1, 26)]
    report = run.Report(["x.xml"], many)
    text = render(report, "text")
    assert text.count("[V321]") == 21  # 20 shown, and the line that counts the rest
    assert "... and 5 more [V321] in x.xml (--all lists them)" in text
    assert render(report, "text", limit=None).count("[V321]") == 25
    assert json.loads(render(report, "json"))["summary"]["warnings"] == 25


def test_notes_are_counted_not_listed_unless_all_are_asked_for() -> None:
    """Register entries no document uses yet are normal in a growing edition: not a
    warning, not a wall of text; the summary counts them and --all lists them."""
    notes = [diagnostic("V314", f"no document refers to \"per-{k}\"", file="register.xml",
                        line=k) for k in range(1, 31)]
    report = run.Report(["register.xml"], notes)
    text = render(report, "text")
    assert "[V314]" not in text
    assert text.endswith("0 errors, 0 warnings in 0 files; 30 notes (--all lists them)")
    assert render(report, "text", limit=None).count("[V314]") == 30
    assert exit_status(report.diagnostics, strict=True) == 0
