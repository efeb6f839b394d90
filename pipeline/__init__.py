"""teipipe: archive document pages into a scholarly TEI edition.

The flow runs one way: source text -> :class:`~pipeline.model.Document` -> passes -> TEI ->
checks -> editions.  This module is the public API; the CLI (:mod:`pipeline.cli`) is a thin
layer over it.
"""

__version__ = "0.1.0"
