"""Finding known names in text: tokens, a token trie, leftmost-longest matches.

Names are compared token by token, so that what cables do to names does not hide them:
``Johnson’s`` is the token ``Johnson`` followed by ``’`` and ``s`` (the possessive stays
outside), ``U.S.`` and ``U. S.`` are the same tokens, a no-break space is a space, and
accents and typographic apostrophes are folded (``Kadar`` finds ``Kádár``).  Case counts,
except that a name written in capitals matches the name in any case (``VIENTIANE``).
A match starts and ends on token boundaries, so it never starts or ends inside a word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Final, Generic, TypeVar, final

T = TypeVar("T")

_TOKEN: Final = re.compile(r"\w+|[^\w\s]")
#: a token and the white space before it
_SPACE_TOKEN: Final = re.compile(r"(\s*)(\w+|[^\w\s])")
#: the same for ASCII text, a tenth fewer instructions: re's ASCII classes are a table look-up
#: where its Unicode ones call a function per character (\x1c-\x1f are white space to
#: ``str.isspace``, and so to a Unicode ``\s``, but not to an ASCII one)
_SPACE_TOKEN_ASCII: Final = re.compile(r"([\s\x1c-\x1f]*)(\w+|[^\w\s\x1c-\x1f])", re.ASCII)
_APOSTROPHES: Final = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "\u00a0": " "})


@final
class Token:
    """A word or punctuation mark and its offsets (documents have tens of thousands of them).

    A plain class of four slots rather than a named tuple: compiled (``make compile``), one
    is made and read in C, its offsets kept as machine integers, where a tuple took three
    objects more to make (its items, and each offset past 256); as Python, it costs the
    same as the tuple did.  Never changed once made.
    """

    __slots__ = ("start", "end", "text", "key")

    def __init__(self, start: int, end: int, text: str, key: str) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.key = key  # the folded form compared with the register's names

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.end}, {self.text!r}, {self.key!r})"


@lru_cache(maxsize=1 << 16)
def fold(token: str) -> str:
    """A token without accents and with plain apostrophes (case is kept)."""
    token = token.translate(_APOSTROPHES)
    if token.isascii():
        return token
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)) \
        .replace("ł", "l").replace("Ł", "L").replace("đ", "d").replace("Đ", "D") \
        .replace("ø", "o").replace("Ø", "O").replace("ı", "i")


def tokenize(text: str) -> list[Token]:
    """Word and punctuation tokens with their offsets in ``text``.

    The tagger's innermost loop: an ASCII token other than a backtick is its own folded
    form (:func:`fold` changes nothing else in ASCII).  The text is nothing but white space
    and tokens, so the offsets are counted from the lengths of both as ``findall`` gives
    them, without a match object per token.  (The pairs are typed so that, compiled, the
    loop unpacks and measures them in C.)  ASCII text, most of it, is cut with ASCII classes.
    """
    out: list[Token] = []
    in_ascii = text.isascii()
    plain = in_ascii and "`" not in text
    end = 0
    pattern = _SPACE_TOKEN_ASCII if in_ascii else _SPACE_TOKEN
    pairs: list[tuple[str, str]] = pattern.findall(text)
    for space, w in pairs:
        start = end + len(space)
        end = start + len(w)
        out.append(Token(start, end, w, w if plain or w.isascii() and w != "`" else fold(w)))
    return out


_LOWER_ASCII: Final = re.compile("[a-z]")


def name_key(name: str) -> tuple[str, ...]:
    """The token key of a name: what two spellings of one name have in common (the keys of
    :func:`tokenize`'s tokens)."""
    if name.isascii() and name.isalpha():  # one plain word, its own key (most place names)
        return (name,)
    return tuple(fold(t) for t in _TOKEN.findall(name))


def is_upper(text: str) -> bool:
    """Written in capitals (at least two letters, none lower-case)."""
    if _LOWER_ASCII.search(text):  # the common answer, found without looking at every letter
        return False
    letters = list(filter(str.isalpha, text))
    return len(letters) >= 2 and all(map(str.isupper, letters))


class Trie(Generic[T]):
    """Names (as token keys) to values; finds the leftmost-longest names in token lists.

    Each name is stored as given and in capitals, so ``MOSCOW`` finds ``Moscow``; a match on
    the capitals form is only taken when the text itself is in capitals.
    """

    def __init__(self) -> None:
        self._root: dict = {}

    def add(self, key: tuple[str, ...], value: T) -> None:
        for form, caps in ((key, False), (tuple(map(str.upper, key)), True)):
            node = self._root
            for token in form:
                node = node.setdefault(token, {})
            exact, every = node.setdefault(None, ([], []))
            if value not in every:
                every.append(value)
            if not caps and value not in exact:
                exact.append(value)

    def longest_at(self, tokens: list[Token], i: int) -> tuple[int, list[T]]:
        """The end (exclusive token index) and values of the longest name at token ``i``
        (the trie's own list: not to be changed)."""
        node: Any = self._root  # nested dicts; None holds a name's values
        best_end, best = i, []
        j = i
        while j < len(tokens):
            node = node.get(tokens[j].key)
            if node is None:
                break
            j += 1
            if None in node:
                values = _values(node[None], tokens, i, j)
                if values:
                    best_end, best = j, values
        return best_end, best

    def find(self, tokens: list[Token]) -> list[tuple[int, int, list[T]]]:
        """Leftmost-longest, non-overlapping matches as (first token, end token, values).

        Most tokens start no name: one look-up in the root tells, and only the tokens that
        may start one are tried, left to right; the walk down the trie is
        :meth:`longest_at`'s, written out here because it runs for every such token of every
        segment (a call per token cost a fifth of the matching).
        """
        root: dict = self._root
        n = len(tokens)
        out: list[tuple[int, int, list[T]]] = []
        i = 0
        for k in range(n):
            if k < i:
                continue  # inside the name found before
            first: dict | None = root.get(tokens[k].key)
            if first is None:
                continue
            node: dict = first  # a dict, not "dict or None": compiled, node.get is C's
            j = k + 1
            end = k
            best: list[T] = []
            while True:
                names = node.get(None)
                if names is not None:
                    values = _values(names, tokens, k, j)
                    if values:
                        end, best = j, values
                if j == n:
                    break
                deeper: dict | None = node.get(tokens[j].key)
                if deeper is None:
                    break
                node = deeper
                j += 1
            if best:
                out.append((k, end, best))
                i = end
        return out


#: What the trie keeps for one name (at the key None of its last token's node): its values
#: in the order they were added, without repeats, as two lists: those of the name as given
#: (exact), and all of them, also those of its capitals form (every, taken only for text in
#: capitals).  A tuple of lists rather than an object: the gazetteer's trie holds tens of
#: thousands, and is read back from the cache at every start (see :mod:`.gazetteer`).
_Names = tuple[list, list]


def _values(found: _Names, tokens: list[Token], i: int, j: int) -> list:
    """The values of a name found at ``tokens[i:j]``: those of its capitals form only when
    the text is in capitals."""
    exact, every = found
    if exact:
        return exact
    if is_upper("".join([t.text for t in tokens[i:j]])):
        return every
    return []
