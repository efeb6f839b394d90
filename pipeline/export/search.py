"""The search index of the HTML edition, built at export time and searched in the browser.

No server: ``search.html`` loads ``assets/search-index.js`` (a ``<script>``, because browsers
do not let a page opened from disk fetch a file) and ``assets/search.js`` searches it.

The index is an inverted index over passages (:mod:`.passages`): each word, folded to lower
case without accents (:func:`pipeline.export.register.fold`), maps to the passages that
contain it.  The browser folds and splits the query the same way (``search.js``: NFD, drop
combining marks, lower case, runs of letters and digits), finds the passages that have every
word, checks phrases against the passage text, and marks the words in a snippet.  Each
passage also lists the register entries it names, for the filter by entity.

A hand-written index, not lunr.js or MiniSearch: those build their index in JavaScript (at
export time that would need Node.js in the build) and know nothing of passages and entities;
this one is a few dozen lines on each side and its format is documented here.

Format (JSON, keys in this order)::

    {"version": 1,
     "documents": [[href, title, date_text, iso_date], ...],        # reading order
     "entities": [[id, preferred name, type, register href], ...],   # sorted by name
     "passages": [[document index, fragment, label, text, [entity index, ...]], ...],
     "words": {"folded-word": [passage index, ...], ...}}            # sorted by word
"""

from __future__ import annotations

import json
import re
from typing import Sequence

from .passages import Passage
from .register import REGISTER_PAGES, Entry, fold
from .summary import Summary

INDEX_VERSION = 1

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The folded words of a text, as the browser splits them."""
    return _WORD.findall(fold(text))


def build_index(docs: Sequence[tuple[Summary, Sequence[Passage]]],
                known: dict[str, Entry]) -> dict:
    """The index of every passage of ``docs`` (in reading order, each document's passages
    with its metadata passage first)."""
    entity_list = sorted(known.values(), key=lambda e: e.sort_key)
    entity_index = {e.id: k for k, e in enumerate(entity_list)}
    documents = []
    passages = []
    postings: dict[str, list[int]] = {}
    for k, (summary, found) in enumerate(docs):
        documents.append([f"documents/{summary.name}.html", summary.title,
                          summary.date_text or "", summary.date_when or ""])
        for passage in found:
            number = len(passages)
            named = sorted({entity_index[r] for span in passage.names for r in span.refs
                            if r in entity_index})
            passages.append([k, passage.id, passage.label, passage.text, named])
            for word in dict.fromkeys(words(passage.text)):
                postings.setdefault(word, []).append(number)
    return {
        "version": INDEX_VERSION,
        "documents": documents,
        "entities": [[e.id, e.name, e.type, f"{REGISTER_PAGES[e.type]}#{e.id}"]
                     for e in entity_list],
        "passages": passages,
        "words": dict(sorted(postings.items())),
    }


def index_script(index: dict) -> bytes:
    """The index as a script that sets ``window.teipipeSearch``.

    ``<``, ``>``, ``&`` and the two line separators are written as ``\\u`` escapes, so that
    no text from a source can end a script element or break the JavaScript.
    """
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        data = data.replace(char, f"\\u{ord(char):04x}")
    return ("/* teipipe search index: generated, do not edit */\n"
            f"window.teipipeSearch = {data};\n").encode("utf-8")
