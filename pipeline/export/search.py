"""The search index of the HTML edition, built at export time and searched in the browser.

No server: ``search.html`` loads ``assets/search-index.js`` (a ``<script>``, because browsers
do not let a page opened from disk fetch a file) and ``assets/search.js`` searches it.

The index is an inverted index over passages (:mod:`.passages`): each word, folded to lower
case without accents (:func:`pipeline.export.register.fold`) and split by
:func:`.words.words`, maps to the passages that contain it.  The browser folds and splits
the query the same way (``search.js``: NFD, drop combining marks, lower case, runs of
letters and digits), finds the passages that have every word, checks phrases against the
passage text, and marks the words in a snippet.  Each passage also lists the register
entries it names, for the filter by entity.

A hand-written index, not lunr.js or MiniSearch: those build their index in JavaScript (at
export time that would need Node.js in the build) and know nothing of passages and entities;
this one is a few dozen lines on each side and its format is documented here.

Format (JSON, keys in this order)::

    {"version": 1,
     "documents": [[href, title, date_text, iso_date], ...],        # reading order
     "entities": [[id, preferred name, type, entry page href], ...], # sorted by name
     "passages": [[document index, fragment, label, text, [entity index, ...]], ...],
     "words": {"folded-word": [passage index, ...], ...}}            # sorted by word

The index is written as it is made (:class:`IndexWriter`), one document at a time: the
passages of 10,000 documents are tens of megabytes.  The word lists (four bytes a passage
per word) come last, sorted by word: they are held up to :data:`SPILL` passage numbers
(each word held counting as :data:`WORD_COST` more), then written to a temporary file
sorted by word (a *run*), and the runs merged at the end, each word's list written as it
comes from them (the writer of 10,000 documents' index held 53 MB more than that of 1,000
with them all held; 16 MB more with runs of 4M numbers, its whole list for each word).
"""

from __future__ import annotations

import heapq
import json
import struct
import tempfile
from array import array
from typing import BinaryIO, Final, Iterator, Sequence

from .register import entry_page

INDEX_VERSION: Final = 1
#: Passage numbers held in the word lists before they are written out as a run (4 MB: a
#: run of 10,000 generated pages' index is some 5 M numbers; a few runs cost nothing).
SPILL: Final = 1 << 20
#: What a word held costs besides its numbers, in numbers (its string, its array, its
#: place in the table: ~130 bytes): a corpus of many words spills sooner.
WORD_COST: Final = 32
#: A word of a run: the sizes of the word (UTF-8) and of its passage numbers (bytes).
_WORD: Final = struct.Struct("<II")


def _json(value) -> str:
    """JSON that is safe in a script: ``<``, ``>``, ``&`` and the two line separators as
    ``\\u`` escapes, so that no text from a source can end a script element or break the
    JavaScript."""
    return _safe(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _safe(data: str) -> str:
    for char in "<>&\u2028\u2029":
        if char in data:
            data = data.replace(char, f"\\u{ord(char):04x}")
    return data


#: A string as JSON (as :func:`json.dumps` writes it with ``ensure_ascii=False``).
_string: Final = json.encoder.encode_basestring


def passage(fragment: str, label: str, text: str) -> str:
    """A passage's fragment id, label and text as they appear in the index (JSON, without
    the brackets around them): made where the passage is read, in a worker."""
    return _safe(f"{_string(fragment)},{_string(label)},{_string(text)}")


class IndexWriter:
    """``assets/search-index.js``, written into ``out`` a document at a time: a script that
    sets ``window.teipipeSearch``.

    ``documents``: [href, title, date text, date] in reading order; ``entities``: every
    register entry, sorted, as (id, preferred name, type) (plain data: a worker process may
    write the index).  Then :meth:`add` each document's passages in reading order, and
    :meth:`close`.
    """

    def __init__(self, out: BinaryIO, documents: Sequence[list[str]],
                 entities: Sequence[tuple[str, str, str]], spill: int = SPILL):
        self.out = out
        self.entity_index = {e[0]: k for k, e in enumerate(entities)}
        self.passages = 0
        self.postings: dict[str, array] = {}
        self.held = 0  # passage numbers in postings, and WORD_COST for each word
        self.spill = spill
        self.runs: list[BinaryIO] = []  # (:meth:`_spill`)
        head = _json([[ident, name, type_, entry_page(type_, ident)]
                      for ident, name, type_ in entities])
        self._write("/* teipipe search index: generated, do not edit */\n"
                    f'window.teipipeSearch = {{"version":{INDEX_VERSION},"documents":'
                    f'{_json(list(documents))},"entities":{head},"passages":[')

    def _write(self, text: str) -> None:
        self.out.write(text.encode("utf-8"))

    def add(self, k: int, passages: Sequence[list], postings: dict[str, list[int]]) -> None:
        """The ``k``-th document's passages ([:func:`passage`, [register id, ...]]) and the
        passages (by their place in ``passages``) each of its words is in."""
        known = self.entity_index
        def entities(refs: list[str]) -> str:  # integers: as JSON writes them
            return ",".join(map(str, sorted({known[r] for r in refs if r in known})))
        rows = [f"[{k},{text},[{entities(refs)}]]" for text, refs in passages]
        if rows:
            self._write(("," if self.passages else "") + ",".join(rows))
        shift = self.passages.__add__
        held = self.postings
        for word, found in postings.items():  # (no array made for a word already held)
            into = held.get(word)
            if into is None:
                into = held[word] = array("I")
                self.held += WORD_COST
            into.extend(map(shift, found) if self.passages else found)
            self.held += len(found)
        self.passages += len(rows)
        if self.held >= self.spill:
            self._spill()

    def _spill(self) -> None:
        """The word lists held written to a new run, sorted by word, and let go."""
        run = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        for word in sorted(self.postings):
            data = word.encode("utf-8")
            found = self.postings.pop(word).tobytes()
            run.write(_WORD.pack(len(data), len(found)) + data + found)
        run.seek(0)
        self.runs.append(run)
        self.held = 0

    def close(self) -> None:
        """The word lists, sorted by word (each word's from the runs in the order they were
        written, then those held: in the order of the passages), each written as it comes
        (a frequent word's list is as long as the edition), and the end of the script."""
        self._write('],"words":{')
        held = self.postings
        runs = [_run(r, k) for k, r in enumerate(self.runs)]
        words: Iterator[tuple[str, int, array]] = \
            ((w, len(runs), held.pop(w)) for w in sorted(held))
        last: str | None = None
        empty = True  # no number of the word ``last`` written yet
        for word, _k, found in heapq.merge(*runs, words) if runs else words:
            if word != last:
                self._write(f"{'' if last is None else '],'}{_json(word)}:[")
                last, empty = word, True
            if found:
                self._write(f"{'' if empty else ','}{','.join(map(str, found))}")
                empty = False
        for run in self.runs:
            run.close()
        self.runs = []
        self._write("}};\n" if last is None else "]}};\n")


def _run(run: BinaryIO, k: int) -> Iterator[tuple[str, int, array]]:
    """The words of the ``k``-th run with their passage numbers, in order."""
    while head := run.read(_WORD.size):
        size, found = _WORD.unpack(head)
        word = run.read(size).decode("utf-8")
        numbers = array("I")
        numbers.frombytes(run.read(found))
        yield word, k, numbers
