"""A validation report as people and CI systems read it: text, JSON, JUnit XML, GitHub.

Text groups the problems by file (``file:line:column: severity: message [code]`` and a hint
below each), shows at most ``limit`` problems of one rule in one file (the rest are counted,
``--all`` lists them), and ends with the summary.  The machine formats always hold every
problem.
"""

from __future__ import annotations

from itertools import groupby

from ..diagnostics import Diagnostic, Severity, as_github, as_json, as_junit, as_text
from .run import Report

FORMATS = ("text", "json", "junit", "github")


def summary_line(report: Report, infos_hidden: bool = False) -> str:
    s = report.summary()
    cached = f"; {s['from_cache']} unchanged since the last run" if s["from_cache"] else ""
    infos = sum(1 for d in report.diagnostics if d.severity == Severity.INFO)
    notes = (f"; {infos} note{'s' * (infos != 1)}" + (" (--all lists them)" if infos_hidden
                                                      else "")) if infos else ""
    return (f"{s['files']} file{'s' * (s['files'] != 1)} checked: {s['errors']} "
            f"error{'s' * (s['errors'] != 1)}, {s['warnings']} "
            f"warning{'s' * (s['warnings'] != 1)} in {s['files_with_problems']} "
            f"file{'s' * (s['files_with_problems'] != 1)}{cached}{notes}")


def render(report: Report, fmt: str, limit: int | None = 20) -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`); text ends with the summary line."""
    if fmt == "json":
        return as_json(report.diagnostics, report.summary())
    if fmt == "junit":
        return as_junit(report.diagnostics, report.files, suite="teipipe validate")
    if fmt == "github":
        return as_github(report.diagnostics)
    # Notes (such as register entries no document uses yet) are not problems: the text
    # counts them in the summary and lists them only when asked for everything.
    shown = [d for d in report.diagnostics if limit is None or d.severity != Severity.INFO]
    blocks = [_file_block(group, limit) for _file, group in groupby(shown, key=lambda d: d.file)]
    return "\n\n".join(blocks + [summary_line(report, infos_hidden=limit is not None)])


def _file_block(diagnostics, limit: int | None) -> str:
    shown: list[Diagnostic] = []
    per_code: dict[str, int] = {}
    for d in diagnostics:
        per_code[d.code] = per_code.get(d.code, 0) + 1
        if limit is None or per_code[d.code] <= limit:
            shown.append(d)
    text = as_text(shown)
    hidden = {code: n - limit for code, n in per_code.items() if limit is not None and n > limit}
    for code, n in sorted(hidden.items()):
        text += (f"\n... and {n} more [{code}] in {shown[0].file or 'this run'} "
                 "(--all lists them)")
    return text
