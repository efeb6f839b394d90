"""The document text of a TEI file, read straight from its tree, and where its names are.

The fidelity check compares the source page with ``diplomatic(read_text(tree))``
(:mod:`pipeline.tei.read`, :mod:`pipeline.export.text`): the TEI read back into the document
model, then the model written out as text.  For a cable that is most of the check's time,
spent making objects that are thrown away.  :func:`document_text` gives the same string from
the tree directly, following the reader's rules one for one (where a block's white space
comes from, the order front, main, back, postscript, enclosures, end notes, brackets around
the translator's insertions, a list's separator taken from the text before it ...) and
sharing its helpers and its layout walk (:func:`pipeline.tei.read.body_layout`).

The review of proposed names (:mod:`pipeline.entities.review`) needs the same text with every
name's place in it, which :func:`pipeline.entities.score.located_names` gets from the model:
:func:`located_names` gets it in the same walk, which then marks where each name starts and
ends (:class:`_Marked`), at a sixth of the cost.

It is only ever used to say "equal": where the reader would refuse the file, or where this
module does not follow it (a comment where a block or a page number should be), it gives
None, and the caller takes the long way, which also words every difference.  So a file passes
the quick way only if its text, read as the reader reads it, is the source's.
tests/test_validate_body_text.py checks that the two ways agree on every TEI file the tests
have and on many files broken at random: the same text, the same names at the same places.
"""

from __future__ import annotations

import operator
import re
from typing import Container

from lxml import etree

from ..tei.ns import ELEMENT_TYPES, NS, tei
from ..tei.read import _LINE_END, _elements, _local, _plain, _sep_before, body_layout

_LABEL, _LIST = tei("label"), tei("list")
_PLAIN = {"seg", "hi", "foreign", "term", "rs", "name", "title", "num", "measure"}


class _Refused(Exception):
    """The reader would refuse this, or this module does not follow it: take the long way."""


def document_text(tree: etree._ElementTree) -> str | None:
    """The document text as ``diplomatic(read_text(tree))`` gives it, or None."""
    try:
        return _QUICK._body(tree.getroot())
    except Exception:  # noqa: BLE001 - whatever it is, the long way says it
        return None


def located_names(tree: etree._ElementTree, only: Container[etree._Element] | None = None,
                  ) -> tuple[str, list[tuple[int, int, etree._Element]]] | None:
    """The document text and every name element in it with its offsets in that text, as
    :func:`pipeline.entities.score.located_names` gives them for ``read_text(tree)`` (the
    same order, the element in place of its model name), or None.  With ``only``, the names
    among those elements alone (what the review lists: a cable has a few among dozens)."""
    walk = _Marked(only)
    try:
        marked = walk._body(tree.getroot())
    except Exception:  # noqa: BLE001 - whatever it is, the long way says it
        return None
    for mark in _ABBR, _CHOICE, _NODE:  # (str.replace: far quicker than re.sub on a page)
        marked = marked.replace(mark, "")
    names = iter(walk.names)
    opened: list[tuple[int, etree._Element]] = []
    located = []
    at = 0  # the offset in the text: the marks are not text
    pieces = _NAME_MARKS.split(marked)  # text, mark, text, ... text
    for k in range(1, len(pieces), 2):
        at += len(pieces[k - 1])
        if pieces[k] == _OPEN:
            opened.append((at, next(names)))
        else:
            start, el = opened.pop()
            located.append((start, at, el))
    located.sort(key=_SPAN)
    return "".join(pieces[::2]), located


def _element(node) -> etree._Element:
    if not isinstance(node.tag, str):
        raise _Refused  # the reader would read a comment's text here
    return node


