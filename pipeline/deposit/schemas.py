"""The official METS and OAI-PMH Dublin Core schemas, loaded offline.

The schemas import one another by their canonical web addresses (METS imports the METS
XLink schema from loc.gov, ``oai_dc.xsd`` imports DCMI's ``simpledc20021212.xsd``, which
imports W3C's ``xml.xsd``).  Parsing never goes to the network: a resolver answers those
addresses with the copies ``teipipe setup`` fetched, pinned and checksum-checked, from PyPI
(see :mod:`pipeline.assets`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..assets import (METS, METS_XLINK, OAI_DC, SIMPLE_DC, XML_XSD, AssetError, asset_dir,
                      path_of)

#: Canonical schema address -> the asset that holds that schema.
LOCATIONS = {
    "http://www.loc.gov/standards/xlink/xlink.xsd": METS_XLINK,
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": SIMPLE_DC,
    "http://www.w3.org/2001/03/xml.xsd": XML_XSD,
    "http://www.w3.org/2001/xml.xsd": XML_XSD,
}


class _Offline(etree.Resolver):
    """Answers the schemas' imports from the local copies; refuses anything else."""

    def __init__(self, fetch: bool):
        super().__init__()
        self.fetch = fetch

    def resolve(self, url, pubid, context):  # noqa: ANN001 (lxml's signature)
        asset = LOCATIONS.get(url)
        if asset is None:
            return None
        return self.resolve_filename(str(path_of(asset, fetch=self.fetch)), context)


@dataclass(frozen=True)
class Schemas:
    mets: etree.XMLSchema
    oai_dc: etree.XMLSchema


def load(fetch: bool = False) -> Schemas:
    """Both schemas, compiled (once per process and cache folder); :class:`AssetError` when
    they are not set up."""
    return _load(fetch, asset_dir().resolve())


@lru_cache(maxsize=None)
def _load(fetch: bool, _cache: Path) -> Schemas:
    return Schemas(_schema(path_of(METS, fetch=fetch), fetch),
                   _schema(path_of(OAI_DC, fetch=fetch), fetch))


def _schema(path: Path, fetch: bool) -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    parser.resolvers.add(_Offline(fetch))
    try:
        return etree.XMLSchema(etree.parse(str(path), parser))
    except etree.XMLSchemaParseError as exc:
        raise AssetError(f"{path.name} does not compile: {exc}") from None


def problems(schema: etree.XMLSchema, root: etree._Element) -> list[str]:
    """Why ``root`` is not valid against ``schema`` (empty when it is), one line each."""
    if schema.validate(root):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
