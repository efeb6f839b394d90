"""Passes: named, ordered ``Document -> Document`` steps between the reader and the writer.

Like docutils' transforms, each pass has a name and a priority (0-999, lower runs first) and
is a pure function of the document and a :class:`Context` (the things a pass may consult,
such as the authority register).  :func:`run` applies them in order and records which ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .diagnostics import Diagnostic
from .model import Document

PassFn = Callable[[Document, "Context"], tuple[Document, list[Diagnostic]]]


@dataclass(frozen=True)
class Pass:
    name: str
    priority: int
    apply: PassFn
    doc: str = ""


@dataclass
class Context:
    """What passes may read: settings and shared resources, loaded once per run."""

    settings: dict[str, Any] = field(default_factory=dict)
    resources: dict[str, Any] = field(default_factory=dict)


def default_passes() -> list[Pass]:
    """The default pipeline, in the order it runs.  A new pass is one line here."""
    passes: list[Pass] = []
    return sorted(passes, key=lambda p: (p.priority, p.name))


def run(doc: Document, passes: list[Pass], context: Context,
        ) -> tuple[Document, list[Diagnostic], list[str]]:
    """Apply ``passes`` in order; return the document, diagnostics and the names applied."""
    notes: list[Diagnostic] = []
    applied: list[str] = []
    for p in passes:
        doc, found = p.apply(doc, context)
        notes.extend(found)
        applied.append(p.name)
    return doc, notes, applied
