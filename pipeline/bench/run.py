"""The benchmark: every stage of the pipeline on one synthetic corpus, and the field's tools.

    python -m pipeline.bench [--docs 2000] [--out build/bench] [--jobs 0] [--time-limit 600]

Generates ``--docs`` pages (:mod:`.corpus`) into ``OUT/corpus-N/source`` with the register,
then runs, each as a fresh process in that folder (its own cache folder, the set-up assets
linked in) once what ran before is on disk, and measures (:mod:`.measure`):

- ``teipipe convert`` (register tagging, no statistical recognizer), on 1 core and on all,
  each from nothing, then again with nothing changed;
- the statistical recognizer (spaCy) on its own: conversions of a sample with it, with an
  empty cache of its answers and with a full one;
- ``teipipe validate`` (all four layers, without its result cache), 1 core and all, then
  again with the cache; ``teipipe export html`` and ``export text``, 1 core and all, then
  again with nothing changed; both editions and the review of names in one run, as ``make
  all`` makes them; ``teipipe entities review`` alone; ``teipipe deposit`` (BagIt and DSpace
  SAF, from nothing: without what an export keeps for it, :mod:`pipeline.deposit.facts_store`);
- ``make all`` on the unchanged corpus, and after one page changed;
- jing (one JVM, and one JVM per core side by side) and xmllint validating against tei_all,
  and Saxon-HE running ``document.xsl`` (:mod:`.tools`), on the same files, in the same run;
- memory against the number of files: the stages of ``make all`` again, on all cores, on a
  tenth of the corpus (its first pages: the generator appends), and the growth of the largest
  process's peak per page between the two sizes (:meth:`Bench.growth`).

A stage's earlier output is renamed aside before it is measured from nothing, and deleted
after the last measurement (see :meth:`Bench.clean`).

Prints a table and writes everything to ``OUT/results-N.json`` and ``OUT/results.json``.
Wall times depend on what else the machine does: the load average is recorded with them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .. import native
from ..assets import TEI_ALL, cache_dir, path_of
from ..entities.gazetteer import prepare as prepare_gazetteer
from ..entities.register import load_register
from . import corpus as corpus_mod
from . import tools
from .measure import Measure, mb, run

ROOT = Path(__file__).resolve().parents[2]
TEIPIPE = str(Path(sys.executable).with_name("teipipe"))
NER_SAMPLE = 100
#: Cache entries that are results of runs, not set-up assets: never shared with the bench.
RUN_STATE = ("ner", "builds", "bench", "export", "validate.json", "validate.sqlite")
#: The stages of ``make all`` measured again on a smaller corpus for the growth of memory
#: with the number of files (by the start of the stage's name), each with what it makes:
#: removed before it runs, as in :meth:`Bench.stages`.
SCALED = (("convert (register tagging)", ("tei", "cache/builds")),
          ("validate (4 layers)", ()),
          ("export html + text", ("build/html", "build/text", "cache/builds")),
          ("deposit (both, one run)", ("build/deposit", "build/deposit.zip", "build/dspace-saf",
                                       "build/dspace-saf.zip", "cache/builds")))
#: Growth of a process's peak memory per page (KB) up to which it counts as not growing
#: with the number of files: 0.5 MB per 1,000 pages.
FLAT_KB_PER_PAGE = 0.5


@dataclass
class Row:
    """One line of the results: a stage, how it ran, what it took."""

    stage: str
    jobs: str  # "1", "all (N)" or "-"
    docs: int
    measure: Measure
    note: str = ""

    def as_data(self) -> dict:
        m = self.measure
        return {"stage": self.stage, "jobs": self.jobs, "docs": self.docs,
                "docs_per_s": round(self.docs / m.wall, 1) if m.wall and self.docs else None,
                **m.as_data(), "note": self.note}


class Bench:
    """One corpus and the rows measured on it."""

    def __init__(self, folder: Path, docs: int, jobs: int, time_limit: float):
        self.folder = folder
        self.docs = docs
        self.jobs = jobs or os.cpu_count() or 1
        self.time_limit = time_limit
        self.rows: list[Row] = []
        self.tools: dict[str, Row] = {}  # the field's tools' rows, by tool name
        self.trash = folder / ".trash"  # earlier output, moved aside until the end
        self.notes: list[str] = []
        self.env = dict(os.environ, TEIPIPE_CACHE=str(folder / "cache"), PYTHONHASHSEED="0")

    # ------------------------------------------------------------------ running

    def measure(self, stage: str, command: list[str], jobs: str = "-", docs: int | None = None,
                note: str = "", timeout: float | None = None) -> Row:
        """Run ``command`` in the corpus folder and add its row.

        What earlier commands wrote is first flushed to disk (``sync``, not timed): the
        kernel writes dirty pages back some 30 s after they were made, and on two cores that
        writing would be timed with the next stage (``make all`` follows deposits that
        wrote ~0.6 GB of archives at 10,000 pages).  What the command writes itself is
        written back while it runs, as it would be for a user."""
        os.sync()
        m = run(command, self.folder, self.env, timeout)
        if m.status not in (0, None) and not note:
            note = f"exit {m.status}"
        row = Row(stage, jobs, self.docs if docs is None else docs, m, note)
        self.rows.append(row)
        print(_line(row), flush=True)
        if m.status not in (0, 1, None):
            print("    " + "\n    ".join(m.stderr.strip().splitlines()[-5:]), flush=True)
        return row

    def both(self, stage: str, command: list[str], clean: tuple[str, ...] = ()) -> None:
        """The stage on 1 core and on all, each from nothing (``clean``: what to remove)."""
        for jobs in (1, self.jobs):
            self.clean(*clean)
            self.measure(stage, [*command, "-j", str(jobs)],
                         "1" if jobs == 1 else f"all ({jobs})")

    def clean(self, *paths: str) -> None:
        """Move what an earlier run made out of the way, so that the next stage starts from
        nothing; it is deleted at the end (:meth:`empty_trash`), not now.

        On ext4 without a journal (this bench's machine) making files soon after many were
        deleted costs much more system time: the kernel passes over the recently freed
        inodes.  Deleting just before a stage measured that, not the stage (export html on
        10,000 pages: 52.4 s right after a deletion, 39.4 s with the old output renamed).
        A rename within the folder is one metadata operation.
        """
        for rel in paths:
            path = self.folder / rel
            if path.exists() or path.is_symlink():
                self.trash.mkdir(exist_ok=True)
                path.rename(self.trash / f"{sum(1 for _ in self.trash.iterdir())}-{path.name}")

    def empty_trash(self) -> None:
        """Delete what :meth:`clean` moved aside, once nothing is measured any more."""
        if self.trash.is_dir():
            shutil.rmtree(self.trash)

    # ------------------------------------------------------------------ set-up

    def prepare(self) -> None:
        register, _notes = load_register(ROOT / "source" / "register.xml")
        start = time.perf_counter()
        corpus_mod.generate(self.folder / "source", self.docs, register)
        shutil.copyfile(ROOT / "source" / "register.xml", self.folder / "source" / "register.xml")
        shutil.copyfile(ROOT / "edition.toml", self.folder / "edition.toml")
        if (ROOT / "schema").is_dir():
            shutil.copytree(ROOT / "schema", self.folder / "schema", dirs_exist_ok=True)
        size = sum(p.stat().st_size for p in (self.folder / "source").glob("*.txt"))
        print(f"corpus: {self.docs} pages, {size / 2**20:.1f} MB, in {self.folder} "
              f"({time.perf_counter() - start:.1f} s to generate)", flush=True)
        link_assets(cache_dir(), self.folder / "cache")
        # as `make setup` leaves it: the first convert timed must not build the gazetteer
        # (a few seconds, once per change of the code), which the later ones then find
        prepare_gazetteer(self.folder / "source" / "register.xml",
                          self.folder / "cache" / "gazetteer")
        self.clean("cache/ner", "cache/builds", "cache/export", "cache/validate.sqlite")

    # ------------------------------------------------------------------ the stages

    def stages(self) -> None:
        self.both("convert (register tagging)",
                  [TEIPIPE, "convert", "source", "-o", "tei", "--no-ner", "-q"],
                  clean=("tei", "cache/builds"))
        self.measure("convert, nothing changed", [TEIPIPE, "convert", "source", "-o", "tei",
                                                  "--no-ner", "-q"], f"all ({self.jobs})")
        self.recognizer()
        if self.has("validate"):
            self.both("validate (4 layers)", [TEIPIPE, "validate", "tei", "source/register.xml",
                                              "--no-cache", "--format", "json", "-o",
                                              "validate.json"])
            warm = [TEIPIPE, "validate", "tei", "source/register.xml", "--format", "json", "-o",
                    "validate.json"]
            self.measure("validate, filling its cache", warm, f"all ({self.jobs})")
            self.measure("validate, nothing changed", warm, f"all ({self.jobs})")
        for kind in ("html", "text"):
            if self.has("export", kind):
                command = [TEIPIPE, "export", kind, "tei", "-o", f"build/{kind}"]
                if "-j" in self.help("export", kind):
                    self.both(f"export {kind}", command, clean=(f"build/{kind}", "cache/builds"))
                else:
                    self.clean(f"build/{kind}")
                    self.measure(f"export {kind}", command, "1", note="no --jobs")
                self.measure(f"export {kind}, nothing changed", command, f"all ({self.jobs})")
        if "--text-output" in self.help("export", "html"):
            # as `make all` runs it: both editions and the review of names from one reading
            review = ["--review-output", "build/entities-review.tsv", "--review-format", "tsv"] \
                if "--review-output" in self.help("export", "html") else []
            self.both("export html + text" + (" + review" if review else "") + ", one pass",
                      [TEIPIPE, "export", "html", "tei", "-o", "build/html", "--text-output",
                       "build/text", *review],
                      clean=("build/html", "build/text", "cache/builds"))
        self.both("entities review", [TEIPIPE, "entities", "review", "tei", "--format", "tsv",
                                      "-o", "build/entities-review.tsv"], clean=("cache/builds",))
        self.measure("deposit (BagIt + zip)", [TEIPIPE, "deposit", "-o", "build/deposit",
                                               "--archive", "zip"], "1")
        self.measure("deposit (DSpace SAF + zip)", [TEIPIPE, "deposit", "--format", "dspace-saf",
                                                    "-o", "build/dspace-saf", "--archive",
                                                    "zip"], "1")
        # from nothing, like the two rows above (the packages and their records go first)
        self.clean("build/deposit", "build/deposit.zip", "build/dspace-saf",
                   "build/dspace-saf.zip", "cache/builds")
        self.measure("deposit (both, one run)", [TEIPIPE, "deposit", "--format", "bagit",
                                                 "--format", "dspace-saf", "--archive", "zip"],
                     "1")
        self.make_all()

    def recognizer(self) -> None:
        """spaCy on its own: a sample converted with an empty and with a full answer cache."""
        from ..entities.recognizer import available
        if not available():
            self.notes.append("spaCy is not installed (pip install '.[ner]'): recognizer "
                              "not measured")
            return
        sample = self.folder / "ner-sample"
        self.clean("ner-sample", "ner-tei", "cache/ner")
        sample.mkdir()
        pages = sorted((self.folder / "source").glob("*.txt"))[:NER_SAMPLE]
        for page in pages:
            shutil.copyfile(page, sample / page.name)
        command = [TEIPIPE, "convert", "ner-sample", "-o", "ner-tei", "--register",
                   "source/register.xml", "-q", "--rebuild"]
        for jobs in (1, self.jobs):
            self.clean("cache/ner")
            self.measure("convert + spaCy, empty cache", [*command, "-j", str(jobs)],
                         "1" if jobs == 1 else f"all ({jobs})", len(pages))
        self.measure("convert + spaCy, cached answers", [*command, "-j", str(self.jobs)],
                     f"all ({self.jobs})", len(pages))

    def make_all(self) -> None:
        """``make all`` as a user runs it (without the statistical recognizer, measured on
        its own): from nothing, on the unchanged corpus, and after one page changed."""
        if not shutil.which("make"):
            self.notes.append("make is not installed: make all not measured")
            return
        command = ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "all",
                   f"VENV={Path(sys.executable).parent.parent}", "NER=--no-ner"]
        self.clean("tei", "build", "cache/builds", "cache/export")
        self.measure("make all, from nothing", command, f"all ({self.jobs})")
        self.measure("make all, nothing changed", command, f"all ({self.jobs})")
        page = sorted((self.folder / "source").glob("*.txt"))[0]
        data = page.read_bytes()
        page.write_bytes(data.replace(b"Skip to content", b"Skip to content ", 1))
        try:
            self.measure("make all, one page changed", command, f"all ({self.jobs})")
        finally:
            page.write_bytes(data)

    def field_tools(self) -> None:
        schema = path_of(TEI_ALL)  # where set-up fetched it (the user's cache)
        files = [f"tei/{p.name}" for p in sorted((self.folder / "tei").glob("*.xml"))]
        self.clean("saxon")
        (self.folder / "saxon").mkdir()
        every = [tools.jing(schema.resolve(), files)]
        if self.jobs > 1:
            every.append(tools.jing_all_cores(schema.resolve(), files, self.jobs))
        every += [tools.xmllint(schema.resolve(), files), tools.saxon("tei", "saxon")]
        for tool in every:
            if tool.command is None:
                self.notes.append(f"{tool.name} is not installed ({tool.missing}): skipped")
                print(f"  {tool.name}: not installed ({tool.missing}), skipped", flush=True)
                continue
            limit = self.time_limit if tool.name == "xmllint" else None
            row = self.measure(tool.what, tool.command, "tool", timeout=limit)
            if row.measure.status not in (0, None):  # the corpus is valid TEI: a tool failed
                said = (row.measure.stderr.strip().splitlines() or [""])[-1]
                self.notes.append(f"{tool.name} failed (exit {row.measure.status}: {said}): "
                                  "no ratio against it")
                continue
            self.tools[tool.name] = row
            if tool.name == "xmllint" and row.measure.timed_out:
                row.docs = tools.xmllint_checked(row.measure.stderr)
                row.note = f"stopped at the {self.time_limit:.0f} s limit: {row.docs} files " \
                           "checked by then"

    # ------------------------------------------------------------------ memory and size

    def scaled(self, small: Bench) -> None:
        """The stages of :data:`SCALED` as they ran here, again in ``small`` (a corpus of
        fewer pages), with the same commands, on all cores where they were run so."""
        small.prepare()
        every = f"all ({self.jobs})"
        for start, made in SCALED:
            rows = [r for r in self.rows if r.stage.startswith(start)]
            if rows:  # the run on all cores, if the stage has one (the deposit has not)
                row = next((r for r in rows if r.jobs == every), rows[-1])
                small.clean(*made)
                small.measure(row.stage, row.measure.command, row.jobs)

    def growth(self, small: Bench) -> dict[str, dict]:
        """For each stage measured at both sizes: the peak memory of its largest process at
        each, and how much it grew per page between them (KB); "flat" when that is at most
        :data:`FLAT_KB_PER_PAGE`.  The largest process, not the tree: the tree's sum grows
        with the number of cores, not of files, and each process is what must fit."""
        out = {}
        for row in small.rows:
            big = next((r for r in self.rows if r.stage == row.stage and r.jobs == row.jobs),
                       None)
            if big is None or big.docs <= row.docs or big.measure.status or row.measure.status:
                continue
            low, high = row.measure.peak_rss_process, big.measure.peak_rss_process
            per_page = (high - low) / 1024 / (big.docs - row.docs)
            out[row.stage] = {"pages": [row.docs, big.docs],
                              "peak_rss_process_mb": [mb(low), mb(high)],
                              "kb_per_page": round(per_page, 2),
                              "flat": per_page <= FLAT_KB_PER_PAGE}
        return out

    # ------------------------------------------------------------------ helpers

    def help(self, *command: str) -> str:
        m = run([TEIPIPE, *command, "--help"], self.folder, self.env)
        return m.stdout if m.status == 0 else ""

    def has(self, *command: str) -> bool:
        return bool(self.help(*command))

    def ratios(self) -> dict[str, float]:
        """Ours over theirs, as speed (their time / our time: above 1, we are faster).

        Wall time on all cores against the tool as usually run (jing: one JVM) and against
        jing on all cores (one JVM per core); and CPU time against jing, which says how the
        work itself compares whatever the number of cores each side used.
        """
        def ours(stage: str) -> Row | None:
            every = f"all ({self.jobs})"
            return next((r for r in self.rows if r.stage == stage and r.jobs == every and
                         not r.measure.timed_out and r.measure.status in (0, 1)), None)
        out = {}
        pairs = [("validate (4 layers) vs jing", "validate (4 layers)", "jing"),
                 ("validate (4 layers) vs jing on all cores", "validate (4 layers)",
                  "jing-all"),
                 ("validate (4 layers) vs xmllint", "validate (4 layers)", "xmllint"),
                 ("export html vs Saxon-HE", "export html", "saxon")]
        for label, stage, name in pairs:
            mine, row = ours(stage), self.tools.get(name)
            if mine is None or row is None:
                continue
            if row.measure.timed_out:
                if row.docs:  # their rate on what they finished, over ours
                    out[label] = round((self.docs / (row.docs / row.measure.wall)) /
                                       mine.measure.wall, 2)
                continue
            out[label] = round(row.measure.wall / mine.measure.wall, 2)
            if name == "jing" and mine.measure.cpu:
                out["validate (4 layers) vs jing, CPU time"] = round(
                    row.measure.cpu / mine.measure.cpu, 2)
        return out


def link_assets(source: Path, target: Path) -> None:
    """Link the set-up files of teipipe's cache (schemas, scripts) into another cache."""
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if not path.is_file() or rel.parts[0] in RUN_STATE or rel.name.startswith("."):
            continue
        link = target / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(path.resolve())


def machine() -> dict:
    """What the figures were measured on."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    except (OSError, IndexError):
        pass
    return {"cores": os.cpu_count(), "cpu": model, "memory": memory,
            "system": platform.platform(),  # which build of Python: they differ by a fifth
            "python": f"{platform.python_version()} ({os.path.realpath(sys.executable)})",
            "compiled": _compiled(), "load_average": [round(v, 2) for v in os.getloadavg()]}


def _compiled() -> str:
    """Whether the converter ran compiled (``make compile``): the figures depend on it."""
    if native.stale():
        return "no: compiled modules older than their sources, the sources ran"
    count = len(native.compiled())
    return f"yes ({count} of {len(native.MODULES)} modules, mypyc)" if count else "no"


def _line(row: Row) -> str:
    m = row.measure
    rate = f"{row.docs / m.wall:9.1f}" if m.wall and row.docs else " " * 9
    return (f"  {row.stage:48} {row.jobs:>9} {m.wall:8.2f} s {rate} docs/s "
            f"{m.cpu:8.1f} s CPU {m.peak_rss_tree / 2**20:7.0f} MB RSS "
            f"{m.peak_pss_tree / 2**20:6.0f} MB PSS  {row.note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000, help="pages to generate")
    parser.add_argument("--out", type=Path, default=Path("build/bench"))
    parser.add_argument("--jobs", type=int, default=0, help="'all cores' (default: all)")
    parser.add_argument("--time-limit", type=float, default=600,
                        help="seconds xmllint may take before it is stopped")
    args = parser.parse_args(argv)
    folder = (args.out / f"corpus-{args.docs}").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    bench = Bench(folder, args.docs, args.jobs, args.time_limit)
    started = machine()
    print(f"{started['cores']} cores, {started['cpu']}, load average "
          f"{started['load_average']}; converter compiled: {started['compiled']}", flush=True)
    bench.prepare()
    print(f"  {'stage':48} {'jobs':>9} {'wall':>10} {'rate':>16} {'CPU':>12} "
          f"{'peak RSS (tree)':>14} {'PSS':>9}", flush=True)
    small = Bench(folder.with_name(f"corpus-{args.docs // 10}"), args.docs // 10, args.jobs,
                  args.time_limit)
    try:
        bench.stages()
        bench.field_tools()
        if small.docs:
            print(f"memory against size: the stages of make all on {small.docs} pages",
                  flush=True)
            bench.scaled(small)
    finally:
        bench.empty_trash()
        small.empty_trash()
    ratios = bench.ratios()
    for label, ratio in ratios.items():
        print(f"  {label}: ours is {ratio:.2f}x as fast", flush=True)
    growth = bench.growth(small)
    for stage, grew in growth.items():
        (low, high), (few, many) = grew["peak_rss_process_mb"], grew["pages"]
        print(f"  memory, {stage}: largest process {low:.0f} MB at {few} pages, {high:.0f} MB "
              f"at {many}: {grew['kb_per_page']:+.2f} KB per page "
              f"({'flat' if grew['flat'] else 'grows'})", flush=True)
    for note in bench.notes:
        print(f"  note: {note}", flush=True)
    results = {"docs": args.docs, "machine": started,
               "load_average_after": [round(v, 2) for v in os.getloadavg()],
               "rows": [row.as_data() for row in bench.rows], "ratios": ratios,
               "smaller_rows": [row.as_data() for row in small.rows],
               "memory_growth": growth, "notes": bench.notes}
    data = json.dumps(results, indent=1) + "\n"
    (args.out / f"results-{args.docs}.json").write_text(data, encoding="utf-8")
    (args.out / "results.json").write_text(data, encoding="utf-8")
    print(f"results: {args.out / f'results-{args.docs}.json'}", flush=True)
    return 0
