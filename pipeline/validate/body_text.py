"""The document text of a TEI file, read straight from its tree: the fidelity check's quick way.

The fidelity check compares the source page with ``diplomatic(read_text(tree))``
(:mod:`pipeline.tei.read`, :mod:`pipeline.export.text`): the TEI read back into the document
model, then the model written out as text.  For a cable that is most of the check's time,
spent making objects that are thrown away.  :func:`document_text` gives the same string from
the tree directly, following the reader's rules one for one (where a block's white space
comes from, the order front, main, back, postscript, enclosures, end notes, brackets around
the translator's insertions, a list's separator taken from the text before it ...) and
sharing its helpers and its layout walk (:func:`pipeline.tei.read.body_layout`).

It is only ever used to say "equal": where the reader would refuse the file, or where this
module does not follow it (a comment where a block or a page number should be), it gives
None, and the check takes the long way, which also words every difference.  So a file passes
the quick way only if its text, read as the reader reads it, is the source's.
tests/test_validate_body_text.py checks that the two ways agree on every TEI file the tests
have and on many files broken at random.
"""

from __future__ import annotations

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
        return _body(tree.getroot())
    except Exception:  # noqa: BLE001 - whatever it is, the long way says it
        return None


def _body(root: etree._Element) -> str:
    if root.tag != tei("TEI"):
        raise _Refused
    body = root.find("tei:text/tei:body", NS)
    if body is None or body.find("tei:div[@type='document']", NS) is None:
        raise _Refused
    layout = body_layout(body)
    out = []
    for el, sep in layout.front:
        out.append(sep + _inlines(el) if _local(el) == "head"
                   else _container(el, _opener_block, sep))
    for el, sep, after in layout.main:
        out.append(sep + (_main_block(el) if after is None else _page(after)))
    for el, sep in layout.back:
        out.append(_container(el, _closer_block, sep))
    for el, sep in layout.post:
        out.append(sep + _inlines(_element(el[0])))
    for lead, blocks in layout.enclosures:
        out.append(lead)
        out.extend(sep + (_inlines(el) if el.tag == tei("head") else _main_block(el))
                   for el, sep in blocks)
    out.extend(sep + _note(el) for el, sep in layout.notes)
    return "".join(out)


def _element(node) -> etree._Element:
    if not isinstance(node.tag, str):
        raise _Refused  # the reader would read a comment's text here
    return node


def _container(container: etree._Element, block, sep: str) -> str:
    """An opener or closer: its first block takes the container's separator."""
    out = []
    for k, el in enumerate(_elements(container)):
        out.append((sep if k == 0 else _sep_before(container, el)) + block(el))
    return "".join(out)


def _opener_block(el: etree._Element) -> str:
    if _local(el) == "seg":
        label, label_sep, content = _labelled(el)
        return (label or "") + label_sep + content
    return _line_block(el, ("dateline", "salute"))


def _closer_block(el: etree._Element) -> str:
    return _line_block(el, ("signed", "salute", "dateline"))


def _line_block(el: etree._Element, plain: tuple[str, ...]) -> str:
    """A block of an opener or closer that is a line of text (``plain``) or an address."""
    name = _local(el)
    if name in plain:
        return _inlines(el)
    if name == "address":
        return _address(el)
    raise _Refused


def _address(el: etree._Element) -> str:
    lines = _elements(el)
    return "".join((_sep_before(el, line) if k else "") + _inlines(line)
                   for k, line in enumerate(lines))


def _block_at(parent: etree._Element, kids: list[etree._Element], k: int) -> tuple[str, int]:
    """Block ``k`` of ``parent`` with its separator, and where the next block starts: a page
    break reads with the block after it (the document div and its sections alike)."""
    el = kids[k]
    sep = _sep_before(parent, el)
    name = _local(el)
    if name == "head":
        return sep + _inlines(el), k + 1
    if name == "pb":
        return sep + _page(kids[k + 1]), k + 2
    return sep + _main_block(el), k + 1


def _main_block(el: etree._Element) -> str:
    name = _local(el)
    if name == "p":
        label, label_sep, content = _labelled(el)
        return (label or "") + label_sep + content
    if name == "list":
        return "".join((_sep_before(el, item) if item.getprevious() is not None else "")
                       + _item(item) for item in _elements(el))
    if name == "sp":
        speaker = el.find("tei:speaker", NS)
        p = el.find("tei:p", NS)
        if speaker is None or p is None:
            raise _Refused
        return _inlines(speaker) + (speaker.tail or "") + _inlines(p)
    if name == "div" and el.get("type") == "section":
        out = []
        kids = _elements(el)
        k = 0
        while k < len(kids):
            text, k = _block_at(el, kids, k)
            out.append(text)
        return "".join(out)
    raise _Refused


def _item(el: etree._Element) -> str:
    """A list item: label, content, then its nested lists, each after the white space
    before it.  (The reader moves the white space that ends the content into the first
    list's separator: the text is the same.)"""
    kids = list(el)
    lists: list[etree._Element] = []
    while kids and kids[-1].tag == _LIST:
        lists.insert(0, kids.pop())
    label, label_sep, content = _labelled(el, kids)
    blocks = [("" if k == 0 else (lists[k - 1].tail or "")) + _main_block(lst)
              for k, lst in enumerate(lists)]
    return (label or "") + label_sep + content + "".join(blocks)


def _labelled(el: etree._Element, kids: list | None = None) -> tuple[str | None, str, str]:
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
    return label, label_sep, _inline_seq(first_text, kids)


def _note(el: etree._Element) -> str:
    label, label_sep, content = _labelled(el)
    return "[" + (label or "") + "]" + label_sep + content


def _page(fw) -> str:
    return "[" + _inlines(_element(fw)) + "]"


def _inlines(el: etree._Element) -> str:
    text = el.text or ""
    return _inline_seq(text, list(el)) if len(el) else text


def _inline_seq(text: str, kids: list) -> str:
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
            out += [_page(fw), fw.tail or ""]  # the pb's own tail: none
            k += 2
            continue
        tail = el.tail or ""
        if name == "lb":
            if not _LINE_END.match(tail):
                out.append("\n")  # the reader's line break is a line end, written or not
        elif name:
            out.append(_inline(el, name))
        out.append(tail)
        k += 1
    return "".join(out)


def _inline(el: etree._Element, name: str) -> str:
    """An inline element's text, brackets and all."""
    if name in ELEMENT_TYPES or name == "date":
        return _inlines(el)
    if name == "choice":
        abbr = el.find("tei:abbr", NS)
        expan = el.find("tei:expan", NS)
        if abbr is None or expan is None:
            raise _Refused
        return _inlines(abbr) + (abbr.tail or "") + "[" + _inlines(expan) + "]"
    if name == "supplied" or (name == "note" and el.get("place") == "inline") or (
            name == "ref" and el.get("type") == "noteref"):
        return "[" + _inlines(el) + "]"
    if name == "gap":
        desc = el.find("tei:desc", NS)
        return "[" + (_inlines(desc) if desc is not None else "") + "]"
    if name == "g" and el.get("type") == "control":
        return chr(int(el.get("n", "U+FFFD")[2:], 16))
    if name in _PLAIN:
        return _plain(el)
    raise _Refused
