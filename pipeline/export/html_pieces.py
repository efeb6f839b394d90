"""Small pieces of the HTML edition written directly, not by XSLT, byte for byte as the
stylesheets write them: escaped the way the HTML output of XSLT (libxml2's serializer)
escapes text and links.

- A document's share of an entry's page, its ``<li>`` of occurrences (``collection.xsl``,
  template ``occurrences``, is the reference): made when each document is read, thousands
  of times per export; going through XSLT for it (an XML string of the occurrences,
  parsed, transformed, serialized) was a tenth of the export's time.
- A document page's links to the previous and next documents (``document.xsl``, template
  ``pager``): the only part of a page that depends on other documents, so that the page
  can be made when its file is read, before the reading order is known (:func:`splice`).

Property tests check both against the stylesheets (``tests/test_export_pieces.py``).
"""

from __future__ import annotations

import re

from .register import Occurrence

#: What libxml2 leaves unescaped in a URI attribute (href): letters, digits, the marks and
#: the reserved characters it is told to keep; everything else is ``%XX`` of its UTF-8.
_URI_KEPT = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                      b"-_.!~*'()" b"\"#$%&+,/:;<=>?@[\\]^`{|}")
_URI_BYTE = [chr(b) if b in _URI_KEPT else f"%{b:02X}" for b in range(256)]
_URI_PLAIN = re.compile(r"[A-Za-z0-9\-_.!~*'()#$%+,/:;=?@\[\\\]^`{|}]*")  # kept as they are
_ATTR_PLAIN = re.compile(r"[^&<>\"]*")  # kept as they are
_ENTITIES = re.compile(r"&\{[^}]*\}|[&<>]")
_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def text(value: str) -> str:
    """Text as the HTML output writes it: ``&``, ``<`` and ``>`` escaped, the rest as is
    (``html.escape(value, quote=False)``, without its call: hundreds of times per page)."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: str) -> str:
    """An attribute's value, quoted, as the HTML output writes it: ``&``, ``<`` and ``>``
    escaped, except that ``&{…}`` (HTML 4's script entities) is kept as it is; in double
    quotes, with ``"`` as ``&quot;``, unless it has a ``"`` and no ``'``: then in single
    quotes."""
    if _ATTR_PLAIN.fullmatch(value):
        return f'"{value}"'
    return _quoted(_ENTITIES.sub(lambda m: _ENTITY.get(m.group(), m.group()), value))


def _quoted(value: str) -> str:
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'


def href(value: str) -> str:
    """An ``href`` attribute's value, quoted, as the HTML output writes it: as
    :func:`attr`, but leading white space dropped and the URI escaped (:data:`_URI_KEPT`)."""
    value = value.lstrip(" \t\n\r")
    if _URI_PLAIN.fullmatch(value):
        return f'"{value}"'
    value = _ENTITIES.sub(lambda m: _ENTITY.get(m.group(), m.group()), value)
    return _quoted("".join([_URI_BYTE[b] for b in value.encode("utf-8")]))


def item(occ: Occurrence, page: str, links: dict[tuple[str, str, str], str] | None = None
         ) -> str:
    """One occurrence: a link to its passage of the document page ``page``, its snippet.
    ``links``: the links made so far, by page, passage and label (a document's names are
    many, its passages few)."""
    link = links.get((page, occ.passage, occ.label)) if links is not None else None
    if link is None:
        link = (f'<li><a class="occ-passage" href={href(f"{page}#{occ.passage}")}>'
                f'{text(occ.label)}</a> <span class="snippet">')
        if links is not None:
            links[page, occ.passage, occ.label] = link
    out = f'{link}{text(occ.before)}<mark>{text(occ.match)}</mark>{text(occ.after)}</span>'
    if len(occ.refs) > 1:
        out += (f' <span class="uncertain">(uncertain: one of {len(occ.refs)} possible '
                f'identifications)</span>')
    return out + "</li>"


def document_item(page: str, title: str, date: str, occs: list[Occurrence],
                  links: dict[tuple[str, str, str], str] | None = None) -> str:
    """A document's ``<li>`` in the list of an entry: a link to its page ``page``, its
    title and date, and its occurrences of the entry (``links``: as :func:`item` takes
    them, kept from one entry of the document to the next)."""
    out = f'<li><a class="occ-doc" href={href(page)}>{text(title)}</a>'
    if date:
        out += f', <span class="occ-date">{text(date)}</span>'
    links = {} if links is None else links
    return out + "<ul>" + "".join([item(o, page, links) for o in occs]) + "</ul></li>"


#: The pager of a page made with these stand-ins for its neighbours (:func:`splice`).
STAND_INS = {"prev-href": "teipipe-prev-href", "prev-title": "teipipe-prev-title",
             "next-href": "teipipe-next-href", "next-title": "teipipe-next-title"}


def pager(params: dict[str, str]) -> str:
    """The links to the previous and next documents (the page parameters ``prev-href``,
    ``prev-title``, ``next-href``, ``next-title``; none when both links are empty)."""
    links = [f'<li class="{way}"><a rel="{way}" href={href(params[f"{way}-href"])}>'
             f'<span class="pager-dir">{label}</span> <span class="pager-title">'
             f'{text(params[f"{way}-title"])}</span></a></li>'
             for way, label in (("prev", "Previous"), ("next", "Next"))
             if params[f"{way}-href"] != ""]
    if not links:
        return ""
    return ('<nav class="pager" aria-label="Previous and next document"><ul>'
            + "".join(links) + "</ul></nav>")


_STAND_IN_PAGER = pager(STAND_INS).encode("utf-8")


def splice(page: bytes, params: dict[str, str]) -> bytes | None:
    """A page made with :data:`STAND_INS` for its neighbours, with the pager of the
    neighbours ``params`` in place of theirs; None if the stand-ins' pager is not found
    exactly once (the page must then be made again)."""
    if page.count(_STAND_IN_PAGER) != 1:
        return None
    return page.replace(_STAND_IN_PAGER, pager(params).encode("utf-8"))


__all__ = ["STAND_INS", "attr", "document_item", "href", "item", "pager", "splice", "text"]
