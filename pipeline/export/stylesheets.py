"""The HTML edition's XSLT stylesheets (``xslt/``), each compiled once per process.

Kept apart from :mod:`.html` so that the summaries (:mod:`.summary`), which render each
document's share of the entries' pages, can use them too.
"""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

XSLT_DIR = Path(__file__).with_name("xslt")


@functools.lru_cache(maxsize=None)
def stylesheet(name: str) -> etree.XSLT:
    """A compiled stylesheet of ``xslt/``: it may read its own imports, nothing else."""
    tree = etree.parse(str(XSLT_DIR / name))
    return etree.XSLT(tree, access_control=etree.XSLTAccessControl.DENY_ALL)


__all__ = ["XSLT_DIR", "stylesheet"]
