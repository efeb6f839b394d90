"""Layer 4, part 3: does the TEI still hold its source's text, character for character?

The ``<?teipipe … source=… source-sha256=…?>`` record names the source page.  The page is
read again (:func:`pipeline.files.read_source`), the document text cut out of it
(:func:`pipeline.convert.page.split_page`) and compared with the text the TEI gives back
(:func:`pipeline.export.text.diplomatic`; the same text read straight from the tree by
:mod:`.body_text` when it can, the quick way to "equal").  A source that changed since conversion makes the
TEI stale (V317); text lost, added or changed in the TEI is V316, once per place, naming the
line of the TEI and of the source.

The body of a TEI file keeps the source's line ends (the writer does not indent it), so line
*k* of the document text is line *k* after the ``<div type="document">`` start tag, plus one
for each enclosure division started before it (a division ends with a layout line end).
"""

from __future__ import annotations

import difflib
import errno
import os
import stat
from pathlib import Path

from ..convert.page import split_page
from ..diagnostics import Diagnostic
from ..export.text import diplomatic
from ..files import SourceError, read_source
from ..tei.ns import NS
from ..tei.read import TEIError, read_text, record
from .body_text import document_text
from .codes import diagnostic
from .xmlfile import XmlFile

MAX_PLACES = 5  # differences reported per file; the rest are counted
#: What :meth:`Path.is_file` takes for "no such file" (other errors it raises).
_NOT_THERE = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


def source_of(f: XmlFile, rec: dict[str, str]) -> Path | None:
    """The source page the file's record ``rec`` names (relative to the file), if it names
    one.  (The caller reads the record once and passes it: it needs it too.)"""
    name = rec.get("source")
    return (f.path.parent / name) if name else None


def check_fidelity(f: XmlFile, schema_ok: bool) -> list[Diagnostic]:
    """V316–V319.  ``schema_ok`` says the file passed the project schema: a file that did
    not may be unreadable as a document, which its schema errors already explain."""
    assert f.tree is not None
    root = f.tree.getroot()
    where = dict(file=f.shown, line=root.sourceline)
    rec = record(f.tree)
    src = source_of(f, rec)
    name = os.path.normpath(os.path.join(os.path.dirname(f.shown), rec["source"])) \
        if src is not None else ""
    if src is None:
        return [diagnostic("V319", "the file has no <?teipipe source=…?> record; its text "
                           "cannot be compared with a source", **where)]
    st = _stat(src)
    if st is None or not stat.S_ISREG(st.st_mode):
        return [diagnostic("V318", f"the source {name} is not there; the text was "
                           "not compared", **where)]
    try:
        source = read_source(src, st)
    except SourceError as exc:
        return [diagnostic("V318", f"the source {name} cannot be read "
                           f"({exc.diagnostic.message}); the text was not compared", **where)]
    if rec.get("source-sha256") and source.sha256 != rec["source-sha256"]:
        return [diagnostic("V317", f"{name} changed after this file was made from it "
                           f"(by teipipe {rec.get('version', '?')}): the TEI is stale",
                           **where)]
    zones = split_page(source.text, trailer=False)
    expected = source.text[zones.body_start:zones.body_end]
    if document_text(f.tree) == expected:
        return []
    try:
        actual = diplomatic(read_text(f.tree))
    except (TEIError, ValueError, KeyError, IndexError) as exc:
        if not schema_ok:
            return []
        return [diagnostic("V316", f"the text cannot be read back from the TEI ({exc})",
                           **where)]
    if actual == expected:
        return []
    return _differences(f, expected, actual, _line_map(f), zones.body_first_line, name)


def _stat(path: Path) -> os.stat_result | None:
    """``path.stat()``, None where :meth:`Path.is_file` would say False for want of a file
    (the one look-up serves both to know it is there and, for :func:`read_source`, its
    size)."""
    try:
        return path.stat()
    except OSError as exc:
        if exc.errno not in _NOT_THERE:
            raise
        return None
    except ValueError:  # (a name no file can have)
        return None


def _line_map(f: XmlFile):
    """A function from a line of the document text (0-based) to its line in the TEI file."""
    assert f.tree is not None
    divs = [d.sourceline or 0 for d in f.tree.getroot().findall("tei:text/tei:body/tei:div",
                                                                  NS)]
    if not divs:
        return lambda k: f.tree.getroot().sourceline + k  # type: ignore[union-attr]
    first = divs[0] + 1
    starts = [(0, first)] + [(line - first - k, line) for k, line in enumerate(divs[1:], 1)]

    def tei_line(k: int) -> int:
        text_line, line = max((s for s in starts if s[0] <= k), default=starts[0])
        return line + k - text_line
    return tei_line


def _differences(f: XmlFile, expected: str, actual: str, tei_line, source_line: int,
                 source_name: str) -> list[Diagnostic]:
    a = expected.split("\n")
    b = actual.split("\n")
    out: list[Diagnostic] = []
    opcodes = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
               if op[0] != "equal"]
    for tag, i1, i2, j1, j2 in opcodes[:MAX_PLACES]:
        old, new = "\n".join(a[i1:i2]), "\n".join(b[j1:j2])
        lost, added, offset = _narrow(old, new)
        line_in_old = old.count("\n", 0, offset)
        line_in_new = new.count("\n", 0, offset)
        src_line = source_line + i1 + line_in_old
        if lost and not added:
            what = f"lost “{_clip(lost)}”"
        elif added and not lost:
            what = f"has “{_clip(added)}” that the source does not"
        else:
            what = f"has “{_clip(added)}” where the source has “{_clip(lost)}”"
        out.append(diagnostic("V316", f"the text {what} ({source_name} line {src_line})",
                              file=f.shown, line=tei_line(j1 + line_in_new)))
    if len(opcodes) > MAX_PLACES:
        out.append(diagnostic("V316", f"… and {len(opcodes) - MAX_PLACES} more places where "
                              "the text differs from its source", file=f.shown,
                              line=tei_line(opcodes[MAX_PLACES][3])))
    return out


def _narrow(old: str, new: str) -> tuple[str, str, int]:
    """The part of two texts that differs: (old part, new part, offset where it starts)."""
    start = _common(old, new, lambda t, n: t[:n])
    rest_old, rest_new = old[start:], new[start:]
    end = _common(rest_old, rest_new, lambda t, n: t[len(t) - n:])
    return rest_old[:len(rest_old) - end], rest_new[:len(rest_new) - end], start


def _common(a: str, b: str, part) -> int:
    """The length of the longest common prefix (or suffix, by ``part``) of two texts, by
    bisection: slices compare in C, so a line of megabytes costs milliseconds."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if part(a, mid) == part(b, mid):
            low = mid
        else:
            high = mid - 1
    return low


def _clip(text: str, width: int = 80) -> str:
    flat = " ".join(text.split()) if text.strip() else repr(text)
    return flat if len(flat) <= width else flat[:width - 1] + "…"
