"""The DSpace Simple Archive Format batch: one complete item folder per document, metadata
only from DSpace's default registry, every file listed once in ``contents``."""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline.deposit import saf as saf_module, schemas
from pipeline.cli import main
from pipeline.deposit.make import make_package
from pipeline.deposit.mets import METS_NS, XLINK_NS

from deposit_edition import make_edition, tree_bytes
from test_deposit_bag import check_golden, unsized

#: DSpace's default Dublin Core registry (dspace/config/registries/dublin-core-types.xml),
#: the fields this batch may use without a registry change: element -> qualifiers.
DSPACE_REGISTRY = {
    "contributor": {"none", "advisor", "author", "editor", "illustrator", "other"},
    "coverage": {"spatial", "temporal"}, "creator": {"none"},
    "date": {"none", "accessioned", "available", "copyright", "created", "issued",
             "submitted"},
    "identifier": {"none", "citation", "govdoc", "isbn", "issn", "sici", "ismn", "other",
                   "uri"},
    "description": {"none", "abstract", "provenance", "sponsorship",
                    "statementofresponsibility", "tableofcontents", "uri"},
    "format": {"none", "extent", "medium", "mimetype"}, "language": {"none", "iso"},
    "publisher": {"none"},
    "relation": {"none", "isformatof", "ispartof", "ispartofseries", "haspart",
                 "isversionof", "hasversion", "isbasedon", "isreferencedby", "requires",
                 "replaces", "isreplacedby", "uri"},
    "rights": {"none", "uri"}, "source": {"none", "uri"},
    "subject": {"none", "classification", "ddc", "lcc", "lcsh", "mesh", "other"},
    "title": {"none", "alternative"}, "type": {"none"},
}
M = {"mets": METS_NS}


