"""`teipipe validate`: is the edition's TEI what it should be?

Four layers, in this order, on every file, and all problems of all files in one run:

1. the file (:mod:`.xmlfile`): readable, not too large, no DOCTYPE, well-formed, a TEI root;
2. the project schema (:mod:`.schema`): schema/teipipe.xsd for documents, schema/register.xsd
   for the register, libxml2 deciding and xmlschema explaining; a document passes in two
   parts where it can, like tei_all: the file, and each distinct register entry once
   (:mod:`.schema_parts`);
3. TEI conformance (:mod:`.conformance`): the official TEI P5 tei_all RELAX NG schema, pruned
   to the elements the file uses so that it compiles in milliseconds (:mod:`.prune`), and
   passed in two parts where it can: the file, and each distinct register entry once
   (:mod:`.outline`);
4. the rules (:mod:`.schematron`, :mod:`.checks`, :mod:`.fidelity`, :mod:`.corpus`):
   Schematron for what XPath 1 says, Python for the rest, the corpus and the source.
   The Python checks share one walk of the tree (:mod:`.index`); the fidelity check reads
   the text straight from the tree when it can (:mod:`.body_text`).

A document is first read hollow (:mod:`.hollow`): its standOff's register entries cut out of
its bytes, each distinct entry checked once per run; that verdict stands only when the file
has nothing to report, otherwise the file goes through the four layers whole, so what is
reported is always what the whole file gives.

:mod:`.codes` is the table of rules; :mod:`.run` runs the layers (in parallel, with a cache
of results of unchanged files) and :mod:`.cache` keeps that cache.
"""

from pathlib import Path

#: The project schemas and the Schematron (``pipeline/schema`` links to the repository's
#: ``schema/`` folder, so that an installed teipipe carries them).
SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"
