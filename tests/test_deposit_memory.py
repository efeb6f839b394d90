"""What a deposit holds per file is compact, written as it goes or let go of: the bag's
manifests written a piece at a time, each TEI file's facts held packed, the file memory let
go of once the last package has its files, the zip index read only where it is used."""

from __future__ import annotations

import hashlib
import string
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.deposit import bag, zipped
from pipeline.deposit.edition import EditionDocument
from pipeline.deposit.facts import Packed, pack
from pipeline.deposit.fixity import FileMemory, Fixity
from pipeline.deposit.staged import Staged
from pipeline.incremental import BuildRecord, FileState

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
    assert staged.fixity["x/manifest.txt"] == found


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


def test_a_record_keeps_packed_facts_as_json_and_they_come_back_packed(
        tmp_path: Path) -> None:
    facts = {"id": "x", "header": {"title": "A", "date_when": None}, "lang": "en",
             "publisher": None, "source": "../source/x.txt"}
    memory = FileMemory(tmp_path / "files.json")
    tei = tmp_path / "x.xml"
    tei.write_text("<TEI/>")
    st_ = tei.stat()
    memory.learn(str(tei), FileState("0" * 64, st_.st_size, st_.st_mtime_ns, st_.st_ctime_ns,
                                     st_.st_ino, 1), "1" * 128)
    memory.learn_facts(str(tei), pack(facts))
    memory.release()  # saved, and let go of
    assert memory.record.entries == {} and memory.recalled(str(tei)) is None
    again = BuildRecord(tmp_path / "files.json", memory.record.settings)
    entry = again.get(str(tei))
    assert entry["facts"] == facts  # JSON, as any record
    packed = FileMemory(tmp_path / "files.json").facts(entry)
    assert isinstance(packed, Packed) and packed.unpack() == facts and entry["facts"] is packed


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
