"""What a deposit holds per file is compact, written as it goes or let go of: the bag's
manifests written a piece at a time, each TEI file's facts held packed, the file memory let
go of once the last package has its files, the zip index read only where it is used."""

from __future__ import annotations

import hashlib
import multiprocessing
import pickle
import string
import tracemalloc
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.deposit import bag, zipped
from pipeline.deposit.edition import EditionDocument
from pipeline.deposit.facts import Packed, Spilled, pack
from pipeline.deposit.fixity import FileMemory, Fixity
from pipeline.deposit.staged import Staged
from pipeline.deposit.table import COPIED, KEYED, MADE, FileTable
from pipeline.incremental import FileState

_TEXT = st.text(string.ascii_letters + "é \r\n/._-", max_size=12)
_FIXITY = st.builds(Fixity, st.integers(0, 10**9), st.text("0123456789abcdef", min_size=64,
                                                           max_size=64),
                    st.text("0123456789abcdef", min_size=128, max_size=128))


def _manifest_reference(payload: list[tuple[str, Fixity]], alg: str) -> bytes:
    """The manifest made whole, as it was before it was written in pieces."""
    return "".join(f"{getattr(f, alg)}  {rel.replace(chr(13), '%0D').replace(chr(10), '%0A')}\n"
                   for rel, f in payload).encode()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_TEXT, _FIXITY), max_size=3 * bag.LINES + 5),
       st.sampled_from(bag.ALGORITHMS))
def test_a_manifest_written_in_pieces_is_the_one_made_whole(
        payload: list[tuple[str, Fixity]], alg: str) -> None:
    assert b"".join(bag.manifest(payload, alg)) == _manifest_reference(payload, alg)


def test_a_file_written_in_pieces_has_the_fixity_of_its_bytes(tmp_path: Path) -> None:
    staged = Staged(tmp_path / "out", FileMemory(None))
    pieces = [b"a" * 1000, b"", "é\n".encode() * 7]
    found = staged.write_pieces("x/manifest.txt", pieces)
    data = b"".join(pieces)
    assert (tmp_path / "out" / "x" / "manifest.txt").read_bytes() == data
    assert found == Fixity(len(data), hashlib.sha256(data).hexdigest(),
                           hashlib.sha512(data).hexdigest())
    assert staged.fixity_at("x/manifest.txt") == found


_FACTS = st.fixed_dictionaries({
    "id": _TEXT, "lang": _TEXT, "source": st.none() | _TEXT, "publisher": st.none() | _TEXT,
    "header": st.fixed_dictionaries({
        "title": st.none() | _TEXT, "date_when": st.none() | _TEXT,
        "parties": st.lists(st.fixed_dictionaries({"name": _TEXT, "role": _TEXT}),
                            max_size=3)})})


@settings(max_examples=100, deadline=None)
@given(_FACTS)
def test_packed_facts_are_the_facts(facts: dict) -> None:
    packed = pack(facts)
    assert packed.unpack() == facts and pack(packed) is packed
    d = EditionDocument.of("stem", packed)
    assert (d.id, d.heading, d.date_when, d.lang, d.publisher, d.source, d.facts) == (
        facts["id"], facts["header"]["title"], facts["header"]["date_when"], facts["lang"],
        facts["publisher"], facts["source"], facts)
    assert d.title == (facts["header"]["title"] or facts["id"])


def test_a_record_keeps_packed_facts_on_disk_and_they_come_back_packed(
        tmp_path: Path) -> None:
    facts = {"id": "x", "header": {"title": "A", "date_when": None}, "lang": "en",
             "publisher": None, "source": "../source/x.txt"}
    memory = FileMemory(tmp_path / "files.sqlite")
    tei = tmp_path / "x.xml"
    tei.write_text("<TEI/>")
    st_ = tei.stat()
    memory.learn(str(tei), FileState("0" * 64, st_.st_size, st_.st_mtime_ns, st_.st_ctime_ns,
                                     st_.st_ino, 1), "1" * 128)
    memory.learn_facts(str(tei), pack(facts))
    memory.release()  # saved, and let go of
    assert memory.entry(str(tei)) is None and memory.recalled(str(tei)) is None
    again = FileMemory(tmp_path / "files.sqlite")
    entry = again.entry(str(tei))
    assert entry is not None and entry["sha512"] == "1" * 128
    packed = again.facts(entry)
    assert isinstance(packed, Packed) and packed.unpack() == facts


def test_a_zip_index_reads_its_record_only_when_used(tmp_path: Path) -> None:
    record = tmp_path / "zips.json"
    index = zipped.ZipIndex(record)
    (tmp_path / "a.txt").write_bytes(b"some text " * 30)
    sha = hashlib.sha256((tmp_path / "a.txt").read_bytes()).hexdigest()
    with open(tmp_path / "a.zip", "w+b") as out:
        made = zipped.write_zip([("a.txt", tmp_path / "a.txt")], out, 1700000000,
                                {"a.txt": sha}, None)
    writer = zipped.ZipIndex(record)  # another process, say, records its zip
    writer.remember(tmp_path / "a.zip", made)
    assert index.sources()(sha) == (str((tmp_path / "a.zip").resolve()), made.get(sha))
    assert index.sources()("0" * 64) is None


