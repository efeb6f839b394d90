"""The one document model every reader produces and every writer consumes.

A page is read into a :class:`Document`: a :class:`Header` (what the page says *about* the
document) and a body (the document text itself) made of blocks and inlines.  Passes map
``Document -> Document``; the TEI writer and reader translate it to and from TEI.

The body model is *lossless*: every character of the source's document text lives in some
``Text``, ``sep`` or ``label`` field, so :func:`pipeline.export.text.diplomatic` can give the
source back character for character.  Anything the pipeline adds (types, references, numbers)
lives in fields that are not text.

A tree is never changed once made: a pass builds a new tree instead of changing the old one.
The document, header and body classes are frozen dataclasses, which says so; the inlines and
blocks (made by the hundred thousand: the tagger rebuilds every block it puts a name in) are
plain slotted ones, made four times faster than frozen ones, yet hashed and compared by value
all the same.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from typing import Any, Union

MODEL_VERSION = 1

# ----------------------------------------------------------------------------- inlines


@dataclass(slots=True, unsafe_hash=True)
class Text:
    """Plain source text, exactly as in the source (no-break spaces and all)."""

    text: str


@dataclass(slots=True, unsafe_hash=True)
class LineBreak:
    """A line end inside a block; ``text`` is the line end and any indentation after it."""

    text: str = "\n"


@dataclass(slots=True, unsafe_hash=True)
class Bracketed:
    """A translator's or editor's insertion written in square brackets in the source.

    ``kind`` says what it is (see :data:`INSERTION_KINDS`); ``content`` is what stands between
    the brackets, exactly.  ``n`` carries a number where the kind has one (page, note).
    """

    kind: str
    content: tuple["Inline", ...]
    n: str | None = None


@dataclass(slots=True, unsafe_hash=True)
class Abbreviation:
    """An abbreviation followed by its bracketed expansion: ``COSVN [Central Office ...]``."""

    abbr: tuple["Inline", ...]
    space: str
    expansion: Bracketed


@dataclass(slots=True, unsafe_hash=True)
class Name:
    """A person, place or organization named in the text (added by the entity tagger).

    ``ref`` is the register id; ``cert`` and ``resp`` say how sure the link is and who made it
    (``None`` for an unambiguous match against the curated register).
    """

    type: str  # person | place | org
    content: tuple["Inline", ...]
    ref: str | None = None
    cert: str | None = None
    resp: str | None = None


@dataclass(slots=True, unsafe_hash=True)
class DateText:
    """A date written in the text, with its ISO value when it could be read."""

    content: tuple["Inline", ...]
    when: str | None = None


Inline = Union[Text, LineBreak, Bracketed, Abbreviation, Name, DateText]

#: The kinds of bracketed insertion, with the TEI that encodes each (see schema/README.md).
INSERTION_KINDS = {
    "expansion": "the expansion of the abbreviation before it",
    "supplied-name": "a part of a name supplied by the translator",
    "supplied": "words supplied by the translator to complete the sense",
    "gloss": "a gloss, identification or clarification",
    "alternative": "an alternative rendering of the word before it",
    "literal": "a literal rendering of the words before it",
    "codename": "the explanation of a codename",
    "omission": "an omission marked by the translator or editor",
    "illegible": "text that could not be read",
    "garbled": "text garbled in transmission",
    "sic": "'sic': the word before it is as in the original",
    "signed": "the original was signed here",
    "page": "the start of a new page of the original",
    "noteref": "a reference to a note printed after the document",
    "editorial": "any other remark of the translator or editor",
}

# ----------------------------------------------------------------------------- blocks


@dataclass(slots=True, unsafe_hash=True)
class Paragraph:
    """A paragraph of running text; ``label`` is its printed number (``"1."``), if any."""

    content: tuple[Inline, ...]
    sep: str = ""
    label: str | None = None
    label_sep: str = ""
    n: str | None = None


@dataclass(slots=True, unsafe_hash=True)
class Head:
    """A heading: of the document (``RECORD OF CONVERSATION``) or of a section."""

    content: tuple[Inline, ...]
    sep: str = ""


@dataclass(slots=True, unsafe_hash=True)
class Field:
    """A labelled line at the head of a document: ``To: COSVN``, ``Time: ...``.

    ``kind`` is one of :data:`FIELD_KINDS`; ``label`` is the printed label (``"Copy to:"``).
    """

    kind: str
    label: str
    label_sep: str
    content: tuple[Inline, ...]
    sep: str = ""


FIELD_KINDS = ("to", "from", "copy", "sent", "received", "time", "place", "participants",
               "present", "subject", "reference", "number", "agenda")


@dataclass(slots=True, unsafe_hash=True)
class Classification:
    """A security classification or handling line: ``TOP SECRET!``, ``Copy No. 2``,
    ``Classification: Secret`` (``label`` is then ``Classification:``)."""

    content: tuple[Inline, ...]
    sep: str = ""
    level: str | None = None  # normalized level when the line states one
    label: str | None = None
    label_sep: str = ""


@dataclass(slots=True, unsafe_hash=True)
class Dateline:
    """A place-and-date line: ``Beijing, 7 February 1961``."""

    content: tuple[Inline, ...]
    sep: str = ""


@dataclass(slots=True, unsafe_hash=True)
class Salute:
    """A salutation (``My dear Braj Kumar,``) or complimentary close (``Yours sincerely,``)."""

    content: tuple[Inline, ...]
    sep: str = ""


@dataclass(slots=True, unsafe_hash=True)
class Signed:
    """A signature: ``[Signed] Uncle Huong``, ``LAVRENTIEV``, ``Mielke\\nArmy General``."""

    content: tuple[Inline, ...]
    sep: str = ""


@dataclass(slots=True, unsafe_hash=True)
class Address:
    """An address block at the foot of a letter, one line per ``lines`` entry."""

    lines: tuple[tuple[Inline, ...], ...]
    line_seps: tuple[str, ...]  # separator before each line after the first
    sep: str = ""


@dataclass(slots=True, unsafe_hash=True)
class Item:
    """A list item: its printed label (``•``, ``a)``, ``(b)``), text and nested blocks."""

    label: str
    label_sep: str
    content: tuple[Inline, ...]
    sep: str = ""
    n: str | None = None
    blocks: tuple["Block", ...] = ()


@dataclass(slots=True, unsafe_hash=True)
class ListBlock:
    """Bulleted or lettered items that follow one another."""

    kind: str  # bulleted | lettered
    items: tuple[Item, ...]
    sep: str = ""


@dataclass(slots=True, unsafe_hash=True)
class SpeakerTurn:
    """What one speaker says in minutes: ``T. Zhivkov: Comrade Brezhnev telephoned ...``."""

    speaker: tuple[Inline, ...]
    speaker_sep: str
    content: tuple[Inline, ...]
    sep: str = ""


@dataclass(slots=True, unsafe_hash=True)
class PageBreak:
    """A line that only marks a new page of the original: ``[page 2]``."""

    marker: Bracketed
    sep: str = ""


@dataclass(slots=True, unsafe_hash=True)
class Note:
    """A note printed after the document: ``[1] Translator's note: ...``."""

    n: str
    label: str  # the printed marker inside the brackets, e.g. "1"
    label_sep: str
    content: tuple[Inline, ...]
    sep: str = ""


