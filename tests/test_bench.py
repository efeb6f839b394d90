"""The benchmark's parts: the corpus generator and the measuring of a process tree.

(The benchmark's figures are never asserted here: speed is measured with `make bench`.)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from pipeline.batch import convert_many
from pipeline.bench import corpus, tools
from pipeline.bench.measure import Measure, run
from pipeline.bench.run import Bench, Row
from pipeline.entities.register import load_register
from pipeline.tei.read import parse, read_tei

from conftest import ROOT

REGISTER = ROOT / "source" / "register.xml"


@pytest.fixture(scope="module")
def register():
    return load_register(REGISTER)[0]


def test_the_corpus_is_the_same_every_time_and_grows_by_appending(tmp_path: Path,
                                                                    register) -> None:
    first = corpus.generate(tmp_path / "a", 25, register)
    again = corpus.generate(tmp_path / "b", 25, register)
    fewer = corpus.generate(tmp_path / "c", 10, register)
    assert [p.name for p in first] == [p.name for p in again]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, again))
    assert [p.name for p in fewer] == [p.name for p in first[:10]]
    assert len({p.name for p in first}) == 25  # every page its own file name


def test_regenerating_leaves_unchanged_pages_alone_and_drops_others(tmp_path: Path,
                                                                     register) -> None:
    pages = corpus.generate(tmp_path, 5, register)
    times = [p.stat().st_mtime_ns for p in pages]
    (tmp_path / "1999-01-01_left-over.txt").write_text("an older corpus", encoding="utf-8")
    corpus.generate(tmp_path, 5, register)
    assert [p.stat().st_mtime_ns for p in pages] == times
    assert sorted(tmp_path.glob("*.txt")) == sorted(pages)


def test_pages_are_of_every_kind_and_convert_without_errors(tmp_path: Path, register) -> None:
    pages = corpus.generate(tmp_path / "source", 20, register)
    settings = {"register": str(REGISTER), "register-sha256": "", "ner": False}
    results = convert_many(pages, tmp_path / "tei", settings=settings)
    assert all(r.status == "written" for r in results), [
        d.format() for r in results for d in r.diagnostics if d.severity >= 3]
    docs = [read_tei(parse(tmp_path / "tei" / f"{p.stem}.xml")) for p in pages]
    kinds = {d.header.doc_type for d in docs}
    assert {"cable", "telegram", "letter", "minutes", "report"} <= kinds
    tei = "".join((tmp_path / "tei" / f"{p.stem}.xml").read_text(encoding="utf-8")
                  for p in pages)
    for element in ("<persName ref=", "<placeName ref=", "<orgName ref=", "<list type=",
                    "<sp ", '<div type="section"', "<choice><abbr>", '<note type="gloss"',
                    "<gap ", 'type="translator" place="end"', "<pb "):
        assert element in tei, element


def test_a_process_tree_is_measured_to_its_children(tmp_path: Path) -> None:
    child = "import time; x = bytearray(80 * 2**20); time.sleep(0.5)"
    parent = ("import subprocess, sys; "
              f"subprocess.run([sys.executable, '-c', {child!r}]); print('done')")
    m = run([sys.executable, "-c", parent], tmp_path)
    assert m.status == 0 and m.stdout.strip() == "done"
    assert m.peak_rss_tree > 80 * 2**20  # the child's memory counts
    assert m.peak_rss_process > 80 * 2**20
    assert m.cpu > 0 and m.wall >= 0.5


def test_a_long_command_is_sampled_a_few_times_a_second(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Each sample makes the kernel walk the page tables of every process measured: sampled
    20 times a second, that took 7 % of a core beside a 1,000-page export.  The pauses
    grow, so a short command is still seen early on."""
    from pipeline.bench import measure
    seen: list[int] = []
    real = measure.memory
    monkeypatch.setattr(measure, "memory", lambda pid: seen.append(pid) or real(pid))
    m = run([sys.executable, "-c", "import time; time.sleep(2)"], tmp_path)
    assert m.status == 0 and m.peak_rss_process > 0
    assert 3 <= len(seen) <= 10  # at 0.05 s: ~40


