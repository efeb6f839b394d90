"""The BagIt bag: valid for bagit itself, complete, reproducible, with Dublin Core that says
what each TEI header says and METS that validates and points at the right bytes."""

from __future__ import annotations

import hashlib
import re
import shutil
import string
import zipfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import bagit
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline import vocab
from pipeline.deposit import records as records_module, schemas
from pipeline.deposit.dublin_core import DC_NS
from pipeline.deposit.edition import GROUPS, collect, package_date
from pipeline.deposit.fixity import Fixity
from pipeline.deposit.bag import walk_key
from pipeline.deposit.make import make_package
from pipeline.deposit.mets import METS_NS, XLINK_NS
from pipeline.deposit.records import PLAIN_URI, Valid, mets_file, records
from pipeline.tei.ns import XML_LANG
from pipeline.tei.read import parse, read_tei

from deposit_edition import tree_bytes

EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
GOLDEN = Path(__file__).parent / "golden" / "deposit"
M = {"mets": METS_NS, "xlink": XLINK_NS, "dc": DC_NS}


def build(root: Path, out: Path, fmt: str = "bagit", archive: str | None = None,
          epoch: str | None = EPOCH) -> Path:
    made, notes = make_package(root, out, fmt, archive, False, epoch)
    assert made.folder == out, [d.format() for d in notes]
    assert not notes, [d.format() for d in notes]
    return out


