"""The matcher's tokens and its leftmost-longest search, against their definitions.

The tokenizer and :meth:`Trie.find` are the tagger's innermost loops and are written for
speed; these properties pin them to what they must mean.
"""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.entities.matcher import Trie, fold, name_key, tokenize

_DEFINITION = re.compile(r"\w+|[^\w\s]")


@given(st.text())
def test_tokens_are_the_words_and_marks_of_the_text_with_their_offsets(text):
    tokens = tokenize(text)
    assert [(t.start, t.end, t.text) for t in tokens] == \
        [(m.start(), m.end(), m.group()) for m in _DEFINITION.finditer(text)]
    assert all(t.key == fold(t.text) for t in tokens)


def _naive_find(names: dict[tuple[str, ...], str], keys: list[str]):
    """Leftmost-longest by trying every length at every position."""
    out, i = [], 0
    while i < len(keys):
        ends = [j for j in range(i + 1, len(keys) + 1) if tuple(keys[i:j]) in names]
        if ends:
            out.append((i, ends[-1], [names[tuple(keys[i:ends[-1]])]]))
            i = ends[-1]
        else:
            i += 1
    return out


_WORDS = st.sampled_from(["Ho", "Chi", "Minh", "City", "of", "."])  # few: names overlap


@settings(max_examples=300)
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=3), max_size=6),
       st.lists(_WORDS, max_size=30))
def test_find_gives_the_leftmost_longest_names(names, words):
    table = {tuple(n): " ".join(n) for n in names}
    trie: Trie[str] = Trie()
    for key, value in table.items():
        trie.add(key, value)
    tokens = tokenize(" ".join(words))
    assert list(trie.find(tokens)) == _naive_find(table, [t.key for t in tokens])


@given(st.text())
def test_a_name_key_is_the_keys_of_its_tokens(name):
    assert name_key(name) == tuple(t.key for t in tokenize(name))
