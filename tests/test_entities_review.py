"""The review reads each file once in its worker (hashing the bytes it parses) and gathers
the names as they come: the same proposals, and the same error for a bad file, as the old
way (each file parsed from its path, every name gathered after the last file was read)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings, strategies as st

from pipeline.cli import main
from pipeline.entities.review import MAX_CONTEXTS, Proposal, as_tsv, collect, mentions, tei_files
from pipeline.export.run import export_html
from pipeline.tei.read import TEIError

from conftest import ROOT, page_with_new_people

GOLDEN = sorted((ROOT / "tests" / "golden" / "convert").glob("*.xml"))  # nothing to review
SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


def reference(tei_files: list[Path]) -> list[Proposal]:
    """The old review (no record): every file parsed from its path, then gathered."""
    known = {p: mentions(p) for p in tei_files}
    found: dict[tuple[str, str, str | None], Proposal] = {}
    for path in tei_files:
        for type_, name, refs, cert, context in known[path]:
            item = found.setdefault((type_, name, refs), Proposal(type_, name, refs))
            item.count += 1
            item.certs.add(cert)
            if path.stem not in item.documents:
                item.documents.append(path.stem)
            if len(item.contexts) < MAX_CONTEXTS:
                item.contexts.append(context)
    return sorted(found.values(), key=lambda p: (p.refs is not None, -p.count, p.type, p.name))


def outcome(read, files: list[Path]):
    """What a review of ``files`` gives: its proposals, or the error it stops with."""
    try:
        return [p.as_data() for p in read(files)]
    except TEIError as exc:
        return ("error", str(exc))


@pytest.fixture(scope="module")
def proposed_page(tmp_path_factory) -> Path:
    """A converted page with proposed names (people the register lacks)."""
    folder = tmp_path_factory.mktemp("page")
    page = page_with_new_people(folder)
    result = CliRunner().invoke(main, ["convert", str(page), "-o", str(folder), "--no-ner",
                                       "--register", str(ROOT / "source" / "register.xml")])
    assert result.exit_code == 0, result.output
    tei = folder / "1967-02-01_new-cable.xml"
    assert b'.ner"' in tei.read_bytes()
    return tei


@pytest.fixture
def proposed(proposed_page: Path) -> bytes:
    return proposed_page.read_bytes()


#: What a mutation puts in: markup that breaks the file, makes a name proposed or
#: ambiguous (with separators str.split knows and XML does not), repeats an id, or is noise.
SNIPPETS = [b"<", b">", b"&", b"&amp;", b"</p>", b"<p>", b"</body>", b"</TEI>", b"\xff",
            b' resp="#x.ner"', b' resp="#x.nerd"', b' ref="#a #b"', b' ref="#a\xc2\xa0#b"',
            b' ref=" #a "', b' cert="low"', b' xml:id="per-ivan-petrovsky"',
            b'<persName resp="#d.ner" cert="medium">Jan Novak</persName>',
            b'<orgName ref="#o1 #o2" cert="low">UN</orgName>', b"<!-- a comment -->",
            b"<?pi x?>", b"<![CDATA[x]]>", b"<lb/>", b"\n  ", b"\xe2\x80\x83",
            b"<choice><abbr>UN</abbr><expan>United Nations</expan></choice>"]
#: Where: at names and their attributes most of the time, anywhere else too.
MARKS = [b"<persName", b"<placeName", b"<orgName", b"resp=", b"ref=", b"</persName>",
         b"<text", b"<body", b"<div", b"<standOff", b"<teiHeader", b"<TEI", b"<?teipipe"]


#: One mutation: the mark near which, which of its places, how far after it (or, None,
#: right after the mark: an attribute added to a name), how many bytes it replaces, and
#: with what.
MUTATION = st.tuples(st.sampled_from(MARKS), st.integers(0, 1 << 16),
                     st.one_of(st.none(), st.integers(-3, 40)), st.integers(0, 6),
                     st.sampled_from(SNIPPETS))


def mutated(data: bytes, mutations: list[tuple[bytes, int, int | None, int, bytes]]) -> bytes:
    for mark, which, delta, cut, snippet in mutations:
        spots = [k for k in range(len(data)) if data.startswith(mark, k)] or [0]
        spot = spots[which % len(spots)]
        if delta is None:
            at, cut = spot + len(mark), 0
        else:
            at = min(len(data), max(0, spot + delta))
        data = data[:at] + snippet + data[at + cut:]
    return data


#: A mutation that mostly leaves the file well-formed: an attribute added to an element.
ATTRIBUTE = st.tuples(st.sampled_from(MARKS), st.integers(0, 1 << 16), st.none(), st.just(0),
                      st.sampled_from([s for s in SNIPPETS if s.startswith(b" ")]))


@SETTINGS
@given(first=st.lists(ATTRIBUTE, max_size=4), second=st.lists(ATTRIBUTE, max_size=4))
def test_the_review_of_pages_given_attributes_is_the_old_one(
        tmp_path: Path, proposed_page: Path, first, second) -> None:
    proposed = proposed_page.read_bytes()
    page = tmp_path / "1967-02-01_new cable é.xml"
    page.write_bytes(mutated(proposed, first))
    other = tmp_path / "other.xml"
    other.write_bytes(mutated(proposed, second))
    files = [page, other, page]
    assert outcome(collect, files) == outcome(reference, files)


@SETTINGS
@given(mutations=st.lists(MUTATION, max_size=3))
def test_the_review_of_a_mutated_page_is_the_old_one(tmp_path: Path, proposed_page: Path,
                                                      mutations) -> None:
    page = tmp_path / "1967-02-01_new cable é.xml"
    page.write_bytes(mutated(proposed_page.read_bytes(), mutations))
    assert outcome(collect, [page]) == outcome(reference, [page])


@SETTINGS
@given(first=st.lists(MUTATION, max_size=3), second=st.lists(ATTRIBUTE, max_size=3))
@example(first=[], second=[])
def test_the_names_an_export_finds_give_the_old_review(tmp_path: Path, proposed_page: Path,
                                                       first, second) -> None:
    """The names the export's workers find in the trees they parse (each file parsed from
    its bytes, once, for the edition) give the review of each file parsed from its path:
    a file either cannot read is read by the review itself, which says why."""
    proposed = proposed_page.read_bytes()
    folder = tmp_path / "tei"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    page = folder / "1967-02-01_new cable é.xml"
    page.write_bytes(mutated(proposed, first))
    other = folder / "other.xml"
    other.write_bytes(mutated(proposed, second))
    files = [page, other]
    found = export_html([folder], tmp_path / "html", review=True).names
    assert found is not None and set(found) <= {str(page), str(other)}
    if not first and not second:
        assert set(found) == {str(page), str(other)}
    assert outcome(lambda fs: collect(fs, found=found), files) == outcome(reference, files)


def test_bad_files_stop_the_review_with_the_old_error(tmp_path: Path, proposed: bytes,
                                                       ) -> None:
    good = tmp_path / "good.xml"
    good.write_bytes(proposed)
    bad = {"not-tei.xml": b'<?xml version="1.0"?>\n<html><body><p>Hi</p></body></html>\n',
           "not-teipipe.xml": b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
                              b'<p>x</p></body></text></TEI>',
           "malformed.xml": b"<TEI", "empty.xml": b"",
           "repeated-id.xml": proposed.replace(b'xml:id="per-', b'xml:id="pla-', 2)
           .replace(b"<standOff>", b'<standOff xml:id="d1967-02-01_new-cable">')}
    for name, content in bad.items():
        (tmp_path / name).write_bytes(content)
    for name in [*bad, "missing.xml"]:
        files = [good, tmp_path / name]
        old = outcome(reference, files)
        assert old[0] == "error" and name in old[1], old
        assert outcome(collect, files) == old
        assert outcome(lambda fs: collect(fs, jobs=2), files * 4) == old


def test_workers_and_the_record_give_the_old_review(tmp_path: Path, proposed: bytes) -> None:
    folder = tmp_path / "tei"
    folder.mkdir()
    for k in range(6):
        (folder / f"page-{k}.xml").write_bytes(proposed.replace(b"Zolt", b"Zolt" * k))
    for path in GOLDEN:
        shutil.copy(path, folder / path.name)
    (folder / "ambiguous.xml").write_bytes(proposed.replace(
        b'resp="#d1967-02-01_new-cable.ner"', b'ref="#per-a #per-b"'))
    files = sorted(folder.glob("*.xml"))
    old = as_tsv(reference(files))
    assert "\tper-a per-b\tambiguous\t" in old and "Ivan Petrovsky" in old
    record = tmp_path / "review.json"
    assert as_tsv(collect(files, record, jobs=2)) == old
    assert record.exists()
    assert as_tsv(collect(files, record, jobs=2)) == old  # from the record
    (folder / "page-0.xml").write_bytes(proposed.replace(b"Hanoi", b"Haiphong"))
    assert as_tsv(collect(files, record, jobs=1)) == as_tsv(reference(files))


@given(st.sets(st.text(st.characters(blacklist_characters="/\0", blacklist_categories=("Cs",)),
                       min_size=1, max_size=12), max_size=12))
@settings(max_examples=30, deadline=None)
def test_a_folders_files_are_in_the_order_of_their_paths(names: set[str]) -> None:
    """The files of a folder come in the order their paths sort in (sorted by name)."""
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            (Path(folder) / f"{name}.xml").write_bytes(b"")
        (Path(folder) / "other.txt").write_bytes(b"")
        assert tei_files([Path(folder)]) == sorted(Path(folder).glob("*.xml"))
