"""Character classes that the converter's and the tagger's regular expressions share.

Archive pages put a no-break space (U+00A0) wherever a typist or a web page kept two words
together ("No.\u00a0123", "Mr.\u00a0Smith"), so every pattern that reads a space between words
must take it too; and names, labels and speakers begin with a capital letter that may carry an
accent (Ó, Š, Ž).  Written out in each pattern, one of them would sooner or later be
spelled differently from the others; here they are defined once.  They are regular-expression
source (``\\u00a0`` is re's escape, not the character), for use in ``rf"..."`` patterns.
"""

from __future__ import annotations

from typing import Final

#: The space characters between words, for inside a bracketed class: ``[^{SPACE}.]``.
SPACE: Final = r" \u00a0"
#: One space between words.
SP: Final = rf"[{SPACE}]"
#: Capital letters, for inside a bracketed class (``[{UPPER}]``): ASCII, Latin-1 (without ×),
#: and Latin Extended-A up to Ž (whose capitals and small letters alternate: both are in).
UPPER: Final = "A-ZÀ-ÖØ-ÞĀ-Ž"