_REL = st.lists(st.sampled_from(["a", "b", "a.b", "b-a", "é", "a b", "~", "\U0001f4a1"]),
                min_size=1, max_size=3).map("/".join)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["data", "other"]).flatmap(
    lambda top: _REL.map(lambda rel: f"{top}/{rel}")), st.tuples(_FIXITY, st.integers(0, 2)),
    max_size=40))
def test_the_table_of_a_packages_files_gives_what_dicts_gave(
        files: dict[str, tuple[Fixity, int]]) -> None:
    """The table on disk against the dicts it replaces: the payload in the bag's walk order,
    its totals, the record's heads, and the digests read in sorted order."""
    table = FileTable()
    for rel, (found, how) in files.items():
        table.put(rel, found, how, "key" if how == KEYED else None)
    payload = sorted(((rel, found) for rel, (found, _how) in files.items()
                      if rel.startswith("data/")), key=lambda item: walk_order(item[0]))
    assert list(table.ordered(bag.walk_key, "data")) == payload
    assert table.totals("data") == (sum(f.size for _rel, f in payload), len(payload))
    assert dict(table.heads()) == {
        rel: ["key", found.sha256, found.sha512] if how == KEYED else [found.sha256]
        for rel, (found, how) in files.items() if how != MADE}
    assert set(table) == set(files) and all(rel in table for rel in files)
    digests = table.sorted_digests()
    assert [digests.get(rel) for rel in sorted(files)] == \
        [files[rel][0].sha256 for rel in sorted(files)]
    digests.close()
    table.close()


def walk_order(rel: str) -> tuple[tuple[int, str], ...]:
    parts = rel.split("/")
    return tuple((1, p) for p in parts[:-1]) + ((0, parts[-1]),)


def test_sorted_digests_asked_out_of_order_find_nothing_rather_than_a_wrong_one() -> None:
    table = FileTable()
    for rel in ("a", "b", "c"):
        table.put(rel, Fixity(1, rel * 64, rel * 128), COPIED)
    digests = table.sorted_digests()
    assert (digests.get("b"), digests.get("a"), digests.get("bb"), digests.get("c"),
            digests.get("d")) == ("b" * 64, None, None, "c" * 64, None)
    digests.close()


def test_the_first_copied_file_holds_its_content_and_a_kept_one_says_so() -> None:
    table = FileTable()
    found = Fixity(1, "0" * 64, "1" * 128)
    table.put("x/a", found, MADE)
    assert table.holding(found.sha256) is None
    table.put("x/b", found, COPIED)
    table.put("x/c", found, COPIED)
    assert table.holding(found.sha256) == ("x/b", False)
    table.keep("x/b")
    assert table.holding(found.sha256) == ("x/b", True)
    assert table.unkeep("x/b") and not table.unkeep("x/b")
    assert table.drop("x/a") and not table.drop("x/a") and table.get("x/a") is None


def test_a_job_of_the_records_crosses_to_a_worker() -> None:
    """What a job sends a worker process is pickled (a METS file list, of a class mypyc
    compiles, would not come back)."""
    job = (3, ["a", "b"], {"tei/x.xml": Fixity(1, "0" * 64, "1" * 128)})
    assert pickle.loads(pickle.dumps(job)) == job
    item = (3, ["a"], [("tei", "x.xml", Fixity(1, "0" * 64, "1" * 128))])
    assert pickle.loads(pickle.dumps(item)) == item


def _staged_memory(tmp_path: Path, n: int) -> int:
    """What Python holds after :class:`Staged` took ``n`` made files (its peak, traced)."""
    tracemalloc.start()
    try:
        staged = Staged(tmp_path / f"out-{n}", FileMemory(None))
        for i in range(n):
            staged.made(f"item-{i:06d}/dublin_core.xml", Fixity(i, f"{i:064x}", f"{i:0128x}"),
                        f"{i:064x}")
        record = sum(1 for _ in staged.files.heads())
        assert record == n
        return tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()


def test_what_a_package_holds_does_not_grow_with_its_files(tmp_path: Path) -> None:
    """A package's table of files is on disk: four times the files, not four times the
    memory (as dicts, ~500 bytes a file: 6 MB more for 12,000 more files)."""
    small, large = _staged_memory(tmp_path, 4000), _staged_memory(tmp_path, 16000)
    assert large - small < 1_000_000, (small, large)


