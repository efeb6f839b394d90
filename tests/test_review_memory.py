"""The names to review that an export's workers find (:class:`.review.Found`) live on disk,
not in memory, and :func:`.review.collect` reads them back one file at a time: the Python
memory of gathering them does not grow with the files (at 10,000 pages they were 45 MB of
the export's main process); and what they give is what a dict of them gives."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.entities.review import Found, collect
from pipeline.incremental import FileState

STATE = FileState("0" * 64, 1, 2, 3, 4, 5)


def names(k: int, context: int = 2000) -> list[tuple[str, str, str | None, str, str]]:
    """A file's names to review: the same few names in every file, long contexts."""
    return [("person", f"Name {j}", None if j % 3 else "per-a per-b", "low",
             f"file {k}: " + "x" * context) for j in range(8)]


def peak(folder: Path, n: int) -> int:
    """Python's peak memory while ``n`` files' names are found and gathered."""
    files = [folder / "tei" / f"doc-{k:05}.xml" for k in range(n)]  # (never read)
    tracemalloc.start()
    try:
        found = Found()
        for k, path in enumerate(files):
            found[str(path)] = (STATE, names(k))
        assert len(collect(files, folder / f"record-{n}.sqlite", found=found)) == 8
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_names_found_do_not_grow_memory_with_the_files(tmp_path: Path) -> None:
    """Four times the files, and ~16 KB of names each: held, they would be 12 MB more; the
    proposals' lists of documents (what the review shows) and the paths found grow by
    some 100 bytes a file."""
    peak(tmp_path, 10)  # (what is imported or cached at first use: not counted)
    small, large = peak(tmp_path, 250), peak(tmp_path, 1000)
    assert large - small < 2 * 2**20, (small, large)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(["person", "place"]),
                                   st.sampled_from(["A", "B", "é"]),
                                   st.sampled_from([None, "per-a per-b"]),
                                   st.sampled_from(["low", ""]), st.text(max_size=5)),
                         max_size=4), max_size=6))
def test_found_names_give_the_review_a_dict_of_them_gives(tmp_path_factory, files) -> None:
    folder = tmp_path_factory.mktemp("found")
    paths = [folder / f"{k}.xml" for k in range(len(files))]
    held = {str(p): (STATE, found) for p, found in zip(paths, files)}
    on_disk = Found()
    for key, value in held.items():
        on_disk[key] = value
    assert sorted(on_disk) == sorted(held) and len(on_disk) == len(held)
    assert all(on_disk[key] == value for key, value in held.items())
    assert [p.as_data() for p in collect(paths, folder / "a.sqlite", found=on_disk)] == \
        [p.as_data() for p in collect(paths, folder / "b.sqlite", found=held)]
