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


@settings(max_examples=500)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_tokens_of_ascii_text_are_those_of_the_definition(text):
    """ASCII text is tokenized with ASCII classes: the same tokens (control characters and
    all)."""
    assert [(t.start, t.end, t.text) for t in tokenize(text)] == \
        [(m.start(), m.end(), m.group()) for m in _DEFINITION.finditer(text)]


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


#: Text in capitals: letters, marks, words the truecasing knows, a few non-ASCII letters.
_CAPS_TEXT = st.lists(st.sampled_from(
    list("ABCDEFGHIJKLMNOPQRSTUVWXYZ .,-'`’\n\u00a0") + ["USSR", "SOVIET", "EMBASSY", "THE",
                                                      "HANOI", "ÖLGII", "İSTANBUL"]),
                      max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(_CAPS_TEXT, st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), max_size=2))
def test_view_tokens_of_text_in_capitals_are_those_of_its_ordinary_type(text, cuts):
    """Cut from the tokens of the text as written (ASCII), or found again (other text):
    either way the tokens of :func:`truecase`'s text, supplied-name brackets left out."""
    from pipeline.entities.segments import Segment, truecase
    from pipeline.model import Bracketed, Text
    pieces, pos = [], 0
    for a, b in sorted((min(a, b), max(a, b)) for a, b in cuts):  # a supplied name part
        if a < pos or b - a < 2 or b > len(text):
            continue
        pieces.append((pos, a, Text(text[pos:a])))
        pieces.append((a, b, Bracketed("supplied-name", (Text(text[a + 1:b - 1]),))))
        pos = b
    pieces.append((pos, len(text), Text(text[pos:])))
    text = "".join("[" + n.content[0].text + "]" if isinstance(n, Bracketed) else n.text
                   for _a, _b, n in pieces)
    seg = Segment(text, pieces, "p", caps=True)
    expected = Segment(text, pieces, "p", caps=False)._tokenize(truecase(text))
    assert [(t.start, t.end, t.text, t.key) for t in seg.view_tokens()] == \
        [(t.start, t.end, t.text, t.key) for t in expected]
