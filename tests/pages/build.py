#!/usr/bin/env python3
"""Build the project's own test pages and gold annotations from their masters.

A master (``NN_slug.src``) holds front matter and the text of one page with entity markers:
``{p:Surface}``, ``{l:Surface}``, ``{o:Surface}``, optionally ``{p:Surface=Canonical Name}``, and
``{U+00A0}`` for a character given by its code point (see README.md).  Building one writes

* ``NN_slug.txt``       the page, markers removed, in its declared encoding and line ends;
* ``NN_slug.gold.tsv``  ``type surface offset canonical``, offsets 0-based into the page as
                        decoded (a CRLF line end counts as two characters);

and ``MANIFEST.tsv`` (one row per page).  Masters under ``seeds/`` annotate the repository's
seed cables: their text must equal ``source/<name>.txt`` exactly; only the gold file is written.

Every file is read back from disk and every offset checked.  ``--check`` writes nothing and
fails when a file on disk differs from what its master gives (the test suite runs this).
Standard library only.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED_GOLD = ROOT.parent / "shared" / "samples"

TYPES = {"p": "person", "l": "place", "o": "org"}
ESCAPE = re.compile(r"\{U\+([0-9A-Fa-f]{4,6})\}")
MARKER = re.compile(r"\{([plo]):([^{}=\n]+)(?:=([^{}\n]+))?\}")
KEYS = ("kind", "layout", "encoding", "line_ends", "title", "date_iso", "archive",
        "translator", "classification", "summary")
SEED_KEYS = ("source", "title", "summary")
LAYOUTS = ("standard", "staging", "partial")
CODECS = {"utf-8": "utf-8", "windows-1252": "cp1252"}
COLUMNS = ("file", "kind", "layout", "encoding", "line_ends", "title", "date_iso", "archive",
           "translator", "classification", "mentions")
GOLD_HEADER = "type\tsurface\toffset\tcanonical"
FUNDER = "This document was made possible with support from "
# Lines that open a page's closing sections (standard and staging layouts).
CLOSING = ("Associated Places", "Author(s):")


@dataclass(frozen=True)
class Mention:
    type: str
    surface: str
    offset: int  # into the LF text
    canonical: str


@dataclass(frozen=True)
class Master:
    path: Path
    meta: dict[str, str]
    text: str  # the page with LF line ends
    mentions: tuple[Mention, ...]

    @property
    def is_seed(self) -> bool:
        return self.path.parent.name == "seeds"


def read_master(path: Path) -> Master:
    raw = path.read_text(encoding="utf-8")
    head, sep, body = raw.partition("\n---\n")
    if not raw.startswith("---\n") or not sep:
        raise ValueError("front matter must stand between two '---' lines")
    meta = {}
    for line in head[4:].split("\n"):
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    wanted = SEED_KEYS if path.parent.name == "seeds" else KEYS
    if not set(wanted) <= set(meta):
        raise ValueError(f"front matter lacks {', '.join(sorted(set(wanted) - set(meta)))}")
    body = ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), body.removesuffix("\n"))
    out, mentions, pos = [], [], 0
    for m in MARKER.finditer(body):
        out.append(body[pos:m.start()])
        offset = sum(map(len, out))
        kind, surface, canonical = m.groups()
        mentions.append(Mention(TYPES[kind], surface, offset,
                                canonical or surface.replace("\u2019", "'")))
        out.append(surface)
        pos = m.end()
    out.append(body[pos:])
    text = "".join(out)
    if "{" in text or "}" in text:
        at = text.find("{") if "{" in text else text.find("}")
        raise ValueError(f"malformed marker near {text[max(0, at - 20):at + 30]!r}")
    return Master(path, meta, text, tuple(mentions))


def document_zone(master: Master) -> tuple[int, int]:
    """Where the document text lies: after the funder line (else the title line), up to the
    summary (else the closing sections, else the end of a cut-off page)."""
    text, meta = master.text, master.meta
    lines = text.split("\n")
    starts = [sum(len(ln) + 1 for ln in lines[:k]) for k in range(len(lines))]
    title = [k for k, ln in enumerate(lines) if ln == meta["title"]]
    if len(title) != 1:
        raise ValueError("the title from front matter must be exactly one line of the page")
    first = title[0] + 1
    funder = next((k for k in range(first, len(lines)) if lines[k].strip()), None)
    if funder is not None and lines[funder].startswith(FUNDER):
        first = funder + 1
    start = starts[first] if first < len(lines) else len(text)
    if meta.get("layout") == "partial":
        return start, len(text)
    if meta["summary"]:
        ends = [k for k in range(first, len(lines)) if lines[k].startswith(meta["summary"])]
    else:
        ends = [k for k in range(first, len(lines)) if lines[k] in CLOSING][:1]
    if len(ends) != 1:
        raise ValueError("the summary opening (or, without one, a closing label) must start "
                         "exactly one line after the title")
    return start, starts[ends[0]]


def document_text(master: Master) -> str:
    """The document text of a page (LF line ends), without the blank lines around it."""
    start, end = document_zone(master)
    return master.text[start:end].strip(" \t\n")


def page_errors(master: Master) -> list[str]:
    """The annotation rules a script can check (GUIDELINES.md sections 1, 4 and 6)."""
    errors = []
    start, end = document_zone(master)
    text = master.text
    for m in master.mentions:
        where = f"{m.type} {m.surface!r} at {m.offset}"
        after = m.offset + len(m.surface)
        if not start <= m.offset < after <= end:
            errors.append(f"{where}: outside the document text")
        if m.surface != m.surface.strip() or "\t" in m.surface:
            errors.append(f"{where}: outer space or tab in the surface")
        if text[m.offset - 1:m.offset].isalnum() or text[after:after + 1].isalnum():
            errors.append(f"{where}: starts or ends inside a word")
        if re.search(r"['\u2019]s$", m.surface):
            errors.append(f"{where}: a possessive 's stays outside")
        if m.surface.count("[") != m.surface.count("]"):
            errors.append(f"{where}: unbalanced brackets in the surface")
        if any(c in m.canonical for c in "[]\t\u2019"):
            errors.append(f"{where}: canonical name with a bracket, tab or typographic quote")
    wanted = SEED_KEYS if master.is_seed else KEYS
    if set(master.meta) != set(wanted):
        errors.append(f"front matter keys must be exactly {', '.join(wanted)}")
    if not master.is_seed:
        if not 1500 <= len(text) <= 6000:
            errors.append(f"page has {len(text)} characters; 1,500-6,000 wanted")
        if master.meta["layout"] not in LAYOUTS or master.meta["encoding"] not in CODECS \
                or master.meta["line_ends"] not in ("lf", "crlf"):
            errors.append("layout, encoding or line_ends has a value build.py does not know")
        if master.meta["layout"] == "staging" and "\n\n" in text:
            errors.append("the staging layout has single line breaks only")
    return errors


def render(master: Master) -> tuple[bytes | None, str]:
    """The page's bytes (None for a seed) and its gold file, offsets in the decoded page."""
    text, crlf = master.text, master.meta.get("line_ends") == "crlf"
    rows = [GOLD_HEADER]
    for m in master.mentions:
        offset = m.offset + (text.count("\n", 0, m.offset) if crlf else 0)
        rows.append(f"{m.type}\t{m.surface}\t{offset}\t{m.canonical}")
    gold = "\n".join(rows) + "\n"
    if master.is_seed:
        return None, gold
    final = text.replace("\n", "\r\n") if crlf else text
    return final.encode(CODECS[master.meta["encoding"]]), gold


