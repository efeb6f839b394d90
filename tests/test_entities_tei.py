"""Tagged TEI: valid, self-contained (every @ref resolves in the file), faithful, golden."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from pipeline.convert import read_page
from pipeline.entities.register import canonical, load_register
from pipeline.export.text import diplomatic
from pipeline.files import read_source
from pipeline.model import SourceInfo
from pipeline.passes import default_passes, load_context, run
from pipeline.tei.ns import NS, XML_ID
from pipeline.tei.read import parse, read_tei
from pipeline.tei.write import serialize

from conftest import ROOT, all_pages

REGISTER = ROOT / "source" / "register.xml"
GOLDEN = Path(__file__).resolve().parent / "golden" / "entities"


@pytest.fixture(scope="session")
def context(tmp_path_factory):
    """The run's context with the recognizer (installed by `make test`) and a fresh cache."""
    return load_context({"register": str(REGISTER), "ner": True,
                         "cache": str(tmp_path_factory.mktemp("ner"))})


@pytest.fixture(scope="session")
def context_without_recognizer():
    return load_context({"register": str(REGISTER), "ner": False})


def convert(path: Path, context):
    source = read_source(path)
    doc, _notes = read_page(source.text, path.stem, SourceInfo(
        f"../source/{path.name}", source.sha256, source.encoding, source.line_ends))
    doc, notes, _applied = run(doc, default_passes(), context)
    return doc, notes


def test_the_recognizer_is_installed(context) -> None:
    """`make test` installs the [ner] extra: the tests run at full quality."""
    assert context.resources["entities"].recognizer is not None


@pytest.mark.parametrize("path", all_pages(), ids=lambda p: p.stem)
def test_tagged_page_is_valid_self_contained_and_keeps_its_text(path: Path, context,
                                                                  tei_all) -> None:
    doc, _notes = convert(path, context)
    data = serialize(doc)
    tree = parse(data)
    assert tei_all.validate(tree), tei_all.error_log.last_error
    root = tree.getroot()
    ids = {el.get(XML_ID) for el in root.iter() if el.get(XML_ID)}
    refs = {r[1:] for el in root.iter() for r in (el.get("ref") or "").split()}
    assert refs <= ids, f"@ref without its entry in the file: {refs - ids}"
    entries = root.findall("tei:standOff/*/*", NS)
    register, _ = load_register(REGISTER)
    for entry in entries:
        assert canonical(entry) == register.entries[entry.get(XML_ID)].xml
    copied = [e.get(XML_ID) for e in entries]
    assert sorted(copied) == sorted(set(copied))
    back = read_tei(tree)
    assert back == doc
    assert diplomatic(back.body) == diplomatic(read_page(read_source(path).text, path.stem)[0]
                                               .body)


def test_the_seed_cables_name_their_entities(context) -> None:
    doc, _ = convert(ROOT / "source" / "1968-10-15_politburo-cable-323.txt", context)
    data = serialize(doc).decode()
    for expected in ('<persName ref="#per-tran-buu-kiem"><supplied reason="name-part" '
                     'rend="brackets"', '<orgName ref="#org-national-liberation-front">Front'
                     '</orgName>', '<placeName ref="#pla-paris">Paris</placeName>'):
        assert expected in data
    assert re.search(r'<correspAction type="sent">\s*<orgName ref="#org-politburo-of-the-'
                     r'central-committee-of-the-vietnam-workers-party">North Vietnam Politburo',
                     data)


def test_golden_tagged_tei_of_a_seed(context_without_recognizer, update_golden) -> None:
    """The whole TEI of a seed cable as tagged from the register and the rules."""
    doc, _ = convert(ROOT / "source" / "1967-01-23_politburo-cable.txt",
                     context_without_recognizer)
    data = serialize(doc)
    golden = GOLDEN / "1967-01-23_politburo-cable.xml"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data)
    assert data == golden.read_bytes(), "run pytest --update-golden and review the diff"


def test_the_recognizer_runs_once_per_changed_document(tmp_path: Path) -> None:
    from pipeline.entities.recognizer import Recognizer
    rec = Recognizer(tmp_path)
    first = rec.entities("abc", ["Comrade Ivan Petrov met Zhou Enlai in Beijing."])
    assert any(t == "person" for _a, _b, t in first[0])
    again = Recognizer(tmp_path).entities("abc", ["Comrade Ivan Petrov met Zhou Enlai in "
                                                  "Beijing."])
    assert again == first
    fresh = Recognizer(tmp_path)
    fresh.entities("abc", ["Comrade Ivan Petrov met Zhou Enlai in Beijing."])
    assert fresh.runs == 0  # answered from the cache
    fresh.entities("abc", ["A changed text about Moscow."])
    assert fresh.runs == 1  # the text changed: the cache entry is not used
    assert etree is not None
