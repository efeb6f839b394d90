"""Typed diagnostics: every problem the pipeline finds is data, not a print.

A :class:`Diagnostic` has a stable code (``W104``), a severity, the file and line it concerns,
what is wrong and how to fix it.  Converters and checks return them; only the CLI prints them,
in one of the formats below, and the worst severity sets the exit status.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import IntEnum
from typing import Iterable


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Diagnostic:
    """One problem: ``file:line:column: severity: message [code]`` plus a hint to fix it."""

    code: str
    severity: Severity
    message: str
    file: str = ""
    line: int | None = None
    column: int | None = None
    hint: str = ""

    def where(self) -> str:
        parts = [self.file or "-"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def format(self) -> str:
        """The one-line form: ``tei/x.xml:12:5: error: what is wrong [E201]``."""
        return f"{self.where()}: {self.severity}: {self.message} [{self.code}]"

    def with_file(self, file: str) -> "Diagnostic":
        return Diagnostic(self.code, self.severity, self.message, file, self.line, self.column,
                          self.hint)


def error(code: str, message: str, *, line: int | None = None, column: int | None = None,
          hint: str = "", file: str = "") -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, file, line, column, hint)


def warning(code: str, message: str, *, line: int | None = None, column: int | None = None,
            hint: str = "", file: str = "") -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, file, line, column, hint)


def info(code: str, message: str, *, line: int | None = None, hint: str = "",
         file: str = "") -> Diagnostic:
    return Diagnostic(code, Severity.INFO, message, file, line, None, hint)


def worst(diagnostics: Iterable[Diagnostic]) -> Severity | None:
    return max((d.severity for d in diagnostics), default=None)


def exit_status(diagnostics: Iterable[Diagnostic], strict: bool = False) -> int:
    """0 when all is well, 1 on any error (and, with ``strict``, on any warning)."""
    return status_for(worst(diagnostics), strict)


def status_for(level: Severity | None, strict: bool = False) -> int:
    """The exit status for the worst severity seen (see :func:`exit_status`)."""
    if level is None or level == Severity.INFO:
        return 0
    if level == Severity.ERROR or strict:
        return 1
    return 0


# ----------------------------------------------------------------------------- formats


def as_text(diagnostics: Iterable[Diagnostic], hints: bool = True) -> str:
    lines = []
    for d in diagnostics:
        lines.append(d.format())
        if hints and d.hint:
            lines.append(f"    hint: {d.hint}")
    return "\n".join(lines)


def as_json(diagnostics: Iterable[Diagnostic], summary: dict | None = None) -> str:
    items = []
    for d in diagnostics:
        item = asdict(d)
        item["severity"] = str(d.severity)
        items.append(item)
    return json.dumps({"diagnostics": items, "summary": summary or {}}, ensure_ascii=False,
                      indent=1)


def as_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands: one ``::error file=..,line=..::`` line a problem."""
    out = []
    for d in diagnostics:
        kind = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(d.severity, "notice")
        props = [f"file={d.file}"] if d.file else []
        if d.line is not None:
            props.append(f"line={d.line}")
        if d.column is not None:
            props.append(f"col={d.column}")
        props.append(f"title={d.code}")
        text = d.message + (f" (hint: {d.hint})" if d.hint else "")
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        out.append(f"::{kind} {','.join(props)}::{text}")
    return "\n".join(out)


def as_junit(diagnostics: Iterable[Diagnostic], files: Iterable[str],
             suite: str = "teipipe") -> str:
    """JUnit XML: one test case per file, failing with its errors (warnings as output)."""
    from xml.sax.saxutils import quoteattr  # here: it imports urllib, 40 ms of every start
    by_file: dict[str, list[Diagnostic]] = {f: [] for f in files}
    for d in diagnostics:
        by_file.setdefault(d.file, []).append(d)
    failures = sum(1 for ds in by_file.values() if any(d.severity == Severity.ERROR for d in ds))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuite name={quoteattr(suite)} tests="{len(by_file)}" failures="{failures}">']
    for name, ds in by_file.items():
        out.append(f'  <testcase classname={quoteattr(suite)} name={quoteattr(name)}>')
        errors = [d for d in ds if d.severity == Severity.ERROR]
        if errors:
            body = "\n".join(d.format() + (f"\n    hint: {d.hint}" if d.hint else "")
                             for d in errors)
            out.append(f'    <failure message={quoteattr(errors[0].message)}>'
                       f'{_escape(body)}</failure>')
        rest = [d for d in ds if d.severity != Severity.ERROR]
        if rest:
            out.append(f'    <system-out>{_escape(as_text(rest))}</system-out>')
        out.append('  </testcase>')
    out.append('</testsuite>')
    return "\n".join(out) + "\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
