"""The converter's hot modules, optionally compiled to C with mypyc (``make compile``).

Converting a page is flat pure Python: reading the page, tagging names, writing TEI, spread
over many small functions with no hot spot left to rewrite.  mypyc compiles these modules as
they are (their type hints become C types) and cuts the CPU time of ``teipipe convert`` by
about a quarter (1,000 generated pages on one core), with byte-identical TEI.  The
validator's two Python walks of each file (:mod:`pipeline.validate.index`, and
:mod:`pipeline.validate.body_text` for the fidelity check) are compiled too, with its quick
first pass that cuts a document's entries out of its bytes (:mod:`pipeline.validate.hollow`,
a sixteenth less CPU time for that pass) and its checks of dates and pointers
(:mod:`pipeline.validate.checks`, a tenth less for them), and so is the
HTML export's per-document work: the writer of document pages
(:mod:`pipeline.export.document_html`), the passages, summaries and pieces of the entries'
pages (:mod:`~pipeline.export.passages`, :mod:`~pipeline.export.summary`,
:mod:`~pipeline.export.register`, :mod:`~pipeline.export.html_pieces`) and the plain texts
(:mod:`pipeline.export.text`): a seventh less CPU time for these (the lxml calls they make
are most of the rest); and, for both editions, the TEI reader (:mod:`pipeline.tei.read`)
and the search index's writer and word split (:mod:`~pipeline.export.search`,
:mod:`~pipeline.export.words`); and the deposit's records of each document, made once per
package in its worker processes (:mod:`pipeline.deposit.dublin_core`,
:mod:`~pipeline.deposit.mets` and the writer of their text, :mod:`~pipeline.deposit.xmltext`):
a quarter less CPU time for making them, their schema checks aside (0.146 -> 0.106 ms per
document and DSpace package at 1,000 documents).  Nothing else
changes: without a C compiler, or without ``make compile``, the same modules run as Python.

mypyc makes C only of what it knows the type of, so these modules are written for it where
it counts: module-level constants are ``Final`` (kept in C, not looked up in the module's
dict at every use); classes made by the hundred per page have an ``__init__`` of their own
(the one :mod:`dataclasses` makes stays Python code, six times slower to call) and are plain
classes rather than named tuples (:class:`.entities.matcher.Token`); ``Counter``,
generators and ``re.search(pattern, ...)`` with a literal pattern (a Python look-up in re's
cache) are kept out of the loops.  ``perf record --call-graph dwarf`` shows the compiled
functions by name (``CPyDef_module___function``) where cProfile sees nothing.

Python imports a module's compiled form in place of the ``.py`` beside it, so a compiled
module built before its source last changed would run old code.  :func:`use_fresh` (run when
:mod:`pipeline` is imported) sees that, as Python sees a stale ``.pyc``, by the files'
modification times, and then imports every listed module from its source, with one line on
stderr saying so: the output is the same, only slower, and a scholar who edited the code (or
checked out another version) is not stopped.  All or none: compiled modules call one another
as C, so a compiled module beside a Python one of the same group is not safe.
"""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec
from importlib.util import spec_from_file_location
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent

#: The modules ``make compile`` builds (paths relative to the project folder).
MODULES = tuple(f"pipeline/{name}.py" for name in (
    "chars", "rebuild",
    "entities/matcher", "entities/segments", "entities/rules", "entities/tagger",
    "entities/context", "entities/resolve", "entities/pairs",
    "convert/page", "convert/blocks", "convert/inlines", "convert/header", "convert/dates",
    "tei/write", "tei/read",
    "validate/index", "validate/body_text", "validate/hollow", "validate/checks",
    "export/document_html", "export/passages", "export/html_pieces", "export/summary",
    "export/text", "export/register", "export/search",
    "export/words",
    "deposit/xmltext", "deposit/mets", "deposit/dublin_core",
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


class _Sources(MetaPathFinder):
    """Finds the listed modules' ``.py`` files, ahead of the compiled ones beside them."""

    def __init__(self) -> None:
        self.sources = {"pipeline." + m[len("pipeline/"):-3].replace("/", "."): m
                        for m in MODULES}

    def find_spec(self, name: str, path=None, target=None) -> ModuleSpec | None:
        module = self.sources.get(name)
        return spec_from_file_location(name, PACKAGE.parent / module) if module else None


def use_fresh() -> None:
    """Import the listed modules from their sources when any compiled one is stale."""
    old = stale()
    if old and not any(isinstance(f, _Sources) for f in sys.meta_path):
        sys.meta_path.insert(0, _Sources())
        print(f"teipipe: {old[0]} is older than its source: running the Python sources "
              "(slower, same output); `make compile` builds them again", file=sys.stderr)
