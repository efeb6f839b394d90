"""Layer 4, part 1: the Schematron rules (schema/teipipe.sch), with lxml's ISO Schematron.

Each failed assertion's ``@id`` is its code; its text is the message.  The SVRL report gives
the place as an XPath, which is evaluated on the tree to get the element, its line and column.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree, isoschematron

from ..diagnostics import Diagnostic
from . import SCHEMA_DIR
from .codes import RULES, diagnostic
from .xmlfile import XmlFile

SVRL = "http://purl.oclc.org/dsdl/svrl"


@lru_cache(maxsize=None)
def _schematron() -> isoschematron.Schematron:
    return isoschematron.Schematron(etree.parse(str(SCHEMA_DIR / "teipipe.sch")),
                                    store_report=True)


def check_schematron(f: XmlFile) -> list[Diagnostic]:
    assert f.tree is not None
    sch = _schematron()
    if sch.validate(f.tree):
        return []
    out: list[Diagnostic] = []
    for failed in sch.validation_report.iter(f"{{{SVRL}}}failed-assert",
                                             f"{{{SVRL}}}successful-report"):
        code = failed.get("id", "")
        if code not in RULES:
            code = "V399"
        text = " ".join("".join(failed.itertext()).split())
        hits = f.tree.xpath(failed.get("location", "/*"))
        el = hits[0] if hits and isinstance(hits[0], etree._Element) else None
        out.append(diagnostic(code, text, file=f.shown,
                              line=el.sourceline if el is not None else None,
                              column=f.column(el) if el is not None else None))
    return out
