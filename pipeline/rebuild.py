"""``dataclasses.replace``, made in compiled code.

The converter and the tagger make changed copies of the model's objects a few dozen times
per document (a paragraph with its names put in, a header with its parties linked).
:func:`dataclasses.replace` is Python code that looks up the class's fields and checks each
of them at every call; compiled (``make compile``), :func:`replaced` looks the fields up
once per class and costs a fifth as much.  It makes the very same object: the class called
with every field, the changed ones from ``changes``, the others as they were.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any, Final, TypeVar

T = TypeVar("T")

#: Per class, the names of its fields in the order its ``__init__`` takes them; empty for a
#: class whose fields are not all positional arguments of ``__init__`` (left to ``replace``).
_FIELDS: Final[dict[type, tuple[str, ...]]] = {}


def replaced(obj: T, **changes: Any) -> T:
    """``dataclasses.replace(obj, **changes)`` (see the module docstring)."""
    cls = type(obj)
    names = _FIELDS.get(cls)
    if names is None:
        every = fields(cls)  # type: ignore[arg-type]
        names = _FIELDS[cls] = tuple(f.name for f in every) \
            if all(f.init and not f.kw_only for f in every) else ()
    values: list[Any] = []
    used = 0
    for name in names:
        if name in changes:
            values.append(changes[name])
            used += 1
        else:
            values.append(getattr(obj, name))
    if not names or used != len(changes):  # a field it cannot set: replace says why
        return replace(obj, **changes)  # type: ignore[type-var]
    return cls(*values)
