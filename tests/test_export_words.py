"""The search index's word split (:mod:`pipeline.export.words`) equals the regular
expression the browser's split is written as, on any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.export.register import fold
from pipeline.export.text import count_words
from pipeline.export.words import words

_WORD = re.compile(r"[^\W_]+")

#: Any character (lone surrogates too: UTF-8 cannot hold them as they are), and the ones
#: the split turns on, often.
_TEXT = st.text(st.one_of(st.characters(blacklist_categories=()),
                          st.sampled_from("aZ09_ \t\n-’'éÉłß½²٣Ⅻ\u0301\u00a0\u2009\ud800")))


@settings(max_examples=1000)
@given(_TEXT)
def test_words_are_the_folded_split(text: str) -> None:
    assert words(text) == _WORD.findall(fold(text))


@given(st.text(st.characters(max_codepoint=127)))
def test_ascii_words(text: str) -> None:
    assert words(text) == _WORD.findall(text.lower())


def test_examples() -> None:
    assert words("Dubček’s 2nd_visit, 1968–69") == [
        "dubcek", "s", "2nd", "visit", "1968", "69"]
    assert words("") == [] and words(" _- ") == []
    assert words("a\ud800B É’x\u2009y") == ["a", "b", "e", "x", "y"]


@settings(max_examples=1000)
@given(_TEXT)
def test_count_is_the_regular_expression(text: str) -> None:
    """corpus.tsv's count of words (:func:`pipeline.export.text.count_words`)."""
    assert count_words(text) == len(_WORD.findall(text))


def test_count_examples() -> None:
    assert count_words("Dubček’s 2nd_visit, 1968–69 “at” Ⅻ") == 8
    assert count_words("") == 0 and count_words(" _—’ ") == 0 and count_words("é") == 1
