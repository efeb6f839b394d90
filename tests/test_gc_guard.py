"""A command run under a profile or trace function on CPython 3.11.0-3.11.2 runs with the
cyclic garbage collector held off (:mod:`pipeline.gc_guard`): that collector can then read
freed memory (https://github.com/python/cpython/issues/101975), and one-pass exports run
under cProfile died of it."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap

import click
import pytest
from click.testing import CliRunner

from pipeline import gc_guard
from pipeline.cli import main

#: The bug in a few lines: a generator resumed, under a profile function, with five values
#: on its stack (the loop's iterator; the call's NULL, function and arguments: a temporary
#: string and the value sent); the call made, the string is freed, and a collection walks
#: the generator's frame up to the depth it was resumed at, string and all.
CRASH = textwrap.dedent("""
    import gc, sys

    def gen(n):
        for i in range(n):
            s = isinstance(str(i) * 3, (yield i) or str)
            gc.collect()

    if sys.argv[1] == "profiled":
        sys.setprofile(lambda *args: None)
    for _ in gen(20):
        pass
""")


@pytest.mark.skipif(not gc_guard.AFFECTED, reason="this Python has no such bug")
@pytest.mark.parametrize("how", ["profiled", "plain"])
def test_this_python_s_collector_reads_freed_memory_when_profiled(how: str) -> None:
    """What the guard is for (the freed string's memory is overwritten by the debug
    allocator, and read as an object's type: a segmentation fault, in the collector;
    faulthandler's, so that the system's log does not list it with real crashes)."""
    run = subprocess.run([sys.executable, "-X", "faulthandler", "-c", CRASH, how],
                         capture_output=True, env={"PYTHONMALLOC": "debug"}, timeout=60)
    assert run.returncode == (-11 if how == "profiled" else 0), run.stderr[-2000:]
    assert (b"Garbage-collecting" in run.stderr) is (how == "profiled")


@click.command("gc-probe")
def _probe() -> None:
    click.echo(f"collector {'on' if gc.isenabled() else 'off'}")


@pytest.fixture
def probe():
    main.add_command(_probe)
    yield lambda: CliRunner().invoke(main, ["gc-probe"])
    main.commands.pop("gc-probe")


@pytest.mark.parametrize("affected", [True, False])
def test_a_profiled_command_runs_with_the_collector_held_off_where_needed(
        probe, monkeypatch: pytest.MonkeyPatch, affected: bool) -> None:
    monkeypatch.setattr(gc_guard, "AFFECTED", affected)
    sys.setprofile(lambda *args: None)
    try:
        result = probe()
    finally:
        sys.setprofile(None)
    assert result.exit_code == 0, result.output
    assert ("collector off" in result.output) is affected
    assert ("issues/101975" in result.output) is affected  # (said on stderr)
    assert gc.isenabled()


def test_an_unprofiled_command_keeps_the_collector(probe,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gc_guard, "AFFECTED", True)
    result = probe()
    assert result.exit_code == 0 and result.output == "collector on\n"
