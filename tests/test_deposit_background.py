"""A package's archive written in a child process while the next package is made
(:mod:`pipeline.deposit.background`): the child's success is waited for, its failure is an
error in the parent, not a silently missing archive."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.deposit import background

needs_fork = pytest.mark.skipif(not background.can_fork(),
                                reason="one core or no fork: archives are written in turn")


@needs_fork
def test_what_the_child_writes_is_there_once_it_is_waited_for(tmp_path: Path) -> None:
    target = tmp_path / "made"
    background.start(lambda: target.write_bytes(b"zip")).wait()
    assert target.read_bytes() == b"zip"


@needs_fork
def test_what_the_child_answers_is_what_the_wait_gives() -> None:
    assert background.start(lambda: b"digest " * 20_000).wait() == b"digest " * 20_000
    assert background.start(lambda: None).wait() == b""


@needs_fork
def test_a_job_that_fails_in_the_child_fails_the_wait_saying_why() -> None:
    def full() -> None:
        raise OSError(28, "No space left on device", "/edition/build/deposit.zip")
    with pytest.raises(OSError) as failed:
        background.start(full).wait()
    assert (failed.value.strerror, failed.value.filename) == (
        "No space left on device", "/edition/build/deposit.zip")


@needs_fork
def test_a_defect_in_the_child_fails_the_wait_too() -> None:
    def broken() -> None:
        raise ValueError("a bug")
    with pytest.raises(OSError, match="exit status 1"):
        background.start(broken).wait()


def test_what_needs_no_archive_being_written_is_done_while_it_is_written(
        tmp_path: Path) -> None:
    """The last zip is written beside the records of the packages made before it; the
    record that knows that zip is taken once it is written."""
    from pipeline.deposit.make import Shared

    done: list[str] = []

    class Writing:
        def wait(self) -> None:
            done.append("zip written")

    shared = Shared.of(tmp_path)
    shared.writing = (Writing(), "saf.zip")  # type: ignore[assignment]
    shared.pending += [("bag.zip", lambda: done.append("bag record")),
                       ("saf.zip", lambda: done.append("saf record")),
                       (None, lambda: done.append("no archive"))]
    assert shared.writes("saf.zip") and not shared.writes("bag.zip")
    shared.finish()
    assert done == ["bag record", "no archive", "zip written", "saf record"]
    assert shared.writing is None and not shared.pending
