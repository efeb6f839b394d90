"""The search index's words of a text: runs of letters and digits, folded.

What ``re.findall(r"[^\\W_]+", fold(text))`` gives (the browser's split, ``search.js``),
made by ``str.translate`` and ``str.split`` instead: every character that is not a letter
or a digit becomes a space, and ``split`` cuts at the spaces.  Both are C loops without a
regular expression's matching machinery; for a text in ASCII (most passages) the one
translation also does :func:`.register.fold`'s lower-casing, and CPython translates ASCII
through a table of 128 entries.  A quarter less time than the regular expression on the
passages of the generated corpus (0.149 -> 0.111 ms a page, the set of each passage's words
made too); ``tests/test_export_words.py`` checks the two are equal on any text.

Why the two agree: ``[^\\W_]`` is a character of ``\\w`` other than ``_``, and ``\\w`` of a
``str`` pattern is ``str.isalnum()`` or ``_`` (CPython's ``SRE_UNI_IS_WORD``); no letter or
digit is white space, so ``split`` cuts only where a space was put.
"""

from __future__ import annotations

from typing import Final

from .register import fold


class _Spaces(dict):
    """A ``str.translate`` table that makes every character but letters and digits a space,
    filled in as characters come (any of Unicode's may)."""

    def __missing__(self, code: int) -> int:
        value = code if chr(code).isalnum() else 32
        self[code] = value
        return value


#: ASCII: letters and digits as themselves (capitals lower-cased), anything else a space.
_ASCII: Final = {code: (ord(chr(code).lower()) if chr(code).isalnum() else 32)
                 for code in range(128)}

_ANY: Final = _Spaces()


def split(folded: str) -> list[str]:
    """The runs of letters and digits of a text, in order (``re.findall(r"[^\\W_]+", ...)``)."""
    return folded.translate(_ANY).split()


def words(text: str) -> list[str]:
    """The folded words of a text (``split(fold(text))``), as the browser splits them."""
    if text.isascii():  # fold is lower-casing here, done by the same translation
        return text.translate(_ASCII).split()
    return split(fold(text))


__all__ = ["split", "words"]
