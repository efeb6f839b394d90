"""Compiled modules (``make compile``, :mod:`pipeline.native`) never run older code than the
sources beside them: teipipe runs the sources instead, and says so."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

from pipeline import native


def test_every_compiled_module_is_listed_and_has_its_source() -> None:
    for module in native.MODULES:
        assert (native.PACKAGE.parent / module).is_file(), module
    listed = {str(native.PACKAGE.parent / m)[:-3] for m in native.MODULES}
    for built in native.PACKAGE.rglob("*.so"):
        stem = str(built)[:-len(next(s for s in EXTENSION_SUFFIXES if str(built).endswith(s)))]
        assert stem in listed or built.name.startswith("native__mypyc"), built


def test_a_compiled_module_older_than_its_source_makes_teipipe_run_the_sources(
        tmp_path: Path) -> None:
    # a copy of the package with one "compiled" module built before its source changed
    package = tmp_path / "pipeline"
    subprocess.run(["cp", "-r", str(native.PACKAGE), str(package)], check=True)
    for built in package.rglob("*.so"):
        built.unlink()
    source = tmp_path / native.MODULES[0]
    name = native.MODULES[0][:-3].replace("/", ".")
    built = source.with_suffix(EXTENSION_SUFFIXES[0])
    built.write_bytes(b"not a shared object")  # Python would fail to load it
    load = f"import {name} as m; print(m.__file__)"
    fresh = subprocess.run([sys.executable, "-c", load], cwd=tmp_path, capture_output=True,
                           text=True)
    assert fresh.returncode != 0  # a fresh compiled module is the one Python loads
    os.utime(built, (1, 1))
    run = subprocess.run([sys.executable, "-c", load], cwd=tmp_path, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(source)  # the copy's source, not the checkout's
    assert "older than its source" in run.stderr and "make compile" in run.stderr
    assert run.stderr.count("\n") == 1


def test_this_checkout_has_no_stale_compiled_module() -> None:
    assert native.stale() == []