class _Text:
    """The walk: each method gives the text of one kind of element (stateless: one
    instance, :data:`_QUICK`, serves every call)."""

    __slots__ = ()

    def _body(self, root: etree._Element) -> str:
        if root.tag != tei("TEI"):
            raise _Refused
        body = root.find("tei:text/tei:body", NS)
        if body is None or body.find("tei:div[@type='document']", NS) is None:
            raise _Refused
        layout = body_layout(body)
        out = []
        for el, sep in layout.front:
            out.append(sep + self._inlines(el) if _local(el) == "head"
                       else self._container(el, self._opener_block, sep))
        for el, sep, after in layout.main:
            out.append(sep + (self._main_block(el) if after is None
                              else self._block_page(after)))
        for el, sep in layout.back:
            out.append(self._container(el, self._closer_block, sep))
        for el, sep in layout.post:
            out.append(sep + self._inlines(_element(el[0])))
        for lead, blocks in layout.enclosures:
            out.append(lead)
            out.extend(sep + (self._inlines(el) if el.tag == tei("head")
                              else self._main_block(el)) for el, sep in blocks)
        out.extend(sep + self._note(el) for el, sep in layout.notes)
        return "".join(out)

    def _container(self, container: etree._Element, block, sep: str) -> str:
        """An opener or closer: its first block takes the container's separator."""
        out = []
        for k, el in enumerate(_elements(container)):
            out.append((sep if k == 0 else _sep_before(container, el)) + block(el))
        return "".join(out)

    def _opener_block(self, el: etree._Element) -> str:
        if _local(el) == "seg":
            label, label_sep, content = self._labelled(el)
            return (label or "") + label_sep + content
        return self._line_block(el, ("dateline", "salute"))

    def _closer_block(self, el: etree._Element) -> str:
        return self._line_block(el, ("signed", "salute", "dateline"))

    def _line_block(self, el: etree._Element, plain: tuple[str, ...]) -> str:
        """A block of an opener or closer that is a line of text (``plain``) or an address."""
        name = _local(el)
        if name in plain:
            return self._inlines(el)
        if name == "address":
            return self._address(el)
        raise _Refused

    def _address(self, el: etree._Element) -> str:
        lines = _elements(el)
        return "".join((_sep_before(el, line) if k else "") + self._inlines(line)
                       for k, line in enumerate(lines))

    def _block_at(self, parent: etree._Element, kids: list[etree._Element], k: int,
                  ) -> tuple[str, int]:
        """Block ``k`` of ``parent`` with its separator, and where the next block starts: a page
        break reads with the block after it (the document div and its sections alike)."""
        el = kids[k]
        sep = _sep_before(parent, el)
        name = _local(el)
        if name == "head":
            return sep + self._inlines(el), k + 1
        if name == "pb":
            return sep + self._block_page(kids[k + 1]), k + 2
        return sep + self._main_block(el), k + 1

    def _main_block(self, el: etree._Element) -> str:
        name = _local(el)
        if name == "p":
            label, label_sep, content = self._labelled(el)
            return (label or "") + label_sep + content
        if name == "list":
            return "".join((_sep_before(el, item) if item.getprevious() is not None else "")
                           + self._item(item) for item in _elements(el))
        if name == "sp":
            speaker = el.find("tei:speaker", NS)
            p = el.find("tei:p", NS)
            if speaker is None or p is None:
                raise _Refused
            return self._inlines(speaker) + (speaker.tail or "") + self._inlines(p)
        if name == "div" and el.get("type") == "section":
            out = []
            kids = _elements(el)
            k = 0
            while k < len(kids):
                text, k = self._block_at(el, kids, k)
                out.append(text)
            return "".join(out)
        raise _Refused

    def _item(self, el: etree._Element) -> str:
        """A list item: label, content, then its nested lists, each after the white space
        before it.  (The reader moves the white space that ends the content into the first
        list's separator: the text is the same.)"""
        kids = list(el)
        lists: list[etree._Element] = []
        while kids and kids[-1].tag == _LIST:
            lists.insert(0, kids.pop())
        label, label_sep, content = self._labelled(el, kids)
        blocks = [("" if k == 0 else (lists[k - 1].tail or "")) + self._main_block(lst)
                  for k, lst in enumerate(lists)]
        return (label or "") + label_sep + content + "".join(blocks)

    def _labelled(self, el: etree._Element, kids: list | None = None,
                  ) -> tuple[str | None, str, str]:
        """Label (None without one), the label's separator, and the content's text."""
        kids = list(el) if kids is None else kids
        label = None
        label_sep = ""
        first_text = el.text or ""
        if kids and kids[0].tag == _LABEL and not first_text:
            label = _plain(kids[0])
            tail = kids[0].tail or ""
            cut = len(tail) - len(tail.lstrip(" \u00a0"))
            label_sep, first_text = tail[:cut], tail[cut:]
            kids = kids[1:]
        return label, label_sep, self._inline_seq(first_text, kids)

    def _note(self, el: etree._Element) -> str:
        label, label_sep, content = self._labelled(el)
        return "[" + (label or "") + "]" + label_sep + content

    def _page(self, fw) -> str:
        return "[" + self._inlines(_element(fw)) + "]"

    def _block_page(self, fw) -> str:
        """A page break between blocks reads like one in running text (:class:`_Marked`
        tells them apart: the names of the one are not names of the document model)."""
        return self._page(fw)

    def _inlines(self, el: etree._Element) -> str:
        text = el.text or ""
        return self._inline_seq(text, list(el)) if len(el) else text

    # A name's, a date's and an abbreviation's text is their content's (:class:`_Marked`
    # marks where each ends).  (Methods of their own, not aliases: mypyc compiles this.)

    def _name(self, el: etree._Element) -> str:
        return self._inlines(el)

    def _date(self, el: etree._Element) -> str:
        return self._inlines(el)

    def _abbr(self, el: etree._Element) -> str:
        return self._inlines(el)

    def _inline_seq(self, text: str, kids: list) -> str:
        """The text of inline content: ``text``, then each child's and its tail's.  (The hot
        loop of the check: each child's tag and tail are read once.)"""
        out = [text]
        k = 0
        count = len(kids)
        while k < count:
            el = kids[k]
            tag = el.tag
            name = tag.rpartition("}")[2] if isinstance(tag, str) else ""
            if name == "pb" and k + 1 < count:
                fw = kids[k + 1]
                out += [self._page(fw), fw.tail or ""]  # the pb's own tail: none
                k += 2
                continue
            tail = el.tail or ""
            if name == "lb":
                if not _LINE_END.match(tail):
                    out.append("\n")  # the reader's line break is a line end, written or not
            elif name in ELEMENT_TYPES:  # the commonest child: no dispatch
                out.append(self._name(el))
            elif name:
                out.append(self._inline(el, name))
            out.append(tail)
            k += 1
        return "".join(out)

    def _inline(self, el: etree._Element, name: str) -> str:
        """An inline element's text, brackets and all (a name's: :meth:`_name`)."""
        if name == "date":
            return self._date(el)
        if name == "choice":
            abbr = el.find("tei:abbr", NS)
            expan = el.find("tei:expan", NS)
            if abbr is None or expan is None:
                raise _Refused
            return self._choice(abbr, expan)
        if name == "supplied" or (name == "note" and el.get("place") == "inline") or (
                name == "ref" and el.get("type") == "noteref"):
            return "[" + self._inlines(el) + "]"
        if name == "gap":
            desc = el.find("tei:desc", NS)
            return "[" + (self._inlines(desc) if desc is not None else "") + "]"
        if name == "g" and el.get("type") == "control":
            return self._control(el)
        if name in _PLAIN:
            return _plain(el)
        raise _Refused

    def _choice(self, abbr: etree._Element, expan: etree._Element) -> str:
        return self._abbr(abbr) + (abbr.tail or "") + "[" + self._inlines(expan) + "]"

    def _control(self, el: etree._Element) -> str:
        return chr(int(el.get("n", "U+FFFD")[2:], 16))


