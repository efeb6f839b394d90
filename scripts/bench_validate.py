"""Benchmark: `teipipe validate` (all four layers) against jing's tei_all check, same files.

    python scripts/bench_validate.py [--files 1000] [--jobs 0] [--keep DIR]

Generates a corpus deterministically: the test edition's cable (tests/valid/, valid in all
four layers, about the size of a real cable) copied N times under new names, with its ids
renamed and its source page beside it, plus the register.  Then, in one run, times:

- jing (Debian package) validating every file against the same tei_all.rng, in one call;
- `teipipe validate` cold (an empty result cache; tei_all set up, as after `teipipe setup`);
- `teipipe validate` warm (nothing changed), and warm with one file changed;
- the one-off costs inside teipipe: compiling the full tei_all with lxml (what the pruning
  avoids), the pruned tei_all, the project schema and the Schematron.

Prints files per second for each.  Every run is a fresh process, as a user runs it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"
PAGE = ROOT / "tests" / "valid" / "pages" / "1967-01-23_test-cable.txt"
REGISTER = ROOT / "tests" / "valid" / "register.xml"
DOC_ID = "d1967-01-23_test-cable"


def make_corpus(folder: Path, n: int) -> list[Path]:
    """``n`` cables in ``folder``/tei, their pages in ``folder``/source, the register."""
    tei, source = folder / "tei", folder / "source"
    tei.mkdir(parents=True)
    source.mkdir()
    text = TEMPLATE.read_text(encoding="utf-8").replace('source="pages/', 'source="../source/')
    page = PAGE.read_bytes()
    files = []
    for k in range(n):
        stem = f"1967-01-23_test-cable-{k:05d}"
        (source / f"{stem}.txt").write_bytes(page)
        path = tei / f"{stem}.xml"
        path.write_text(text.replace(DOC_ID, f"d{stem}").replace(
            "pages/1967-01-23_test-cable.txt", f"{stem}.txt").replace(
            "../source/1967-01-23_test-cable.txt", f"../source/{stem}.txt"), encoding="utf-8")
        files.append(path)
    shutil.copy(REGISTER, source / "register.xml")
    return files


def timed(cmd: list[str], cwd: Path,
          env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, done


def one_off_costs(env: dict[str, str]) -> str:
    """Compile times, measured in a fresh interpreter."""
    code = """
import time
t = time.perf_counter()
from lxml import etree
from pipeline.assets import path_of
from pipeline.validate import conformance, schema, schematron
full = etree.parse(str(path_of(fetch=False)))
t0 = time.perf_counter(); etree.RelaxNG(full); full_s = time.perf_counter() - t0
t0 = time.perf_counter(); conformance.grammar_for(frozenset()); pruned_s = time.perf_counter() - t0
t0 = time.perf_counter(); schema.project_schema("document"); schema.project_schema("register")
xsd_s = time.perf_counter() - t0
t0 = time.perf_counter(); schematron._schematron(); sch_s = time.perf_counter() - t0
print(f"  lxml: full tei_all {full_s:.2f} s; pruned tei_all {pruned_s * 1000:.0f} ms; "
      f"project schemas (xmlschema, incl. import) {xsd_s:.2f} s; Schematron {sch_s * 1000:.0f} ms")
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    return done.stdout.rstrip() or done.stderr.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=0, help="teipipe's workers (0: all cores)")
    parser.add_argument("--keep", type=Path, help="generate the corpus here and keep it")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from pipeline.assets import path_of
    from pipeline.validate.conformance import prepare

    tei_all = path_of(fetch=False).resolve()
    pruned = prepare().resolve()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-validate-"))
    try:
        files = make_corpus(work, args.files)
        cache = work / "cache"
        cache.mkdir()
        shutil.copy(tei_all, cache)
        shutil.copy(pruned, cache)  # as `teipipe setup` leaves it
        env = dict(os.environ, TEIPIPE_CACHE=str(cache), PYTHONPATH=str(ROOT))
        teipipe = [sys.executable, "-m", "pipeline.cli", "validate", "tei", "source/register.xml",
                   "-j", str(args.jobs), "--format", "json", "-o", str(work / "report.json")]
        n = len(files) + 1
        print(f"{n} files ({len(files)} cables of {TEMPLATE.stat().st_size // 1024} KB and the "
              f"register), {os.cpu_count()} cores")
        rows = []
        jing = shutil.which("jing")
        if jing:
            seconds, done = timed([jing, str(tei_all), *[str(f) for f in files],
                                   str(work / "source" / "register.xml")], work, env)
            rows.append(("jing, tei_all only", seconds, done.returncode))
        else:
            print("  jing is not installed (scripts/system-deps.sh installs it): no comparison")
        seconds, done = timed(teipipe, work, env)
        rows.append(("teipipe validate, cold (4 layers)", seconds, done.returncode))
        seconds, done = timed(teipipe, work, env)
        rows.append(("teipipe validate, warm (unchanged)", seconds, done.returncode))
        first = files[0]
        first.write_text(first.read_text(encoding="utf-8").replace(
            "(the language of the original)", "(the original language)"), encoding="utf-8")
        seconds, done = timed(teipipe, work, env)
        rows.append(("teipipe validate, warm (1 file changed)", seconds, done.returncode))
        for name, seconds, status in rows:
            print(f"  {name:42} {seconds:6.2f} s  {n / seconds:8.0f} files/s  (exit {status})")
        print(one_off_costs(env))
        if jing:
            ratio = rows[0][1] / rows[1][1]
            warm = rows[0][1] / rows[2][1]
            print(f"  cold teipipe is {ratio:.2f}x jing's speed; warm {warm:.1f}x")
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