@pytest.fixture(scope="module")
def bag(deposit_edition: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(deposit_edition, tmp_path_factory.mktemp("bag") / "deposit")


def documents(root: Path) -> list[Path]:
    return sorted((root / "tei").glob("*.xml"))


def check_golden(name: str, data: bytes, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.exists(), f"no golden file {path}; run pytest --update-golden and review it"
    assert data.decode() == path.read_text(encoding="utf-8"), f"differs from {path}"


def unsized(data: bytes) -> bytes:
    """Sizes and checksums masked (checked against the files themselves elsewhere), so that
    the golden files keep to structure and wording."""
    data = re.sub(rb'(SIZE|CHECKSUM)="[^"]*"', rb'\1="..."', data)
    return re.sub(rb"^(Payload-Oxum|Bag-Size): .*$", rb"\1: ...", data, flags=re.M)


# ----------------------------------------------------------------------------- the bag


def test_the_bag_is_valid_for_bagits_own_validator(bag: Path) -> None:
    b = bagit.Bag(str(bag))
    b.validate(processes=1)  # raises on any problem
    assert b.version_info == (1, 0)
    assert sorted(b.algorithms) == ["sha256", "sha512"]
    for name in ("manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt",
                 "tagmanifest-sha512.txt"):
        assert (bag / name).is_file()
    listed = {line.split("  ", 1)[1] for line in
              (bag / "tagmanifest-sha512.txt").read_text().splitlines()}
    assert listed == {"bag-info.txt", "bagit.txt", "manifest-sha256.txt", "manifest-sha512.txt"}


def test_bag_info_comes_from_the_edition(bag: Path, deposit_edition: Path) -> None:
    info = bagit.Bag(str(bag)).info
    assert info["Source-Organization"] == "Test University Library"
    assert info["Organization-Address"] == "1 Library Walk, Testville"
    assert info["Contact-Name"] == "Ada Archivist"
    assert info["Contact-Email"] == "ada@example.org"
    assert info["Contact-Phone"] == "+1 555 0100"
    assert info["External-Identifier"] == "test-edition"
    assert info["Bagging-Date"] == "2023-11-14"
    n = len(documents(deposit_edition))
    assert info["External-Description"].startswith("Cold War documents for the deposit tests. "
                                                   f"{n} documents, dated 1953 to 1981;")
    payload = [p for p in (bag / "data").rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in payload)
    assert info["Payload-Oxum"] == f"{size}.{len(payload)}"
    assert info["Bag-Size"] == f"{size / 1000:.1f} KB"


def test_the_bag_holds_every_file_of_the_edition_unchanged(bag: Path,
                                                          deposit_edition: Path) -> None:
    payload = tree_bytes(bag / "data")
    for group, folder, _what in GROUPS:
        files = tree_bytes(deposit_edition / folder)
        assert files, folder
        for rel, data in files.items():
            assert payload[f"{group}/{rel}"] == data, f"{folder}/{rel}"
    stems = [p.stem for p in documents(deposit_edition)]
    for stem in stems:
        assert f"metadata/dc/{stem}.xml" in payload
        assert f"metadata/mets/{stem}.xml" in payload
    assert "metadata/edition.mets.xml" in payload and "README.md" in payload


def test_the_same_edition_twice_gives_identical_bags(deposit_edition: Path,
                                                     tmp_path: Path) -> None:
    """Also from a copy made in another order (other directory order on disk), and without
    SOURCE_DATE_EPOCH (then the headers' newest date decides, outside git)."""
    copy = tmp_path / "copy"
    for path in sorted(deposit_edition.rglob("*"), reverse=True):
        if path.is_file():
            target = copy / path.relative_to(deposit_edition)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    for epoch in (EPOCH, None):
        one = build(deposit_edition, tmp_path / f"one-{epoch}" / "deposit", archive="zip",
                    epoch=epoch)
        two = build(copy, tmp_path / f"two-{epoch}" / "deposit", archive="zip", epoch=epoch)
        assert tree_bytes(one) == tree_bytes(two)
        assert (one.parent / "deposit.zip").read_bytes() == \
            (two.parent / "deposit.zip").read_bytes()
        build(copy, two, archive="tar.gz", epoch=epoch)  # again, over the old one
        build(deposit_edition, one, archive="tar.gz", epoch=epoch)
        assert tree_bytes(one) == tree_bytes(two)
        assert (one.parent / "deposit.tar.gz").read_bytes() == \
            (two.parent / "deposit.tar.gz").read_bytes()
    headers = [read_tei(parse(p)).header for p in documents(deposit_edition)]
    newest = max(d for h in headers for d in (h.uploaded_when, h.date_when) if d)
    assert f"Bagging-Date: {newest}\n" in (one / "bag-info.txt").read_text()


def test_the_zip_unpacks_into_one_folder_named_like_the_bag(deposit_edition: Path,
                                                          tmp_path: Path) -> None:
    made = build(deposit_edition, tmp_path / "deposit", archive="zip")
    with zipfile.ZipFile(made.parent / "deposit.zip") as zf:
        names = zf.namelist()
        assert {n.split("/", 1)[0] for n in names} == {"deposit"}
        assert names == sorted(names)
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        for name, data in tree_bytes(made).items():
            assert zf.read(f"deposit/{name}") == data


# ----------------------------------------------------------------------------- Dublin Core


@pytest.mark.parametrize("index", range(12))
def test_dublin_core_says_what_the_header_says_field_by_field(bag: Path, deposit_edition: Path,
                                                             index: int) -> None:
    tei = documents(deposit_edition)[index]
    tree = parse(tei)
    doc = read_tei(tree)
    h = doc.header
    dc = etree.parse(str(bag / "data" / "metadata" / "dc" / f"{tei.stem}.xml")).getroot()

    def values(element: str) -> list[str]:
        return [el.text for el in dc.findall(f"dc:{element}", M)]

    senders = [p.name for p in h.parties if p.role == "sent"]
    assert values("title") == [h.title]
    assert values("creator") == list(dict.fromkeys([*h.authors, *senders]))
    assert values("contributor") == [n for n in (h.translator, h.obtained_by) if n]
    assert values("date") == ([h.date_when] if h.date_when else [])
    assert values("subject") == list(h.topics)
    assert values("coverage") == list(h.places)
    assert values("language") == [tree.getroot().get(XML_LANG)] == ["en"]
    assert values("rights") == list(h.rights)
    archive = ", ".join(x for x in (h.archive, h.archive_place, h.archive_reference) if x)
    web = "Wilson Center Digital Archive, History and Public Policy Program"
    web += f", record {h.record_id}" if h.record_id else ""
    assert values("source") == ([archive] if archive else []) + [web]
    assert values("identifier") == [doc.id]
    assert values("type") == ["Text", vocab.DOC_TYPES[h.doc_type][0]]
    original = vocab.LANGUAGE_NAMES.get(h.source_language or "")
    level = vocab.CLASSIFICATIONS.get(h.classification or "")
    assert values("description") == [
        *([h.summary] if h.summary else []),
        *([f"Translated from {original}."] if original and h.source_language != "en" else []),
        *([f"Classification marked on the original: {level[0]}."] if level else [])]
    assert values("publisher") == ["Test Press"]
    assert values("relation") == ["Test edition"]
    assert not schemas.problems(schemas.load().oai_dc, dc)


def test_the_seed_cables_dublin_core_is_the_golden_one(bag: Path, update_golden: bool) -> None:
    for stem in ("1967-01-23_politburo-cable", "1968-10-15_politburo-cable-323"):
        data = (bag / "data" / "metadata" / "dc" / f"{stem}.xml").read_bytes()
        check_golden(f"dc/{stem}.xml", data, update_golden)


# ----------------------------------------------------------------------------- METS


def test_every_mets_validates_and_points_at_the_right_bytes(bag: Path) -> None:
    schema = schemas.load().mets
    mets_files = sorted((bag / "data" / "metadata").rglob("*.xml"))
    mets_files = [p for p in mets_files if "/dc/" not in p.as_posix()]
    assert len(mets_files) == 13
    for path in mets_files:
        root = etree.parse(str(path)).getroot()
        assert not schemas.problems(schema, root), path
        ids = {f.get("ID") for f in root.iterfind(".//mets:file", M)}
        assert {p.get("FILEID") for p in root.iterfind(".//mets:fptr", M)} == ids
        for f in root.iterfind(".//mets:file", M):
            href = f.find("mets:FLocat", M).get(f"{{{XLINK_NS}}}href")
            target = (path.parent / unquote(href)).resolve()
            data = target.read_bytes()
            assert int(f.get("SIZE")) == len(data)
            assert f.get("CHECKSUM") == hashlib.sha256(data).hexdigest()
            assert f.get("CHECKSUMTYPE") == "SHA-256"
        for ptr in root.iterfind(".//mets:mptr", M):
            assert (path.parent / ptr.get(f"{{{XLINK_NS}}}href")).is_file()


def test_a_documents_mets_ties_its_tei_source_html_and_text(bag: Path) -> None:
    stem = "1967-01-23_politburo-cable"
    root = etree.parse(str(bag / "data" / "metadata" / "mets" / f"{stem}.xml")).getroot()
    uses = {g.get("USE"): [f.find("mets:FLocat", M).get(f"{{{XLINK_NS}}}href")
                           for f in g.iterfind("mets:file", M)]
            for g in root.iterfind(".//mets:fileGrp", M)}
    assert uses == {"TEI": [f"../../tei/{stem}.xml"], "SOURCE": [f"../../source/{stem}.txt"],
                    "HTML": [f"../../html/{stem}.html"], "TEXT": [f"../../text/{stem}.txt"]}
    wrapped = root.find(".//mets:dmdSec[@ID='dmd-dc']//{*}dc", M)
    alone = etree.parse(str(bag / "data" / "metadata" / "dc" / f"{stem}.xml")).getroot()
    assert [(e.tag, e.get(XML_LANG), e.text) for e in wrapped] == \
        [(e.tag, e.get(XML_LANG), e.text) for e in alone]
    assert root.find(".//mets:mdRef", M).get("MDTYPE") == "TEIHDR"


def test_the_edition_mets_lists_the_files_no_document_owns(bag: Path) -> None:
    root = etree.parse(str(bag / "data" / "metadata" / "edition.mets.xml")).getroot()
    hrefs = sorted(f.get(f"{{{XLINK_NS}}}href") for f in root.iterfind(".//mets:FLocat", M))
    assert hrefs == ["../html/assets/edition.css", "../html/index.html", "../schema/README.md",
                     "../source/register.xml"]
    assert len(root.findall(".//mets:mptr", M)) == 12


def test_the_mets_schema_rejects_a_broken_mets(bag: Path) -> None:
    """The check can fail: a file without its required ID, an unknown element."""
    schema = schemas.load().mets
    data = (bag / "data" / "metadata" / "mets" / "1967-01-23_politburo-cable.xml").read_bytes()
    for broken in (data.replace(b' ID="file-tei-1"', b"", 1),
                   data.replace(b"<mets:fileSec>", b"<mets:fileSec><mets:bogus/>", 1),
                   data.replace(b'CHECKSUMTYPE="SHA-256"', b'CHECKSUMTYPE="SHA-3"', 1)):
        assert schemas.problems(schema, etree.fromstring(broken))


def test_a_record_its_schema_rejects_is_reported_with_its_line(deposit_edition: Path) -> None:
    """Records are checked as they are made: one that is not valid comes back as E504."""
    edition, _notes = collect(deposit_edition)
    d = edition.documents[0]
    when = package_date(EPOCH, None, edition.documents)
    files = [mets_file(f.role, f.rel, Fixity(1, "0" * 64, "0" * 128)) for f in d.files]
    official = schemas.load()
    assert records(d, edition.meta, when, files, official).problems == ()
    strict = schemas.Schemas(mets=official.oai_dc, oai_dc=official.oai_dc)  # no METS passes
    problems = records(d, edition.meta, when, files, strict).problems
    assert [p.code for p in problems] and {p.code for p in problems} == {"E504"}
    assert problems[0].file.endswith(f"tei/{d.stem}.xml")
    assert problems[0].message.startswith("the METS made for this document is not valid: "
                                          "line 2: ")


def test_a_dublin_core_found_valid_before_is_neither_made_nor_checked_again(
        deposit_edition: Path) -> None:
    """The second package of a run has the same oai_dc as the first: its records are the
    same but for it, and a METS that is not valid is still reported with both."""
    edition, _notes = collect(deposit_edition)
    d = edition.documents[0]
    when = package_date(EPOCH, None, edition.documents)
    files = [mets_file(f.role, f.rel, Fixity(1, "0" * 64, "0" * 128)) for f in d.files]
    official = schemas.load()
    first = records(d, edition.meta, when, files, official)
    again = records(d, edition.meta, when, files, official, Valid(dc={d.stem}))
    assert again.dc is None and first.dc is not None
    assert (again.terms, again.mets, again.problems) == (first.terms, first.mets, ())
    strict = schemas.Schemas(mets=official.oai_dc, oai_dc=official.oai_dc)  # no METS passes
    assert records(d, edition.meta, when, files, strict, Valid(dc={d.stem})).problems == \
        records(d, edition.meta, when, files, strict).problems


def test_a_mets_differing_from_one_found_valid_in_its_hrefs_alone_is_not_checked_again(
        deposit_edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The DSpace batch's METS of a document is the bag's with other hrefs: of the shape
    the bag's was found valid in, it is not checked again (so that even a schema no METS
    passes finds nothing); one that differs in anything more is checked (a file fewer, a
    file of another size), and so is one with an href that is not a plain relative URL."""
    edition, _notes = collect(deposit_edition)
    d = edition.documents[0]
    when = package_date(EPOCH, None, edition.documents)
    fixity = Fixity(1, "0" * 64, "0" * 128)
    in_bag = [mets_file(f.role, "../../" + f.rel, fixity) for f in d.files]
    in_saf = [mets_file(f.role, f.rel.rpartition("/")[2], fixity) for f in d.files]
    official = schemas.load()
    valid = Valid()
    bag = records(d, edition.meta, when, in_bag, official, valid)
    assert bag.problems == () and len(bag.shapes) == 1
    valid.learn(d.stem, bag.shapes)
    strict = schemas.Schemas(mets=official.oai_dc, oai_dc=official.oai_dc)  # no METS passes
    saf = records(d, edition.meta, when, in_saf, strict, valid)
    assert saf.problems == () and saf.shapes == bag.shapes
    assert saf.mets == records(d, edition.meta, when, in_saf, official).mets != bag.mets
    for files, plain in ((in_saf[:-1], PLAIN_URI), ([replace(in_saf[0], size=2),
                                                      *in_saf[1:]], PLAIN_URI),
                         (in_saf, re.compile("(?!)"))):  # the last: no href is plain
        monkeypatch.setattr(records_module, "PLAIN_URI", plain)
        assert records(d, edition.meta, when, files, official, valid).problems == ()
        problems = records(d, edition.meta, when, files, strict, valid).problems
        assert problems and {p.code for p in problems} == {"E504"}
        assert problems[0].message.startswith("the METS made for this document is not valid")


_ROLE = st.sampled_from(["tei", "source", "html", "text"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_ROLE, st.integers(0, 3), st.booleans()), min_size=1, max_size=7),
       st.data())
def test_a_mets_listing_fewer_files_is_taken_unchecked_only_when_it_is_valid(
        deposit_edition: Path, drawn: list[tuple[str, int, bool]], data: st.DataObject,
        ) -> None:
    """A package that checks a METS also learns the shape of the METS listing ``fewer`` of
    its files (a DSpace item leaves out the HTML edition's copies of the TEI and text):
    every METS then taken unchecked passes the METS schema, and one that lists a file the
    checked METS does not, or lists them in another order, or none, is still checked (a
    schema no METS passes finds it)."""
    edition, _notes = collect(deposit_edition)
    d = edition.documents[0]
    when = package_date(EPOCH, None, edition.documents)
    files = [mets_file(role, f"../../{role}/{n}.x", Fixity(size, f"{size:064x}", "0" * 128))
             for n, (role, size, _keep) in enumerate(drawn)]
    fewer = [f for f, (_role, _size, keep) in zip(files, drawn) if keep]
    change = data.draw(st.sampled_from(["fewer", "reversed", "foreign"]))
    other = {"fewer": fewer, "reversed": fewer[::-1],
             "foreign": [*fewer, replace(files[0], size=9)]}[change]
    official = schemas.load()
    strict = schemas.Schemas(mets=official.oai_dc, oai_dc=official.oai_dc)  # no METS passes
    valid = Valid()
    bag = records(d, edition.meta, when, files, official, valid, other)
    assert bag.problems == ()
    valid.learn(d.stem, bag.shapes)
    in_item = [replace(f, href=f.href.rpartition("/")[2]) for f in other]
    item = records(d, edition.meta, when, in_item, strict, valid)
    if not item.problems:  # taken unchecked: valid, and a METS of fewer files
        assert official.mets.validate(parse(item.mets))
        assert records_module.within(other, files) and len(bag.shapes) == 2
    else:
        assert {p.code for p in item.problems} == {"E504"}
    assert bool(item.problems) == (change == "foreign" or not fewer) if change != "reversed" \
        else not item.problems or not records_module.within(other, files)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(string.ascii_letters + string.digits + "._~/-"),
                          st.builds("%{:02X}".format, st.integers(0, 255)),
                          st.builds("%{:02x}".format, st.integers(0, 255))), max_size=16))
def test_every_href_taken_as_plain_passes_the_mets_schema(pieces: list[str]) -> None:
    """What lets a METS of a shape found valid go unchecked holds: an href that
    :data:`.records.PLAIN_URI` takes (any string of its pieces) is one the METS schema
    takes, tried in a METS whose every href is replaced by it."""
    href = "".join(pieces)
    assert PLAIN_URI.fullmatch(href)
    seed = re.sub(rb'(SIZE|CHECKSUM)="\.\.\."', rb'\1="1"',  # golden: sizes masked
                  (GOLDEN / "mets" / "1967-01-23_politburo-cable.xml").read_bytes())
    assert seed.count(b"xlink:href=") == 5
    assert schemas.load().mets.validate(etree.fromstring(re.sub(
        rb'xlink:href="[^"]*"', b'xlink:href="' + href.encode() + b'"', seed)))


def test_the_seed_cables_mets_and_bag_info_are_the_golden_ones(bag: Path,
                                                               update_golden: bool) -> None:
    stem = "1967-01-23_politburo-cable"
    check_golden(f"mets/{stem}.xml",
                 unsized((bag / "data" / "metadata" / "mets" / f"{stem}.xml").read_bytes()),
                 update_golden)
    check_golden("bag-info.txt", unsized((bag / "bag-info.txt").read_bytes()), update_golden)
    check_golden("README.md", (bag / "data" / "README.md").read_bytes(), update_golden)


def _walk_order_reference(rel: str) -> list[tuple[int, str]]:
    parts = rel.split("/")
    return [(1, p) for p in parts[:-1]] + [(0, parts[-1])]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["a", "b", "a.b", "b-a", "A", "é", "a b", "\x01",
                                          "a\x01", "~", "\U0001f4a1", "\uffff"]),
                         min_size=1, max_size=4).map("/".join), min_size=1, max_size=30))
def test_walk_order_sorts_as_the_list_of_parts_does(paths: list[str]) -> None:
    assert sorted(paths, key=walk_key) == sorted(paths, key=_walk_order_reference)