def page_path(master: Master) -> Path:
    if master.is_seed:
        return ROOT / master.meta["source"]
    return master.path.with_suffix(".txt")


def decoded_page(master: Master) -> str:
    data = page_path(master).read_bytes()
    return data.decode(CODECS.get(master.meta.get("encoding", "utf-8"), "utf-8"))


def verify_on_disk(master: Master) -> list[str]:
    """Read the written files back as a user would and check every offset."""
    errors = []
    page = decoded_page(master)
    expected = master.text.replace("\n", "\r\n") if master.meta.get("line_ends") == "crlf" \
        else master.text
    if page != expected:
        errors.append(f"{page_path(master).name} is not the master's text")
    if master.meta.get("encoding") == "windows-1252":
        if b"\x85" not in page_path(master).read_bytes():
            errors.append("a windows-1252 page should hold byte 0x85 (…)")
    gold = master.path.with_suffix(".gold.tsv").read_text(encoding="utf-8").split("\n")
    if gold[0] != GOLD_HEADER or gold[-1] != "":
        errors.append("gold file: bad header or no final newline")
    for number, row in enumerate(gold[1:-1], start=2):
        kind, surface, offset, canonical = row.split("\t")
        if page[int(offset):int(offset) + len(surface)] != surface:
            errors.append(f"gold line {number}: {surface!r} is not at offset {offset}")
    return errors


