"""Scores of the tagger against gold files: mention detection with type, and linking.

A gold file (``NN_slug.gold.tsv``, see ../shared/samples/GUIDELINES.md) lists one mention a
line, ``type<TAB>surface<TAB>offset[<TAB>canonical]``, with offsets into the source page as
decoded (a CRLF line end counts two).  The TEI's names are mapped back to the same offsets
through the ``<?teipipe … source=… body-offset=…?>`` record.

A name that ends with an abbreviation (``Embassy of the <choice><abbr>GDR</abbr>
<expan>…</expan></choice>``) ends, as a mention, with the abbreviation: the expansion is the
translator's, and the names inside it are mentions of their own.

- **detection**: a TEI name counts when a gold mention has the same start, end and type;
  precision, recall and F1 per type and over all (micro-averaged);
- **linking**: of the gold mentions found with the right span and type whose canonical name
  is a register entry, the share whose ``@ref`` is that entry and nothing else.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..export.text import diplomatic
from ..files import raw_offset, read_source
from ..model import Abbreviation, Body, Bracketed, DateText, Inline, Name, Text
from ..tei.read import parse, read_tei, record
from .register import Register
from .segments import map_inlines

TYPES = ("person", "place", "org")
_OPEN, _CLOSE = "\ue000", "\ue001"


@dataclass(frozen=True)
class Mention:
    type: str
    start: int
    end: int
    surface: str
    canonical: str = ""
    ref: str | None = None


class GoldError(Exception):
    """A gold file that cannot be read; the message names the file and line."""


def read_gold(path: Path) -> list[Mention]:
    """The mentions of a gold file."""
    out = []
    with path.open(encoding="utf-8", newline="") as handle:
        for k, row in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if k == 1 and row[:3] == ["type", "surface", "offset"]:
                continue
            if len(row) < 3 or row[0] not in TYPES or not row[2].isdigit():
                raise GoldError(f"{path}:{k}: expected type<TAB>surface<TAB>offset"
                                f"[<TAB>canonical] with type {'|'.join(TYPES)}")
            start = int(row[2])
            canonical = row[3] if len(row) > 3 and row[3] else row[1].replace("’", "'")
            out.append(Mention(row[0], start, start + len(row[1]), row[1], canonical))
    return out


def tei_mentions(tei_path: Path) -> list[Mention]:
    """The names of a TEI file, with offsets into its source file as decoded."""
    tree = parse(tei_path)
    doc = read_tei(tree)
    rec = record(tree)
    raw = None
    if rec.get("line-ends", "lf") != "lf" and rec.get("source"):
        raw = read_source((tei_path.parent / rec["source"]).resolve()).raw
    base = int(rec.get("body-offset", "0") or 0)
    text, located = located_names(doc.body)
    out = []
    for start, end, node in located:
        a, b = base + start, base + end
        if raw is not None:
            a, b = raw_offset(raw, a), raw_offset(raw, b)
        out.append(Mention(node.type, a, b, text[start:end], ref=node.ref))
    return sorted(out, key=lambda m: (m.start, m.end))


def located_names(body: Body) -> tuple[str, list[tuple[int, int, Name]]]:
    """The document text and every name in it with its offsets in that text.

    The names are marked in the text with two private-use characters; a text that holds one
    of them itself (a scholar may use the private-use area for a special sign) is marked
    with two it does not hold."""
    names = _names(body)
    marks = (_OPEN, _CLOSE)
    marked = diplomatic(map_inlines(body, lambda content: _mark(content, marks)))
    if marked.count(_OPEN) != len(names) or marked.count(_CLOSE) != len(names):
        plain = diplomatic(body)
        free = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in plain)
        marks = (next(free), next(free))
        marked = diplomatic(map_inlines(body, lambda content: _mark(content, marks)))
    opening, closing = marks
    found = iter(names)
    text: list[str] = []
    at = 0  # the length of the text so far
    stack: list[tuple[int, Name]] = []
    out = []
    split = _MARKS if marks == (_OPEN, _CLOSE) else re.compile(f"([{opening}{closing}])")
    for piece in split.split(marked):  # pieces of text (maybe empty), each mark alone
        if piece == opening:
            stack.append((at, next(found)))
        elif piece == closing:
            start, node = stack.pop()
            out.append((start, at, node))
        else:
            text.append(piece)
            at += len(piece)
    return "".join(text), sorted(out, key=lambda x: (x[0], x[1]))


_MARKS = re.compile(f"([{_OPEN}{_CLOSE}])")


def _mark(content: tuple[Inline, ...], marks: tuple[str, str]) -> tuple[Inline, ...]:
    opening, closing = marks
    out: list[Inline] = []
    for node in content:
        if isinstance(node, Name):
            out.append(Text(opening))
            inner = _mark(node.content, marks)
            last = inner[-1] if inner else None
            if isinstance(last, Abbreviation):
                # "Embassy of the GDR [German Democratic Republic]": the expansion is the
                # translator's, not part of the name as printed; the name ends with the
                # abbreviation (names inside the expansion count on their own)
                out.extend(inner[:-1])
                out.append(replace(last, abbr=last.abbr + (Text(closing),)))
            else:
                out.extend(inner)
                out.append(Text(closing))
        elif isinstance(node, Abbreviation):
            out.append(Abbreviation(_mark(node.abbr, marks), node.space, Bracketed(
                "expansion", _mark(node.expansion.content, marks))))
        elif isinstance(node, Bracketed):
            out.append(Bracketed(node.kind, _mark(node.content, marks), node.n))
        elif isinstance(node, DateText):
            out.append(DateText(_mark(node.content, marks), node.when))
        else:
            out.append(node)
    return tuple(out)


def _names(body: Body) -> list[Name]:
    found: list[Name] = []

    def visit(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
        for node in content:
            if isinstance(node, Name):
                found.append(node)
                visit(node.content)  # a name that ends in an abbreviation holds its expansion
            elif isinstance(node, Abbreviation):
                visit(node.abbr)
                visit(node.expansion.content)
            elif isinstance(node, (Bracketed, DateText)):
                visit(node.content)
        return content

    map_inlines(body, visit)
    return found


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    """Counts per type, linking counts, and the errors (for reading, not for the figures)."""

    by_type: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})
    linked: int = 0  # gold mentions in the register, found, linked to that entry alone
    linkable: int = 0  # gold mentions in the register found with the right span and type
    in_register: int = 0  # gold mentions whose canonical name is in the register
    missed: list[tuple[str, Mention]] = field(default_factory=list)
    spurious: list[tuple[str, Mention]] = field(default_factory=list)
    mislinked: list[tuple[str, Mention, str]] = field(default_factory=list)

    @property
    def overall(self) -> Counts:
        c = Counts()
        for t in self.by_type.values():
            c.tp, c.fp, c.fn = c.tp + t.tp, c.fp + t.fp, c.fn + t.fn
        return c

    @property
    def linking(self) -> float:
        return self.linked / self.linkable if self.linkable else 0.0

    def add(self, name: str, gold: list[Mention], found: list[Mention],
            register: Register | None) -> None:
        predicted = {(m.type, m.start, m.end): m for m in found}
        expected = {(m.type, m.start, m.end): m for m in gold}
        for key, m in expected.items():
            hit = predicted.get(key)
            if hit is None:
                self.by_type[m.type].fn += 1
                self.missed.append((name, m))
            else:
                self.by_type[m.type].tp += 1
            eid = _entry_of(register, m) if register else None
            if eid is None:
                continue
            self.in_register += 1
            if hit is not None:
                self.linkable += 1
                if hit.ref == eid:
                    self.linked += 1
                else:
                    self.mislinked.append((name, m, hit.ref or "-"))
        for key, m in predicted.items():
            if key not in expected:
                self.by_type[m.type].fp += 1
                self.spurious.append((name, m))

    def as_data(self) -> dict:
        def counts(c: Counts) -> dict:
            return {"tp": c.tp, "fp": c.fp, "fn": c.fn, "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4), "f1": round(c.f1, 4)}
        return {"types": {t: counts(c) for t, c in self.by_type.items()},
                "overall": counts(self.overall),
                "linking": {"accuracy": round(self.linking, 4), "linked": self.linked,
                            "found": self.linkable, "in_register": self.in_register}}


def _entry_of(register: Register, m: Mention) -> str | None:
    ids = register.ids_named(m.canonical, m.type, include_short=False)
    preferred = [i for i in ids if register.entries[i].preferred == m.canonical]
    if len(preferred) == 1:
        return preferred[0]
    return ids[0] if len(ids) == 1 else None


def pair(golds: list[Path], teis: list[Path]) -> list[tuple[Path, Path]]:
    """Gold files and TEI files that belong together (``x.gold.tsv`` and ``x.xml``)."""
    by_stem = {p.name[:-len(".gold.tsv")]: p for p in golds if p.name.endswith(".gold.tsv")}
    if len(golds) == 1 and len(teis) == 1:
        return [(golds[0], teis[0])]
    return [(by_stem[t.stem], t) for t in teis if t.stem in by_stem]
