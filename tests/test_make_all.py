"""`make all` as a user runs it: convert, then the editions with the review of names (one
run: each TEI file read once for all three), then the deposit; the edition it builds is the
one `make -j1 all` builds, byte for byte, and its review the one `make review` writes.
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

from conftest import ROOT, SEEDS, page_with_new_people

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

#: `make all` from the corpus folder, as the bench runs it (the project's .venv, no spaCy)
MAKE = ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "all",
        f"VENV={Path(sys.executable).parent.parent}", "NER=--no-ner"]


def corpus(folder: Path) -> Path:
    """A tiny edition: the seed pages and register (and a page naming people the register
    lacks: names to review), the project's edition.toml and schema."""
    shutil.copytree(SEEDS, folder / "source")
    page_with_new_people(folder / "source")
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


def test_make_all_builds_what_a_serial_run_builds_and_the_review_make_review_writes(
        tmp_path: Path) -> None:
    serial = make(corpus(tmp_path / "serial"), "-j1")
    folder = corpus(tmp_path / "parallel")
    parallel = make(folder)
    assert outputs(folder) == outputs(tmp_path / "serial")
    review = folder / "build" / "entities-review.tsv"
    assert b"Petrovsky" in review.read_bytes()
    assert (folder / "build" / "deposit.zip").is_file()
    # each stage's output whole: its command line, then its lines, not another stage's
    for run in (serial, parallel):
        lines = run.stdout.splitlines()
        assert not [line for line in lines if " entities review " in line]
        export = next(i for i, line in enumerate(lines) if " export html " in line)
        documents = len(list((folder / "source").glob("*.txt")))
        assert [line.split(":")[0] for line in lines[export + 2:export + 4]] == [
            f"{documents} documents"] * 2  # (the command is two lines)
        assert lines[export + 4].endswith("names to review: build/entities-review.tsv")
    made = review.read_bytes()
    alone = make(folder, "-B", "review")  # `make review` alone: `entities review`
    assert " entities review " in alone.stdout
    assert review.read_bytes() == made


def ran(run: subprocess.CompletedProcess) -> list[str]:
    """The teipipe commands a make ran, by name (`convert`, `export html`, ...)."""
    names = []
    for line in run.stdout.splitlines():
        if "/teipipe " in line:
            words = line.split("/teipipe ")[1].split()
            names.append(" ".join(words[:2] if words[0] in ("export", "entities") else
                                  words[:1]))
    return names


def test_make_all_again_runs_only_convert_which_finds_nothing_to_do(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "c")
    make(folder)
    again = make(folder)
    assert ran(again) == ["convert"]
    assert "Nothing to be done" not in again.stdout
    assert " 0 written" in again.stdout
    assert ran(make(folder, "review")) == ["convert"]  # written by the editions' run
    (folder / "source" / "register.xml").touch()  # the editions, the review made again
    touched = make(folder)
    assert ran(touched) == ["convert", "export html", "deposit"]
    assert " names to review: build/entities-review.tsv" in touched.stdout
    assert ran(make(folder)) == ["convert"]


def test_make_always_all_converts_once(tmp_path: Path) -> None:
    """`make -B all` runs every stage again, convert (and set-up) once: the later stages'
    make takes the TEI files as the first one left them."""
    run = make(corpus(tmp_path / "c"), "-n", "-B")
    commands = run.stdout.splitlines()
    for stage in (" convert source ", " export html ", " deposit ", "teipipe setup"):
        assert sum(stage in line for line in commands) == 1, stage
    assert not [line for line in commands if " entities review " in line]