#: Where a name starts and ends, an abbreviation ends, a choice ends, and where a node of the
#: model that is no abbreviation ends (a date; a name left unmarked, even an empty one):
#: characters no XML text holds (a ``<g>`` that would give one is refused), taken out of the
#: text at the end (:func:`located_names`).
_OPEN, _CLOSE, _ABBR, _CHOICE, _NODE = "\x01\x02\x03\x04\x05"
_NAME_MARKS = re.compile(f"([{_OPEN}{_CLOSE}])")
_MARKS = frozenset(_OPEN + _CLOSE + _ABBR + _CHOICE + _NODE)
_SPAN = operator.itemgetter(0, 1)


class _Marked(_Text):
    """The walk that marks the names of the document model in the text: it follows
    :func:`pipeline.entities.score.located_names`, which marks the model's names and writes
    the model out.  So names in labels and in the added elements read as plain text
    (``<hi>``) are no names here either, nor are those in a page number between blocks (which
    that function does not visit); a name that ends with an abbreviation ends with the
    abbreviation, before its expansion (names inside the expansion count on their own)."""

    __slots__ = ("names", "only")

    def __init__(self, only: Container[etree._Element] | None) -> None:
        self.names: list[etree._Element] = []  # in the order their starts are marked
        self.only = only

    def _name(self, el: etree._Element) -> str:
        marked = self.only is None or el in self.only
        if marked:
            self.names.append(el)  # before the names inside it: their starts come later
        inner = self._inlines(el)
        if inner.endswith(_CHOICE):
            # Its content ends with an abbreviation (maybe that of a name inside it, which
            # then ends there too): the name ends where the abbreviation does.
            if not marked:
                return inner
            cut = _abbreviation_end(inner)
            return _OPEN + inner[:cut] + _CLOSE + inner[cut:]
        return _OPEN + inner + _CLOSE if marked else inner + _NODE

    def _date(self, el: etree._Element) -> str:
        return self._inlines(el) + _NODE  # no abbreviation, whatever it ends with

    def _abbr(self, el: etree._Element) -> str:
        return self._inlines(el) + _ABBR

    def _choice(self, abbr: etree._Element, expan: etree._Element) -> str:
        return super()._choice(abbr, expan) + _CHOICE

    def _control(self, el: etree._Element) -> str:
        char = super()._control(el)
        if char in _MARKS:
            raise _Refused  # a mark of its own: the text would lose it
        return char

    def _block_page(self, fw) -> str:
        return _QUICK._page(fw)


def _abbreviation_end(marked: str) -> int:
    """Where the abbreviation of the choice that ends ``marked`` ends (choices in its
    expansion are passed over)."""
    depth = 0
    at = len(marked)
    while True:
        at -= 1
        if marked[at] == _CHOICE:
            depth += 1
        elif marked[at] == _ABBR:
            depth -= 1
            if depth == 0:
                return at


_QUICK = _Text()
