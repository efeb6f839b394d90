"""Layer 1: read a TEI file safely, or say in one line why it cannot be read.

Hostile input is refused before it can cost anything: a file over the size limit is never
read (a 1 GB file is one ``stat``); a DOCTYPE, which is where external entities, DTD loading
and entity bombs ("billion laughs") live, is refused before the parser sees the file (the
edition's TEI has none); the parser itself loads nothing, expands nothing and reaches no
network (:func:`pipeline.tei.read.safe_parser`), and libxml2's default limits on depth and
text size stay on.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic
from ..tei.ns import tei
from ..tei.read import safe_parser
from .codes import diagnostic
from .index import Index, index_of

#: The default limit on one file: an archive document is a few hundred kilobytes.
MAX_BYTES = 8 * 2**20

_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


@dataclass
class XmlFile:
    """A file read and parsed: its bytes, its tree (None when it could not be parsed)."""

    path: Path
    shown: str  # the name used in messages
    data: bytes = b""
    tree: etree._ElementTree | None = None
    problems: list[Diagnostic] = field(default_factory=list)
    _lines: list[str] | None = None
    _starts: dict | None = None
    _hits: dict = field(default_factory=dict)
    _index: Index | None = None

    @property
    def index(self) -> Index:
        """The elements the checks look at, gathered in one walk (:mod:`.index`)."""
        assert self.tree is not None
        if self._index is None:
            self._index = index_of(self.tree.getroot())
        return self._index

    @property
    def lines(self) -> list[str]:
        """The file's lines (decoded), for finding columns."""
        if self._lines is None:
            self._lines = self.data.decode("utf-8", "replace").split("\n")
        return self._lines

    def column(self, el: etree._Element) -> int | None:
        """The column of ``el``'s start tag (1-based), which lxml does not keep.

        It is the k-th ``<name`` on the element's line, k counting the elements of the same
        name that start earlier on that line (an index of the file, made on first use).
        """
        line = el.sourceline
        if self.tree is None or not line or line > len(self.lines) or not isinstance(el.tag, str):
            return None
        if self._starts is None:
            self._starts = {}
            for other in self.tree.getroot().iter():
                if isinstance(other.tag, str):
                    self._starts.setdefault((other.sourceline, other.tag), []).append(other)
        same = self._starts.get((line, el.tag), [])
        before = next((k for k, other in enumerate(same) if other is el), 0)
        key = (line, el.tag)
        if key not in self._hits:
            written = (f"{el.prefix}:" if el.prefix else "") + etree.QName(el).localname
            self._hits[key] = [m.start() for m in re.finditer(
                "<" + re.escape(written) + r"(?=[\s/>])", self.lines[line - 1])]
        hits = self._hits[key]
        return hits[before] + 1 if before < len(hits) else None


def read_xml(path: Path, shown: str, max_bytes: int = MAX_BYTES) -> XmlFile:
    """Read and parse ``path``; ``tree`` is set only when the file is well-formed TEI."""
    f = XmlFile(path, shown)
    try:
        if not path.is_file():
            f.problems.append(diagnostic("V001", "no such file" if not path.exists()
                                         else "not a file", file=shown))
            return f
        size = path.stat().st_size
        if size > max_bytes:
            f.problems.append(diagnostic(
                "V003", f"the file is {_size(size)}; the limit is {_size(max_bytes)}; not read",
                file=shown))
            return f
        f.data = path.read_bytes()
    except OSError as exc:
        f.problems.append(diagnostic("V001", f"cannot read the file: {exc.strerror}",
                                     file=shown))
        return f
    doctype = _doctype_at(f.data)
    if doctype is not None:
        line, column = doctype
        f.problems.append(diagnostic("V004", "the file has a DOCTYPE declaration; it is "
                                     "refused unparsed (no DTDs, no entities)", file=shown,
                                     line=line, column=column))
        return f
    f.tree, problem = _parse(f.data, shown)
    if problem:
        f.problems.append(problem)
        return f
    assert f.tree is not None
    root = f.tree.getroot()
    if root.tag != tei("TEI"):
        f.problems.append(diagnostic("V005", f"the root element is <{_name(root)}>, not a "
                                     "TEI document", file=shown, line=root.sourceline))
        f.tree = None
    return f


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n} bytes"


def _name(el: etree._Element) -> str:
    q = etree.QName(el)
    return f"{q.localname} xmlns=\"{q.namespace}\"" if q.namespace else q.localname


def _doctype_at(data: bytes) -> tuple[int, int] | None:
    """Line and column of a DOCTYPE in the prolog (before the root element), if any."""
    head = data
    if head.startswith(_UTF16):
        for bom, name in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                          (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
            if head.startswith(bom):
                head = head[len(bom):].decode(name, "replace").encode("utf-8")
                break
    elif head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    at = 0
    while True:
        m = _PROLOG_ITEM.match(head, at)
        if not m:
            break
        at = m.end()
    if head.startswith(b"<!DOCTYPE", at) or head.startswith(b"<!doctype", at):
        line = head.count(b"\n", 0, at) + 1
        return line, at - (head.rfind(b"\n", 0, at) + 1) + 1
    return None


def _parse(data: bytes, shown: str) -> tuple[etree._ElementTree | None, Diagnostic | None]:
    """Parse with the safe parser.  A repeated xml:id is libxml2's only *validity* error
    that stops a parse; it is rule V302's to report, so the file is parsed again leniently."""
    parser = safe_parser()
    try:
        return etree.fromstring(data, parser).getroottree(), None
    except etree.XMLSyntaxError as exc:
        log = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR] or \
              list(exc.error_log)
        fatal = [e for e in log if e.type_name != "DTD_ID_REDEFINED"]
        if not fatal and log:
            lenient = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                      dtd_validation=False, huge_tree=False, recover=True)
            return etree.fromstring(data, lenient).getroottree(), None
        first = fatal[0] if fatal else None
        message = first.message if first else str(exc)
        line = first.line if first else None
        column = first.column if first and first.column else None
        return None, diagnostic("V002", f"not well-formed: {message}", file=shown, line=line,
                                column=column)