@pytest.fixture(scope="module")
def saf(deposit_edition: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("saf") / "dspace-saf"
    made, notes = make_package(deposit_edition, out, "dspace-saf", "zip", False, "1700000000")
    assert made.folder == out and not notes, [d.format() for d in notes]
    return out


def contents(item: Path) -> list[list[str]]:
    text = (item / "contents").read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r" not in text
    return [line.split("\t") for line in text.splitlines()]


def test_one_item_folder_per_document(saf: Path, deposit_edition: Path) -> None:
    stems = sorted(p.stem for p in (deposit_edition / "tei").glob("*.xml"))
    assert sorted(p.name for p in saf.iterdir()) == stems
    assert all(p.is_dir() for p in saf.iterdir())


def test_every_file_is_listed_once_with_a_bundle_and_nothing_listed_is_missing(
        saf: Path) -> None:
    for item in saf.iterdir():
        lines = contents(item)
        names = [line[0] for line in lines]
        assert sorted(names) == sorted(p.name for p in item.iterdir()
                                       if p.name not in ("contents", "dublin_core.xml"))
        assert len(set(names)) == len(names)
        for line in lines:
            options = dict(opt.split(":", 1) for opt in line[1:])
            assert set(options) <= {"bundle", "primary", "description"}
            assert options["bundle"] in ("ORIGINAL", "METADATA")
            assert options["description"]
        primary = [line[0] for line in lines if "primary:true" in line]
        assert primary == [f"{item.name}.html"]
        bundles = {line[0]: line[1] for line in lines}
        assert bundles[f"{item.name}.xml"] == "bundle:ORIGINAL"
        assert bundles[f"{item.name}.mets.xml"] == "bundle:METADATA"


def test_item_files_are_the_editions_files(saf: Path, deposit_edition: Path) -> None:
    stem = "1967-01-23_politburo-cable"
    item = saf / stem
    assert (item / f"{stem}.xml").read_bytes() == \
        (deposit_edition / "tei" / f"{stem}.xml").read_bytes()
    assert (item / f"{stem}.html").read_bytes() == \
        (deposit_edition / "build" / "html" / f"{stem}.html").read_bytes()
    assert (item / f"{stem}.txt").read_bytes() == \
        (deposit_edition / "build" / "text" / f"{stem}.txt").read_bytes()
    assert (item / f"source-{stem}.txt").read_bytes() == \
        (deposit_edition / "source" / f"{stem}.txt").read_bytes()


def test_dublin_core_uses_only_dspaces_default_registry(saf: Path) -> None:
    for item in saf.iterdir():
        root = etree.parse(str(item / "dublin_core.xml")).getroot()
        assert root.tag == "dublin_core" and root.get("schema") == "dc"
        for value in root:
            assert value.tag == "dcvalue"
            assert value.get("qualifier") in DSPACE_REGISTRY[value.get("element")], \
                (item.name, value.get("element"), value.get("qualifier"))
            assert value.text and value.text.strip()
        fields = {(v.get("element"), v.get("qualifier")) for v in root}
        assert {("title", "none"), ("identifier", "other"), ("date", "issued"),
                ("type", "none"), ("language", "iso")} <= fields


def test_the_items_mets_validates_and_points_inside_the_item(saf: Path) -> None:
    schema = schemas.load().mets
    for item in saf.iterdir():
        root = etree.parse(str(item / f"{item.name}.mets.xml")).getroot()
        assert not schemas.problems(schema, root)
        for f in root.iterfind(".//mets:file", M):
            href = f.find("mets:FLocat", M).get(f"{{{XLINK_NS}}}href")
            assert "/" not in href
            assert f.get("CHECKSUM") == hashlib.sha256((item / href).read_bytes()).hexdigest()


def test_the_zip_holds_the_item_folders_at_its_top(saf: Path) -> None:
    with zipfile.ZipFile(saf.with_name("dspace-saf.zip")) as zf:
        files = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    assert files == tree_bytes(saf)


def test_a_sample_items_files_are_the_golden_ones(saf: Path, update_golden: bool) -> None:
    item = saf / "06_lavrentiev-cable-tehran"
    for name in ("dublin_core.xml", "contents"):
        check_golden(f"saf/06_lavrentiev-cable-tehran/{name}", (item / name).read_bytes(),
                     update_golden)
    check_golden("saf/06_lavrentiev-cable-tehran/mets.xml",
                 unsized((item / "06_lavrentiev-cable-tehran.mets.xml").read_bytes()),
                 update_golden)


@pytest.mark.parametrize("with_bag", [False, True])
def test_the_html_editions_copies_of_the_tei_and_text_are_listed_once(
        tmp_path: Path, with_bag: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export puts a copy of each TEI and text file beside the HTML pages (their
    download links); the item holds those bytes once, described as what they are, while a
    file of the HTML edition with other bytes stays one of the reading edition's files.
    The same when the bag is made first in the same run (``with_bag``), which took the
    checksums the batch then tells copies by (:func:`.saf.known_same`), reading none."""
    root = make_edition(tmp_path / "edition")
    stem = "1967-01-23_politburo-cable"
    html = root / "build" / "html"
    for folder in ("tei", "text", "figures"):
        (html / folder).mkdir()
    shutil.copyfile(root / "tei" / f"{stem}.xml", html / "tei" / f"{stem}.xml")
    os.link(root / "build" / "text" / f"{stem}.txt", html / "text" / f"{stem}.txt")
    (html / "figures" / f"{stem}.txt").write_text("not the text edition\n", encoding="utf-8")
    out = root / "build" / "dspace-saf"
    if with_bag:
        monkeypatch.setattr(saf_module, "_same_bytes", None)  # not called
        result = CliRunner().invoke(main, ["deposit", str(root), "--format=bagit",
                                           "--format=dspace-saf"],
                                    env={"SOURCE_DATE_EPOCH": "1700000000",
                                         "TEIPIPE_CACHE": str(tmp_path / "cache")})
        assert result.exit_code == 0, result.output
    else:
        made, notes = make_package(root, out, "dspace-saf", None, False, "1700000000")
        assert made.folder == out and not notes, [d.format() for d in notes]
    item = out / stem
    lines = {line[0]: line[-1].removeprefix("description:") for line in contents(item)}
    assert lines == {
        f"{stem}.html": "Reading edition (HTML)",
        f"{stem}.txt": "Reading edition (HTML)",  # the figure: other bytes
        f"{stem}.xml": "TEI P5 encoding: the edition's master file",
        f"text-{stem}.txt": "Plain-text edition",
        f"source-{stem}.txt": "The archive page the TEI was made from (plain text)",
        f"{stem}.mets.xml": "METS: the item's files with their SHA-256 checksums"}
    assert (item / f"{stem}.txt").read_bytes() == b"not the text edition\n"
    assert (item / f"text-{stem}.txt").read_bytes() == \
        (root / "build" / "text" / f"{stem}.txt").read_bytes()
    mets = etree.parse(str(item / f"{stem}.mets.xml")).getroot()
    assert len(mets.findall(".//mets:file", M)) == 5
