"""Compiled modules (``make compile``, :mod:`pipeline.native`) never run older code than the
sources beside them: teipipe refuses to start instead."""

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


def test_a_compiled_module_older_than_its_source_stops_teipipe(tmp_path: Path) -> None:
    # a copy of the package with one "compiled" module built before its source changed
    package = tmp_path / "pipeline"
    subprocess.run(["cp", "-r", str(native.PACKAGE), str(package)], check=True)
    for built in package.rglob("*.so"):
        built.unlink()
    source = tmp_path / native.MODULES[0]
    built = source.with_suffix(EXTENSION_SUFFIXES[0])
    built.write_bytes(b"")
    os.utime(built, (1, 1))
    run = subprocess.run([sys.executable, "-c", "import pipeline"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "older than its source" in run.stderr and "make compile" in run.stderr
    built.unlink()  # without the stale module the same package imports
    run = subprocess.run([sys.executable, "-c", "import pipeline; print(pipeline.__file__)"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(package / "__init__.py")  # the copy, not the checkout


def test_this_checkout_has_no_stale_compiled_module() -> None:
    assert native.stale() == []
