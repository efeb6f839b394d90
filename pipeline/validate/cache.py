"""Results of unchanged files, kept between runs: validation is the command run most.

A file's result (its diagnostics of all four layers and its facts for the corpus rules) is
stored under a key made of everything it depends on: the file's bytes and its name, the bytes
of the source page its record names (for the fidelity check), the project schemas and the
Schematron, tei_all, the pruning, the validator's options and the code of the pipeline
itself.  Change any of these and the file is validated again; the corpus rules always run.

One small JSON file per key, under ``$TEIPIPE_CACHE/validate/`` (default
``.cache/teipipe/validate``): concurrent runs cannot corrupt each other, and deleting the
folder is always safe.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict
from pathlib import Path

from .. import __version__
from ..assets import TEI_ALL, cache_dir
from ..diagnostics import Diagnostic, Severity
from ..files import write_atomic
from . import SCHEMA_DIR
from .prune import PRUNE_VERSION

_SOURCE = re.compile(rb'<\?teipipe [^?]*?\bsource="([^"]*)"')
PIPELINE = Path(__file__).resolve().parents[1]


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


class ResultCache:
    def __init__(self, folder: Path | None = None):
        self.folder = folder or cache_dir() / "validate"

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[str, list[Diagnostic], dict] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            return data["kind"], [_diagnostic(d) for d in data["diagnostics"]], data["facts"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, kind: str, diagnostics: list[Diagnostic], facts: dict) -> None:
        items = [dict(asdict(d), severity=int(d.severity)) for d in diagnostics]
        data = json.dumps({"kind": kind, "diagnostics": items, "facts": facts},
                          ensure_ascii=False)
        try:
            write_atomic(self._path(key), data.encode("utf-8"))
        except OSError:
            pass  # a read-only cache only costs speed


def _diagnostic(item: dict) -> Diagnostic:
    return Diagnostic(item["code"], Severity(item["severity"]), item["message"], item["file"],
                      item["line"], item["column"], item["hint"])