def test_a_documents_facts_are_held_on_disk_and_read_back_in_a_forked_worker() -> None:
    facts = {"id": "x", "header": {"title": "A" * 2000, "date_when": None}, "lang": "en",
             "publisher": None, "source": None}
    d = EditionDocument.of("x", pack(facts))
    assert isinstance(d.packed, Spilled) and d.packed.size > 2000
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        assert pool.apply(_facts_of, (d,)) == facts


def _facts_of(d: EditionDocument) -> dict:
    return d.facts


def _file_memory_peak(tmp_path: Path, n: int) -> int:
    """The traced peak of a file memory that learns ``n`` TEI files' checksums and facts
    and saves them."""
    memory = FileMemory(tmp_path / f"files-{n}.sqlite")
    tracemalloc.start()
    try:
        for i in range(n):
            path = f"/edition/tei/{i:06d}.xml"
            memory.learn(path, FileState(f"{i:064x}", i, i, i, i, 1), f"{i:0128x}")
            memory.learn_facts(path, pack({"id": str(i), "header": {"title": "t" * 200}}))
        assert memory.recalled("/edition/tei/000001.xml")["sha512"] == f"{1:0128x}"
        memory.save()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_what_the_file_memory_holds_does_not_grow_with_the_files(tmp_path: Path) -> None:
    """The file memory's record is on disk, looked up a file at a time: four times the files
    is not four times the memory (held, ~1.2 KB a file: 7.5 MB more for 6,000 more files;
    on disk, the names of the files found right in this run, ~200 bytes)."""
    _file_memory_peak(tmp_path, 10)  # what is made once (the settings' digest, ...)
    small, large = _file_memory_peak(tmp_path, 2000), _file_memory_peak(tmp_path, 8000)
    assert large - small < 3_000_000, (small, large)


def test_the_file_memory_knows_what_it_learnt_when_its_record_is_held_by_another_run(
        tmp_path: Path) -> None:
    """A record another run holds takes none of this run's changes: what was learnt is not
    taken as known without a look at the file (:meth:`FileMemory.recalled`)."""
    from pipeline.record_store import RecordStore
    path = tmp_path / "files.sqlite"
    tei = tmp_path / "x.xml"
    tei.write_text("<TEI/>")
    st_ = tei.stat()
    memory = FileMemory(path)
    memory.learn(str(tei), FileState("0" * 64, st_.st_size, st_.st_mtime_ns, st_.st_ctime_ns,
                                     st_.st_ino, 1), "1" * 128)
    memory.release()
    holder = RecordStore(path, memory.record.settings)
    try:
        holder.put("other", {"n": 1})  # its write transaction open
        memory = FileMemory(path)
        memory.record._db.execute("PRAGMA busy_timeout = 0")
        memory.learn(str(tei), FileState("2" * 64, 1, 1, 1, 1, 1), "3" * 128)
        assert memory.record.lost and memory.recalled(str(tei)) is None
    finally:
        holder.close()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=30),
       st.lists(st.integers(0, 2**64 - 1), max_size=10), st.integers(0, 30))
def test_the_linked_inodes_are_the_set_of_them(added: list[int], others: list[int],
                                               asked_at: int) -> None:
    """:class:`.fixity.Inodes` against the set it replaces, asked before all are added too."""
    from pipeline.deposit.fixity import Inodes
    inodes = Inodes()
    for k, inode in enumerate(added):
        if k == asked_at:
            assert all((i in inodes) == (i in added[:k]) for i in added + others)
        inodes.add(inode)
    assert all((i in inodes) == (i in added) for i in added + others)
    assert set(inodes) == set(added) and len(inodes) == len(set(added))


_NAME = st.sampled_from(["a", "b", "a-b", "a.b", "a b", "ab", "a0", "é", "~"])


@settings(max_examples=40, deadline=None)
@given(st.sets(st.lists(_NAME, min_size=1, max_size=3).map(tuple), max_size=12))
def test_a_folders_snapshot_walks_its_files_in_the_order_of_their_paths(
        tmp_path_factory, paths: set[tuple[str, ...]]) -> None:
    """:func:`.staged.snapshot` one file at a time against the dict it replaces, sorted (a
    name both a file's and a folder's is the folder's); and the record taken with
    :class:`.staged.SortedStats` gives every file once, looked up or not."""
    import os
    from pipeline.deposit import staged
    out = tmp_path_factory.mktemp("pkg")
    for parts in sorted(paths, key=len, reverse=True):
        path = out.joinpath(*parts)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("/".join(parts))
    found = {os.path.join(folder, name): staged.stat_of(os.path.join(folder, name))
             for folder, _dirs, names in os.walk(out) for name in names}
    assert list(staged.snapshot(out)) == sorted(found.items())
    seen: list[str] = []
    now = staged.SortedStats(out, lambda path, _st: seen.append(path))
    asked = sorted(found)[::2]
    assert [now.get(path) for path in asked] == [found[path] for path in asked]
    now.finish()
    assert seen == sorted(found)
