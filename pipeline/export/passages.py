"""The citable passages of a TEI document, with their reading text and the names in them.

A passage is what a reader can link to and cite: a paragraph, a list item, a speaker's turn,
a heading, a postscript, an end note (each has an ``xml:id`` in the TEI, which becomes the
fragment of its URL), or the opening and closing matter of a document (which has none; they get
``{doc}.opener1``, ``{doc}.closer1`` ... in the HTML, numbered as the stylesheet numbers them).

The register uses passages for the snippet of context around each occurrence of a name, and
the search index for what it searches.  Their text is the *reading* text: the translator's
insertions keep their square brackets (``rend="brackets"``) and white space is collapsed, so
that a snippet reads as the page does; page breaks of the original (``fw``) are left out.

Labels (``¶ 3``, ``item 5``) come from the ids the TEI writer gives (``….p3``, ``….item5``);
``document.xsl`` (template ``passage-label``) prints the same labels beside the passages, and
the browser tests check that the two agree.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from lxml import etree

from ..tei.ns import ELEMENT_TYPES, NS, XML_ID, tei

#: What each kind of passage id is called in labels.
PASSAGE_KINDS = {"p": "¶", "item": "item", "sp": "speech", "head": "heading", "note": "note",
                 "section": "section", "opener": "opening", "closer": "closing",
                 "postscript": "postscript", "enclosure": "enclosure"}

_SPACE = re.compile(r"\s+")
_SUFFIX = re.compile(r"([A-Za-z]+)([0-9]*)")  # ASCII digits, as the stylesheet reads them


class NameSpan:
    """A name in a passage: where it is in the passage text and what the TEI says of it.
    (A class with an ``__init__`` of its own, not a frozen dataclass nor a named tuple:
    made for every name of every document, and compiled (:mod:`pipeline.native`) it is a
    C struct, made and read without Python's calls; a named tuple's fields are looked up
    as properties, and it is made by a function in Python.)"""

    def __init__(self, start: int, end: int, type: str, refs: tuple[str, ...],
                 cert: str | None, resp: str | None, element: etree._Element) -> None:
        self.start = start
        self.end = end
        self.type = type  # person | place | org
        self.refs = refs  # register ids, all candidates; () for a name nobody linked yet
        self.cert = cert
        self.resp = resp
        self.element = element


@dataclass(slots=True)
class Passage:
    """A citable unit of a document: its fragment id, label, reading text and names."""

    id: str
    label: str
    text: str = ""
    names: list[NameSpan] = field(default_factory=list)
    _open: list[tuple[int, etree._Element]] = field(default_factory=list, repr=False)

    def add(self, text: str) -> None:
        """Append text, collapsing white space across the joins too."""
        if not text:
            return
        if not (text.isascii() and text.isprintable() and "  " not in text):
            text = _SPACE.sub(" ", text)  # (printable ASCII without two spaces: as it is)
        if text.startswith(" ") and (not self.text or self.text.endswith(" ")):
            text = text[1:]
        self.text += text


#: The passage that stands for a document's header (title, summary, senders, recipients).
META = "meta"
META_LABEL = "about this document"

_ROLES = {"sent": "From", "received": "To", "copy": "Copy to"}


def metadata_passage(tree: etree._ElementTree) -> Passage:
    """The title, summary, senders and recipients of a document, as one passage.

    Its id is :data:`META`, the id of the metadata section of the document page; the names
    of senders and recipients are its names, so that the register lists them and the search
    finds them.
    """
    header = tree.getroot().find("tei:teiHeader", NS)
    passage = Passage(META, META_LABEL)
    if header is None:
        return passage
    title = header.find("tei:fileDesc/tei:titleStmt/tei:title[@type='main']", NS)
    summary = header.find("tei:profileDesc/tei:abstract", NS)
    for part in (title, summary):
        if part is not None:
            passage.add(" ".join("".join(part.itertext()).split()) + " ")
    for action in header.iterfind("tei:profileDesc/tei:correspDesc/tei:correspAction", NS):
        role = "copy" if action.get("subtype") == "copy" else action.get("type", "sent")
        names = [el for el in action if isinstance(el.tag, str)
                 and el.tag.rpartition("}")[2] in ELEMENT_TYPES]
        if not names:
            continue
        passage.add(_ROLES.get(role, role.capitalize()) + ": ")
        for k, el in enumerate(names):
            if k:
                passage.add("; ")
            start = len(passage.text)
            passage.add(" ".join("".join(el.itertext()).split()))
            passage.names.append(NameSpan(start, len(passage.text), ELEMENT_TYPES[
                el.tag.rpartition("}")[2]], refs_of(el), el.get("cert"), el.get("resp"), el))
        passage.add(". ")
    passage.text = passage.text.rstrip()
    return passage


def passage_label(doc_id: str, fragment: str) -> str:
    """``d1.p7`` -> ``¶ 7``; ``d1.item5`` -> ``item 5``; an unknown id stays as it is."""
    suffix = fragment[len(doc_id) + 1:] if fragment.startswith(doc_id + ".") else fragment
    m = _SUFFIX.fullmatch(suffix)
    if not m or m.group(1) not in PASSAGE_KINDS:
        return suffix
    return f"{PASSAGE_KINDS[m.group(1)]} {m.group(2)}".strip()


def refs_of(element: etree._Element) -> tuple[str, ...]:
    """The register ids a name points to: ``ref="#a #b"`` -> ``("a", "b")``.

    Only local pointers (``#id``) count; anything else (a URL, ``javascript:``) is ignored.
    """
    return _refs(element.get("ref") or "")


@functools.lru_cache(maxsize=4096)
def _refs(ref: str) -> tuple[str, ...]:  # a document names the same entries again and again
    return tuple(token[1:] for token in ref.split() if token.startswith("#") and len(token) > 1)


def passages(tree: etree._ElementTree) -> list[Passage]:
    """The passages of a document in reading order, empty ones left out."""
    root = tree.getroot()
    doc_id = root.get(XML_ID, "")
    body = root.find("tei:text/tei:body", NS)
    if body is None:
        return []
    top = Passage(doc_id, "document")  # text outside every passage: the document as a whole
    found = [top]
    counters = {"opener": 0, "closer": 0}
    _walk(body, top, found, counters, doc_id)
    for p in found:
        stripped = p.text.rstrip()
        end = len(stripped)
        if end < len(p.text):  # names that reach into the space cut off end where it ends
            p.names = [n if n.start <= end and n.end <= end else
                       NameSpan(min(n.start, end), min(n.end, end), n.type, n.refs, n.cert,
                                n.resp, n.element) for n in p.names]
            p.text = stripped
    return [p for p in found if p.text]


#: Passages without an id of their own (numbered in the document), by their element.
_NUMBERED = {tei("opener"): "opener", tei("closer"): "closer"}
_DIV, _LB, _FW = tei("div"), tei("lb"), tei("fw")
#: The type of each name element, by its tag.
_NAME_TAGS = {tei(name): type_ for name, type_ in ELEMENT_TYPES.items()}


def _walk(el: etree._Element, current: Passage, found: list[Passage],
          counters: dict[str, int], doc_id: str) -> None:
    """The children of ``el`` into ``current``, or each into a passage of its own when it
    is one (an ``xml:id``; an opener or closer of a ``div``, numbered).  The hottest loop
    of the summaries: what is done for every element is done inline here, and leaves'
    tails and texts only when they have some."""
    numbered = el.tag == _DIV
    for child in el:
        tag = child.tag
        if tag.__class__ is not str:  # a comment or a processing instruction
            tail = child.tail
            if tail:
                current.add(tail)
            continue
        name = _NUMBERED.get(tag) if numbered else None
        frag: str | None
        if name is not None:
            counters[name] += 1
            frag = f"{doc_id}.{name}{counters[name]}"
        else:
            frag = child.get(XML_ID)
        if frag:
            target = Passage(frag, passage_label(doc_id, frag))
            found.append(target)
            _element(child, tag, target, found, counters, doc_id)
        else:
            _element(child, tag, current, found, counters, doc_id)
        tail = child.tail
        if tail:
            current.add(tail)


def _element(el: etree._Element, tag: str, current: Passage, found: list[Passage],
             counters: dict[str, int], doc_id: str) -> None:
    if tag == _LB:
        current.add(" ")
        return
    if tag == _FW:  # "[page 2]": where the original's page ends, not its words
        return
    brackets = el.get("rend") == "brackets"
    start = len(current.text)
    if brackets:
        current.add("[")
    text = el.text
    if text:
        current.add(text)
    if len(el):
        _walk(el, current, found, counters, doc_id)
    if brackets:
        current.add("]")
    type_ = _NAME_TAGS.get(tag)
    if type_ is not None:
        text = current.text
        # a name's span starts at its first character, after any space the join collapsed
        while start < len(text) and text[start] == " ":
            start += 1
        current.names.append(NameSpan(start, len(text.rstrip()), type_, refs_of(el),
                                      el.get("cert"), el.get("resp"), el))


__all__ = ["META", "META_LABEL", "NameSpan", "Passage", "PASSAGE_KINDS", "metadata_passage",
           "passage_label", "passages", "refs_of"]
