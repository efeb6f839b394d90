"""The tools a TEI project would otherwise use, run on the benchmark's corpus beside teipipe.

- **jing** (Debian ``jing``): the reference RELAX NG validator, on tei_all, every file in
  one call (one JVM: how it is usually run; the JVM's compiler and collector threads give it
  a little more than one core), and again with the files split evenly among one JVM per core
  run side by side (:func:`jing_all_cores`): jing has no option to use more cores, and
  teipipe's figure on all cores should be set against jing's on all cores too;
- **xmllint** (Debian ``libxml2-utils``): libxml2's RELAX NG validation on tei_all, every
  file in one call.  libxml2 compiles tei_all slowly and validates its interleaves slowly,
  so it runs under a time limit; the files it had checked by then are counted;
- **Saxon-HE** (Debian ``libsaxonhe-java``): the edition's own ``document.xsl`` (the
  stylesheet ``teipipe export html`` runs for each document page) on every TEI file, one
  JVM for the whole corpus (Saxon's folder mode).

A tool that is not installed is skipped with a note; ``scripts/system-deps.sh`` installs
them (``make bench`` runs it).
"""

from __future__ import annotations

import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

SAXON_JARS = (Path("/usr/share/java/Saxon-HE.jar"),)
DOCUMENT_XSL = Path(__file__).resolve().parents[1] / "export" / "xslt" / "document.xsl"


@dataclass(frozen=True)
class Tool:
    """A tool's command for a corpus, or why it cannot run."""

    name: str
    what: str  # what it does, for the table
    command: list[str] | None
    missing: str = ""  # how to install it, when it is not installed


def jing(schema: Path, files: list[str]) -> Tool:
    found = shutil.which("jing")
    what = "jing: tei_all (RELAX NG) only"
    if not found:
        return Tool("jing", what, None, "apt-get install jing")
    return Tool("jing", what, [found, str(schema), *files])


def jing_all_cores(schema: Path, files: list[str], jobs: int) -> Tool:
    """jing on ``jobs`` slices of ``files`` at once, one JVM each (``xargs -P``)."""
    found = shutil.which("jing")
    what = f"jing on all cores: {jobs} JVMs side by side"
    if not found or not shutil.which("xargs"):
        return Tool("jing-all", what, None, "apt-get install jing")
    per_jvm = max(1, -(-len(files) // jobs))
    script = (f'printf "%s\\0" "$@" | xargs -0 -P {jobs} -n {per_jvm} '
              f'{shlex.quote(found)} {shlex.quote(str(schema))}')
    return Tool("jing-all", what, ["sh", "-c", script, "sh", *files])


def xmllint(schema: Path, files: list[str]) -> Tool:
    found = shutil.which("xmllint")
    what = "xmllint: tei_all (RELAX NG) only"
    if not found:
        return Tool("xmllint", what, None, "apt-get install libxml2-utils")
    return Tool("xmllint", what, [found, "--noout", "--relaxng", str(schema), *files])


def saxon(tei_dir: str, out_dir: str) -> Tool:
    java = shutil.which("java")
    jar = next((j for j in SAXON_JARS if j.is_file()), None)
    what = "Saxon-HE: document.xsl on every file (one JVM)"
    if not java or jar is None:
        return Tool("saxon", what, None, "apt-get install libsaxonhe-java")
    return Tool("saxon", what, [java, "-jar", str(jar), f"-s:{tei_dir}",
                                f"-xsl:{DOCUMENT_XSL}", f"-o:{out_dir}"])


def xmllint_checked(stderr: str) -> int:
    """How many files xmllint had finished (it says "NAME validates" or "NAME fails to
    validate" for each)."""
    return sum(1 for line in stderr.splitlines()
               if line.endswith(" validates") or line.endswith(" fails to validate"))