def test_the_wall_time_ends_at_the_exit_not_at_the_next_sample(tmp_path: Path) -> None:
    """The samples come ever further apart (after 0.05, 0.15, 0.35, 0.75, 1.55 s, ...): a
    command that ends at 0.8 s must not be timed at the 1.55 s sample (the bench's wall
    times were rounded up so, by up to half a second and more).  The command writes the
    time it ends, so a loaded machine, which makes it end later, does not fail the test."""
    ended = tmp_path / "ended"
    started = time.time()
    m = run(["sh", "-c", f"sleep 0.8; date +%s.%N > {ended}"], tmp_path)
    took = float(ended.read_text()) - started
    assert m.status == 0 and 0.8 <= m.wall < took + 0.3


def test_each_command_measured_starts_after_what_ran_before_is_on_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.bench import run as bench_run
    events: list[str] = []
    monkeypatch.setattr(bench_run.os, "sync", lambda: events.append("sync"))
    monkeypatch.setattr(bench_run, "run", lambda command, *args: events.append(command[0])
                        or run(command, *args))
    bench = Bench(tmp_path, docs=1, jobs=1, time_limit=30)
    bench.measure("true", ["true"])
    bench.measure("false", ["false"])
    assert events == ["sync", "true", "sync", "false"]
    assert [row.measure.status for row in bench.rows] == [0, 1]


def test_a_command_past_its_time_limit_is_stopped(tmp_path: Path) -> None:
    m = run([sys.executable, "-c", "import time; time.sleep(30)"], tmp_path, timeout=0.3)
    assert m.timed_out and m.status is None and m.wall < 30


def test_xmllint_progress_is_counted_from_its_messages() -> None:
    stderr = "tei/a.xml validates\ntei/b.xml fails to validate\ntei/c.xml:3: element x: bad\n"
    assert tools.xmllint_checked(stderr) == 2


@pytest.mark.skipif(not tools.shutil.which("jing"), reason="jing is not installed")
def test_jing_on_all_cores_checks_every_file(tmp_path: Path) -> None:
    from pipeline.assets import TEI_ALL, path_of
    good = ROOT / "tests" / "valid" / "1967-01-23_test-cable.xml"
    bad = ROOT / "tests" / "invalid" / "V201-not-tei.xml"
    files = [str(good)] * 3 + [str(bad)]
    tool = tools.jing_all_cores(path_of(TEI_ALL, fetch=False), files, 2)
    assert tool.command is not None
    m = run(tool.command, tmp_path)
    assert m.status != 0  # the bad file, in the second JVM, is found
    assert "V201-not-tei.xml" in m.stdout + m.stderr
    m = run(tools.jing_all_cores(path_of(TEI_ALL, fetch=False), files[:3], 2).command,
            tmp_path)
    assert m.status == 0, m.stdout + m.stderr


def test_earlier_output_is_moved_aside_and_deleted_only_at_the_end(tmp_path: Path) -> None:
    bench = Bench(tmp_path, docs=1, jobs=1, time_limit=1)
    for round_ in (1, 2):  # the same names twice: the second move must not meet the first
        (tmp_path / "tei").mkdir()
        (tmp_path / "tei" / "a.xml").write_text(f"round {round_}")
        (tmp_path / "validate.json").write_text("{}")
        bench.clean("tei", "validate.json", "never-made")
        assert not (tmp_path / "tei").exists() and not (tmp_path / "validate.json").exists()
    kept = sorted(p.read_text() for p in (tmp_path / ".trash").rglob("a.xml"))
    assert kept == ["round 1", "round 2"]
    bench.empty_trash()
    assert not (tmp_path / ".trash").exists()
    bench.empty_trash()  # nothing to delete is not an error


