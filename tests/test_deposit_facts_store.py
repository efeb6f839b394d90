"""The deposit takes each TEI file's checksums and facts from the HTML export that read it
(:mod:`pipeline.deposit.facts_store`), and only while the file is as the export saw it.

Through the commands, as ``make all`` runs them: convert, export html (+ text), deposit.  A
file is trusted by its times only when it was last changed more than
:data:`pipeline.incremental.RACY_NS` before it was read; the pages here are converted a
moment before they are exported, so that margin is set to nothing.
"""

from __future__ import annotations

import hashlib
import marshal
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import incremental
from pipeline.cli import main
from pipeline.deposit import facts_store
from pipeline.deposit.facts import read_facts
from pipeline.deposit.fixity import FileMemory
from pipeline.tei.read import parse

from conftest import SEEDS, sample_pages
from deposit_edition import EDITION_TOML


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return exported(tmp_path, monkeypatch)


def exported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, register: bool = False) -> Path:
    """The seeds and samples converted and exported (HTML and text, as ``make all`` does);
    ``register``: with the seeds' register (the export makes its entries' pages)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(incremental, "RACY_NS", 0)
    (tmp_path / "source").mkdir()
    for page in [*sorted(SEEDS.glob("*.txt")), *sample_pages()]:
        shutil.copyfile(page, tmp_path / "source" / page.name)
    if register:
        shutil.copyfile(SEEDS / "register.xml", tmp_path / "source" / "register.xml")
    (tmp_path / "edition.toml").write_text(EDITION_TOML, encoding="utf-8")
    run("convert", "source", "-o", "tei", "--no-ner", "-j", "1")
    run("export", "html", "tei", "-o", "build/html", "--text-output", "build/text", "-j", "2")
    return tmp_path


def deposit(out: str) -> dict[str, bytes]:
    """A bag made from nothing into ``out``: its files' bytes, by path."""
    run("deposit", "--format", "bagit", "-o", out)
    return {str(p.relative_to(out)): p.read_bytes()
            for p in sorted(Path(out).rglob("*")) if p.is_file()}


def forget_deposits(edition: Path) -> None:
    """Remove the deposits' own build records (what they learnt of the edition's files)."""
    for record in (edition / "cache" / "builds").glob("deposit-*"):
        record.unlink()


def test_the_export_keeps_each_tei_files_checksums_and_facts(edition: Path) -> None:
    told = facts_store.load()
    files = sorted((edition / "tei").glob("*.xml"))
    assert {str(p.resolve()) for p in files} <= set(told)
    for path in files:
        state, sha512, facts = facts_store.decode(told[str(path.resolve())])
        data = path.read_bytes()
        assert state.sha256 == hashlib.sha256(data).hexdigest()
        assert sha512 == hashlib.sha512(data).hexdigest()
        assert facts == read_facts(parse(data))  # what the deposit would read itself


def test_a_deposit_with_the_exported_facts_is_the_one_made_without(edition: Path) -> None:
    told = deposit("with")
    facts_store.store_path().unlink()
    forget_deposits(edition)
    assert deposit("without") == told


def retell(path: str, title: str) -> None:
    """Change the title the store holds for ``path`` (not the file)."""
    state, sha512, facts = facts_store.decode(facts_store.load()[path])
    facts["header"]["title"] = title
    facts_store.keep([(path, marshal.dumps((state.as_data(), sha512, facts)))])


@pytest.mark.parametrize("linked", [False, True])
def test_the_deposit_says_what_the_store_says_of_a_file_as_the_export_read_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, linked: bool) -> None:
    """The store is taken at its word for a file whose size, times and inode are those the
    export saw: a title changed in the store (not in the file) shows in the package; also
    when ``tei/`` is a link to the folder (the export finds files by their real path)."""
    if linked:
        (tmp_path / "elsewhere").mkdir()
        (tmp_path / "tei").symlink_to(tmp_path / "elsewhere")
    made = exported(tmp_path, monkeypatch)
    path = str(sorted((made / "tei").glob("*.xml"))[0].resolve())
    retell(path, "Told by the export")
    dc = deposit("bag")[f"data/metadata/dc/{Path(path).stem}.xml"]
    assert b"Told by the export" in dc


