"""Passes: named, ordered ``Document -> Document`` steps between the reader and the writer.

Like docutils' transforms, each pass has a name and a priority (0-999, lower runs first) and
is a pure function of the document and a :class:`Context` (the things a pass may consult,
such as the authority register).  :func:`run` applies them in order and records which ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
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
    """The default pipeline, in the order it runs.  A new pass is one line in
    :func:`_default_passes`."""
    return list(_default_passes())


@lru_cache(maxsize=1)
def _default_passes() -> tuple[Pass, ...]:
    """The passes, made and put in order once per process (a batch asks for them for each
    page it converts)."""
    from .entities.tagger import entities_pass
    passes: list[Pass] = [entities_pass()]
    return tuple(sorted(passes, key=lambda p: (p.priority, p.name)))


def load_context(settings: dict[str, Any]) -> Context:
    """The context of a run: ``settings`` and the resources they name, loaded once.

    ``register``: path of the authority register (no tagging without one); ``ner``: use the
    statistical recognizer when it is installed; ``cache``: folder for its cached answers.
    """
    resources: dict[str, Any] = {}
    if settings.get("register"):
        from pathlib import Path

        from .entities.tagger import RESOURCE, load
        cache = settings.get("cache")
        resources[RESOURCE] = load(Path(settings["register"]), bool(settings.get("ner", True)),
                                   Path(cache) if cache else None)
    return Context(dict(settings), resources)


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
