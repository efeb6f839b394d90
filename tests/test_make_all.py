"""`make all` as a user runs it: convert, then the later stages side by side (review beside
the editions, deposit after them), as many at a time as there are cores unless make is given
-jN; the edition it builds is the one a serial run (`make -j1 all`) builds, byte for byte.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.assets import cache_dir
from pipeline.bench.run import link_assets

from conftest import ROOT, SEEDS

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

#: `make all` from the corpus folder, as the bench runs it (the project's .venv, no spaCy)
MAKE = ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "all",
        f"VENV={Path(sys.executable).parent.parent}", "NER=--no-ner"]


def corpus(folder: Path) -> Path:
    """A tiny edition: the seed pages and register, the project's edition.toml and schema."""
    shutil.copytree(SEEDS, folder / "source")
    shutil.copyfile(ROOT / "edition.toml", folder / "edition.toml")
    shutil.copytree(ROOT / "schema", folder / "schema")
    link_assets(cache_dir(), folder / "cache")
    return folder


def make(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TEIPIPE_CACHE=str(folder / "cache"), PYTHONHASHSEED="0")
    env.pop("MAKEFLAGS", None)  # not the flags of a make that runs the tests
    env.pop("MAKELEVEL", None)
    run = subprocess.run([*MAKE, *args], cwd=folder, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)  # in the order make shows them
    assert run.returncode == 0, run.stdout
    return run


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for top in ("tei", "build") for p in sorted((folder / top).rglob("*"))
            if p.is_file()}


def test_make_all_side_by_side_builds_what_a_serial_run_builds(tmp_path: Path) -> None:
    serial = make(corpus(tmp_path / "serial"), "-j1")
    parallel = make(corpus(tmp_path / "parallel"))
    assert outputs(tmp_path / "parallel") == outputs(tmp_path / "serial")
    assert (tmp_path / "parallel" / "build" / "entities-review.tsv").is_file()
    assert (tmp_path / "parallel" / "build" / "deposit.zip").is_file()
    # each stage's output whole: its command line, then its lines, not another stage's
    for run in (serial, parallel):
        lines = run.stdout.splitlines()
        review = next(i for i, line in enumerate(lines) if " entities review " in line)
        assert "names to review" in lines[review + 1]
        export = next(i for i, line in enumerate(lines) if " export html " in line)
        assert [line.split(":")[0] for line in lines[export + 1:export + 3]] == [
            f"{len(list(SEEDS.glob('*.txt')))} documents"] * 2


def test_make_all_again_runs_only_convert_which_finds_nothing_to_do(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "c")
    make(folder)
    again = make(folder)
    commands = [line for line in again.stdout.splitlines() if "/teipipe " in line]
    assert len(commands) == 1 and " convert " in commands[0]
    assert "Nothing to be done" not in again.stdout
    assert " 0 written" in again.stdout


@pytest.mark.parametrize("given, stages", [
    ((), f"-j{len(os.sched_getaffinity(0))} -Otarget"),   # the later stages side by side, each output whole
    (("-j1",), ""),                         # as the user asked: one after the other
    (("-j3",), "-Otarget"),                 # the user's number of jobs
    (("-j2", "-Oline"), ""),                # and the user's output sync
])
def test_the_later_stages_run_as_many_at_a_time_as_there_are_cores_unless_told(
        tmp_path: Path, given: tuple[str, ...], stages: str) -> None:
    folder = corpus(tmp_path / "c")
    run = make(folder, "-n", *given)  # -n: make shows the commands it would run
    (later,) = [line for line in run.stdout.splitlines() if line.endswith(" later-stages")]
    assert later.split("-f ")[1].split()[1:-2] == stages.split()


def test_make_always_all_converts_once(tmp_path: Path) -> None:
    """`make -B all` runs every stage again, convert (and set-up) once: the later stages'
    make takes the TEI files as the first one left them."""
    run = make(corpus(tmp_path / "c"), "-n", "-B")
    commands = run.stdout.splitlines()
    for stage in (" convert source ", " entities review ", " export html ", " deposit ",
                  "teipipe setup"):
        assert sum(stage in line for line in commands) == 1, stage
