"""Results of unchanged files, kept between runs: validation is the command run most.

A file's result (its diagnostics of all four layers and its facts for the corpus rules) is
stored under a key made of everything it depends on: the file's bytes and its name, the bytes
of the source page its record names (for the fidelity check), the project schemas and the
Schematron, tei_all, the pruning, the validator's options and the code of the pipeline
itself.  Change any of these and the file is validated again; the corpus rules always run.

The results live in one JSON file, ``$TEIPIPE_CACHE/validate.json`` (default
``.cache/teipipe/validate.json``), read once at the start of a run and written once at its
end (atomically, merged with what other runs wrote meanwhile, so that concurrent runs lose
at most some entries, never the file).  Deleting it is always safe.  It keeps the most
recently used :data:`MAX_ENTRIES` results.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..assets import TEI_ALL, cache_dir
from ..diagnostics import Diagnostic, Severity
from ..files import write_atomic
from . import SCHEMA_DIR
from .prune import PRUNE_VERSION

_SOURCE = re.compile(rb'<\?teipipe [^?]*?\bsource="([^"]*)"')
PIPELINE = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=None)
def salt(options: str) -> str:
    """A digest of everything that is not the file but decides its result."""
    h = hashlib.sha256()
    for part in (__version__, TEI_ALL.sha256, PRUNE_VERSION, options):
        h.update(part.encode() + b"\0")
    for path in sorted(PIPELINE.rglob("*.py")) + sorted(SCHEMA_DIR.iterdir()):
        h.update(path.relative_to(PIPELINE).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def file_key(salt_: str, shown: str, path: Path, data: bytes) -> str:
    """The key of one file's result (reads the source page its record names, if any)."""
    h = hashlib.sha256(salt_.encode() + b"\0" + shown.encode() + b"\0")
    h.update(hashlib.sha256(data).digest())
    m = _SOURCE.search(data, 0, 4096)
    if m:
        source = path.parent / m.group(1).decode("utf-8", "replace")
        try:
            h.update(b"source\0" + hashlib.sha256(source.read_bytes()).digest())
        except OSError:
            h.update(b"no source\0")
    return h.hexdigest()


MAX_ENTRIES = 50_000


class ResultCache:
    """The results of earlier runs, by key; :meth:`save` writes what this run added."""

    def __init__(self, path: Path | None = None):
        self.path = path or cache_dir() / "validate.json"
        self.entries = self._read()
        self.used: dict[str, dict] = {}

    def _read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, key: str) -> tuple[str, list[Diagnostic], dict] | None:
        entry = self.entries.get(key)
        try:
            found = entry["kind"], [_diagnostic(d) for d in entry["diagnostics"]], entry["facts"]
        except (TypeError, KeyError, ValueError):
            return None
        self.used[key] = entry
        return found

    def put(self, key: str, kind: str, diagnostics: list[Diagnostic], facts: dict) -> None:
        items = [dict(asdict(d), severity=int(d.severity)) for d in diagnostics]
        self.used[key] = {"kind": kind, "diagnostics": items, "facts": facts}

    def save(self) -> None:
        """Write the entries of this run last (most recently used), after the others'."""
        merged = {k: v for k, v in self._read().items() if k not in self.used}
        merged.update(self.used)
        kept = dict(list(merged.items())[-MAX_ENTRIES:])
        try:
            write_atomic(self.path, json.dumps(kept, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass  # a read-only cache only costs speed


def _diagnostic(item: dict) -> Diagnostic:
    return Diagnostic(item["code"], Severity(item["severity"]), item["message"], item["file"],
                      item["line"], item["column"], item["hint"])