def canonical_types(gold_files: list[Path]) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for path in gold_files:
        for row in path.read_text(encoding="utf-8").split("\n")[1:]:
            if row:
                kind, _surface, _offset, canonical = row.split("\t")
                seen.setdefault(canonical, set()).add(kind)
    return seen


def corpus_errors(masters: list[Master]) -> list[str]:
    """One type per canonical name across our pages and the shared samples."""
    ours: dict[str, set[str]] = {}
    for master in masters:
        for m in master.mentions:
            ours.setdefault(m.canonical, set()).add(m.type)
    theirs = canonical_types(sorted(SHARED_GOLD.glob("*.gold.tsv")))
    return [f"canonical {name!r} has types {sorted(kinds | theirs.get(name, set()))}"
            for name, kinds in sorted(ours.items()) if len(kinds | theirs.get(name, set())) > 1]


def manifest(masters: list[Master]) -> str:
    rows = ["\t".join(COLUMNS)]
    for master in masters:
        if not master.is_seed:
            values = dict(master.meta, file=master.path.stem + ".txt",
                          mentions=str(len(master.mentions)))
            rows.append("\t".join(values[c] for c in COLUMNS))
    return "\n".join(rows) + "\n"


def masters() -> list[Master]:
    found = []
    for path in sorted(HERE.glob("[0-9][0-9]_*.src")) + sorted((HERE / "seeds").glob("*.src")):
        try:
            found.append(read_master(path))
            document_zone(found[-1])
        except ValueError as exc:
            raise ValueError(f"{path.name}: {exc}") from None
    return found


def outputs(all_masters: list[Master]) -> dict[Path, bytes]:
    """Every file the masters give, by path."""
    files: dict[Path, bytes] = {HERE / "MANIFEST.tsv": manifest(all_masters).encode("utf-8")}
    for master in all_masters:
        data, gold = render(master)
        if data is not None:
            files[master.path.with_suffix(".txt")] = data
        files[master.path.with_suffix(".gold.tsv")] = gold.encode("utf-8")
    return files


def check(all_masters: list[Master]) -> list[str]:
    """All problems: rules, stale or hand-edited files, offsets on disk."""
    errors = corpus_errors(all_masters)
    for master in all_masters:
        errors += [f"{master.path.name}: {e}" for e in page_errors(master)]
    for path, data in outputs(all_masters).items():
        if not path.exists() or path.read_bytes() != data:
            errors.append(f"{path.relative_to(HERE)} is not what its master gives: "
                          "run python3 tests/pages/build.py")
    for master in all_masters:
        errors += [f"{master.path.name}: {e}" for e in verify_on_disk(master)]
    return errors


def main(argv: list[str]) -> int:
    try:
        all_masters = masters()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if "--check" not in argv:
        for path, data in outputs(all_masters).items():
            path.write_bytes(data)
    errors = check(all_masters)
    for error in errors:
        print(error, file=sys.stderr)
    count = sum(len(m.mentions) for m in all_masters)
    print(f"{len(all_masters)} masters, {count} mentions, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