@dataclass(slots=True, unsafe_hash=True)
class Postscript:
    """A paragraph after the signature: ``P.S. ...``, ``Decipherer's note: ...``."""

    content: tuple[Inline, ...]
    sep: str = ""


@dataclass(slots=True, unsafe_hash=True)
class Enclosure:
    """What follows a letter or report as an enclosure or attachment: its heading line
    (``Attachment: Review of statements ...``) and its own blocks."""

    blocks: tuple["Block", ...]
    sep: str = ""


@dataclass(slots=True, unsafe_hash=True)
class Section:
    """A Roman-numbered section: its heading (or opening paragraph) and what follows."""

    n: str
    blocks: tuple["Block", ...]
    sep: str = ""


Block = Union[Paragraph, Head, Field, Classification, Dateline, Salute, Signed, Address,
              ListBlock, SpeakerTurn, PageBreak, Note, Section, Postscript, Enclosure]


@dataclass(frozen=True)
class Body:
    """The document text, in source order: its head (``front``), the text (``main``), its
    closing parts (``back``: salutes, signature, address), postscripts, enclosures, and the
    translator's notes printed at the end."""

    front: tuple[Block, ...] = ()
    main: tuple[Block, ...] = ()
    back: tuple[Block, ...] = ()
    post: tuple[Postscript, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()
    notes: tuple[Note, ...] = ()


# ----------------------------------------------------------------------------- header


@dataclass(frozen=True)
class Party:
    """A sender or recipient as the page names it, with the register id once it is linked."""

    name: str
    role: str = "sent"  # sent | received | copy
    type: str | None = None  # person | org | place, once known
    ref: str | None = None
    cert: str | None = None
    resp: str | None = None


@dataclass(frozen=True)
class Header:
    """What the page says about the document, field by field."""

    title: str = ""
    date_when: str | None = None  # ISO 8601, as precise as the page says
    date_text: str | None = None
    date_approximate: bool = False  # the page says "c. 1957"
    doc_type: str | None = None  # a key of vocab.DOC_TYPES
    doc_number: str | None = None
    classification: str | None = None  # a key of vocab.CLASSIFICATIONS
    parties: tuple[Party, ...] = ()
    authors: tuple[str, ...] = ()
    archive: str | None = None
    archive_place: str | None = None
    archive_reference: str | None = None
    archive_line: str | None = None
    translator: str | None = None
    obtained_by: str | None = None
    programme: str | None = None
    funder: str | None = None
    rights: tuple[str, ...] = ()
    summary: str | None = None
    places: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    record_id: str | None = None
    uploaded_when: str | None = None
    uploaded_text: str | None = None
    source_language: str | None = None
    partial: bool = False
    unplaced: tuple[str, ...] = ()  # lines of the page the converter could not place


@dataclass(frozen=True)
class SourceInfo:
    """Where the document came from, so that checks can go back to the source."""

    path: str = ""  # as given, relative to the working directory when possible
    sha256: str = ""
    encoding: str = "utf-8"
    line_ends: str = "lf"  # lf | crlf | cr | mixed
    body_offset: int = 0  # offset of the document text in the decoded page (CRLF = 2 chars)


@dataclass(frozen=True)
class Authority:
    """What the entity tagger puts beside the text (written to ``<standOff>`` and a respStmt).

    ``entries`` are the register entries the document's names point at, each as the
    register's own XML in canonical form (sorted by id), so every ``@ref`` resolves inside
    the file; ``recognizer`` describes the machine recognizer when it proposed any name.
    """

    entries: tuple[str, ...] = ()
    recognizer: str | None = None


@dataclass(frozen=True)
class Document:
    """One archive document: identifier, header, body and where it came from."""

    id: str
    header: Header
    body: Body
    source: SourceInfo = field(default_factory=SourceInfo)
    authority: Authority = field(default_factory=Authority)


# ----------------------------------------------------------------------------- dump


def to_data(node: Any) -> Any:
    """Turn a model tree into plain JSON data: dicts tagged with their class name."""
    if is_dataclass(node):
        out: dict[str, Any] = {"_": type(node).__name__}
        for f in fields(node):
            value = getattr(node, f.name)
            if f.default is not MISSING:
                default = f.default
            elif f.default_factory is not MISSING:
                default = f.default_factory()
            else:
                default = MISSING
            if value != default:
                out[f.name] = to_data(value)
        return out
    if isinstance(node, (tuple, list)):
        return [to_data(v) for v in node]
    return node


def dumps(doc: Document) -> str:
    """The versioned JSON dump of a document, stable across runs (used by the golden tests)."""
    return json.dumps({"model": MODEL_VERSION, "document": to_data(doc)},
                      ensure_ascii=False, indent=1, sort_keys=False) + "\n"