@pytest.mark.skipif(not tools.shutil.which("jing"), reason="jing is not installed")
def test_a_field_tool_that_fails_gives_a_note_and_no_ratio(tmp_path: Path, monkeypatch) -> None:
    """A tool that cannot run (here: its schema is missing) must not be compared with: its
    time would be that of its failure."""
    from pipeline.bench import run as bench_run
    (tmp_path / "tei").mkdir()
    tei = next((ROOT / "tei").glob("*.xml"))
    (tmp_path / "tei" / tei.name).write_bytes(tei.read_bytes())
    monkeypatch.setattr(bench_run, "path_of", lambda _asset: tmp_path / "missing.rng")
    bench = Bench(tmp_path, docs=1, jobs=1, time_limit=30)
    bench.field_tools()
    assert "jing" not in bench.tools
    assert any(note.startswith("jing failed (exit ") for note in bench.notes)
    assert not any(label.startswith("validate (4 layers) vs jing") for label in bench.ratios())


def test_the_set_up_leaves_the_gazetteer_ready_for_the_first_convert(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, register) -> None:
    """The first convert measured must not build the gazetteer (a one-off after each code
    change, which `make setup` does ahead): the set-up stores it where convert looks."""
    from pipeline.entities.gazetteer import gazetteer_key, register_keys
    monkeypatch.setenv("TEIPIPE_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "corpus"
    Bench(folder, docs=2, jobs=1, time_limit=1).prepare()
    stored = folder / "cache" / "gazetteer" / f"{gazetteer_key(register_keys(register))}.pickle"
    assert stored.is_file() and not stored.is_symlink()


def _row(stage: str, docs: int, peak_mb: float, status: int = 0) -> Row:
    m = Measure(["teipipe", stage], 1.0, 1.0, 0, int(peak_mb * 2**20), 0, status)
    return Row(stage, "all (2)", docs, m)


def test_memory_growth_is_per_page_between_the_two_sizes(tmp_path: Path) -> None:
    big = Bench(tmp_path / "big", docs=10000, jobs=2, time_limit=1)
    small = Bench(tmp_path / "small", docs=1000, jobs=2, time_limit=1)
    big.rows = [_row("convert", 10000, 147.0), _row("validate", 10000, 56.0),
                _row("export", 10000, 90.0, status=2), _row("only here", 10000, 1.0)]
    small.rows = [_row("convert", 1000, 125.0), _row("validate", 1000, 54.0),
                  _row("export", 1000, 60.0)]
    growth = big.growth(small)
    assert set(growth) == {"convert", "validate"}  # a failed run is not compared
    assert growth["convert"] == {"pages": [1000, 10000], "peak_rss_process_mb": [125.0, 147.0],
                                 "kb_per_page": 2.5, "flat": False}
    assert growth["validate"]["kb_per_page"] == pytest.approx(0.23, abs=0.01)
    assert growth["validate"]["flat"]


def test_the_smaller_corpus_runs_the_same_commands_from_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.bench import run as bench_run
    ran: list[tuple[list[str], Path]] = []
    monkeypatch.setattr(bench_run, "run", lambda command, cwd, *args: ran.append(
        (command, cwd)) or Measure(command, 0.1, 0.1, 0, 0, 0, 0))
    big = Bench(tmp_path / "big", docs=10, jobs=2, time_limit=1)
    small = Bench(tmp_path / "small", docs=1, jobs=2, time_limit=1)
    monkeypatch.setattr(small, "prepare", lambda: None)
    big.rows = [_row("convert (register tagging)", 10, 1.0), _row("validate (4 layers)", 10, 1),
                _row("export html + text + review, one pass", 10, 1)]
    big.rows[0].jobs = "1"  # the one-core run is not measured again
    big.rows += [_row("convert (register tagging)", 10, 1.0),
                 _row("deposit (both, one run)", 10, 1.0)]
    big.rows[-1].jobs = "1"  # a stage without a run on all cores: as it ran
    (small.folder / "tei").mkdir(parents=True)
    big.scaled(small)
    assert [(command[1:], cwd) for command, cwd in ran] == [
        (["convert (register tagging)"], small.folder), (["validate (4 layers)"], small.folder),
        (["export html + text + review, one pass"], small.folder),
        (["deposit (both, one run)"], small.folder)]
    assert [row.jobs for row in small.rows] == ["all (2)"] * 3 + ["1"]
    assert not (small.folder / "tei").exists()  # convert starts from nothing
