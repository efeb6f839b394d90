"""One broken file per rule (tests/invalid/): each yields exactly what its first comment says.

Each file opens with ``<!-- Should throw: V101 line 118. Fault: … -->``: the codes and lines
that must come out, all in that file, and nothing else.  A file that says it is "validated
together with tests/valid/1967-01-23_test-cable.xml" is checked with that document (rules
across files).  Registers are checked against themselves, documents against the test
edition's register (tests/valid/register.xml).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from pipeline.validate.codes import RULES
from pipeline.validate.run import Options, validate

from conftest import ROOT

INVALID = ROOT / "tests" / "invalid"
VALID = ROOT / "tests" / "valid"
VALID_DOC = VALID / "1967-01-23_test-cable.xml"
#: Rules a file cannot show: no file (V001), a file too large to commit (V003, generated in
#: test_validate.py), tei_all not set up (V202), a bug in a check (V399).
NOT_AS_FILES = {"V001", "V003", "V202", "V399"}
_CLAIM = re.compile(r"<!-- Should throw: (?P<claims>.*?)\. Fault: (?P<fault>.*?) -->", re.S)


def fixtures() -> list[Path]:
    return sorted(p if p.is_file() else next(p.glob("*.xml")) for p in INVALID.iterdir())


def claims(path: Path) -> tuple[set[tuple[str, int]], str]:
    m = _CLAIM.search(path.read_text(encoding="utf-8")[:3000])
    assert m, f"{path.name} does not open with a <!-- Should throw: … --> comment"
    found = {(code, int(line)) for code, line in re.findall(r"(V\d{3}) line (\d+)",
                                                              m.group("claims"))}
    return found, m.group("fault")


def is_register(path: Path) -> bool:
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False,
                                                      load_dtd=False, no_network=True)).getroot()
    except etree.XMLSyntaxError:
        return False
    kids = {etree.QName(k).localname for k in root if isinstance(k.tag, str)}
    return "standOff" in kids and "text" not in kids


@pytest.mark.parametrize("path", fixtures(), ids=lambda p: p.parent.name if p.parent != INVALID
                         else p.stem)
def test_broken_file_yields_exactly_its_rule(path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    expected, fault = claims(path)
    paths = [path.relative_to(ROOT)]
    if "validated together with" in fault:
        paths.insert(0, VALID_DOC.relative_to(ROOT))
    register = path if is_register(path) else VALID / "register.xml"
    report = validate(paths, Options(register=register.relative_to(ROOT), use_cache=False,
                                     jobs=1))
    got = {(d.code, d.line) for d in report.diagnostics}
    assert got == expected, "\n".join(d.format() for d in report.diagnostics)
    assert {d.file for d in report.diagnostics} == {str(path.relative_to(ROOT))}
    for d in report.diagnostics:
        assert d.severity == RULES[d.code].severity and d.hint and d.message


def test_every_rule_has_a_broken_file() -> None:
    shown = {code for path in fixtures() for code, _line in claims(path)[0]}
    assert set(RULES) - NOT_AS_FILES <= shown
    assert not shown - set(RULES)


def test_broken_files_are_named_for_their_rule() -> None:
    for path in fixtures():
        named = path.parent.name if path.parent != INVALID else path.stem
        codes = {code for code, _line in claims(path)[0]}
        assert re.search(r"(?:^|_)(V\d{3})-", named).group(1) in codes, named
