"""teipipe: archive document pages into a scholarly TEI edition.

The flow runs one way: source text -> :class:`~pipeline.model.Document` -> passes -> TEI ->
checks -> editions.  This module is the public API; the CLI (:mod:`pipeline.cli`) is a thin
layer over it.
"""

from .native import use_fresh

__version__ = "0.1.0"

use_fresh()  # a compiled module older than its source would run old code (see .native)
