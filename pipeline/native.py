"""The converter's hot modules, optionally compiled to C with mypyc (``make compile``).

Converting a page is flat pure Python: reading the page, tagging names, writing TEI, spread
over many small functions with no hot spot left to rewrite.  mypyc compiles these modules as
they are (their type hints become C types) and cuts the CPU time of ``teipipe convert`` by
about a quarter (1,000 generated pages on one core), with byte-identical TEI.  Nothing else
changes: without a C compiler, or without ``make compile``, the same modules run as Python.

Python imports a module's compiled form in place of the ``.py`` beside it, so a compiled
module built before its source last changed would run old code.  :func:`check_fresh` (run
when :mod:`pipeline` is imported) refuses that instead of converting with stale code.
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent

#: The modules ``make compile`` builds (paths relative to the project folder).
MODULES = tuple(f"pipeline/{name}.py" for name in (
    "entities/matcher", "entities/segments", "entities/rules", "entities/tagger",
    "entities/context", "entities/resolve", "entities/pairs",
    "convert/page", "convert/blocks", "convert/inlines", "convert/header", "convert/dates",
    "tei/write",
))


def compiled() -> list[tuple[Path, Path]]:
    """The compiled modules present, as (compiled file, its source) pairs."""
    found = []
    for module in MODULES:
        source = PACKAGE.parent / module
        for suffix in EXTENSION_SUFFIXES:
            built = source.with_suffix(suffix)
            if built.exists():
                found.append((built, source))
    return found


def stale() -> list[Path]:
    """Compiled modules older than their source (``make compile`` builds them again)."""
    return [built for built, source in compiled()
            if built.stat().st_mtime < source.stat().st_mtime]


def check_fresh() -> None:
    """Stop with a clear message when a compiled module is older than its source."""
    old = stale()
    if old:
        raise ImportError(f"{old[0]} is older than its source and would run old code: run "
                          "`make compile` again (or `make clean-native` to run the sources)")