def test_a_tei_file_changed_after_the_export_is_read_again(edition: Path) -> None:
    path = sorted((edition / "tei").glob("*.xml"))[0]
    data = path.read_bytes()
    title = read_facts(parse(data))["header"]["title"]
    changed = data.replace(title.encode(), b"Changed by hand", 1)
    assert changed != data
    path.write_bytes(changed)
    dc = deposit("bag")[f"data/metadata/dc/{path.stem}.xml"]
    assert b"Changed by hand" in dc and title.encode() not in dc


def test_a_store_that_cannot_be_read_is_no_store(edition: Path) -> None:
    told = deposit("with")
    facts_store.store_path().write_bytes(b"not an SQLite file")
    assert len(facts_store.load()) == 0
    shutil.rmtree("with")
    forget_deposits(edition)
    assert deposit("with") == told


# ------------------------------------------ the digests of the files the export placed


def placed_files(edition: Path) -> list[Path]:
    """The files the export's workers place: pages, downloads, the plain texts."""
    html = edition / "build" / "html"
    return sorted([*(html / "documents").glob("*.html"), *(html / "tei").glob("*.xml"),
                   *(html / "text").glob("*.txt"), *(edition / "build" / "text").glob("*.txt")])


def test_the_export_keeps_the_digests_of_the_files_its_workers_placed(edition: Path) -> None:
    """Each with its SHA-512, or told with another file of the same bytes (a TEI file's
    copy: with the TEI file; a text linked to the HTML edition's: with that one)."""
    told = facts_store.load_placed()
    elsewhere = {facts_store.decode(data)[0].sha256 for data in facts_store.load().values()}
    elsewhere |= {state[0] for state, sha512 in told.values() if sha512 is not None}
    files = [p for p in placed_files(edition) if p.name != "corpus.txt"]
    assert len(files) > 20
    for path in files:
        state, sha512 = told[str(path.resolve())]
        data = path.read_bytes()
        st = path.stat()
        assert state[:5] == [hashlib.sha256(data).hexdigest(), st.st_size, st.st_mtime_ns,
                             state[3], st.st_ino]
        assert sha512 == hashlib.sha512(data).hexdigest() if sha512 is not None \
            else state[0] in elsewhere


def manifest(bag: dict[str, bytes], alg: str) -> dict[str, str]:
    return {rel: digest for digest, rel in (line.split("  ", 1) for line in
                                            bag[f"manifest-{alg}.txt"].decode().splitlines())}


def retell_placed(path: Path, sha512: str) -> None:
    """Change the SHA-512 the export kept of ``path`` (not the file)."""
    state, _sha512 = facts_store.load_placed()[str(path.resolve())]
    keeper = facts_store.Keeper(facts_store.placed_path(str(path.parent.parent)))
    keeper.add(str(path.resolve()), marshal.dumps((state, sha512)))
    keeper.close()


def test_a_deposit_takes_the_placed_files_digests_unless_the_file_changed(
        edition: Path) -> None:
    """The bag's manifests give what the export kept of a page whose size, times and inode
    are those it saw (a digest changed in the store, not in the file, shows: the file was
    not read), and what the file holds of one changed since, however it was changed."""
    pages = sorted((edition / "build" / "html" / "documents").glob("*.html"))
    told, changed = pages[0], pages[1]
    retell_placed(told, "1" * 128)
    retell_placed(changed, "2" * 128)
    data = changed.read_bytes().replace(b"</body>", b"<!-- by hand --></body>")
    with open(changed, "r+b") as handle:  # written into: the same inode
        handle.write(data)
    bag = deposit("bag")
    sha512, sha256 = manifest(bag, "sha512"), manifest(bag, "sha256")
    assert sha512[f"data/html/documents/{told.name}"] == "1" * 128
    assert sha512[f"data/html/documents/{changed.name}"] == hashlib.sha512(data).hexdigest()
    assert sha256[f"data/html/documents/{changed.name}"] == hashlib.sha256(data).hexdigest()


def test_a_deposit_with_the_placed_digests_is_the_one_made_without(edition: Path) -> None:
    told = deposit("with")
    for store in (edition / "cache" / "builds").glob("placed-*"):
        store.unlink()
    forget_deposits(edition)
    assert deposit("without") == told


# ------------------------------------------ the store itself: kept as it comes, read per key


