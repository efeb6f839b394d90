"""Deposit packages: the edition made ready for institutional repositories.

A repository manager must be able to ingest the edition without hand work, so everything a
repository needs is derived from what the edition already says:

- :mod:`.edition` gathers the edition's files (TEI, source pages, register, schema, HTML and
  text editions) and its edition-level metadata (``edition.toml``);
- :mod:`.dublin_core` derives each document's Dublin Core from its ``teiHeader``;
- :mod:`.mets` ties a document's files together with their checksums; both records are
  written as text by :mod:`.xmltext`, in the bytes lxml writes for them;
- :mod:`.bag` writes a BagIt 1.0 bag, :mod:`.saf` a DSpace Simple Archive Format batch,
  :mod:`.archive` and :mod:`.zipped` their reproducible zip/tar serializations (the
  archive of a package that another follows written beside it: :mod:`.background`);
- :mod:`.fixity`, :mod:`.facts` and :mod:`.staged` make a deposit after a change cheap:
  each file is read and hashed once, what is known of unchanged files (checksums, a TEI
  file's header) is remembered, and files the last package already holds are taken over;
  :mod:`.facts_store` holds what the HTML export, which has just read each TEI file, saw of
  it, so that a deposit after an export need not read the files again;
- :mod:`.verify` checks a bag's completeness and every checksum;
- :mod:`.schemas` validates METS and Dublin Core against the official schemas.

Every output is deterministic: the same edition gives the same bytes, whenever it is built,
and a package made after a change is the one a deposit from nothing would make.
"""

from importlib import import_module

#: The package's public names and the module each lives in.  They are imported when first
#: asked for (PEP 562), not with the package: the HTML and text exports read
#: ``edition.toml`` through :mod:`.edition` and must not pay for loading the bag, SAF and
#: verify modules (a tenth of a second of every export's start).
_PUBLIC = {"Edition": "edition", "collect": "edition", "build_bag": "bag",
           "build_saf": "saf", "verify": "verify"}

__all__ = ["Edition", "build_bag", "build_saf", "collect", "verify"]


def __getattr__(name: str) -> object:
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
