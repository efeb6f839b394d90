"""Per-document work in forked worker processes (:mod:`pipeline.deposit.spread`): results in
the order of the jobs, the same package bytes as when done in one process, and what goes
wrong in a worker (a broken TEI file, a record its schema rejects) reported as it is when
done here.  The test edition is small, so the share sent to a worker at a time is made one
job: every run below uses the workers."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.deposit import schemas, spread

from deposit_edition import tree_bytes

needs_workers = pytest.mark.skipif((os.cpu_count() or 1) < 2,
                                   reason="one core: the work is done in this process")


def _where(job: int, offset: int) -> tuple[int, int]:
    return job + offset, os.getpid()


def _slowly(job: int, offset: int) -> tuple[int, int]:
    time.sleep(0.02)  # long enough that one worker cannot take every share
    return _where(job, offset)


@needs_workers
def test_results_come_in_the_order_of_the_jobs_from_worker_processes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spread, "CHUNK", 3)
    done = list(spread.spread(_slowly, iter(range(40)), 100))
    assert [job for job, _result in done] == list(range(40))
    assert [value for _job, (value, _pid) in done] == list(range(100, 140))
    pids = {pid for _job, (_value, pid) in done}
    assert os.getpid() not in pids and 2 <= len(pids) <= (os.cpu_count() or 1)


def test_a_few_jobs_are_done_here() -> None:
    done = list(spread.spread(_where, [1, 2, 3], 0))
    assert done == [(job, (job, os.getpid())) for job in (1, 2, 3)]


def _fails(job: int, _context: None) -> int:
    if job == 7:
        raise ValueError("job 7")
    return job


@needs_workers
def test_an_exception_in_a_worker_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spread, "CHUNK", 1)
    with pytest.raises(ValueError, match="job 7"):
        list(spread.spread(_fails, list(range(10)), None))


#: The process that sends the jobs: a :class:`_Unreadable` job cannot be read elsewhere.
_SENDER = os.getpid()


def _unreadable(n: int) -> _Unreadable:
    if os.getpid() != _SENDER:
        raise ValueError(f"job {n} cannot be read here")
    return _Unreadable(n)


class _Unreadable:
    """A job that a worker cannot unpickle (as one of a class it cannot import)."""

    def __init__(self, n: int):
        self.n = n

    def __reduce__(self):
        return _unreadable, (self.n,)


def _number(job: _Unreadable, _context: None) -> int:
    return job.n


@needs_workers
def test_a_job_a_worker_cannot_read_fails_with_why(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a broken pool (the reason only on the worker's stderr), nor a wait."""
    monkeypatch.setattr(spread, "CHUNK", 1)
    with pytest.raises(spread.JobError, match="ValueError: job 0 cannot be read here"):
        list(spread.spread(_number, [_Unreadable(n) for n in range(10)], None))


def run(edition: Path, cache: Path, formats: tuple[str, ...] = ("bagit", "dspace-saf")):
    return CliRunner().invoke(main, ["deposit", str(edition), "--archive", "zip",
                                     *(f"--format={fmt}" for fmt in formats)],
                              env={"SOURCE_DATE_EPOCH": "1700000000",
                                   "TEIPIPE_CACHE": str(cache)})


@pytest.fixture
def edition(deposit_edition: Path, tmp_path: Path) -> Path:
    root = tmp_path / "edition"
    shutil.copytree(deposit_edition, root)
    return root


@needs_workers
def test_packages_made_by_workers_are_the_ones_made_in_one_process(
        edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "here"
    shutil.copytree(edition, here)
    monkeypatch.setattr(spread, "CHUNK", 10_000)  # one share: done in this process
    assert run(here, tmp_path / "cache-here").exit_code == 0
    monkeypatch.setattr(spread, "CHUNK", 1)
    made = run(edition, tmp_path / "cache-workers")
    assert made.exit_code == 0, made.output
    for name in ("deposit", "dspace-saf"):
        assert tree_bytes(edition / "build" / name) == tree_bytes(here / "build" / name)
        assert (edition / "build" / f"{name}.zip").read_bytes() == \
               (here / "build" / f"{name}.zip").read_bytes()


@needs_workers
def test_a_broken_tei_file_read_by_a_worker_is_named_with_its_line(
        edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spread, "CHUNK", 1)
    broken = edition / "tei" / "07_zhou-subandrio-minutes.xml"
    broken.write_text("<?xml version='1.0'?>\n<TEI>\n<teiHeader>\n</TEI>\n")
    not_tei = edition / "tei" / "08_a-stray-file.xml"
    not_tei.write_text("<?xml version='1.0'?>\n<html/>\n")
    result = run(edition, tmp_path / "cache")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert errors[0] == f"{broken}:4: error: not well-formed XML: " \
                        "Opening and ending tag mismatch: teiHeader line 3 and TEI, line 4, column 7 [E502]"
    assert errors[1].startswith(f"{not_tei}: error: cannot read the TEI: ")
    assert len(errors) == 2 and "Traceback" not in result.output
    assert not (edition / "build" / "deposit").exists()


@needs_workers
@pytest.mark.parametrize("fmt", ["bagit", "dspace-saf"])
def test_records_a_schema_rejects_in_a_worker_are_reported(
        edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    """Problems found in a worker come back with the document they are about."""
    monkeypatch.setattr(spread, "CHUNK", 1)
    official = schemas.load()
    monkeypatch.setattr(schemas, "load", lambda: schemas.Schemas(mets=official.oai_dc,
                                                                 oai_dc=official.oai_dc))
    result = run(edition, tmp_path / "cache", (fmt,))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    stems = sorted(p.stem for p in (edition / "tei").glob("*.xml"))
    named = sorted({Path(line.split(":", 1)[0]).stem for line in errors})
    assert named == stems
    assert all("the METS made for this document is not valid" in line and
               line.endswith("[E504]") for line in errors)
    assert "no package written" in result.output
    assert not (edition / "build" / ("deposit" if fmt == "bagit" else fmt)).exists()


@needs_workers
def test_a_mets_the_package_made_before_did_not_find_valid_is_checked_again(
        edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both packages in one run: the DSpace batch does not check again the METS the bag
    found valid (:class:`.records.Valid`), but a broken one is caught in each package."""
    monkeypatch.setattr(spread, "CHUNK", 1)
    official = schemas.load()
    monkeypatch.setattr(schemas, "load", lambda: schemas.Schemas(mets=official.oai_dc,
                                                                 oai_dc=official.oai_dc))
    result = run(edition, tmp_path / "cache")
    assert result.exit_code == 1
    assert result.output.count("no package written") == 2
    assert "the METS made for this document is not valid" in result.output
    assert not (edition / "build" / "deposit").exists()
    assert not (edition / "build" / "dspace-saf").exists()


@needs_workers
def test_jobs_are_taken_only_a_few_shares_ahead_of_the_results(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What is held for the jobs does not grow with the edition."""
    monkeypatch.setattr(spread, "CHUNK", 2)
    taken = []

    def jobs():
        for n in range(200):
            taken.append(n)
            yield n

    done = spread.spread(_where, jobs(), 0)
    assert next(done)[0] == 0
    ahead = (os.cpu_count() or 1) * spread.AHEAD * spread.CHUNK
    assert ahead < len(taken) <= ahead + 2 * spread.CHUNK + 1
    assert [job for job, _result in done] == list(range(1, 200))