def test_the_store_keeps_entries_as_they_come_and_gives_them_one_at_a_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries added (the last of a key counts) are those read back, by key and all
    together; files that are gone are forgotten; a store of other code, or one that is no
    SQLite file, holds nothing and is begun again by the next export."""
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))
    files = [tmp_path / f"{n}.xml" for n in range(3)]
    for path in files:
        path.write_bytes(b"<TEI/>")
    facts_store.keep([(str(files[0]), b"a"), (str(files[1]), b"b"), (str(files[0]), b"c")])
    told = facts_store.load()
    assert (told[str(files[0])], told.get(str(files[1])), told.get("elsewhere")) == \
        (b"c", b"b", None)
    assert sorted(told) == [str(files[0]), str(files[1])] and len(told) == 2
    files[1].unlink()
    facts_store.keep([(str(files[2]), b"d")])
    assert sorted(facts_store.load().values()) == [b"c", b"d"]
    monkeypatch.setattr(facts_store, "code_digest", lambda: "other code")
    assert len(facts_store.load()) == 0
    facts_store.keep([(str(files[2]), b"e")])
    assert list(facts_store.load().values()) == [b"e"]
    facts_store.store_path().write_bytes(b"not an SQLite file")
    assert len(facts_store.load()) == 0
    facts_store.keep([(str(files[0]), b"f")])
    assert list(facts_store.load().values()) == [b"f"]


def test_the_placed_stores_of_two_output_folders_are_read_as_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))
    state = incremental.FileState("0" * 64, 1, 2, 3, 4)
    facts_store.keep_placed(str(tmp_path / "html"), [("a.html", state, "1" * 128)])
    facts_store.keep_placed(str(tmp_path / "text"), [("a.txt", state, None)])
    told = facts_store.load_placed()
    assert len(told) == 2
    assert told[str(tmp_path / "html" / "a.html")][1] == "1" * 128
    assert told[str(tmp_path / "text" / "a.txt")][0][:5] == ["0" * 64, 1, 2, 3, 4]


def test_the_placed_files_kept_at_once_are_those_given_the_last_of_a_file_counting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """:func:`facts_store.keep_placed` keeps its files in one statement: the same as one at a
    time (the last of a file counts); none kept: no store made."""
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))
    facts_store.keep_placed(str(tmp_path / "html"), [])
    assert not facts_store.placed_path(str(tmp_path / "html")).exists()
    states = [incremental.FileState(f"{n:064x}", n, n, n, n) for n in range(5)]
    facts_store.keep_placed(str(tmp_path / "html"), [
        (f"{n % 3}.html", state, f"{n:0128x}") for n, state in enumerate(states)])
    told = facts_store.load_placed()
    assert sorted(told) == [str(tmp_path / "html" / f"{n}.html") for n in range(3)]
    assert [told[str(tmp_path / "html" / f"{n}.html")][1] for n in range(3)] == \
        [f"{n:0128x}" for n in (3, 4, 2)]


def test_a_deposit_after_an_export_hashes_none_of_the_files_the_export_placed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export tells the digests of every file it places (the documents' pages, the
    register's pages, the lists, the assets, the search index, the plain texts): the deposit
    after it hashes none of them, but one changed since (written into: the same inode)."""
    edition = exported(tmp_path, monkeypatch, register=True)
    hashed: list[str] = []
    hash_file = FileMemory.hash
    monkeypatch.setattr(FileMemory, "hash", lambda memory, path, *rest: (
        hashed.append(str(Path(path).resolve())), hash_file(memory, path, *rest))[1])
    html = edition / "build" / "html"
    pages = sorted(p for p in html.glob("*/*.html") if p.parent.name != "documents")
    assert pages and (html / "assets" / "search-index.js").is_file()
    changed = pages[0]
    data = changed.read_bytes().replace(b"</body>", b"<!-- by hand --></body>")
    with open(changed, "r+b") as handle:
        handle.write(data)
    bag = deposit("bag")
    built = str((edition / "build").resolve())
    assert [path for path in hashed if path.startswith(built)] == [str(changed.resolve())]
    rel = f"data/html/{changed.relative_to(html).as_posix()}"
    assert manifest(bag, "sha512")[rel] == hashlib.sha512(data).hexdigest()
