"""The search index's word lists spilled to sorted runs and merged
(:class:`pipeline.export.search.IndexWriter`) give the index made with them all held."""

from __future__ import annotations

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.export.search import IndexWriter, passage

WORDS = st.sampled_from(["a", "b", "zhou", "é", "ü", "paris", "10", "Zz", "a1"])
DOCUMENT = st.lists(st.lists(WORDS, max_size=6), max_size=5)  # passages: their words


def index(documents: list[list[list[str]]], spill: int) -> bytes:
    out = io.BytesIO()
    writer = IndexWriter(out, [[f"d{k}.html", f"D{k}", "", ""] for k in range(len(documents))],
                         [("per-a", "A", "person")], spill=spill)
    for k, passages in enumerate(documents):
        postings: dict[str, list[int]] = {}
        for j, found in enumerate(passages):
            for word in dict.fromkeys(found):
                postings.setdefault(word, []).append(j)
        writer.add(k, [[passage(f"p{j}", str(j), " ".join(w)), ["per-a"]]
                       for j, w in enumerate(passages)], postings)
    writer.close()
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(st.lists(DOCUMENT, max_size=8), st.integers(1, 12))
def test_spilled_word_lists_give_the_index_held_ones_give(documents, spill) -> None:
    assert index(documents, spill) == index(documents, 1 << 30)


def test_a_small_limit_spills_runs() -> None:
    documents = [[["a", "b"], ["b"]], [["a"]], [["zhou", "a"]]]
    out = io.BytesIO()
    writer = IndexWriter(out, [["d.html", "D", "", ""]] * 3, [], spill=2)
    for k, passages in enumerate(documents):
        postings: dict[str, list[int]] = {}
        for j, found in enumerate(passages):
            for word in found:
                postings.setdefault(word, []).append(j)
        writer.add(k, [[passage("p", "", " ".join(w)), []] for w in passages], postings)
    assert len(writer.runs) >= 2
    writer.close()
    assert out.getvalue().endswith(b'"words":{"a":[0,2,3],"b":[0,1],"zhou":[3]}};\n')


def words_of(script: bytes) -> dict[str, list[int]]:
    """The word lists of an index (the script's JSON)."""
    head = b"window.teipipeSearch = "
    return json.loads(script[script.index(head) + len(head):-2])["words"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(WORDS, st.lists(st.integers(0, 4), max_size=3)), max_size=8),
       st.integers(1, 80))
def test_the_word_lists_are_each_words_passages_in_order(postings, spill) -> None:
    """Each word's list, written as it comes from the runs (some of its lists empty), is
    all its passages in the order of the documents: as if held whole."""
    out = io.BytesIO()
    writer = IndexWriter(out, [[f"d{k}.html", "", "", ""] for k in range(len(postings))], [],
                         spill=spill)
    expected: dict[str, list[int]] = {}
    for k, found in enumerate(postings):
        writer.add(k, [[passage(f"p{j}", "", ""), []] for j in range(5)], found)
        for word, numbers in found.items():
            expected.setdefault(word, []).extend(5 * k + j for j in numbers)
    writer.close()
    assert words_of(out.getvalue()) == dict(sorted(expected.items()))
